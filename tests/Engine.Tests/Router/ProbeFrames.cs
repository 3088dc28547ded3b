using Akka.Actor;
using Akka.TestKit;
using Engine.Actors.Buffers;
using Xunit;

namespace Engine.Tests.Router;

/// <summary>One frame at a time into a router and out of a port's probe, for the switch tests.</summary>
internal static class ProbeFrames
{
    public static void Send(FrameBatchPool pool, IActorRef router, int port, byte[] frame)
    {
        Assert.True(pool.TryRent(out var batch));
        batch.IngressPort = port;
        batch.TryAppendCopy(frame);
        router.Tell(batch);
    }

    /// <summary>The one frame of the next batch <paramref name="probe"/> gets, whose tag is <paramref name="tag"/> when given.</summary>
    public static byte[] Single(TestProbe probe, int? tag = null)
    {
        var batch = probe.ExpectMsg<FrameBatch>();
        Assert.Equal(1, batch.Count);
        if (tag is { } expected) Assert.Equal(expected, batch.Tag(0));
        var frame = batch.Frame(0).ToArray();
        batch.Release();
        return frame;
    }
}
