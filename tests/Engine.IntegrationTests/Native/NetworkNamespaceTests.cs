using Engine.IntegrationTests.Infrastructure;
using Engine.Native;
using Engine.Native.Namespaces;
using Engine.Native.Netlink;
using Xunit;

namespace Engine.IntegrationTests.Native;

public sealed class NetworkNamespaceTests
{
    private const int ENOENT = 2;
    private const int EEXIST = 17;
    private const int ENODEV = 19;

    [IntegrationFact]
    public void Create_is_listed_by_ip_netns_and_delete_unlists_it()
    {
        var name = TestNamespace.UniqueName();
        try
        {
            NetworkNamespace.Create(name);

            Assert.Contains(name, IpTool.NamespaceNames());
            Assert.True(NetworkNamespace.Exists(name));
            // ip netns exec must be able to enter it, not merely see the file.
            Assert.Contains("lo", IpTool.Run("netns", "exec", name, "ip", "-o", "link", "show"));

            NetworkNamespace.Delete(name);

            Assert.DoesNotContain(name, IpTool.NamespaceNames());
            Assert.False(NetworkNamespace.Exists(name));
        }
        finally
        {
            if (NetworkNamespace.Exists(name))
                NetworkNamespace.Delete(name);
        }
    }

    [IntegrationFact]
    public void A_new_namespace_has_only_loopback_and_it_is_up()
    {
        using var ns = TestNamespace.Create();

        var lo = IpTool.Link(ns.Name, "lo");
        Assert.True(IpTool.HasFlag(lo, "UP"));
        Assert.Single(IpTool.Json("-n", ns.Name, "link", "show").EnumerateArray());

        using var rtnetlink = NetworkNamespace.OpenRtNetlink(ns.Name);
        var links = rtnetlink.ListLinks();
        Assert.Equal("lo", Assert.Single(links).Name);
        Assert.True(links[0].IsUp);
        Assert.True((links[0].Flags & LinkFlags.Loopback) != 0);
    }

    [IntegrationFact]
    public void Creating_a_taken_name_fails_with_EEXIST_and_leaves_the_namespace_alone()
    {
        using var ns = TestNamespace.Create();
        IpTool.Run("-n", ns.Name, "link", "add", "probe0", "type", "veth", "peer", "name", "probe1");

        var error = Assert.Throws<NativeException>(() => NetworkNamespace.Create(ns.Name));

        Assert.Equal(EEXIST, error.Errno);
        Assert.Equal("create namespace", error.Operation);
        Assert.Equal(ns.Name, error.Target);
        Assert.Contains("File exists", error.Message);
        Assert.True(IpTool.HasLink(ns.Name, "probe0"));
    }

    [IntegrationFact]
    public void Deleting_or_opening_a_missing_namespace_fails_with_ENOENT()
    {
        var name = TestNamespace.UniqueName();

        var delete = Assert.Throws<NativeException>(() => NetworkNamespace.Delete(name));
        var open = Assert.Throws<NativeException>(() => NetworkNamespace.Open(name));

        Assert.Equal(ENOENT, delete.Errno);
        Assert.Equal($"delete namespace {name}: No such file or directory (errno 2)", delete.Message);
        Assert.Equal(ENOENT, open.Errno);
        Assert.Equal("open namespace", open.Operation);
    }

    [IntegrationFact]
    public void A_netlink_socket_opened_in_a_namespace_sees_that_namespace_from_any_thread()
    {
        using var ns = TestNamespace.Create();
        var link = TestNamespace.UniqueName(prefix: "v-");
        IpTool.Run("-n", ns.Name, "link", "add", link, "type", "veth", "peer", "name", link + "p");

        using var inside = NetworkNamespace.OpenRtNetlink(ns.Name);
        var index = Task.Run(() => inside.GetLinkIndex(link)).GetAwaiter().GetResult();

        Assert.Equal(IpTool.Link(ns.Name, link).GetProperty("ifindex").GetInt32(), index);
        using var host = RtNetlink.Open();
        Assert.Equal(ENODEV, Assert.Throws<NativeException>(() => host.GetLinkIndex(link)).Errno);
    }

    [IntegrationFact]
    public void RunInside_runs_in_the_namespace_and_leaves_the_calling_thread_where_it_was()
    {
        using var ns = TestNamespace.Create();
        var before = CurrentThreadNamespace();

        var (inside, links) = NetworkNamespace.RunInside(ns.Name, () =>
        {
            using var rtnetlink = RtNetlink.Open();
            return (CurrentThreadNamespace(), rtnetlink.ListLinks());
        });

        Assert.NotEqual(before, inside);
        Assert.Equal(before, CurrentThreadNamespace());
        Assert.Equal("lo", Assert.Single(links).Name);
        // Same namespace as the one ip netns exec enters.
        var viaIp = IpTool.Run("netns", "exec", ns.Name, "readlink", "/proc/self/ns/net").Trim();
        Assert.Equal(viaIp, inside);
    }

    [IntegrationFact]
    public void RunInside_rethrows_what_the_work_threw()
    {
        using var ns = TestNamespace.Create();

        var error = Assert.Throws<InvalidOperationException>(() =>
            NetworkNamespace.RunInside(ns.Name, () => throw new InvalidOperationException("from inside")));

        Assert.Equal("from inside", error.Message);
    }

    private static string CurrentThreadNamespace() =>
        new FileInfo("/proc/thread-self/ns/net").LinkTarget!;
}
