namespace Engine.Native.Reactor;

/// <summary>Told on the reactor thread that its fd is readable or writable (or has failed).</summary>
public interface IReadinessHandler
{
    /// <summary>
    /// Read what is waiting, up to a batch, without blocking. The fd is level-triggered:
    /// what is left unread is reported again on the next turn, so one busy device cannot
    /// starve the others.
    /// </summary>
    void OnReadable();

    /// <summary>
    /// The fd can take writes again (or a non-blocking connect finished). Only called while the
    /// handler has asked for it with <see cref="Reactor.WatchWritable"/>.
    /// </summary>
    void OnWritable() { }
}
