using System.Buffers.Binary;
using System.Net;
using System.Text;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Rules;
using Engine.Actors.Topology;
using Engine.Actors.Wire;
using Engine.Tests.Wire;
using Xunit;

namespace Engine.Tests.Router;

/// <summary>
/// The rule table in the router: a matched frame is punted to the controller as it came in,
/// tagged with its port and the rule, or dropped and counted; the rest is forwarded as before.
/// A controller's INJECT leaves its port exactly as sent, and a frame that does not fit the port
/// comes back as a REFUSED with the reason.
/// </summary>
public sealed class RuleForwardingTests : TestKit
{
    private static readonly MacAddress Host = MacAddress.Parse("02:00:00:00:00:0b");
    private readonly FrameBatchPool _pool = new(batchCapacity: 16, bufferSize: 9000, maxBatches: 32);
    private readonly TestProbe[] _probes;
    private readonly Port[] _ports;

    // Ports: 0 tun-a (10.0.1.0/24), 1 tap-b (10.0.2.0/24), 2 ctl (controller), 3 tun-c (10.0.3.0/24).
    public RuleForwardingTests()
    {
        _probes = Enumerable.Range(0, 4).Select(i => CreateTestProbe($"p{i}")).ToArray();
        string[] names = ["tun-a", "tap-b", "ctl", "tun-c"];
        _ports = Enumerable.Range(0, 4).Select(i => new Port(i, names[i], _probes[i], 1500, new PortCounters())
        {
            IsEthernet = i == 1,
            IsPeer = i == 2,
            IsController = i == 2,
            Mac = MacAddress.LocallyAdministered(names[i]),
            Ipv4Address = i == 1 ? Packets.V4("10.0.2.254") : 0,
        }).ToArray();
    }

    private IActorRef Router(params RuleSpec[] rules)
    {
        var index = new Dictionary<string, int> { ["tun-a"] = 0, ["tap-b"] = 1, ["ctl"] = 2, ["tun-c"] = 3 };
        var table = RuleTable.Build(RuleCompiler.Compile(rules, name => index[name]));
        var routes = new (IpPrefix, int)[]
        {
            (IpPrefix.Ipv4(Packets.V4("10.0.1.0"), 24), 0),
            (IpPrefix.Ipv4(Packets.V4("10.0.2.0"), 24), 1),
            (IpPrefix.Ipv4(Packets.V4("10.0.3.0"), 24), 3),
        };
        return Sys.ActorOf(RouterActor.Props(_pool, new RouteSnapshot(_ports, routes, table), new RouterCounters()));
    }

    private static RuleSpec ToController(int id, RuleMatchSpec match, int priority = RuleSpec.DefaultPriority) =>
        new(id, priority, match, RuleActionKind.Controller, "ctl");

    [Fact]
    public void An_ospf_hello_from_a_tun_is_punted_unchanged_with_its_port_and_rule()
    {
        var router = Router(
            new RuleSpec(0, 10, RuleMatchSpec.Any, RuleActionKind.Drop, null),
            ToController(1, RuleMatchSpec.Any with { InPort = "tun-a", IpProtocol = 89 }));
        var hello = Ospf("10.0.1.2", "224.0.0.5");
        Send(router, 0, hello);

        var batch = _probes[2].ExpectMsg<FrameBatch>();
        Assert.Equal(hello, batch.Frame(0).ToArray());
        Assert.Equal(0, batch.Tag(0));
        Assert.Equal(1, batch.Note(0));
        batch.Release();
    }

    [Fact]
    public void An_arp_request_from_a_tap_is_punted_with_its_ethernet_header()
    {
        var router = Router(ToController(4, RuleMatchSpec.Any with { EtherType = EtherType.Arp }));
        var arp = Ethernet(MacAddress.Broadcast, EtherType.Arp, new byte[28]);
        Send(router, 1, arp);

        var batch = _probes[2].ExpectMsg<FrameBatch>();
        Assert.Equal(arp, batch.Frame(0).ToArray());
        Assert.Equal((1, 4), (batch.Tag(0), batch.Note(0)));
        batch.Release();
    }

    [Fact]
    public void A_drop_rule_counts_its_frames_and_unmatched_traffic_is_routed_as_before()
    {
        var router = Router(new RuleSpec(0, RuleSpec.DefaultPriority, RuleMatchSpec.Any with { IpProtocol = 17, Destination = IPNetwork.Parse("10.0.3.9/32") }, RuleActionKind.Drop, null));
        Send(router, 0, Packets.Ipv4Udp("10.0.1.2", "10.0.3.9", 20));
        Send(router, 0, Packets.Ipv4Udp("10.0.1.2", "10.0.3.8", 20));

        var batch = _probes[3].ExpectMsg<FrameBatch>();
        Assert.Equal(Packets.V4("10.0.3.8"), BinaryPrimitives.ReadUInt32BigEndian(batch.Frame(0)[16..]));
        Assert.Equal(63, batch.Frame(0)[8]);
        batch.Release();
        _probes[3].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal(1, _ports[0].Counters.Drops(DropReason.Rule));
    }

