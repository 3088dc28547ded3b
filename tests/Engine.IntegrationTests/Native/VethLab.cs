using Engine.Native.Namespaces;
using Engine.Native.Netlink;

namespace Engine.IntegrationTests.Native;

/// <summary>
/// A test namespace holding a veth pair (made with `ip`, as the brief allows for fixtures) and an
/// RtNetlink bound to it. Link names are random too, so a check against the host can never
/// match something that happens to exist there.
/// </summary>
internal sealed class VethLab : IDisposable
{
    private readonly TestNamespace _namespace;

    public VethLab()
    {
        _namespace = TestNamespace.Create();
        try
        {
            var suffix = TestNamespace.UniqueName(prefix: "")[..6];
            A = "va-" + suffix;
            B = "vb-" + suffix;
            IpTool.Run("-n", Namespace, "link", "add", A, "type", "veth", "peer", "name", B);
            RtNetlink = NetworkNamespace.OpenRtNetlink(Namespace);
        }
        catch
        {
            _namespace.Dispose();
            throw;
        }
    }

    public string Namespace => _namespace.Name;
    public string A { get; }
    public string B { get; }
    public RtNetlink RtNetlink { get; }

    public void Dispose()
    {
        RtNetlink.Dispose();
        _namespace.Dispose();
    }
}
