using Engine.Actors.Topology;

namespace Engine.Commands;

internal static class CheckCommand
{
    public static int Execute(FileInfo config)
    {
        var result = TopologyParser.ParseFile(config.FullName);
        if (!result.IsValid)
        {
            foreach (var error in result.Errors) Console.Error.WriteLine(error);
            return EngineCommandLine.ExitConfigError;
        }
        Console.WriteLine($"{config.Name}: valid");
        Console.WriteLine(result.Topology!.Describe());
        return 0;
    }
}