    [Fact]
    public void A_normal_rule_above_a_punt_leaves_the_frame_to_the_router()
    {
        var router = Router(
            new RuleSpec(0, 40000, RuleMatchSpec.Any with { InPort = "tun-a" }, RuleActionKind.Normal, null),
            ToController(1, RuleMatchSpec.Any with { IpProtocol = 17 }));
        Send(router, 0, Packets.Ipv4Udp("10.0.1.2", "10.0.3.9", 20));
        _probes[3].ExpectMsg<FrameBatch>().Release();
        _probes[2].ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Injected_ethernet_frames_of_any_type_leave_a_tap_exactly_as_sent()
    {
        var router = Router();
        var lldp = Ethernet(MacAddress.Parse("01:80:c2:00:00:0e"), 0x88CC, Packets.Pattern(46));
        var isis = Ethernet(MacAddress.Parse("01:80:c2:00:00:14"), 49, [0xfe, 0xfe, 0x03, .. Packets.Pattern(46)]);
        foreach (var frame in new[] { lldp, isis })
        {
            Send(router, 2, frame, tag: 1, ControllerNote.Inject);
            var batch = _probes[1].ExpectMsg<FrameBatch>();
            Assert.Equal(frame, batch.Frame(0).ToArray());
            batch.Release();
        }
    }

    [Fact]
    public void An_injected_multicast_packet_of_any_protocol_leaves_a_tun_with_its_ttl_unchanged()
    {
        var router = Router();
        var hello = Ospf("10.0.3.2", "224.0.0.5");
        Send(router, 2, hello, tag: 3, ControllerNote.Inject);
        var batch = _probes[3].ExpectMsg<FrameBatch>();
        Assert.Equal(hello, batch.Frame(0).ToArray());
        batch.Release();
    }

    [Theory]
    [InlineData("ip-into-tap", 1, "48-byte frame is an IP packet without an Ethernet header: port 1 (tap-b) takes Ethernet frames", DropReason.Malformed)]
    [InlineData("ethernet-into-tun", 0, "62-byte frame is an Ethernet frame, not an IP packet: port 0 (tun-a) takes IP packets", DropReason.Malformed)]
    [InlineData("too-big-for-tun", 0, "1600-byte packet is larger than port 0 (tun-a)'s MTU of 1500", DropReason.TooBig)]
    [InlineData("too-big-for-tap", 1, "1600-byte frame is larger than port 1 (tap-b)'s MTU of 1500 plus its 14-byte Ethernet header", DropReason.TooBig)]
    [InlineData("short", 1, "10-byte frame is shorter than an Ethernet header: port 1 (tap-b) takes Ethernet frames", DropReason.Malformed)]
    [InlineData("no-port", -1, "INJECT names no port: send the port number in the header's port field", DropReason.NoRoute)]
    [InlineData("own-port", 2, "no port 2 to send out of (ports are 0 to 3, this link is 2)", DropReason.NoRoute)]
    [InlineData("unknown-port", 9, "no port 9 to send out of (ports are 0 to 3, this link is 2)", DropReason.NoRoute)]
    public void An_injected_frame_that_does_not_fit_its_port_is_refused_with_the_reason(string @case, int port, string reason, DropReason counted)
    {
        var router = Router();
        var ospf = Ospf("10.0.1.2", "224.0.0.5");
        var frame = @case switch
        {
            "ip-into-tap" => ospf,
            "ethernet-into-tun" => Ethernet(Host, EtherType.Ipv4, ospf),
            "too-big-for-tun" => Packets.Ipv4Udp("10.0.1.2", "10.0.1.3", 1600 - 28),
            "too-big-for-tap" => Ethernet(Host, 0x88B5, Packets.Pattern(1600 - 14)),
            "short" => Packets.Pattern(10),
            _ => ospf,
        };
        Send(router, 2, frame, port, ControllerNote.Inject);

        var batch = _probes[2].ExpectMsg<FrameBatch>();
        Assert.Equal(ControllerNote.Refused, batch.Note(0));
        Assert.Equal(port < 0 ? 0xFFFF : port, batch.Tag(0));
        Assert.Equal(reason, Encoding.UTF8.GetString(batch.Frame(0)));
        batch.Release();
        Assert.Equal(1, _ports[2].Counters.Drops(counted));
        foreach (var probe in _probes.Where((_, i) => i != 2)) probe.ExpectNoMsg(TimeSpan.FromMilliseconds(20));
    }

    [Fact]
    public void A_data_frame_for_a_port_that_is_not_ip_is_refused_too()
    {
        var router = Router();
        Send(router, 2, Ethernet(Host, 0x88CC, Packets.Pattern(46)), tag: 1);
        var batch = _probes[2].ExpectMsg<FrameBatch>();
        Assert.Equal("60-byte frame is not an IP packet: port 1 (tap-b) takes IP packets in DATA (INJECT sends a whole Ethernet frame to a tap)", Encoding.UTF8.GetString(batch.Frame(0)));
        batch.Release();
    }

    /// <summary>An IPv4 packet of protocol 89 (OSPF) with TTL 1, as ospfd sends its hellos.</summary>
    private static byte[] Ospf(string source, string destination)
    {
        var packet = Packets.Ipv4Udp(source, destination, 20, ttl: 1);
        packet[9] = 89;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), InternetChecksum.Compute(packet.AsSpan(0, 20)));
        return packet;
    }

    private static byte[] Ethernet(MacAddress destination, ushort type, byte[] payload)
    {
        var frame = new byte[EthernetFrame.HeaderLength + payload.Length];
        EthernetFrame.WriteHeader(frame, destination, MacAddress.Parse("02:00:00:00:00:0a"), type);
        payload.CopyTo(frame, EthernetFrame.HeaderLength);
        return frame;
    }

    private void Send(IActorRef router, int port, byte[] frame, int tag = -1, int note = ControllerNote.None)
    {
        Assert.True(_pool.TryRent(out var batch));
        batch.IngressPort = port;
        batch.TryAppendCopy(frame);
        batch.SetTag(0, tag);
        batch.SetNote(0, note);
        router.Tell(batch);
    }
}
