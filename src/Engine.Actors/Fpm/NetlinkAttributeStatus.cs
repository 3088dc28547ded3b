namespace Engine.Actors.Fpm;

/// <summary>What <see cref="NetlinkAttributeWalker.Next"/> found.</summary>
public enum NetlinkAttributeStatus
{
    /// <summary>An attribute whose length fits the bytes left.</summary>
    Attribute,

    /// <summary>No bytes left (or only the padding of the last attribute).</summary>
    End,

    /// <summary>An attribute that lies about its length: the message cannot be read.</summary>
    Malformed,
}
