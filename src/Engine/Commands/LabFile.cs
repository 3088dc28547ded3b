using System.Diagnostics.CodeAnalysis;
using Engine.Actors.Topology;

namespace Engine.Commands;

/// <summary>Reads the lab file every command starts from; a bad one is reported line by line on stderr.</summary>
internal static class LabFile
{
    public static bool TryLoad(FileInfo config, [NotNullWhen(true)] out LabTopology? lab)
    {
        var result = TopologyParser.ParseFile(config.FullName);
        if (result.IsValid)
        {
            lab = result.Topology;
            return true;
        }
        lab = null;
        foreach (var error in result.Errors) Console.Error.WriteLine(error);
        return false;
    }
}
