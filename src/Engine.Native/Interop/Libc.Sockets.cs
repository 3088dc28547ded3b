using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

internal static unsafe partial class Libc
{
    internal const int AF_UNIX = 1;
    internal const int AF_INET = 2;
    internal const int AF_INET6 = 10;

    internal const int SOCK_STREAM = 1;
    internal const int SOCK_DGRAM = 2;
    internal const int SOCK_NONBLOCK = 0x800;
    internal const int SOCK_CLOEXEC = 0x80000;

    internal const int SOL_SOCKET = 1;
    internal const int SO_REUSEADDR = 2;
    internal const int SO_ERROR = 4;
    internal const int SO_SNDBUF = 7;
    internal const int SO_RCVBUF = 8;

    internal const int IPPROTO_IP = 0;
    /// <summary>The path MTU of a connected socket's destination, as the kernel knows it now.</summary>
    internal const int IP_MTU = 14;
    internal const int IPPROTO_IPV6 = 41;
    internal const int IPV6_MTU = 24;

    internal const int IPPROTO_TCP = 6;
    internal const int TCP_NODELAY = 1;

    internal const int SOL_UDP = 17;
    /// <summary>Send: one buffer becomes datagrams of this many bytes (uint16 cmsg). Linux 4.18+.</summary>
    internal const int UDP_SEGMENT = 103;
    /// <summary>Receive: same-size datagrams arrive merged, the size in an int cmsg. Linux 5.0+.</summary>
    internal const int UDP_GRO = 104;

    internal const int SHUT_RDWR = 2;

    internal const short POLLIN = 0x1;
    internal const short POLLOUT = 0x4;

    [StructLayout(LayoutKind.Sequential)]
    internal struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    internal const int MSG_DONTWAIT = 0x40;
    internal const int MSG_NOSIGNAL = 0x4000;

    /// <summary>Room for any sockaddr (struct sockaddr_storage).</summary>
    internal const int SockAddrStorageSize = 128;

    [StructLayout(LayoutKind.Sequential)]
    internal struct IoVec
    {
        public void* Base;
        public nuint Length;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public IoVec* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct cmsghdr; its data follows at <see cref="CmsgHeaderSize"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct CmsgHdr
    {
        public nuint Length;
        public int Level;
        public int Type;
    }

    /// <summary>CMSG_LEN(0) on 64-bit Linux: where a control message's data starts.</summary>
    internal const int CmsgHeaderSize = 16;

    [StructLayout(LayoutKind.Sequential)]
    internal struct MMsgHdr
    {
        public MsgHdr Header;
        public uint Length;
    }

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int socket(int domain, int type, int protocol);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int socketpair(int domain, int type, int protocol, int* fds);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int shutdown(int fd, int how);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int bind(int fd, byte* address, uint length);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int listen(int fd, int backlog);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int accept4(int fd, byte* address, uint* length, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int connect(int fd, byte* address, uint length);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int getsockopt(int fd, int level, int name, void* value, uint* length);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setsockopt(int fd, int level, int name, void* value, uint length);


    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint recv(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial nint sendmsg(int fd, MsgHdr* message, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int sendmmsg(int fd, MMsgHdr* messages, uint count, int flags);

    [LibraryImport(Name, SetLastError = true)]
    internal static partial int recvmmsg(int fd, MMsgHdr* messages, uint count, int flags, void* timeout);
}
