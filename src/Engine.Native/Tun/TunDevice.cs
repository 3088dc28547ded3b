using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using Engine.Native.Interop;
using Microsoft.Win32.SafeHandles;

namespace Engine.Native.Tun;

/// <summary>
/// One open tun/tap queue on /dev/net/tun, non-blocking, without the packet-information header
/// (IFF_NO_PI): every read returns exactly one frame, every write sends one. Opened with
/// <see cref="OpenWithVnetHeader"/>, each frame starts with a virtio-net header and may be a
/// GSO super-frame of up to 64 KiB.
/// Reads and writes are safe from any thread; the kernel serialises them per queue. They use the
/// raw fd (no SafeHandle reference count per packet), so Dispose must not race them: the engine
/// disposes a queue only once the thread that reads it (the reactor, or that queue's reader
/// thread) has stopped reading it. Closing a non-persistent device's last fd destroys the device.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed unsafe class TunDevice : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly int _fd;

    /// <summary>The bytes of struct virtio_net_hdr in front of every frame of a device opened with one.</summary>
    public const int VnetHeaderLength = 10;

    private TunDevice(SafeFileHandle handle, string name, TunMode mode, bool hasVnetHeader, TunOffloads offloads)
    {
        _handle = handle;
        _fd = (int)handle.DangerousGetHandle();
        Name = name;
        Mode = mode;
        HasVnetHeader = hasVnetHeader;
        Offloads = offloads;
    }

    public string Name { get; }
    public TunMode Mode { get; }

    /// <summary>
    /// True when every frame read or written starts with a <see cref="VnetHeaderLength"/>-byte
    /// virtio-net header (IFF_VNET_HDR).
    /// </summary>
    public bool HasVnetHeader { get; }

    /// <summary>The offloads the kernel granted; None without a vnet header.</summary>
    public TunOffloads Offloads { get; }

    /// <summary>The fd, for registering with a reactor. Valid until Dispose.</summary>
    public SafeFileHandle Handle => _handle;

    /// <summary>
    /// Opens (creating if needed) the device called <paramref name="name"/>; a name with "%d", or
    /// null, lets the kernel pick one ("tun0"), which <see cref="Name"/> reports.
    /// </summary>
    /// <param name="multiQueue">
    /// Open one queue of a multi-queue device (IFF_MULTI_QUEUE): opening the same name again
    /// attaches another queue, each with its own fd, and the kernel spreads flows across them.
    /// Every queue of a device must be opened this way.
    /// </param>
    public static TunDevice Open(string? name, TunMode mode, bool persistent = false, bool multiQueue = false) =>
        Open(name, mode, persistent, vnetHeader: false, TunOffloads.None, multiQueue);

    /// <summary>
    /// Opens the device as <see cref="Open(string?, TunMode, bool)"/> does, with a virtio-net
    /// header on every frame, and asks for <paramref name="offloads"/>. Offloads the kernel
    /// does not know are left out rather than failing the open; <see cref="Offloads"/> says
    /// what was granted. Frames read may then be super-frames or carry partial checksums,
    /// which the reader must finish before forwarding them anywhere else.
    /// </summary>
    public static TunDevice OpenWithVnetHeader(string? name, TunMode mode, TunOffloads offloads, bool persistent = false, bool multiQueue = false) =>
        Open(name, mode, persistent, vnetHeader: true, offloads, multiQueue);

    private static TunDevice Open(string? name, TunMode mode, bool persistent, bool vnetHeader, TunOffloads offloads, bool multiQueue)
    {
        var target = name ?? (mode == TunMode.Tun ? "tun%d" : "tap%d");
        var bytes = Encoding.ASCII.GetBytes(target);
        if (bytes.Length >= Libc.IFNAMSIZ)
            throw new ArgumentException($"interface name \"{target}\" is longer than {Libc.IFNAMSIZ - 1} bytes", nameof(name));

        var fd = Libc.open("/dev/net/tun", Libc.O_RDWR | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
        if (fd < 0) throw NativeException.FromLastError("open", "/dev/net/tun");
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            if (vnetHeader) RequireVnetHeaderSupport(fd, target);
            var request = new Libc.IfReqFlags
            {
                Flags = (short)((mode == TunMode.Tun ? Libc.IFF_TUN : Libc.IFF_TAP) | Libc.IFF_NO_PI
                    | (vnetHeader ? Libc.IFF_VNET_HDR : 0) | (multiQueue ? Libc.IFF_MULTI_QUEUE : 0)),
            };
            bytes.CopyTo(new Span<byte>(request.Name, Libc.IFNAMSIZ));
            if (Libc.ioctl(fd, Libc.TUNSETIFF, &request) < 0)
                throw NativeException.FromLastError("create tun device", target);

            var assigned = ReadName(request.Name);
            var granted = vnetHeader ? SetUpVnetHeader(fd, assigned, offloads) : TunOffloads.None;
            if (persistent && Libc.ioctl(fd, Libc.TUNSETPERSIST, (void*)1) < 0)
                throw NativeException.FromLastError("make persistent", assigned);
            return new TunDevice(handle, assigned, mode, vnetHeader, granted);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads one frame into <paramref name="buffer"/>. Returns its length, or 0 when no frame is
    /// waiting (EAGAIN). A frame longer than the buffer is truncated by the kernel.
    /// </summary>
    public int Read(Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                var n = Libc.read(_fd, p, (nuint)buffer.Length);
                if (n >= 0) return (int)n;
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == Errno.EAGAIN) return 0;
                if (errno == Errno.EINTR) continue;
                throw new NativeException("read", Name, errno);
            }
        }
    }

    /// <summary>
    /// Writes one frame. Returns false when the kernel queue is full (EAGAIN) or the frame is
    /// refused as malformed (EINVAL): the caller counts it as a drop. Other errors throw.
    /// </summary>
    public bool Write(ReadOnlySpan<byte> frame)
    {
        fixed (byte* p = frame)
        {
            while (true)
            {
                var n = Libc.write(_fd, p, (nuint)frame.Length);
                if (n >= 0) return true;
                var errno = System.Runtime.InteropServices.Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR) continue;
                if (errno is Errno.EAGAIN or Errno.EINVAL or Errno.EIO) return false;
                throw new NativeException("write", Name, errno);
            }
        }
    }

    /// <summary>Stops persisting the device, so it disappears when the last fd closes.</summary>
    public void ClearPersistent()
    {
        if (Libc.ioctl(_fd, Libc.TUNSETPERSIST, (void*)0) < 0)
            throw NativeException.FromLastError("clear persistent", Name);
    }

    public void Dispose() => _handle.Dispose();

    private static void RequireVnetHeaderSupport(int fd, string target)
    {
        uint features;
        if (Libc.ioctl(fd, Libc.TUNGETFEATURES, &features) < 0)
            throw NativeException.FromLastError("read tun features", target);
        if ((features & (uint)Libc.IFF_VNET_HDR) == 0)
            throw new NativeException("open with a virtio-net header", target, Errno.EINVAL);
    }

    /// <summary>
    /// Sets the header size explicitly (a persistent device keeps whatever its last owner set)
    /// and negotiates the offloads.
    /// </summary>
    private static TunOffloads SetUpVnetHeader(int fd, string device, TunOffloads offloads)
    {
        int size = VnetHeaderLength;
        if (Libc.ioctl(fd, Libc.TUNSETVNETHDRSZ, &size) < 0)
            throw NativeException.FromLastError("set vnet header size", device);
        return TunOffloadNegotiation.Negotiate(offloads, device, wanted =>
            Libc.ioctl(fd, Libc.TUNSETOFFLOAD, (void*)(nuint)(uint)wanted) < 0 ? Marshal.GetLastPInvokeError() : 0);
    }

    private static string ReadName(byte* name)
    {
        var span = new ReadOnlySpan<byte>(name, Libc.IFNAMSIZ);
        var end = span.IndexOf((byte)0);
        return Encoding.ASCII.GetString(end < 0 ? span : span[..end]);
    }
}
