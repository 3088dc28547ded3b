using Engine.Actors.Topology;

namespace Engine.Actors.Lab;

/// <summary>
/// What keeps a second engine off a running lab's namespaces and devices (the engine's
/// LabLocks). A reload takes the locks of what it adds before it changes anything, and lets go of
/// those the lab no longer needs once their namespaces are gone.
/// </summary>
public interface ILabLocks
{
    /// <summary>Takes the locks <paramref name="next"/> needs and none is held for yet; false, taking none, with who holds one in <paramref name="holder"/>.</summary>
    bool TryTake(LabTopology next, out string holder);

    /// <summary>Lets go of every lock <paramref name="lab"/> does not need.</summary>
    void KeepOnly(LabTopology lab);
}
