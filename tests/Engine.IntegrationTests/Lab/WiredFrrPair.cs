using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Infrastructure.Frr;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Two engines joined by a link, host {prefix}1 and {prefix}2 wired to it, with a place for FRR in
/// each host's namespace. Up once both engines see the link; disposing writes every daemon's and
/// engine's log to the test output and stops the daemons, then the engines, also after a failure.
/// </summary>
public sealed class WiredFrrPair : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly TestLab _lab;
    private readonly string _prefix;
    private readonly List<IDisposable> _owned = [];

    /// <param name="node">The lab file of engine 1 or 2, given its peer entry for the link.</param>
    public WiredFrrPair(TestLab lab, ITestOutputHelper output, string prefix, Func<int, string, string> node, string transport, string framing)
    {
        _output = output;
        _lab = lab;
        _prefix = prefix;
        try
        {
            var (one, two) = WireLabs.Links(lab, transport, framing);
            Engine1 = Own(EngineProcess.Start(node(1, one)));
            Engine2 = Own(EngineProcess.Start(node(2, two)));
            Host1 = Own(new FrrHost(lab.Namespace($"{prefix}1"), $"/tmp/et{lab.Id}-frr1"));
            Host2 = Own(new FrrHost(lab.Namespace($"{prefix}2"), $"/tmp/et{lab.Id}-frr2"));
            Engine1.WaitForLog("peer far up", TimeSpan.FromSeconds(15));
            Engine2.WaitForLog("peer far up", TimeSpan.FromSeconds(15));
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public EngineProcess Engine1 { get; } = null!;
    public EngineProcess Engine2 { get; } = null!;
    public FrrHost Host1 { get; } = null!;
    public FrrHost Host2 { get; } = null!;

    public string EngineLogs => (Engine1?.Log ?? "") + (Engine2?.Log ?? "");

    /// <summary>Each host's kernel routes the other's loopback addresses, both families, out of its wired device.</summary>
    public bool KernelRoutesToEachOther(Func<int, string> loopback, Func<int, string> loopbackV6)
    {
        foreach (var (node, far) in new[] { (1, 2), (2, 1) })
        {
            var (ns, device) = (_lab.Namespace($"{_prefix}{node}"), _lab.Device($"{_prefix}{node}"));
            if (!FrrChecks.KernelRoutes(ns, loopback(far), device) || !FrrChecks.KernelRoutes(ns, loopbackV6(far), device)) return false;
        }
        return true;
    }

    public void Dispose()
    {
        foreach (var item in _owned)
            if (item is FrrHost host) _output.WriteLine(host.Logs());
        _output.WriteLine("--- engine 1\n" + Engine1?.Log + "--- engine 2\n" + Engine2?.Log);
        for (var i = _owned.Count - 1; i >= 0; i--) _owned[i].Dispose();
        _owned.Clear();
    }

    private T Own<T>(T item) where T : IDisposable
    {
        _owned.Add(item);
        return item;
    }
}
