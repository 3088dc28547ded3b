using System.Diagnostics;
using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Native.Reactor;

namespace Engine.Actors.Router;

/// <summary>How a reader (a device's or a peer link's) hands what it read to the router.</summary>
internal static class IngressBatch
{
    /// <summary>
    /// Sends <paramref name="batch"/> to <paramref name="router"/> as having come in on
    /// <paramref name="port"/>, counting its frames and <paramref name="bytes"/> as received, on
    /// the port and in the reading thread's <paramref name="flood"/> judgement; an empty batch
    /// goes back to the pool instead.
    /// </summary>
    public static void Deliver(FrameBatch batch, long bytes, int port, PortCounters counters, IActorRef router, FloodBackoff flood)
    {
        if (batch.Count == 0)
        {
            batch.Release();
            return;
        }
        counters.AddRx(batch.Count, bytes);
        flood.Count(batch.Count, bytes);
        batch.IngressPort = port;
        batch.ReadAt = Stopwatch.GetTimestamp();
        router.Tell(batch, ActorRefs.NoSender);
    }
}
