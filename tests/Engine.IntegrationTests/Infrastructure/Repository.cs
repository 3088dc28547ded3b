namespace Engine.IntegrationTests.Infrastructure;

/// <summary>Paths in the repository the tests run from.</summary>
public static class Repository
{
    /// <summary>The checkout's root: tests/Engine.IntegrationTests/bin/&lt;Configuration&gt;/net10.0 is five levels down.</summary>
    public static string Root => Path.GetFullPath(Path.Combine(AppContext.BaseDirectory.TrimEnd('/'), "../../../../.."));
}
