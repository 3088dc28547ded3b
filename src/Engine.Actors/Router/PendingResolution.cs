using System.Diagnostics;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>
/// Packets waiting for their next hop's MAC address on an Ethernet link, like the kernel's
/// neighbour queue (unres_qlen): at most <see cref="PerPort"/> per port, for at most a second.
/// When an answer arrives they go out; when time runs out they are dropped as unresolved (the
/// router looks at them when traffic comes in on their port, and on a timer for a quiet one).
/// Without it the first packet towards a new neighbour would be lost. Owned by one router.
/// </summary>
internal sealed class PendingResolution(FrameBatchPool pool)
{
    public const int PerPort = 8;
    private static readonly long MaxWait = Stopwatch.Frequency;

    private FrameBatch?[] _held = new FrameBatch?[8];
    private long[][] _since = new long[8][];
    // The neighbour each held packet waits for: a route's next hop, or zero for its destination.
    private UInt128[][] _nextHop = new UInt128[8][];

    /// <summary>Takes packet <paramref name="index"/> to wait for <paramref name="nextHop"/> (zero: its destination); false when the port's queue is full.</summary>
    public bool TryHold(FrameBatch batch, int index, Port port, UInt128 nextHop)
    {
        if (port.Index >= _held.Length)
        {
            Array.Resize(ref _held, Math.Max(port.Index + 1, _held.Length * 2));
            Array.Resize(ref _since, _held.Length);
            Array.Resize(ref _nextHop, _held.Length);
        }
        var held = _held[port.Index];
        if (held is null)
        {
            if (!pool.TryRent(out held)) return false;
            _held[port.Index] = held;
            _since[port.Index] ??= new long[Math.Min(PerPort, held.Capacity)];
            _nextHop[port.Index] ??= new UInt128[_since[port.Index].Length];
        }
        if (held.Count >= _since[port.Index].Length) return false;
        Holds = true;
        _since[port.Index][held.Count] = Stopwatch.GetTimestamp();
        _nextHop[port.Index][held.Count] = nextHop;
        batch.MoveTo(index, held);
        return true;
    }

    /// <summary>
    /// Sends the packets of <paramref name="port"/> whose next hop is now known, drops those
    /// that waited too long, and keeps the rest; returns how many went. A port with nothing
    /// held (every port but an Ethernet one) costs one look.
    /// </summary>
    public int Retry(Port port, EthernetLink link, EgressBatches outputs)
    {
        var held = port.Index < _held.Length ? _held[port.Index] : null;
        if (held is null || held.Count == 0) return 0;
        if (!pool.TryRent(out var kept)) return 0;

        var since = _since[port.Index];
        var nextHop = _nextHop[port.Index];
        var now = Stopwatch.GetTimestamp();
        var sent = 0;
        for (var i = 0; i < held.Count; i++)
        {
            if (link.TryLookup(port, held.Frame(i), nextHop[i], out var mac, out var etherType) && outputs.For(port) is { } target)
            {
                EthernetLink.Frame(held, i, port, mac, etherType);
                held.MoveTo(i, target);
                sent++;
            }
            else if (now - since[i] > MaxWait)
            {
                port.Counters.AddDrop(DropReason.Unresolved);
            }
            else
            {
                since[kept.Count] = since[i];
                nextHop[kept.Count] = nextHop[i];
                held.MoveTo(i, kept);
            }
        }
        held.Release();
        if (kept.Count == 0)
        {
            kept.Release();
            kept = null;
        }
        _held[port.Index] = kept;
        return sent;
    }

    /// <summary>
    /// Something was held since <see cref="Recount"/> last found nothing: the router's retry timer
    /// runs while this is true (one field read per batch, not a count over every port).
    /// </summary>
    public bool Holds { get; private set; }

    /// <summary>Whether packets are still held, after a retry; <see cref="Holds"/> follows.</summary>
    public bool Recount() => Holds = HeldFrames > 0;

    /// <summary>Packets waiting now, on every port.</summary>
    public int HeldFrames
    {
        get
        {
            var frames = 0;
            foreach (var held in _held) frames += held?.Count ?? 0;
            return frames;
        }
    }

    /// <summary>Pool batches the queues keep between calls: one per port with something held.</summary>
    public int BatchesKept => _held.Count(held => held is not null);
}
