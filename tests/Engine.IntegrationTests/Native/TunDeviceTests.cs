using System.Net;
using Engine.IntegrationTests.Infrastructure;
using Engine.Native.Namespaces;
using Engine.Native.Reactor;
using Engine.Native.Tun;
using Xunit;

namespace Engine.IntegrationTests.Native;

/// <summary>tun/tap devices opened inside a test namespace, read through the reactor.</summary>
public sealed class TunDeviceTests
{
    [IntegrationFact]
    public void A_kernel_assigned_name_is_read_back()
    {
        using var ns = TestNamespace.Create();
        using var tun = NetworkNamespace.RunInside(ns.Name, () => TunDevice.Open("etun%d", TunMode.Tun));
        using var tap = NetworkNamespace.RunInside(ns.Name, () => TunDevice.Open(null, TunMode.Tap));
        Assert.Equal("etun0", tun.Name);
        Assert.StartsWith("tap", tap.Name);
        Assert.Equal(0, Shell.InNamespace(ns.Name, $"ip link show dev {tun.Name}").ExitCode);
        Assert.Equal(0, Shell.InNamespace(ns.Name, $"ip link show dev {tap.Name}").ExitCode);
    }

    [IntegrationFact]
    public void Closing_a_non_persistent_device_removes_it_and_a_persistent_one_stays()
    {
        using var ns = TestNamespace.Create();
        var plain = NetworkNamespace.RunInside(ns.Name, () => TunDevice.Open("eplain0", TunMode.Tun));
        var kept = NetworkNamespace.RunInside(ns.Name, () => TunDevice.Open("ekept0", TunMode.Tun, persistent: true));
        plain.Dispose();
        kept.Dispose();
        Assert.NotEqual(0, Shell.InNamespace(ns.Name, "ip link show dev eplain0").ExitCode);
        Assert.Equal(0, Shell.InNamespace(ns.Name, "ip link show dev ekept0").ExitCode);

        using var reopened = NetworkNamespace.RunInside(ns.Name, () => TunDevice.Open("ekept0", TunMode.Tun));
        reopened.ClearPersistent();
    }

    [IntegrationFact]
    public void The_reactor_reports_a_readable_device_and_the_frame_is_the_packet_the_host_sent()
    {
        using var ns = TestNamespace.Create();
        using var tun = NetworkNamespace.RunInside(ns.Name, () => TunDevice.Open("etest0", TunMode.Tun));
        using (var netlink = NetworkNamespace.OpenRtNetlink(ns.Name))
        {
            netlink.AddAddress(tun.Name, IPAddress.Parse("10.99.0.1"), 24);
            netlink.SetLinkUp(tun.Name);
        }

        using var reactor = new Reactor("test-reactor");
        var received = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = new CapturingHandler(tun, received);
        reactor.Post(() => handler.Token = reactor.Register(tun.Handle, handler));

        Shell.InNamespace(ns.Name, "ping -c 1 -W 1 10.99.0.2");
        Assert.True(received.Task.Wait(TimeSpan.FromSeconds(5)), "no frame arrived");
        var frame = received.Task.Result;
        Assert.Equal(0x45, frame[0]);
        Assert.Equal(1, frame[9]); // ICMP
        Assert.Equal(new byte[] { 10, 99, 0, 2 }, frame[16..20]);
    }

    private sealed class CapturingHandler(TunDevice device, TaskCompletionSource<byte[]> received) : IReadinessHandler
    {
        private readonly byte[] _buffer = new byte[2048];
        public ulong Token { get; set; }

        public void OnReadable()
        {
            int n;
            while ((n = device.Read(_buffer)) > 0)
            {
                if (_buffer[0] >> 4 == 4 && _buffer[9] == 1) received.TrySetResult(_buffer[..n]);
            }
        }
    }
}
