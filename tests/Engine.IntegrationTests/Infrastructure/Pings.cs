using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Infrastructure;

/// <summary>The tests' reachability check: real pings from a namespace, their output in the test's log.</summary>
internal static class Pings
{
    /// <summary>
    /// <paramref name="count"/> pings 0.2 s apart from <paramref name="ns"/> to <paramref name="destination"/>
    /// are answered (ping's exit code 0: at least one reply, none of them an error).
    /// </summary>
    public static void AssertAnswered(ITestOutputHelper output, string ns, string destination, string options = "", int count = 3)
    {
        var ping = Shell.InNamespace(ns, $"ping -n -c {count} -i 0.2 -W 2 {options} {destination}");
        output.WriteLine(ping.All);
        Assert.True(ping.ExitCode == 0, $"ping {options} {destination} from {ns} failed:\n{ping.All}");
    }
}
