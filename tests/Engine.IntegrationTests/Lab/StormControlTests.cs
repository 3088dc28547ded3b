using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;
using static Engine.IntegrationTests.Infrastructure.Frr.FrrChecks;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// A loop of links between two engines' switches: engine 1's switch joins host h1's tap and three
/// length16 links to engine 2, whose switch joins the same three links. One broadcast from h1
/// comes back around the loop, and each copy that reaches a switch is flooded out of two links:
/// without storm control the copies double every round trip, without end (at storm-rate
/// 10000000 h1 received about 200,000 in 4 s, the rate still growing). With it, each member
/// brings in at most its storm rate (a burst of one second's worth, then the rate), so the copies
/// h1 receives stay within three links' rate for the time elapsed, the excess is counted `storm`
/// on the links of both engines, and the engines keep forwarding: h2 and h3, whose taps are wired
/// to a fourth link beside the loop, still ping each other through both. (At this low rate the
/// buckets empty within the first round trips and the copies die out; the bound holds either way.)
/// </summary>
[Collection("engine")]
public sealed class StormControlTests(ITestOutputHelper output)
{
    private const int StormRate = 20;
    private const int LoopLinks = 3;
    private const int CountSeconds = 4;

    [IntegrationFact]
    public void One_broadcast_into_a_loop_between_two_engines_stays_within_the_storm_rate_is_counted_and_the_lab_keeps_forwarding()
    {
        using var lab = new TestLab();
        // Hosts without IPv6 send nothing of their own (no router solicitation, MLD or DAD), so
        // the only broadcast in the loop is the test's.
        foreach (var host in new[] { "h1", "h2", "h3" }) AddQuietNamespace(lab.Namespace(host));
        var ports = Enumerable.Range(1, LoopLinks + 1).Select(_ => MeshConfigs.FreePort()).ToArray();
        using var engine1 = EngineProcess.Start(Engine1(lab, ports));
        using var engine2 = EngineProcess.Start(Engine2(lab, ports));
        string Logs() => "--- engine 1\n" + engine1.Log + "--- engine 2\n" + engine2.Log;
        try
        {
            foreach (var link in Links)
            {
                engine1.WaitForLog($"peer {link} up", TimeSpan.FromSeconds(15));
                engine2.WaitForLog($"peer {link} up", TimeSpan.FromSeconds(15));
            }
            Assert.DoesNotContain("storm=", Logs());

            var echoes = Shell.InNamespace(lab.Namespace("h1"), $"python3 {Script} {lab.Device("h1")} {CountSeconds}", TimeSpan.FromSeconds(CountSeconds + 30));
            output.WriteLine(echoes.All);
            Assert.True(echoes.ExitCode == 0, echoes.All);
            var result = JsonNode.Parse(echoes.Output)!;
            var copies = result["copies"]!.GetValue<int>();
            var seconds = result["seconds"]!.GetValue<double>();
            Assert.True(copies > 0, "the broadcast never came back around the loop");
            // Each loop link on engine 1 admits at most StormRate broadcasts a second after a burst
            // of one second's worth, and every one admitted is flooded to h1 once.
            var bound = LoopLinks * StormRate * (seconds + 1);
            Assert.True(copies <= bound, $"{copies} copies in {seconds:F1} s: more than {bound:F0}, {LoopLinks} links at {StormRate}/s each");

            // Both engines count what their loop links refused.
            Eventually(output, "storm drops counted on both engines' loop links", () =>
                StormDrops(engine1.Log) > 0 && StormDrops(engine2.Log) > 0);
            AssertPing(output, lab.Namespace("h2"), "10.81.1.2");
            Assert.False(engine1.HasExited || engine2.HasExited, "an engine exited during the storm");
        }
        finally
        {
            output.WriteLine(Logs());
        }
    }

    private static string Script => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/broadcast_echoes.py");

    private static IEnumerable<string> Links => Enumerable.Range(1, LoopLinks).Select(i => $"loop{i}");

    /// <summary>The storm drops the latest counter lines of the loop links show, summed.</summary>
    private static long StormDrops(string log) => Links.Sum(link =>
        Regex.Matches(log, $@"{link}: rx .* drops .*\bstorm=(\d+)").Select(m => long.Parse(m.Groups[1].Value)).LastOrDefault());

    private static void AddQuietNamespace(string ns)
    {
        var added = Shell.Run("ip", $"netns add {ns}");
        Assert.True(added.ExitCode == 0, added.All);
        var quiet = Shell.InNamespace(ns, "sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1");
        Assert.True(quiet.ExitCode == 0, quiet.All);
    }

    /// <summary>The link named <paramref name="name"/> on free port <paramref name="port"/>: engine 1 listens, engine 2 connects.</summary>
    private static string Link(string name, int port, bool listen) =>
        $"{{ name = {name}, role = engine, transport = tcp, framing = length16, {(listen ? "listen" : "connect")} = \"127.0.0.1:{port}\" }}";

    private static string Peers(int[] ports, bool listen) =>
        string.Join("\n    ", Links.Append("cross").Select((name, i) => Link(name, ports[i], listen)));

    private static string Tap(TestLab lab, string host, string address) =>
        $"{{ name = {lab.Device(host)}, type = tap, namespace = {lab.Namespace(host)}, address = \"{address}\" }}";

    /// <summary>h1 and the loop links in switch ring; h2 wired to link cross.</summary>
    private static string Engine1(TestLab lab, int[] ports) =>
        Node(1, [Tap(lab, "h1", "10.81.0.1/24"), Tap(lab, "h2", "10.81.1.1/24")], Peers(ports, listen: true), [lab.Device("h1"), .. Links], lab.Device("h2"));

    /// <summary>The loop links in switch ring, closing the loop; h3 wired to link cross.</summary>
    private static string Engine2(TestLab lab, int[] ports) =>
        Node(2, [Tap(lab, "h3", "10.81.1.2/24")], Peers(ports, listen: false), [.. Links], lab.Device("h3"));

    private static string Node(int node, string[] devices, string peers, string[] ring, string wired) => $$"""
        engine {
          node-name = storm{{node}}
          counters-interval = 1s
          devices = [
            {{string.Join("\n    ", devices)}}
          ]
          peers = [
            {{peers}}
          ]
          switches = [ { name = ring, ports = [{{string.Join(", ", ring)}}], storm-rate = {{StormRate}} } ]
          wires = [ { ports = [{{wired}}, cross] } ]
        }
        """;
}
