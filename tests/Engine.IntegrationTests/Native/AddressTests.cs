using System.Net;
using Engine.IntegrationTests.Infrastructure;
using Engine.Native;
using Xunit;

namespace Engine.IntegrationTests.Native;

public sealed class AddressTests
{
    private const int EEXIST = 17;
    private const int ENODEV = 19;
    private const int EADDRNOTAVAIL = 99;

    [IntegrationFact]
    public void AddAddress_ipv4_appears_with_its_prefix_length()
    {
        using var lab = new VethLab();

        lab.RtNetlink.AddAddress(lab.A, IPAddress.Parse("10.0.1.1"), 24);

        var address = Assert.Single(IpTool.Addresses(lab.Namespace, lab.A), a => a.GetProperty("family").GetString() == "inet");
        Assert.Equal("10.0.1.1", address.GetProperty("local").GetString());
        Assert.Equal(24, address.GetProperty("prefixlen").GetInt32());
        Assert.Equal("global", address.GetProperty("scope").GetString());
    }

    [IntegrationFact]
    public void AddAddress_ipv6_is_usable_at_once_without_duplicate_address_detection()
    {
        using var lab = new VethLab();
        lab.RtNetlink.SetLinkUp(lab.A);
        lab.RtNetlink.SetLinkUp(lab.B);

        lab.RtNetlink.AddAddress(lab.A, IPAddress.Parse("2001:db8:1::1"), 64);

        var address = Assert.Single(IpTool.Addresses(lab.Namespace, lab.A), a => a.GetProperty("scope").GetString() == "global");
        Assert.Equal("inet6", address.GetProperty("family").GetString());
        Assert.Equal("2001:db8:1::1", address.GetProperty("local").GetString());
        Assert.Equal(64, address.GetProperty("prefixlen").GetInt32());
        Assert.True(address.TryGetProperty("nodad", out var nodad) && nodad.GetBoolean());
        Assert.False(address.TryGetProperty("tentative", out _));
    }

    [IntegrationFact]
    public void DeleteAddress_removes_it_and_a_second_delete_is_EADDRNOTAVAIL()
    {
        using var lab = new VethLab();
        var v4 = IPAddress.Parse("10.0.1.1");
        var v6 = IPAddress.Parse("2001:db8:1::1");
        lab.RtNetlink.AddAddress(lab.A, v4, 24);
        lab.RtNetlink.AddAddress(lab.A, v6, 64);

        lab.RtNetlink.DeleteAddress(lab.A, v4, 24);
        lab.RtNetlink.DeleteAddress(lab.A, v6, 64);

        Assert.DoesNotContain(IpTool.Addresses(lab.Namespace, lab.A), a => a.GetProperty("scope").GetString() == "global");
        var again = Assert.Throws<NativeException>(() => lab.RtNetlink.DeleteAddress(lab.A, v4, 24));
        Assert.Equal(EADDRNOTAVAIL, again.Errno);
        Assert.Equal("delete address", again.Operation);
        Assert.Equal($"10.0.1.1/24 on {lab.A}", again.Target);
    }

    [IntegrationFact]
    public void Adding_the_same_address_twice_is_EEXIST_naming_address_and_link()
    {
        using var lab = new VethLab();
        lab.RtNetlink.AddAddress(lab.A, IPAddress.Parse("10.0.1.1"), 24);
        lab.RtNetlink.AddAddress(lab.A, IPAddress.Parse("2001:db8:1::1"), 64);

        var v4 = Assert.Throws<NativeException>(() => lab.RtNetlink.AddAddress(lab.A, IPAddress.Parse("10.0.1.1"), 24));
        var v6 = Assert.Throws<NativeException>(() => lab.RtNetlink.AddAddress(lab.A, IPAddress.Parse("2001:db8:1::1"), 64));

        Assert.Equal(EEXIST, v4.Errno);
        Assert.Equal($"add address 10.0.1.1/24 on {lab.A}: File exists (errno 17)", v4.Message);
        Assert.Equal(EEXIST, v6.Errno);
        Assert.Equal($"2001:db8:1::1/64 on {lab.A}", v6.Target);
    }

    [IntegrationFact]
    public void Adding_to_an_unknown_link_is_ENODEV_naming_the_address()
    {
        using var lab = new VethLab();

        var error = Assert.Throws<NativeException>(() => lab.RtNetlink.AddAddress("nosuch0", IPAddress.Parse("10.0.1.1"), 24));

        Assert.Equal(ENODEV, error.Errno);
        Assert.Equal("add address 10.0.1.1/24 on nosuch0: No such device (errno 19)", error.Message);
    }

    [IntegrationFact]
    public void A_prefix_length_outside_the_family_is_rejected_before_the_kernel()
    {
        using var lab = new VethLab();

        Assert.Throws<ArgumentOutOfRangeException>(() => lab.RtNetlink.AddAddress(lab.A, IPAddress.Parse("10.0.1.1"), 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => lab.RtNetlink.AddAddress(lab.A, IPAddress.Parse("2001:db8::1"), 129));
        Assert.DoesNotContain(IpTool.Addresses(lab.Namespace, lab.A), a => a.GetProperty("scope").GetString() == "global");
    }
}
