using Xunit;

namespace Engine.IntegrationTests.Infrastructure;

/// <summary>
/// A test that needs root and /dev/net/tun. Without them it is skipped with the reason,
/// except under CI=true, where it runs and fails: CI can never pass by skipping.
/// </summary>
public sealed class IntegrationFactAttribute : FactAttribute
{
    public IntegrationFactAttribute()
    {
        var missing = Prerequisites.Missing();
        if (missing is not null && !Prerequisites.IsCi)
            Skip = missing;
    }

    /// <summary>The test makes a vlan subinterface in a host's namespace: skipped, by the same rule, on a kernel built without 802.1Q.</summary>
    public bool NeedsKernelVlans
    {
        get => field;
        set
        {
            field = value;
            if (value && Skip is null && Prerequisites.MissingKernelVlans() is { } missing && !Prerequisites.IsCi)
                Skip = missing;
        }
    }
}

public static class Prerequisites
{
    public static bool IsCi =>
        string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Why integration tests cannot run here, or null when they can.</summary>
    public static string? Missing()
    {
        if (!OperatingSystem.IsLinux()) return "integration tests need Linux";
        if (Environment.UserName != "root" && geteuid() != 0) return "integration tests need root";
        if (!File.Exists("/dev/net/tun")) return "integration tests need /dev/net/tun";
        return null;
    }

    /// <summary>Why vlan subinterfaces cannot be made here (the kernel's config says 8021q is not set), or null.</summary>
    public static string? MissingKernelVlans()
    {
        const string notSet = "# CONFIG_VLAN_8021Q is not set";
        foreach (var path in new[] { "/proc/config.gz", $"/boot/config-{File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}" })
        {
            if (!File.Exists(path)) continue;
            using var file = File.OpenRead(path);
            using var text = new StreamReader(path.EndsWith(".gz", StringComparison.Ordinal)
                ? new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress) : file);
            if (text.ReadToEnd().Contains(notSet, StringComparison.Ordinal))
                return $"this kernel has no 802.1Q support ({path}: {notSet})";
        }
        return null;
    }

    [System.Runtime.InteropServices.DllImport("libc")]
    private static extern uint geteuid();
}

/// <summary>A data-driven <see cref="IntegrationFactAttribute"/>: the same prerequisites, the same rule under CI.</summary>
public sealed class IntegrationTheoryAttribute : TheoryAttribute
{
    public IntegrationTheoryAttribute()
    {
        var missing = Prerequisites.Missing();
        if (missing is not null && !Prerequisites.IsCi)
            Skip = missing;
    }
}
