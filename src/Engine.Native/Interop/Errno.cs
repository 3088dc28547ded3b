namespace Engine.Native.Interop;

/// <summary>The errno values the engine reacts to (Linux, all architectures it runs on).</summary>
public static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int ENOMEM = 12;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int EFAULT = 14;
    public const int EINVAL = 22;
    public const int ENOTSOCK = 88;
    public const int EMSGSIZE = 90;
    public const int ENOBUFS = 105;
    public const int EBADFD = 77;
    public const int ESRCH = 3;
    public const int EBADMSG = 74;
    public const int EADDRNOTAVAIL = 99;
    public const int ENOPROTOOPT = 92;
    public const int EADDRINUSE = 98;
    public const int ENETUNREACH = 101;
    public const int ECONNRESET = 104;
    public const int ECONNREFUSED = 111;
    public const int EHOSTUNREACH = 113;
    public const int EINPROGRESS = 115;
}
