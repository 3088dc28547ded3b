using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// `engine capture PORT -c N -w - | tshark -r -`, live, as docs/control.md shows it: tshark decodes
/// a ping's echo request and reply, with the hosts' addresses and each frame's direction, on a tun,
/// a tap and a peer link; and the drops pseudo-port's frame with its reason as the packet comment.
/// </summary>
[Collection("engine")]
public sealed class TsharkCaptureTests(ITestOutputHelper output)
{
    private const int Subnet = 143;
    private const string EchoRequest = "8";
    private const string EchoReply = "0";
    // pcapng's epb_flags direction, as tshark names it: 1 inbound (the engine read it from the port), 2 outbound.
    private const string Inbound = "0x00000001";
    private const string Outbound = "0x00000002";

    private static string Host(int i) => LabConfigs.V4(Subnet, i);

    [IntegrationTheory]
    [InlineData("tun")]
    [InlineData("tap")]
    public void Tshark_decodes_the_echo_request_and_reply_captured_live_on_a_device(string type)
    {
        using var lab = new TestLab();
        var engine = lab.Start(LabConfigs.Hosts(lab, 2, Subnet, type: i => i == 2 ? type : "tun"));
        var port = lab.Device("h2");

        // A tap also carries ARP and the host's neighbour discovery: ping until 8 frames were captured.
        var frames = Tshark.Capture(engine, port, 8, "icmp", () => Ping(lab, 2));

        Assert.Contains(new TsharkFrame(port, Outbound, Host(1), Host(2), EchoRequest, ""), frames);
        Assert.Contains(new TsharkFrame(port, Inbound, Host(2), Host(1), EchoReply, ""), frames);
    }

    [IntegrationFact]
    public void Tshark_decodes_the_echo_request_and_reply_crossing_a_peer_link()
    {
        using var lab = new TestLab();
        var (first, second) = MeshConfigs.Pair(lab, Subnet);
        var one = lab.Start(first);
        lab.Start(second, command: "run --wait-peer n1");

        var frames = Tshark.Capture(one, "n2", 2, "icmp", () => Ping(lab, 1));

        Assert.Contains(new TsharkFrame("n2", Outbound, Host(1), Host(2), EchoRequest, ""), frames);
        Assert.Contains(new TsharkFrame("n2", Inbound, Host(2), Host(1), EchoReply, ""), frames);
    }

    [IntegrationFact]
    public void Tshark_decodes_a_dropped_frame_and_its_reason()
    {
        using var lab = new TestLab();
        var engine = lab.Start(LabConfigs.Hosts(lab, 2, Subnet));
        var nowhere = $"10.{Subnet}.99.1";

        // The hosts' own IPv6 chatter (MLD reports) may be dropped too: ping until 3 drops were captured.
        var frames = Tshark.Capture(engine, "drops", 3, "icmp", () => lab.InHost("h1", $"ping -n -c 1 -W 1 {nowhere}"));

        Assert.Contains(new TsharkFrame("drops", Inbound, Host(1), nowhere, EchoRequest, "no-route"), frames);
    }

    private void Ping(TestLab lab, int count)
    {
        var ping = lab.InHost("h1", $"ping -n -c {count} -i 0.2 -W 2 {Host(2)}");
        output.WriteLine(ping.All);
        Assert.Equal(0, ping.ExitCode);
    }
}
