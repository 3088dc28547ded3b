using System.Text;

namespace Engine.Actors.Topology;

/// <summary>
/// The kernel's and iproute2's rules for names, checked up front so that a bad name is a line in
/// `engine check` rather than an EINVAL halfway through building the lab.
/// </summary>
internal static class LinuxNames
{
    /// <summary>IFNAMSIZ (16) less the terminating NUL.</summary>
    public const int MaxInterfaceNameBytes = 15;

    /// <summary>NAME_MAX: a namespace is a file under /run/netns.</summary>
    public const int MaxNamespaceNameBytes = 255;

    public const string Loopback = "lo";

    /// <summary>The kernel's dev_valid_name, plus its rule for templates: one "%d" at most.</summary>
    public static string? InterfaceNameProblem(string name)
    {
        if (name.Length == 0)
            return "must not be empty";
        var shown = ValueText.Quote(name);
        if (name is "." or "..")
            return $"interface name {shown} is not allowed";
        if (name == Loopback)
            return $"interface name {shown} is the loopback device every namespace already has";
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxInterfaceNameBytes)
            return $"interface name {shown} is {bytes} bytes long; Linux allows at most {MaxInterfaceNameBytes}";
        if (name.Contains('/'))
            return $"interface name {shown} must not contain '/'";
        // ':' is reserved for the old alias syntax (eth0:1); the kernel refuses it.
        if (name.Contains(':'))
            return $"interface name {shown} must not contain ':'";
        if (HasWhitespaceOrControl(name))
            return $"interface name {shown} must not contain whitespace or control characters";
        var percent = name.IndexOf('%');
        if (percent >= 0 && (!name.AsSpan(percent).StartsWith("%d") || name.IndexOf('%', percent + 1) >= 0))
            return $"interface name {shown} may contain '%' only as a single \"%d\" for a kernel-assigned number";
        return null;
    }

    public static string? NamespaceNameProblem(string name)
    {
        if (name.Length == 0)
            return "must not be empty";
        var shown = ValueText.Quote(name);
        if (name is "." or "..")
            return $"namespace name {shown} is not allowed";
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > MaxNamespaceNameBytes)
            return $"namespace name is {bytes} bytes long; Linux allows at most {MaxNamespaceNameBytes}";
        if (name.Contains('/'))
            return $"namespace name {shown} must not contain '/'";
        if (name.Contains('\0'))
            return $"namespace name {shown} must not contain NUL";
        return null;
    }

    /// <summary>A peer's name is the engine's own, not a kernel interface's, so it may be longer;
    /// it keeps the interface names' characters so that routes and logs read the same for both,
    /// and it cannot be a "%d" template because nothing assigns the number.</summary>
    public static string? PeerNameProblem(string name)
    {
        if (name.Length == 0)
            return "must not be empty";
        var shown = ValueText.Quote(name);
        if (name is "." or "..")
            return $"peer name {shown} is not allowed";
        var bytes = Encoding.UTF8.GetByteCount(name);
        if (bytes > PeerSpec.MaxNameBytes)
            return $"peer name {shown} is {bytes} bytes long; at most {PeerSpec.MaxNameBytes} are allowed";
        foreach (var reserved in "/:%")
            if (name.Contains(reserved))
                return $"peer name {shown} must not contain '{reserved}'";
        if (HasWhitespaceOrControl(name))
            return $"peer name {shown} must not contain whitespace or control characters";
        return null;
    }

    /// <summary>Switches are the engine's own names; they only need to be readable in logs.</summary>
    public static string? SwitchNameProblem(string name)
    {
        if (name.Length == 0)
            return "must not be empty";
        if (HasWhitespaceOrControl(name))
            return $"switch name {ValueText.Quote(name)} must not contain whitespace or control characters";
        return null;
    }

    private static bool HasWhitespaceOrControl(string name)
    {
        foreach (var c in name)
            if (char.IsWhiteSpace(c) || char.IsControl(c))
                return true;
        return false;
    }
}
