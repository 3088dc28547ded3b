namespace Engine.Actors.Fpm;

/// <summary>
/// A view of an RTM_NEWROUTE or RTM_DELROUTE payload: struct rtmsg (family, dst_len, src_len, tos,
/// table, protocol, scope, type, u32 flags), then attributes. Obtain one through <see cref="TryParse"/>.
/// </summary>
public readonly ref struct RouteMessageView
{
    public const int HeaderSize = 12;

    private readonly ReadOnlySpan<byte> _bytes;

    private RouteMessageView(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryParse(ReadOnlySpan<byte> payload, out RouteMessageView route)
    {
        route = payload.Length >= HeaderSize ? new RouteMessageView(payload) : default;
        return payload.Length >= HeaderSize;
    }

    public byte Family => _bytes[0];
    public byte DestinationLength => _bytes[1];
    public byte SourceLength => _bytes[2];

    /// <summary>rtm_table: 0 when the table number needs RTA_TABLE's 32 bits.</summary>
    public byte Table => _bytes[4];
    public byte Protocol => _bytes[5];
    public byte Scope => _bytes[6];
    public byte Type => _bytes[7];

    public NetlinkAttributeWalker Attributes => new(_bytes[HeaderSize..]);
}
