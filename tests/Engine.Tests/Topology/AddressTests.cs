using System.Net;
using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

public class AddressTests
{
    [Theory]
    [InlineData("10.0.1.1/24", "10.0.1.1", 24)]
    [InlineData("0.0.0.0/0", "0.0.0.0", 0)]
    [InlineData("255.255.255.255/32", "255.255.255.255", 32)]
    [InlineData("fd00:2::1/64", "fd00:2::1", 64)]
    [InlineData("::ffff:10.0.0.1/128", "::ffff:10.0.0.1", 128)]
    public void Interface_address_parses(string text, string address, int length)
    {
        Assert.True(InterfaceAddress.TryParse(text, out var parsed));
        Assert.Equal(new InterfaceAddress(IPAddress.Parse(address), length), parsed);
        Assert.Equal(text, parsed.ToString());
    }

    [Theory]
    [InlineData("10.0.1.1")]
    [InlineData("10.0.1.1/33")]
    [InlineData("10.0.1.1/-1")]
    [InlineData("10.0.1.1/0024")]
    [InlineData("10.0.1/24")]
    [InlineData("10.0.1.1.1/24")]
    [InlineData("10.0.1.256/24")]
    [InlineData("01.0.1.1/24")]
    [InlineData("0x0a.0.1.1/24")]
    [InlineData(" 10.0.1.1/24")]
    [InlineData("fd00::1/129")]
    [InlineData("fe80::1%2/64")]
    [InlineData("[fd00::1]/64")]
    [InlineData("/24")]
    public void Interface_address_rejects(string text) => Assert.False(InterfaceAddress.TryParse(text, out _));

    [Theory]
    [InlineData("10.0.1.1/24", "10.0.1.0/24")]
    [InlineData("10.0.1.200/25", "10.0.1.128/25")]
    [InlineData("10.0.1.1/0", "0.0.0.0/0")]
    [InlineData("fd00:2::1/64", "fd00:2::/64")]
    [InlineData("fd00:2::1/127", "fd00:2::/127")]
    public void Subnet_clears_host_bits(string text, string subnet)
    {
        Assert.True(InterfaceAddress.TryParse(text, out var parsed));
        Assert.Equal(IPNetwork.Parse(subnet), parsed.Subnet);
    }

    [Theory]
    [InlineData("10.0.1.1/24", "10.0.1.200/24", true)]
    [InlineData("10.0.0.1/8", "10.200.0.1/24", true)]
    [InlineData("10.200.0.1/24", "10.0.0.1/8", true)]
    [InlineData("10.0.1.1/24", "10.0.2.1/24", false)]
    [InlineData("10.0.1.1/25", "10.0.1.129/25", false)]
    [InlineData("10.0.1.1/24", "fd00::1/64", false)]
    public void Overlap_is_symmetric_and_per_family(string a, string b, bool overlaps)
    {
        Assert.True(InterfaceAddress.TryParse(a, out var first));
        Assert.True(InterfaceAddress.TryParse(b, out var second));
        Assert.Equal(overlaps, first.Overlaps(second));
        Assert.Equal(overlaps, second.Overlaps(first));
    }
}
