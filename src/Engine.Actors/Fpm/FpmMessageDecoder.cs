namespace Engine.Actors.Fpm;

/// <summary>Turns one netlink message of an FPM frame into an update, by its type.</summary>
public static class FpmMessageDecoder
{
    public static FpmMessageOutcome Decode(NetlinkMessageView message) => message.Type switch
    {
        Rtnetlink.NewRoute => RouteMessageDecoder.Decode(isDelete: false, message.Flags, message.Payload),
        Rtnetlink.DelRoute => RouteMessageDecoder.Decode(isDelete: true, message.Flags, message.Payload),
        Rtnetlink.NewNextHop => NextHopMessageDecoder.Decode(isDelete: false, message.Payload),
        Rtnetlink.DelNextHop => NextHopMessageDecoder.Decode(isDelete: true, message.Payload),
        _ => FpmMessageOutcome.Ignored,
    };
}
