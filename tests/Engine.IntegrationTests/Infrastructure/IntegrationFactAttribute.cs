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
