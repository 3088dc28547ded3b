using System.Buffers.Binary;
using CsCheck;
using Engine.Actors.Wire;
using Xunit;
using Xunit.Abstractions;

namespace Engine.Tests.Fuzz;

/// <summary>
/// Hostile frames into the forwarder from every kind of ingress port: nothing throws, every frame
/// is accounted for, every pool batch comes back (<see cref="ForwardingRig"/> states the
/// accounting). Frames with offloads get their layout the way the device reader (or an engine
/// link) gets it: a virtio-net header checked by <see cref="VirtioNetHeader.Validate"/>; one it
/// refuses is dropped there and counted by the reader, never reaching the router.
/// </summary>
public sealed class ForwarderFuzzTests(ITestOutputHelper output)
{
    private static readonly byte[][] IpPackets = [.. FuzzFrames.Ip.Select(t => t.Packet)];
    private static readonly Gen<byte[]> IpFrames = FuzzGen.Frames(IpPackets, ipOffset: 0, maxRandom: 120);

    /// <summary>A packet and the virtio-net header in front of it, each from one template, mutated apart.</summary>
    private static readonly Gen<(byte[] Packet, byte[] Header)> WithHeaders = Gen.Frequency(
        (1, Gen.Select(FuzzGen.Random(120), FuzzGen.Header(new byte[VirtioNetHeader.Length]))),
        (4, Gen.OneOf(FuzzFrames.Ip.Select(t => Gen.Select(FuzzGen.Mutated([t.Packet], ipOffset: 0), FuzzGen.Header(t.Header))).ToArray())));

    private ForwardingRig _rig = new();

    [Fact]
    public void Frames_from_a_tun_without_offloads() => Plain("tun", ForwardingRig.TunPort, IpFrames);

    [Fact]
    public void Frames_from_a_plain_peer() => Plain("peer", ForwardingRig.PeerPort, IpFrames);

    [Fact]
    public void Frames_from_a_tap() =>
        Plain("tap", ForwardingRig.TapPort, FuzzGen.Frames(FuzzFrames.Ethernet, ipOffset: 14, maxRandom: 120));

    [Fact]
    public void Frames_from_a_tun_with_offloads() => WithOffloads("tun-offload", ForwardingRig.OffloadTunPort);

    [Fact]
    public void Frames_from_an_engine_peer_with_offloads() => WithOffloads("engine-peer-offload", ForwardingRig.EnginePeerPort);

    [Fact]
    public void Frames_from_a_tap_with_offloads()
    {
        var frames = Gen.Frequency(
            (1, Gen.Select(FuzzGen.Random(120), FuzzGen.Header(new byte[VirtioNetHeader.Length]))),
            (4, Gen.OneOf(FuzzFrames.Ip.Select(t => Gen.Select(
                FuzzGen.Mutated([FuzzFrames.InEthernet(Wire.Frames.RouterMac, t.Packet)], ipOffset: EthernetFrame.HeaderLength),
                FuzzGen.Header(FuzzFrames.OnTap(t.Header)))).ToArray())));
        FuzzRun.Sample("forwarder tap-offload", frames, c =>
        {
            if (!TapLayout(c.Item2, c.Item1, out var layout)) return;
            _rig.Route(ForwardingRig.TapPort, c.Item1, layout, -1);
        }, c => $"virtio header {FuzzRun.Hex(c.Item2)}, frame {FuzzRun.Hex(c.Item1)}", output);
        output.WriteLine(_rig.Describe());
    }

    [Fact]
    public void Frames_from_a_tun_with_offloads_into_a_scarce_pool()
    {
        _rig = new ForwardingRig(scarce: true);
        WithOffloads("tun-offload scarce-pool", ForwardingRig.OffloadTunPort);
    }

    [Fact]
    public void Frames_from_a_tap_into_a_scarce_pool()
    {
        _rig = new ForwardingRig(scarce: true);
        Plain("tap scarce-pool", ForwardingRig.TapPort, FuzzGen.Frames(FuzzFrames.Ethernet, ipOffset: 14, maxRandom: 120));
    }

    [Fact]
    public void Tagged_frames_from_a_controller()
    {
        FuzzRun.Sample("forwarder controller", Gen.Select(IpFrames, Gen.Int[-1, 7]),
            c => _rig.Route(ForwardingRig.ControllerPort, c.Item1, default, c.Item2),
            c => $"tag {c.Item2}, frame {FuzzRun.Hex(c.Item1)}", output);
        output.WriteLine(_rig.Describe());
    }

    private void Plain(string name, int ingress, Gen<byte[]> frames)
    {
        FuzzRun.Sample("forwarder " + name, frames, frame => _rig.Route(ingress, frame, default, -1), frame => "frame " + FuzzRun.Hex(frame), output);
        output.WriteLine(_rig.Describe());
    }

    private void WithOffloads(string name, int ingress)
    {
        FuzzRun.Sample("forwarder " + name, WithHeaders, c =>
        {
            // As the device reader: a header that does not hold up drops the frame before the router.
            VirtioNetHeader.TryParse(c.Header, out var header);
            if (header.Validate(c.Packet, out var layout) != VirtioHeaderCheck.Valid) return;
            _rig.Route(ingress, c.Packet, layout, -1);
        }, c => $"virtio header {FuzzRun.Hex(c.Header)}, packet {FuzzRun.Hex(c.Packet)}", output);
        output.WriteLine(_rig.Describe());
    }

    /// <summary>
    /// The layout a tap's reader gives a frame (DeviceReader.TryLayout): none for a plain header;
    /// otherwise the frame must carry IPv4 or IPv6 right after its Ethernet header, and the header
    /// is validated against the IP packet with its csum_start moved past the Ethernet header.
    /// </summary>
    private static bool TapLayout(byte[] bytes, byte[] frame, out VirtioFrameLayout layout)
    {
        layout = default;
        var header = bytes.ToArray();
        VirtioNetHeader.TryParse(header, out var view);
        if (view.Flags == 0 && view.GsoType == VirtioGsoType.None) return true;
        if (!EthernetFrame.TryParse(frame, out var ethernet) || ethernet.EtherType is not (EtherType.Ipv4 or EtherType.Ipv6)) return false;
        if (view.NeedsChecksum)
        {
            if (view.ChecksumStart < EthernetFrame.HeaderLength) return false;
            BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(VirtioNetHeader.Field.ChecksumStart), (ushort)(view.ChecksumStart - EthernetFrame.HeaderLength));
        }
        VirtioNetHeader.TryParse(header, out view);
        return view.Validate(frame.AsSpan(EthernetFrame.HeaderLength), out layout) == VirtioHeaderCheck.Valid;
    }
}
