using Engine.IntegrationTests.Infrastructure;
using Engine.Native;
using Engine.Native.Namespaces;
using Xunit;

namespace Engine.IntegrationTests.Native;

public sealed class LinkTests
{
    private const int ENODEV = 19;
    private const int EINVAL = 22;

    [IntegrationFact]
    public void GetLink_reports_what_ip_reports()
    {
        using var lab = new VethLab();

        var link = lab.RtNetlink.GetLink(lab.A);
        var ip = IpTool.Link(lab.Namespace, lab.A);

        Assert.Equal(ip.GetProperty("ifindex").GetInt32(), link.Index);
        Assert.Equal(ip.GetProperty("ifindex").GetInt32(), lab.RtNetlink.GetLinkIndex(lab.A));
        Assert.Equal(lab.A, link.Name);
        Assert.Equal(ip.GetProperty("mtu").GetInt32(), link.Mtu);
        Assert.False(link.IsUp);
        Assert.Contains(lab.RtNetlink.ListLinks(), l => l.Name == lab.B && l.Index != link.Index);
    }

    [IntegrationFact]
    public void An_unknown_link_is_ENODEV_naming_the_operation_and_link()
    {
        using var lab = new VethLab();

        var get = Assert.Throws<NativeException>(() => lab.RtNetlink.GetLinkIndex("nosuch0"));
        var up = Assert.Throws<NativeException>(() => lab.RtNetlink.SetLinkUp("nosuch0"));

        Assert.Equal(ENODEV, get.Errno);
        Assert.Equal("get link nosuch0: No such device (errno 19)", get.Message);
        Assert.Equal(ENODEV, up.Errno);
        Assert.Equal("set link up", up.Operation);
        Assert.Equal("nosuch0", up.Target);
    }

    [IntegrationFact]
    public void SetLinkMtu_changes_the_mtu_and_reads_back()
    {
        using var lab = new VethLab();

        lab.RtNetlink.SetLinkMtu(lab.A, 1400);

        Assert.Equal(1400, IpTool.Link(lab.Namespace, lab.A).GetProperty("mtu").GetInt32());
        Assert.Equal(1400, lab.RtNetlink.GetLink(lab.A).Mtu);
    }

    [IntegrationFact]
    public void An_mtu_the_device_refuses_is_EINVAL_naming_mtu_and_link()
    {
        using var lab = new VethLab();

        var error = Assert.Throws<NativeException>(() => lab.RtNetlink.SetLinkMtu(lab.A, 10));

        Assert.Equal(EINVAL, error.Errno);
        Assert.Equal("set mtu", error.Operation);
        Assert.Equal($"10 on {lab.A}", error.Target);
        Assert.NotEqual(10, IpTool.Link(lab.Namespace, lab.A).GetProperty("mtu").GetInt32());
    }

    [IntegrationFact]
    public void SetLinkUp_and_SetLinkDown_toggle_the_admin_state()
    {
        using var lab = new VethLab();

        lab.RtNetlink.SetLinkUp(lab.A);
        lab.RtNetlink.SetLinkUp(lab.B);

        Assert.True(IpTool.HasFlag(IpTool.Link(lab.Namespace, lab.A), "UP"));
        Assert.True(lab.RtNetlink.GetLink(lab.A).IsUp);

        lab.RtNetlink.SetLinkDown(lab.A);

        Assert.False(IpTool.HasFlag(IpTool.Link(lab.Namespace, lab.A), "UP"));
        Assert.False(lab.RtNetlink.GetLink(lab.A).IsUp);
        Assert.True(lab.RtNetlink.GetLink(lab.B).IsUp);
    }

    [IntegrationFact]
    public void MoveLinkToNamespace_moves_the_link_out_of_the_socket_namespace()
    {
        using var lab = new VethLab();
        using var second = TestNamespace.Create();
        using (var target = NetworkNamespace.Open(second.Name))
            lab.RtNetlink.MoveLinkToNamespace(lab.B, target);

        Assert.True(IpTool.HasLink(second.Name, lab.B));
        Assert.False(IpTool.HasLink(lab.Namespace, lab.B));
        Assert.Equal(ENODEV, Assert.Throws<NativeException>(() => lab.RtNetlink.GetLink(lab.B)).Errno);

        using var inSecond = NetworkNamespace.OpenRtNetlink(second.Name);
        inSecond.SetLinkUp(lab.B);
        Assert.True(IpTool.HasFlag(IpTool.Link(second.Name, lab.B), "UP"));
    }
}
