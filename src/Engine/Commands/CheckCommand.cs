
namespace Engine.Commands;

internal static class CheckCommand
{
    public static int Execute(FileInfo config)
    {
        if (!LabFile.TryLoad(config, out var lab, new KernelLinkNames())) return EngineCommandLine.ExitConfigError;
        Console.WriteLine($"{config.Name}: valid");
        Console.WriteLine(lab.Describe());
        return 0;
    }
}
