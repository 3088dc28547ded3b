using Engine.Actors.Wire;
using Xunit;

namespace Engine.Tests.Wire;

public class AllocationTests
{
    private static long Run(byte[] v4, byte[] v6, byte[] v4Buffer, byte[] v6Buffer)
    {
        long total = 0;
        Ipv4Packet.TryParse(v4, out var p4);
        total += p4.TotalLength + p4.SourceAddress + p4.Payload.Length;
        p4.DecrementTtl();
        p4.FillHeaderChecksum();
        total += p4.VerifyHeaderChecksum() ? 1 : 0;
        Ipv6Packet.TryParse(v6, out var p6);
        total += p6.PayloadLength + (long)(p6.SourceAddress & 0xFF);
        p6.DecrementHopLimit();
        total += InternetChecksum.Sum(v6);
        total += IcmpV4Error.MayAnswer(v4Buffer) ? 1 : 0;
        total += IcmpV4Error.Write(v4Buffer, v4.Length, IcmpV4ErrorKind.FragmentationNeeded, 1400, 0xC0000201);
        total += IcmpV6Error.MayAnswer(v6Buffer, IcmpV6ErrorKind.PacketTooBig) ? 1 : 0;
        total += IcmpV6Error.Write(v6Buffer, v6.Length, IcmpV6ErrorKind.PacketTooBig, 1280, UInt128.One << 64);
        return total;
    }

    [Fact]
    public void Parsing_checksums_and_icmp_errors_allocate_nothing()
    {
        byte[] v4 = Packets.Ipv4Udp("10.1.0.5", "10.2.0.9", 1000, ttl: 255);
        byte[] v6 = Packets.Ipv6Udp("2001:db8::1", "2001:db8::2", 1000, hopLimit: 255);
        byte[] v4Buffer = Packets.InBuffer(v4, 1500);
        byte[] v6Buffer = Packets.InBuffer(v6, 1500);

        var (allocated, result) = SteadyState.Measure(() => Run(v4, v6, v4Buffer, v6Buffer));

        Assert.Equal(0, allocated);
        Assert.NotEqual(0, result);
    }
}
