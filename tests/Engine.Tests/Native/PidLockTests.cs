using Engine.Native.Files;
using Xunit;

namespace Engine.Tests.Native;

/// <summary>The lab lock: one holder at a time, its pid readable by the others, free again when it lets go.</summary>
public sealed class PidLockTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"pidlock-{Guid.NewGuid():N}");

    private string LockPath => Path.Combine(_directory, "lab.lock");

    [Fact]
    public void A_held_lock_refuses_a_second_holder_and_names_the_first_ones_pid()
    {
        using var first = PidLock.TryAcquire(LockPath, out _);
        Assert.NotNull(first);

        // flock belongs to the open file, so a second open in this process is refused like another process.
        var second = PidLock.TryAcquire(LockPath, out var holder);
        Assert.Null(second);
        Assert.Equal(Environment.ProcessId, holder);
        // Read back from the file itself (.NET's File API would take a shared flock and be refused).
        Assert.Equal(Environment.ProcessId, PidLock.HolderOf(LockPath));
    }

    [Fact]
    public void A_released_lock_is_free_and_a_stale_pid_in_its_file_does_not_matter()
    {
        Directory.CreateDirectory(_directory);
        File.WriteAllText(LockPath, "999999\n"); // left by an engine that was killed
        Assert.Null(PidLock.HolderOf(LockPath));

        var first = PidLock.TryAcquire(LockPath, out _);
        Assert.NotNull(first);
        first.Dispose();

        Assert.Null(PidLock.HolderOf(LockPath));
        using var again = PidLock.TryAcquire(LockPath, out _);
        Assert.NotNull(again);
    }

    [Fact]
    public void Nobody_holds_a_lock_whose_file_does_not_exist_and_asking_creates_nothing()
    {
        Assert.Null(PidLock.HolderOf(LockPath));
        Assert.False(Directory.Exists(_directory));
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}
