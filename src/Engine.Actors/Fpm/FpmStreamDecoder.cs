using System.Runtime.CompilerServices;

namespace Engine.Actors.Fpm;

/// <summary>
/// Reads one FPM connection: feed it the bytes as the socket delivers them and it adds the updates
/// of every whole frame, in order. A frame is checked whole before any of it is decoded: if one of
/// its netlink messages lies about its length, none of the frame is used (zebra's DEL+NEW pair for
/// an update shares a frame, and half of it would leave the route deleted), and the connection must
/// close. Updates from earlier frames stand.
/// </summary>
public sealed class FpmStreamDecoder
{
    private readonly FpmFrameReader _frames = new();

    public FpmDecodeCounters Counters { get; } = new();

    /// <summary>Set once the connection must close; nothing fed after that is read.</summary>
    public FpmCloseReason? CloseReason { get; private set; }

    /// <summary>Bytes held of a frame not yet whole.</summary>
    public int Buffered => _frames.Buffered;

    /// <summary>
    /// Adds to <paramref name="updates"/> the updates of each frame that <paramref name="bytes"/>
    /// completes. False when the connection must close (<see cref="CloseReason"/> says why).
    /// </summary>
    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Feed(ReadOnlySpan<byte> bytes, ICollection<FpmUpdate> updates)
    {
        if (CloseReason is not null)
            return false;
        _frames.Append(bytes);
        while (true)
        {
            switch (_frames.Next(out var payload))
            {
                case FpmFrameStatus.NeedMore:
                    return true;
                case FpmFrameStatus.Close:
                    CloseReason = _frames.CloseReason;
                    return false;
            }
            Counters.CountFrame();
            if (!MessagesAreWhole(payload))
            {
                CloseReason = FpmCloseReason.NetlinkLengthLies;
                return false;
            }
            DecodeFrame(payload, updates);
        }
    }

    /// <summary>True when the frame's bytes are exactly a run of messages (the last one's padding may be left out).</summary>
    public static bool MessagesAreWhole(ReadOnlySpan<byte> payload)
    {
        while (!payload.IsEmpty)
        {
            if (!NetlinkMessageView.TryParse(payload, out var message))
                return false;
            payload = message.AlignedLength >= payload.Length ? default : payload[message.AlignedLength..];
        }
        return true;
    }

    // zebra sends its full table seconds after start: optimised at once, not after tiering (BENCHMARKS.md).
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void DecodeFrame(ReadOnlySpan<byte> payload, ICollection<FpmUpdate> updates)
    {
        while (NetlinkMessageView.TryParse(payload, out var message))
        {
            var outcome = FpmMessageDecoder.Decode(message);
            Counters.Count(outcome);
            if (outcome.Update is { } update)
                updates.Add(update);
            payload = message.AlignedLength >= payload.Length ? default : payload[message.AlignedLength..];
        }
    }
}
