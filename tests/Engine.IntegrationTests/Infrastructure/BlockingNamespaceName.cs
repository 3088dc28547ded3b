namespace Engine.IntegrationTests.Infrastructure;

/// <summary>
/// Puts a FIFO where a namespace's name was (/run/netns/NAME, after `ip netns delete`): opening
/// the name, as entering the namespace does, then blocks until a writer comes, for real and for
/// as long as the test likes. Once let through, entering fails (a FIFO is no namespace).
/// Disposing lets any open through and removes the FIFO.
/// </summary>
public sealed class BlockingNamespaceName : IDisposable
{
    private BlockingNamespaceName(string path) => Path = path;

    public string Path { get; }

    /// <summary>Deletes <paramref name="ns"/>'s name (the namespace lives on while something holds it) and puts the FIFO there.</summary>
    public static BlockingNamespaceName Replace(string ns)
    {
        var deleted = Shell.Run("ip", $"netns delete {ns}");
        if (deleted.ExitCode != 0) throw new InvalidOperationException(deleted.All);
        var path = $"/run/netns/{ns}";
        var made = Shell.Run("mkfifo", path);
        if (made.ExitCode != 0) throw new InvalidOperationException(made.All);
        return new BlockingNamespaceName(path);
    }

    /// <summary>
    /// Holds the FIFO open for reading and writing (which on Linux never waits): an open that
    /// waits goes through, and so does every open until the handle is disposed.
    /// </summary>
    public IDisposable LetThrough() => new FileStream(Path, FileMode.Open, FileAccess.ReadWrite);

    public void Dispose()
    {
        if (!File.Exists(Path)) return;
        // Nothing may stay blocked on a name that is about to go.
        using var open = LetThrough();
        File.Delete(Path);
    }
}
