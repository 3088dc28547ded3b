namespace Engine.Native.Reactor;

/// <summary>Told on the reactor thread that its fd is readable (or has failed).</summary>
public interface IReadinessHandler
{
    /// <summary>
    /// Read what is waiting, up to a batch, without blocking. The fd is level-triggered:
    /// what is left unread is reported again on the next turn, so one busy device cannot
    /// starve the others.
    /// </summary>
    void OnReadable();
}
