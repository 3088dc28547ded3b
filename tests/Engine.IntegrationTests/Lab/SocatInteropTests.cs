using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Interop with the classic userspace tunnel: socat's TUN-to-UDP in a namespace of its own, and
/// an engine peer with datagram framing whose socket the engine opens in that namespace.
/// </summary>
[Collection("engine")]
public sealed class SocatInteropTests(ITestOutputHelper output)
{
    private const int Subnet = 82;

    [IntegrationFact]
    public void An_engine_peer_with_datagram_framing_talks_to_socats_tun_to_udp()
    {
        using var lab = new TestLab();
        var socatNs = lab.Namespace("s");
        var tun = lab.Device("s");
        Assert.Equal(0, Shell.Run("ip", $"netns add {socatNs}").ExitCode);
        Assert.Equal(0, Shell.InNamespace(socatNs, "ip link set lo up").ExitCode);
        const int socatPort = 5001, enginePort = 5000;
        var hocon = LabConfigs.Hosts(lab, 1, Subnet);
        var peer = $"  peers = [ {{ name = socat, role = quagga, transport = udp, framing = datagram, namespace = {socatNs}, " +
            $"listen = \"127.0.0.1:{enginePort}\", connect = \"127.0.0.1:{socatPort}\" }} ]\n";
        hocon = hocon.Replace("engine {\n", "engine {\n" + peer, StringComparison.Ordinal)
            .Replace("  ]\n}\n", $"    {{ prefix = \"10.{Subnet}.50.0/24\", via = socat }}\n  ]\n}}\n", StringComparison.Ordinal);
        using var engine = EngineProcess.Start(hocon);

        // socat gives up on the first ICMP port-unreachable, so it starts once the engine listens.
        using var socat = Background.InNamespace(socatNs,
            $"socat -d TUN:10.{Subnet}.50.1/24,tun-type=tun,iff-no-pi,iff-up,tun-name={tun} UDP:127.0.0.1:{enginePort},bind=127.0.0.1:{socatPort}");
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (Shell.InNamespace(socatNs, $"ip link show {tun}").ExitCode != 0 && DateTime.UtcNow < deadline) Thread.Sleep(50);
        var route = Shell.InNamespace(socatNs, $"ip route add 10.{Subnet}.0.0/16 dev {tun}");
        Assert.True(route.ExitCode == 0, route.All + socat.Output);
        try
        {
            engine.WaitForLog("peer socat up", TimeSpan.FromSeconds(5));
            var ping = Shell.InNamespace(lab.Namespace("h1"), $"ping -n -c 3 -i 0.2 -W 2 10.{Subnet}.50.1");
            output.WriteLine(ping.All);
            Assert.True(ping.ExitCode == 0, $"ping through socat failed:\n{ping.All}\nsocat: {socat.Output}");
            var back = Shell.InNamespace(socatNs, $"ping -n -c 3 -i 0.2 -W 2 {LabConfigs.V4(Subnet, 1)}");
            Assert.True(back.ExitCode == 0, $"ping from socat's side failed:\n{back.All}");
        }
        finally
        {
            output.WriteLine(engine.Log);
        }
    }
}
