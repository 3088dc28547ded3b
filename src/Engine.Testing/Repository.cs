namespace Engine.Testing;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The checkout's root: the nearest directory above the running tests that holds Engine.sln.</summary>
    public static string Root { get; } = FindRoot(AppContext.BaseDirectory);

    private static string FindRoot(string start)
    {
        for (var directory = new DirectoryInfo(start); directory is not null; directory = directory.Parent)
            if (File.Exists(Path.Combine(directory.FullName, "Engine.sln"))) return directory.FullName;
        throw new InvalidOperationException($"no Engine.sln above {start}: Engine.Testing runs from a build inside the repository");
    }
}
