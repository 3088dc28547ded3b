namespace Engine.Native.Netlink;

/// <summary>
/// Link, address and route configuration over rtnetlink, applied in the network namespace the
/// underlying socket was opened in. Operations are split by object: RtNetlink.Links.cs,
/// RtNetlink.Addresses.cs, RtNetlink.Routes.cs. Every failure is a <see cref="NativeException"/>
/// naming the operation, the object and the kernel's errno. Not thread-safe: one caller at a time.
/// </summary>
public sealed partial class RtNetlink : IDisposable
{
    private readonly NetlinkSocket _socket;

    /// <summary>Takes ownership of <paramref name="socket"/>; disposing this disposes it.</summary>
    public RtNetlink(NetlinkSocket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
    }

    /// <summary>Configures the calling thread's own network namespace.</summary>
    public static RtNetlink Open() => new(NetlinkSocket.Open());

    public void Dispose() => _socket.Dispose();
}
