namespace Engine.Testing;

/// <summary>The real `engine` binary as a script would run it: one command, its output and exit code.</summary>
public static class EngineCli
{
    public static Shell.Result Run(string arguments, TimeSpan? timeout = null) =>
        Shell.Run("dotnet", $"\"{EngineProcess.EngineDll}\" {arguments}", timeout ?? TimeSpan.FromSeconds(60));
}
