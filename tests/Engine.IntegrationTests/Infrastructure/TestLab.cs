namespace Engine.IntegrationTests.Infrastructure;

/// <summary>
/// Names unique to one test run, so parallel or leftover runs never collide, and a last-resort
/// cleanup of anything with those names if the engine under test failed to remove it.
/// </summary>
public sealed class TestLab : IDisposable
{
    private static int _counter;

    public TestLab()
    {
        var id = $"{Environment.ProcessId % 0xFFFF:x4}{Interlocked.Increment(ref _counter):x2}";
        Id = id;
    }

    /// <summary>Short enough that "{Id}{suffix}" fits an interface name (15 bytes).</summary>
    public string Id { get; }

    public string Namespace(string host) => $"et{Id}-{host}";
    public string Device(string host) => $"et{Id}{host}";

    public void Dispose()
    {
        foreach (var ns in Shell.Namespaces().Where(n => n.StartsWith($"et{Id}-", StringComparison.Ordinal)))
            Shell.Run("ip", $"netns delete {ns}");
    }
}
