namespace Engine.Actors.Fpm;

/// <summary>
/// Why an FPM connection must close: past such a fault the stream's framing can no longer be
/// trusted, so nothing after it is read. zebra reconnects and resends its whole table.
/// </summary>
public enum FpmCloseReason
{
    /// <summary>A frame header whose version is not 1.</summary>
    WrongVersion,

    /// <summary>A frame of a type other than netlink (1), such as protobuf (2).</summary>
    WrongType,

    /// <summary>A frame length shorter than the 4-byte header it includes.</summary>
    LengthShorterThanHeader,

    /// <summary>A netlink message whose length is below its 16-byte header or runs past its frame.</summary>
    NetlinkLengthLies,
}
