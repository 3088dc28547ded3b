using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Infrastructure.Frr;

/// <summary>The end of a lab that runs FRR around the engine.</summary>
public static class FrrTeardown
{
    /// <summary>Stops the daemons, then the engine (it must exit cleanly, deleting what it made), with everyone's logs in the output.</summary>
    public static void StopAll(ITestOutputHelper output, IEnumerable<FrrHost> hosts, EngineProcess engine)
    {
        foreach (var host in hosts)
        {
            output.WriteLine(host.Logs());
            host.Dispose();
        }
        var exit = engine.Terminate();
        output.WriteLine(engine.Log);
        engine.Dispose();
        Assert.Equal(0, exit);
    }
}
