using Engine.Actors.Buffers;
using Engine.Actors.Routing;
using Engine.Actors.Wire;

namespace Engine.Actors.Router;

/// <summary>
/// Turns a packet the router drops into the ICMP error its sender is owed, written in place over
/// it in its buffer: from the address <see cref="IcmpSource"/> picks, where the rules allow an
/// error about it (never about an ICMP error, a fragment after the first, a multicast), and
/// within the rate limit (what the limit holds back is counted). Owned by the forwarder.
/// </summary>
internal sealed class IcmpAnswers(IcmpRateLimiter limiter, RouterCounters counters)
{
    /// <summary>True when frame <paramref name="index"/> became an ICMPv4 error to send back out of <paramref name="ingress"/>.</summary>
    public bool TryAnswerIpv4(FrameBatch batch, int index, Port ingress, RouteSnapshot routes, IcmpV4ErrorKind kind, ushort mtu)
    {
        var source = IcmpSource.Ipv4(ingress, routes, batch.Frame(index));
        if (!MayAnswer(source != 0 && IcmpV4Error.MayAnswer(batch.Frame(index)))) return false;
        var offset = batch.Offset(index);
        return Rewritten(batch, index, offset, IcmpV4Error.Write(batch.Buffer(index).AsSpan(offset), batch.Frame(index).Length, kind, mtu, source));
    }

    /// <summary>True when frame <paramref name="index"/> became an ICMPv6 error to send back out of <paramref name="ingress"/>.</summary>
    public bool TryAnswerIpv6(FrameBatch batch, int index, Port ingress, RouteSnapshot routes, IcmpV6ErrorKind kind, uint mtu)
    {
        var source = IcmpSource.Ipv6(ingress, routes, batch.Frame(index));
        if (!MayAnswer(source != UInt128.Zero && IcmpV6Error.MayAnswer(batch.Frame(index), kind))) return false;
        var offset = batch.Offset(index);
        return Rewritten(batch, index, offset, IcmpV6Error.Write(batch.Buffer(index).AsSpan(offset), batch.Frame(index).Length, kind, mtu, source));
    }

    private bool MayAnswer(bool allowed)
    {
        if (!allowed) return false;
        if (limiter.TryTake()) return true;
        counters.IcmpSuppressed();
        return false;
    }

    private bool Rewritten(FrameBatch batch, int index, int offset, int length)
    {
        if (length == 0) return false; // the writer found the original unfit to quote
        batch.Rewrite(index, offset, length);
        counters.IcmpSent();
        return true;
    }
}
