using Engine.Actors.Routing;
using Xunit;

namespace Engine.Tests.Routing;

public sealed class IpPrefixTests
{
    [Theory]
    [InlineData("10.0.1.0/24", false, 24, "10.0.1.0/24")]
    [InlineData("0.0.0.0/0", false, 0, "0.0.0.0/0")]
    [InlineData("255.255.255.255/32", false, 32, "255.255.255.255/32")]
    [InlineData("128.0.0.0/1", false, 1, "128.0.0.0/1")]
    [InlineData("2001:db8::/32", true, 32, "2001:db8::/32")]
    [InlineData("2001:DB8:0:0::/32", true, 32, "2001:db8::/32")]
    [InlineData("2001:0db8:0000:0000:0000:0000:0000:0000/48", true, 48, "2001:db8::/48")]
    [InlineData("::/0", true, 0, "::/0")]
    [InlineData("::1/128", true, 128, "::1/128")]
    [InlineData("fe80::/10", true, 10, "fe80::/10")]
    [InlineData("2001:db8:0:0:1:0:0:0/80", true, 80, "2001:db8:0:0:1::/80")]
    [InlineData("2001:db8:0:0:1:0:0:1/128", true, 128, "2001:db8::1:0:0:1/128")]
    [InlineData("::ffff:10.0.0.0/104", true, 104, "::ffff:10.0.0.0/104")]
    public void Parses_and_formats_canonically(string text, bool isIPv6, int length, string canonical)
    {
        Assert.True(IpPrefix.TryParse(text, out IpPrefix prefix, out string error), error);
        Assert.Equal("", error);
        Assert.Equal(isIPv6, prefix.IsIPv6);
        Assert.Equal(length, prefix.Length);
        Assert.Equal(canonical, prefix.ToString());
        Assert.True(IpPrefix.TryParse(prefix.ToString(), out IpPrefix again, out _));
        Assert.Equal(prefix, again);
    }

    [Fact]
    public void Network_is_numeric_with_the_first_byte_most_significant()
    {
        Assert.True(IpPrefix.TryParse("10.0.1.0/24", out IpPrefix v4, out _));
        Assert.Equal(0x0A000100u, v4.Ipv4Network);

        Assert.True(IpPrefix.TryParse("2001:db8:1::/48", out IpPrefix v6, out _));
        Assert.Equal(new UInt128(0x2001_0db8_0001_0000, 0), v6.Ipv6Network);
    }

    [Theory]
    [InlineData("10.0.0.0/33", "prefix length 33 exceeds 32 for IPv4")]
    [InlineData("0.0.0.0/999999999", "prefix length 999999999 exceeds 32 for IPv4")]
    [InlineData("::/129", "prefix length 129 exceeds 128 for IPv6")]
    [InlineData("10.0.1.1/24", "host bits set in 10.0.1.1/24 (did you mean 10.0.1.0/24?)")]
    [InlineData("10.0.0.0/0", "host bits set in 10.0.0.0/0 (did you mean 0.0.0.0/0?)")]
    [InlineData("2001:db8::1/32", "host bits set in 2001:db8::1/32 (did you mean 2001:db8::/32?)")]
    [InlineData("::1/0", "host bits set in ::1/0 (did you mean ::/0?)")]
    public void Rejects_with_a_specific_reason(string text, string expected)
    {
        Assert.False(IpPrefix.TryParse(text, out IpPrefix prefix, out string error));
        Assert.Equal(expected, error);
        Assert.Equal(default, prefix);
    }

