using Engine.Native.Interop;

namespace Engine.Native.Files;

/// <summary>What kind of file a path names, as lstat says, for code that must not replace the wrong thing.</summary>
public static class FileKind
{
    /// <summary>Whether <paramref name="path"/> is a Unix socket itself (a link to one is not); false when it does not exist.</summary>
    public static unsafe bool IsSocket(string path)
    {
        var stat = stackalloc byte[Libc.StatSize];
        if (Libc.lstat(path, stat) != 0) return false;
        var mode = *(uint*)(stat + Libc.StatModeOffset);
        return (mode & Libc.S_IFMT) == Libc.S_IFSOCK;
    }
}
