using Akka.Actor;
using Engine.Actors.Buffers;

namespace Engine.Tests;

/// <summary>An egress that releases each batch at once, as a device actor's write would, and counts them.</summary>
internal sealed class ReleasingRef : MinimalActorRef
{
    public override ActorPath Path { get; } = new RootActorPath(new Address("test", "test")) / "egress";
    public override IActorRefProvider Provider => throw new NotSupportedException();

    /// <summary>Batches released so far.</summary>
    public long Batches { get; private set; }

    protected override void TellInternal(object message, IActorRef sender)
    {
        if (message is not FrameBatch batch) return;
        Batches++;
        batch.Release();
    }
}