    [Theory]
    [InlineData("10.0.0.0", "not an IP prefix: '10.0.0.0' has no /length (a single host is 10.0.0.0/32)")]
    [InlineData("2001:db8::1", "not an IP prefix: '2001:db8::1' has no /length (a single host is 2001:db8::1/128)")]
    [InlineData("10.0.0.0/", "not an IP prefix: '10.0.0.0/': the length after '/' is missing")]
    [InlineData("10.0.0.0/abc", "not an IP prefix: '10.0.0.0/abc': length 'abc' is not a decimal number")]
    [InlineData("10.0.0.0/-1", "not an IP prefix: '10.0.0.0/-1': length '-1' is not a decimal number")]
    [InlineData("10.0.0.0/+8", "not an IP prefix: '10.0.0.0/+8': length '+8' is not a decimal number")]
    [InlineData("10.0.0.0/8/8", "not an IP prefix: '10.0.0.0/8/8': length '8/8' is not a decimal number")]
    [InlineData("10.0.0.0/1234567890", "not an IP prefix: '10.0.0.0/1234567890': length '1234567890' is not a decimal number")]
    [InlineData("10.0.0.0/08", "not an IP prefix: '10.0.0.0/08': length '08' has a leading zero")]
    [InlineData("hello/8", "not an IP prefix: 'hello/8': 'hello' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData("10.1/16", "not an IP prefix: '10.1/16': '10.1' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData("1.2.3/24", "not an IP prefix: '1.2.3/24': '1.2.3' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData("10.0.0.0.0/8", "not an IP prefix: '10.0.0.0.0/8': '10.0.0.0.0' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData("256.0.0.0/8", "not an IP prefix: '256.0.0.0/8': '256.0.0.0' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData("1000.0.0.0/8", "not an IP prefix: '1000.0.0.0/8': '1000.0.0.0' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData("010.0.0.0/8", "not an IP prefix: '010.0.0.0/8': '010.0.0.0' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData("0x0a.0.0.0/8", "not an IP prefix: '0x0a.0.0.0/8': '0x0a.0.0.0' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData("10..0.0/8", "not an IP prefix: '10..0.0/8': '10..0.0' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData(" 10.0.0.0/8", "not an IP prefix: ' 10.0.0.0/8': ' 10.0.0.0' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData("/8", "not an IP prefix: '/8': '' is not an IPv4 address (four decimal octets 0-255, no leading zeros)")]
    [InlineData("fe80::%eth0/64", "not an IP prefix: 'fe80::%eth0/64': zone index '%eth0' does not belong in a prefix")]
    [InlineData("[2001:db8::]/32", "not an IP prefix: '[2001:db8::]/32': '[2001:db8::]' is not an IPv6 address")]
    [InlineData("2001:db8::g/32", "not an IP prefix: '2001:db8::g/32': '2001:db8::g' is not an IPv6 address")]
    [InlineData("1:2:3/48", "not an IP prefix: '1:2:3/48': '1:2:3' is not an IPv6 address")]
    [InlineData("1::2::3/48", "not an IP prefix: '1::2::3/48': '1::2::3' is not an IPv6 address")]
    [InlineData("1:2:3:4:5:6:7:8:9/128", "not an IP prefix: '1:2:3:4:5:6:7:8:9/128': '1:2:3:4:5:6:7:8:9' is not an IPv6 address")]
    public void Rejects_malformed_text_naming_the_input(string text, string expected)
    {
        Assert.False(IpPrefix.TryParse(text, out _, out string error));
        Assert.Equal(expected, error);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Rejects_empty_text(string? text)
    {
        Assert.False(IpPrefix.TryParse(text, out _, out string error));
        Assert.Equal("not an IP prefix: empty text", error);
    }

    [Fact]
    public void Factories_clear_host_bits_and_check_the_length()
    {
        IpPrefix v4 = IpPrefix.Ipv4(0x0A000101, 24);
        Assert.Equal("10.0.1.0/24", v4.ToString());
        Assert.Equal(v4, IpPrefix.Ipv4(0x0A0001FF, 24));
        Assert.Equal("0.0.0.0/0", IpPrefix.Ipv4(uint.MaxValue, 0).ToString());
        Assert.Equal("2001:db8::/32", IpPrefix.Ipv6(new UInt128(0x2001_0db8_ffff_ffff, 1), 32).ToString());
        Assert.Throws<ArgumentOutOfRangeException>(() => IpPrefix.Ipv4(0, 33));
        Assert.Throws<ArgumentOutOfRangeException>(() => IpPrefix.Ipv4(0, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => IpPrefix.Ipv6(0, 129));
    }

    [Fact]
    public void Families_are_distinct_and_default_is_the_ipv4_default_route()
    {
        Assert.True(IpPrefix.TryParse("0.0.0.0/0", out IpPrefix v4, out _));
        Assert.True(IpPrefix.TryParse("::/0", out IpPrefix v6, out _));
        Assert.NotEqual(v4, v6);
        Assert.Equal(v4, default);
        Assert.Throws<InvalidOperationException>(() => v4.Ipv6Network);
        Assert.Throws<InvalidOperationException>(() => v6.Ipv4Network);
    }

    [Fact]
    public void Contains_checks_family_and_network_bits()
    {
        Assert.True(IpPrefix.TryParse("10.0.1.0/24", out IpPrefix v4, out _));
        Assert.True(v4.Contains(0x0A000100u));
        Assert.True(v4.Contains(0x0A0001FFu));
        Assert.False(v4.Contains(0x0A000200u));
        Assert.False(v4.Contains((UInt128)0x0A000100u));

        Assert.True(IpPrefix.TryParse("2001:db8::/32", out IpPrefix v6, out _));
        Assert.True(v6.Contains(new UInt128(0x2001_0db8_ffff_ffff, ulong.MaxValue)));
        Assert.False(v6.Contains(new UInt128(0x2001_0db9_0000_0000, 0)));

        Assert.True(IpPrefix.TryParse("::/0", out IpPrefix any6, out _));
        Assert.True(any6.Contains(UInt128.MaxValue));
        Assert.True(default(IpPrefix).Contains(uint.MaxValue));
    }

    [Fact]
    public void Random_prefixes_survive_a_text_round_trip()
    {
        var random = new RandomRoutes(seed: 7);
        foreach (var (prefix, _) in random.Ipv4Routes(2000).Concat(random.Ipv6Routes(2000)))
        {
            Assert.True(IpPrefix.TryParse(prefix.ToString(), out IpPrefix parsed, out string error), error);
            Assert.Equal(prefix, parsed);
        }
    }

    [Fact]
    public void A_prefix_takes_24_bytes_so_a_full_table_of_keys_stays_small()
    {
        Assert.Equal(24, System.Runtime.CompilerServices.Unsafe.SizeOf<IpPrefix>());
    }

    [Fact]
    public void Prefixes_are_equal_only_with_the_same_family_network_and_length()
    {
        var v4 = IpPrefix.Ipv4(0x0A000000, 8);
        Assert.Equal(v4, IpPrefix.Ipv4(0x0A123456, 8));
        Assert.Equal(v4.GetHashCode(), IpPrefix.Ipv4(0x0A123456, 8).GetHashCode());
        Assert.NotEqual(v4, IpPrefix.Ipv4(0x0A000000, 9));
        Assert.NotEqual(v4, IpPrefix.Ipv6(0x0A000000, 8));
        Assert.NotEqual(IpPrefix.Ipv6(UInt128.One << 64, 128), IpPrefix.Ipv6(UInt128.One, 128));
        Assert.Equal(new UInt128(0x2001_0db8_0000_0000, 5), IpPrefix.Ipv6(new UInt128(0x2001_0db8_0000_0000, 5), 128).Ipv6Network);
    }
}
