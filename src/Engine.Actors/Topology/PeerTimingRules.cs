namespace Engine.Actors.Topology;

/// <summary>
/// A peer's timers: the client's redial backoff (reconnect-min doubling up to reconnect-max) and
/// the engine framing's liveness (a keepalive every interval, the link declared dead after
/// dead-peer-timeout of silence, which therefore must outlast at least one keepalive), and the
/// send queue's stall-timeout.
/// </summary>
internal static class PeerTimingRules
{
    public static (TimeSpan Min, TimeSpan Max) ReadReconnect(ObjectReader reader, ErrorList errors)
    {
        var min = Read(reader, "reconnect-min", PeerSpec.MinReconnect, PeerSpec.MaxReconnect, PeerSpec.DefaultReconnectMin);
        var max = Read(reader, "reconnect-max", PeerSpec.MinReconnect, PeerSpec.MaxReconnect, PeerSpec.DefaultReconnectMax);
        if (min is { } lower && max is { } upper && lower.Value > upper.Value)
        {
            if (lower.Written)
                errors.Add(reader.PathOf("reconnect-min"), $"must not be longer than reconnect-max ({Shown(upper)}), got {DurationText.Format(lower.Value)}");
            else
                errors.Add(reader.PathOf("reconnect-max"), $"must not be shorter than reconnect-min ({Shown(lower)}), got {DurationText.Format(upper.Value)}");
        }
        return (min?.Value ?? PeerSpec.DefaultReconnectMin, max?.Value ?? PeerSpec.DefaultReconnectMax);
    }

    public static (TimeSpan Keepalive, TimeSpan DeadPeerTimeout) ReadLiveness(ObjectReader reader, ErrorList errors)
    {
        var keepalive = Read(reader, "keepalive", PeerSpec.MinKeepalive, PeerSpec.MaxKeepalive, PeerSpec.DefaultKeepalive);
        var timeout = Read(reader, "dead-peer-timeout", PeerSpec.MinDeadPeerTimeout, PeerSpec.MaxDeadPeerTimeout, PeerSpec.DefaultDeadPeerTimeout);
        if (keepalive is { } interval && timeout is { } dead && dead.Value <= interval.Value)
        {
            if (dead.Written)
                errors.Add(reader.PathOf("dead-peer-timeout"), $"must be longer than keepalive ({Shown(interval)}), got {DurationText.Format(dead.Value)}");
            else
                errors.Add(reader.PathOf("keepalive"), $"must be shorter than dead-peer-timeout ({Shown(dead)}), got {DurationText.Format(interval.Value)}");
        }
        return (keepalive?.Value ?? PeerSpec.DefaultKeepalive, timeout?.Value ?? PeerSpec.DefaultDeadPeerTimeout);
    }

    public static TimeSpan ReadStallTimeout(ObjectReader reader) =>
        Read(reader, "stall-timeout", PeerSpec.MinStallTimeout, PeerSpec.MaxStallTimeout, PeerSpec.DefaultStallTimeout)?.Value
        ?? PeerSpec.DefaultStallTimeout;

    /// <returns>Null when the value was invalid (already reported), so no rule between two keys runs on a guess.</returns>
    private static TimerValue? Read(ObjectReader reader, string key, TimeSpan min, TimeSpan max, TimeSpan fallback)
    {
        if (reader.IsAbsent(key))
            return new TimerValue(fallback, Written: false);
        return reader.Duration(key, min, max) is { } value ? new TimerValue(value, Written: true) : null;
    }

    private static string Shown(TimerValue timer) =>
        timer.Written ? DurationText.Format(timer.Value) : DurationText.Format(timer.Value) + ", the default";

    private readonly record struct TimerValue(TimeSpan Value, bool Written);
}
