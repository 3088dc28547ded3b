using System.Buffers.Binary;

namespace Engine.Actors.Fpm;

/// <summary>Reads the fixed-size attribute values of rtnetlink, refusing a value of any other size.</summary>
internal static class NetlinkValues
{
    public static bool TryReadUInt32(ReadOnlySpan<byte> value, out uint number)
    {
        number = value.Length == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(value) : 0;
        return value.Length == 4;
    }

    /// <summary>An address of exactly the family's size (4 or 16 bytes).</summary>
    public static bool TryReadAddress(ReadOnlySpan<byte> value, int addressLength, out FpmAddress address)
    {
        address = default;
        return value.Length == addressLength && FpmAddress.TryRead(value, out address);
    }

    /// <summary>RTA_VIA: struct rtvia, a u16 family then the address, which may be of the other family.</summary>
    public static bool TryReadVia(ReadOnlySpan<byte> value, out FpmAddress address)
    {
        address = default;
        if (value.Length < 2)
            return false;
        var length = Rtnetlink.AddressLength((byte)BinaryPrimitives.ReadUInt16LittleEndian(value));
        return length != 0 && TryReadAddress(value[2..], length, out address);
    }
}
