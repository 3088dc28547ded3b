using System.Runtime.InteropServices;

namespace Engine.Native;

/// <summary>
/// A failed system call, named by what was being done and to what, with the kernel's errno text:
/// "add address 10.0.1.1/24 to tun-a: File exists (errno 17)".
/// </summary>
public sealed class NativeException : Exception
{
    public NativeException(string operation, string target, int errno)
        : base($"{operation} {target}: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})")
    {
        Operation = operation;
        Target = target;
        Errno = errno;
    }

    public string Operation { get; }
    public string Target { get; }
    public int Errno { get; }

    /// <summary>Throws for the errno of the P/Invoke call that just failed.</summary>
    public static NativeException FromLastError(string operation, string target) =>
        new(operation, target, Marshal.GetLastPInvokeError());
}
