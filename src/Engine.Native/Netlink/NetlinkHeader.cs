namespace Engine.Native.Netlink;

/// <summary>
/// The netlink message header (struct nlmsghdr, linux/netlink.h): length, type, flags, sequence, port,
/// 16 bytes, native byte order; every message and attribute starts on a 4-byte boundary.
/// </summary>
internal static class NetlinkHeader
{
    public const int Size = 16;
    public const int LengthOffset = 0;
    public const int TypeOffset = 4;
    public const int FlagsOffset = 6;
    public const int SequenceOffset = 8;
    public const int PortOffset = 12;

    public const int Alignment = 4;

    public static int Align(int length) => (length + Alignment - 1) & ~(Alignment - 1);

    // Control message types.
    public const ushort Noop = 1;
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;

    // Flags common to all requests.
    public const ushort Request = 0x01;
    public const ushort Multi = 0x02;
    public const ushort Ack = 0x04;
    public const ushort DumpInterrupted = 0x10;

    // Flags of GET requests.
    public const ushort Dump = 0x300;

    // Flags of NEW requests.
    public const ushort Replace = 0x100;
    public const ushort Exclusive = 0x200;
    public const ushort Create = 0x400;

    /// <summary>struct nlmsgerr starts with the negated errno (0 for an acknowledgement).</summary>
    public const int ErrorCodeSize = 4;
}
