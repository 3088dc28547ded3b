namespace Engine.Actors.Fpm;

/// <summary>What <see cref="FpmFrameReader.Next"/> found in the bytes it holds.</summary>
public enum FpmFrameStatus
{
    /// <summary>No whole frame yet: append more of the stream.</summary>
    NeedMore,

    /// <summary>A whole netlink frame.</summary>
    Frame,

    /// <summary>The stream is broken (<see cref="FpmFrameReader.CloseReason"/>); close the connection.</summary>
    Close,
}
