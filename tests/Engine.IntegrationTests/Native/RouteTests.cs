using System.Net;
using Engine.IntegrationTests.Infrastructure;
using Engine.Native;
using Xunit;

namespace Engine.IntegrationTests.Native;

/// <summary>
/// Routes in a namespace where va-* is up with 10.0.1.1/24 and 2001:db8:1::1/64, so 10.0.1.2 and
/// 2001:db8:1::2 (its veth peer's side of the subnet) are on-link gateways.
/// </summary>
public sealed class RouteTests
{
    private const int ESRCH = 3;
    private const int EEXIST = 17;

    private static readonly IPAddress GatewayV4 = IPAddress.Parse("10.0.1.2");
    private static readonly IPAddress GatewayV6 = IPAddress.Parse("2001:db8:1::2");

    [IntegrationFact]
    public void AddRoute_ipv4_via_gateway_is_a_static_route_through_the_gateway_link()
    {
        using var lab = RoutedLab();

        lab.RtNetlink.AddRoute(IPAddress.Parse("10.0.2.0"), 24, GatewayV4);

        var route = Assert.Single(IpTool.Routes(lab.Namespace, ipv6: false, "10.0.2.0/24"));
        Assert.Equal("10.0.1.2", route.GetProperty("gateway").GetString());
        Assert.Equal(lab.A, route.GetProperty("dev").GetString());
        Assert.Equal("static", route.GetProperty("protocol").GetString());
    }

    [IntegrationFact]
    public void AddRoute_ipv6_via_gateway_and_output_link()
    {
        using var lab = RoutedLab();

        lab.RtNetlink.AddRoute(IPAddress.Parse("2001:db8:2::"), 64, GatewayV6, lab.RtNetlink.GetLinkIndex(lab.A));

        var route = Assert.Single(IpTool.Routes(lab.Namespace, ipv6: true, "2001:db8:2::/64"));
        Assert.Equal("2001:db8:1::2", route.GetProperty("gateway").GetString());
        Assert.Equal(lab.A, route.GetProperty("dev").GetString());
    }

    [IntegrationFact]
    public void AddRoute_default_routes_for_both_families()
    {
        using var lab = RoutedLab();

        lab.RtNetlink.AddRoute(IPAddress.Any, 0, GatewayV4);
        lab.RtNetlink.AddRoute(IPAddress.IPv6Any, 0, GatewayV6);

        var v4 = Assert.Single(IpTool.Routes(lab.Namespace, ipv6: false, "default"));
        var v6 = Assert.Single(IpTool.Routes(lab.Namespace, ipv6: true, "default"));
        Assert.Equal("default", v4.GetProperty("dst").GetString());
        Assert.Equal("10.0.1.2", v4.GetProperty("gateway").GetString());
        Assert.Equal("default", v6.GetProperty("dst").GetString());
        Assert.Equal("2001:db8:1::2", v6.GetProperty("gateway").GetString());
    }

    [IntegrationFact]
    public void AddRoute_with_only_an_output_link_is_on_link()
    {
        using var lab = RoutedLab();

        lab.RtNetlink.AddRoute(IPAddress.Parse("192.0.2.0"), 24, outputLinkIndex: lab.RtNetlink.GetLinkIndex(lab.B));

        var route = Assert.Single(IpTool.Routes(lab.Namespace, ipv6: false, "192.0.2.0/24"));
        Assert.Equal(lab.B, route.GetProperty("dev").GetString());
        Assert.Equal("link", route.GetProperty("scope").GetString());
        Assert.False(route.TryGetProperty("gateway", out _));
    }

    [IntegrationFact]
    public void DeleteRoute_removes_it_and_a_second_delete_is_ESRCH()
    {
        using var lab = RoutedLab();
        lab.RtNetlink.AddRoute(IPAddress.Parse("10.0.2.0"), 24, GatewayV4);
        lab.RtNetlink.AddRoute(IPAddress.IPv6Any, 0, GatewayV6);

        lab.RtNetlink.DeleteRoute(IPAddress.Parse("10.0.2.0"), 24);
        lab.RtNetlink.DeleteRoute(IPAddress.IPv6Any, 0, GatewayV6);

        Assert.Empty(IpTool.Routes(lab.Namespace, ipv6: false, "10.0.2.0/24"));
        Assert.Empty(IpTool.Routes(lab.Namespace, ipv6: true, "default"));
        var again = Assert.Throws<NativeException>(() => lab.RtNetlink.DeleteRoute(IPAddress.Parse("10.0.2.0"), 24, GatewayV4));
        Assert.Equal(ESRCH, again.Errno);
        Assert.Equal("delete route", again.Operation);
        Assert.Equal("10.0.2.0/24 via 10.0.1.2", again.Target);
    }

    [IntegrationFact]
    public void Adding_an_existing_route_is_EEXIST_naming_the_route()
    {
        using var lab = RoutedLab();
        var index = lab.RtNetlink.GetLinkIndex(lab.A);
        lab.RtNetlink.AddRoute(IPAddress.Parse("10.0.2.0"), 24, GatewayV4, index);

        var error = Assert.Throws<NativeException>(() =>
            lab.RtNetlink.AddRoute(IPAddress.Parse("10.0.2.0"), 24, GatewayV4, index));

        Assert.Equal(EEXIST, error.Errno);
        Assert.Equal($"add route 10.0.2.0/24 via 10.0.1.2 dev #{index}: File exists (errno 17)", error.Message);
    }

    [IntegrationFact]
    public void Mixed_families_and_routes_without_a_next_hop_are_rejected_before_the_kernel()
    {
        using var lab = RoutedLab();

        Assert.Throws<ArgumentException>(() => lab.RtNetlink.AddRoute(IPAddress.Parse("10.0.2.0"), 24, GatewayV6));
        Assert.Throws<ArgumentException>(() => lab.RtNetlink.AddRoute(IPAddress.Parse("10.0.2.0"), 24));
        Assert.Empty(IpTool.Routes(lab.Namespace, ipv6: false, "10.0.2.0/24"));
    }

    private static VethLab RoutedLab()
    {
        var lab = new VethLab();
        try
        {
            lab.RtNetlink.SetLinkUp(lab.A);
            lab.RtNetlink.SetLinkUp(lab.B);
            lab.RtNetlink.AddAddress(lab.A, IPAddress.Parse("10.0.1.1"), 24);
            lab.RtNetlink.AddAddress(lab.A, IPAddress.Parse("2001:db8:1::1"), 64);
            return lab;
        }
        catch
        {
            lab.Dispose();
            throw;
        }
    }
}
