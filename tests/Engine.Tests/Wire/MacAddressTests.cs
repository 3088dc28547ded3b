using System.Net.NetworkInformation;
using System.Security.Cryptography;
using System.Text;
using Engine.Actors.Wire;
using Xunit;

namespace Engine.Tests.Wire;

public class MacAddressTests
{
    [Fact]
    public void Parses_to_a_number_with_the_first_octet_most_significant()
    {
        MacAddress mac = MacAddress.Parse("02:00:00:00:00:01");

        Assert.Equal(0x0200_0000_0001UL, mac.Value);
        Assert.Equal(0x0123_4567_89ABUL, MacAddress.Parse("01:23:45:67:89:ab").Value);
        Assert.Equal(MacAddress.Parse("AA:BB:CC:DD:EE:FF"), MacAddress.Parse("aa-bb-cc-dd-ee-ff"));
    }

    [Theory]
    [InlineData("02:00:00:00:00:01")]
    [InlineData("ff:ff:ff:ff:ff:ff")]
    [InlineData("00:00:00:00:00:00")]
    [InlineData("3a:0b:c9:d2:e1:f0")]
    public void Formats_as_lower_case_colon_separated_text(string text)
    {
        Assert.Equal(text, MacAddress.Parse(text).ToString());
        Assert.Equal(text, MacAddress.Parse(text.ToUpperInvariant().Replace(':', '-')).ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("02:00:00:00:00")]
    [InlineData("02:00:00:00:00:001")]
    [InlineData("02:00:00:00:00:0g")]
    [InlineData("02:00-00:00:00:01")]
    [InlineData("02.00.00.00.00.01")]
    [InlineData("0200.0000.0001.")]
    [InlineData(" 2:00:00:00:00:01")]
    [InlineData("+2:00:00:00:00:01")]
    [InlineData("02:00:00:00:00:01 ")]
    public void Rejects_anything_but_six_hex_octets(string text)
    {
        Assert.False(MacAddress.TryParse(text, out MacAddress mac));
        Assert.Equal(default, mac);
        Assert.Throws<FormatException>(() => MacAddress.Parse(text));
    }

    [Fact]
    public void Agrees_with_PhysicalAddress_on_bytes()
    {
        var reference = PhysicalAddress.Parse("3a:0b:c9:d2:e1:f0");
        var bytes = new byte[8];
        Array.Fill(bytes, (byte)0xA5);

        MacAddress.Parse("3a:0b:c9:d2:e1:f0").WriteTo(bytes);

        Assert.Equal(reference.GetAddressBytes(), bytes[..6]);
        Assert.Equal([0xA5, 0xA5], bytes[6..]);
        Assert.Equal(MacAddress.Parse("3a:0b:c9:d2:e1:f0"), MacAddress.FromSpan(reference.GetAddressBytes()));
    }

    [Fact]
    public void Tells_broadcast_multicast_and_local_addresses_apart()
    {
        Assert.True(MacAddress.Broadcast.IsBroadcast);
        Assert.True(MacAddress.Broadcast.IsMulticast);
        Assert.Equal("ff:ff:ff:ff:ff:ff", MacAddress.Broadcast.ToString());

        Assert.True(MacAddress.Parse("01:00:5e:00:00:01").IsMulticast);
        Assert.True(MacAddress.Parse("33:33:ff:00:00:02").IsMulticast);
        Assert.False(MacAddress.Parse("33:33:ff:00:00:02").IsBroadcast);
        Assert.False(MacAddress.Parse("02:00:00:00:00:01").IsMulticast);
        Assert.False(MacAddress.Parse("fe:ff:ff:ff:ff:ff").IsMulticast);

        Assert.True(MacAddress.Parse("02:00:00:00:00:01").IsLocallyAdministered);
        Assert.False(MacAddress.Parse("00:1b:21:00:00:01").IsLocallyAdministered);
    }

    [Fact]
    public void Refuses_more_than_48_bits()
    {
        Assert.Equal(0xFFFF_FFFF_FFFFUL, new MacAddress(0xFFFF_FFFF_FFFF).Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => new MacAddress(0x1_0000_0000_0000));
    }

    [Fact]
    public void Maps_an_ipv6_multicast_group_to_33_33_and_its_last_four_bytes()
    {
        Assert.Equal(MacAddress.Parse("33:33:ff:00:00:02"), MacAddress.ForIpv6Multicast(Packets.V6("ff02::1:ff00:2")));
        Assert.Equal(MacAddress.Parse("33:33:00:00:00:01"), MacAddress.ForIpv6Multicast(Packets.V6("ff02::1")));
        Assert.Equal(MacAddress.Parse("33:33:89:ab:cd:ef"), MacAddress.ForIpv6Multicast(Packets.V6("ff05::1:2:3:89ab:cdef")));
    }

    [Fact]
    public void Derives_the_same_locally_administered_unicast_address_from_the_same_seed()
    {
        MacAddress mac = MacAddress.LocallyAdministered("tap-lan0");

        Assert.Equal(mac, MacAddress.LocallyAdministered("tap-lan0"));
        Assert.NotEqual(mac, MacAddress.LocallyAdministered("tap-lan1"));
        Assert.True(mac.IsLocallyAdministered);
        Assert.False(mac.IsMulticast);

        byte[] hash = SHA256.HashData(Encoding.UTF8.GetBytes("tap-lan0"));
        hash[0] = (byte)((hash[0] | 0x02) & ~0x01);
        Assert.Equal(MacAddress.FromSpan(hash), mac);
    }

    [Fact]
    public void Derived_addresses_are_always_unicast_and_local()
    {
        var seen = new HashSet<MacAddress>();
        for (int i = 0; i < 1000; i++)
        {
            MacAddress mac = MacAddress.LocallyAdministered($"dev{i}");
            Assert.True(mac.IsLocallyAdministered);
            Assert.False(mac.IsMulticast);
            Assert.True(seen.Add(mac));
        }
    }

    [Fact]
    public void Compares_and_hashes_by_value()
    {
        var table = new Dictionary<MacAddress, string> { [MacAddress.Parse("02:00:00:00:00:01")] = "a" };

        Assert.Equal("a", table[new MacAddress(0x0200_0000_0001)]);
        Assert.True(MacAddress.Parse("02:00:00:00:00:01") == new MacAddress(0x0200_0000_0001));
        Assert.Equal(default, new MacAddress(0));
    }
}
