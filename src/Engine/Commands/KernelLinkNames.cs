using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Files;
using Engine.Native.Namespaces;
using Engine.Native.Netlink;

namespace Engine.Commands;

/// <summary>
/// The links that exist now, read over rtnetlink (entering a namespace only to read it), for
/// check and run to refuse a device name the kernel already uses. A lab that is running holds its
/// locks, and its own devices are not counted against it: the lock refuses that run instead.
/// Without the privilege to enter a namespace nothing can be known, and nothing is reported.
/// </summary>
/// <param name="running">For a reload: the lab as it runs now, whose devices are its own where they
/// are, locked or not (a device a reload added has no lock of its own).</param>
internal sealed class KernelLinkNames(Func<LabTopology>? running = null) : ILinkNames
{
    private readonly Dictionary<string, IReadOnlySet<string>> _byNamespace = new(StringComparer.Ordinal);

    public bool IsTaken(string? space, string name)
    {
        if (HeldByRunningLab(space, name) || IsRunningDevice(space, name)) return false;
        return LinksIn(space).Contains(name);
    }

    private bool IsRunningDevice(string? space, string name) =>
        running?.Invoke().Devices.Any(device => device.Namespace == space && device.Name == name) ?? false;

    private static bool HeldByRunningLab(string? space, string name)
    {
        try
        {
            return PidLock.HolderOf(LabLocks.PathOf(space, name)) is not null;
        }
        catch (NativeException)
        {
            return false;
        }
    }

    private IReadOnlySet<string> LinksIn(string? space)
    {
        var key = space ?? "";
        if (!_byNamespace.TryGetValue(key, out var names))
            _byNamespace[key] = names = Read(space);
        return names;
    }

    private static IReadOnlySet<string> Read(string? space)
    {
        try
        {
            if (space is not null && !NetworkNamespace.Exists(space)) return new HashSet<string>();
            using var netlink = space is null ? RtNetlink.Open() : NetworkNamespace.OpenRtNetlink(space);
            return netlink.ListLinks().Select(link => link.Name).ToHashSet(StringComparer.Ordinal);
        }
        catch (NativeException)
        {
            return new HashSet<string>();
        }
    }
}
