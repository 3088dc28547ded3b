namespace Engine.Actors.Fpm;

/// <summary>
/// A view of an RTM_NEWNEXTHOP or RTM_DELNEXTHOP payload: struct nhmsg (family, scope, protocol,
/// reserved, u32 flags), then attributes. Obtain one through <see cref="TryParse"/>.
/// </summary>
public readonly ref struct NextHopMessageView
{
    public const int HeaderSize = 8;

    private readonly ReadOnlySpan<byte> _bytes;

    private NextHopMessageView(ReadOnlySpan<byte> bytes) => _bytes = bytes;

    public static bool TryParse(ReadOnlySpan<byte> payload, out NextHopMessageView nextHop)
    {
        nextHop = payload.Length >= HeaderSize ? new NextHopMessageView(payload) : default;
        return payload.Length >= HeaderSize;
    }

    public byte Family => _bytes[0];
    public byte Scope => _bytes[1];
    public byte Protocol => _bytes[2];

    public NetlinkAttributeWalker Attributes => new(_bytes[HeaderSize..]);
}
