namespace Engine.Actors.Buffers;

/// <summary>
/// What a frame is on a controller link, beside its port tag (docs/protocol.md): which message
/// carries it there. A value from 0 up is the rule that punted the frame.
/// </summary>
public static class ControllerNote
{
    /// <summary>A DATA message: a frame the router sent there, or one a controller sends to be routed or sent out of a port.</summary>
    public const int None = -1;

    /// <summary>A REFUSED message: the frame's bytes are the reason a controller's frame was not sent.</summary>
    public const int Refused = -2;

    /// <summary>An INJECT message: a controller's frame that leaves its port exactly as it is.</summary>
    public const int Inject = -3;

    public static bool IsPunt(int note) => note >= 0;
}
