using System.Diagnostics.CodeAnalysis;
using Engine.Actors.Topology;

namespace Engine.Commands;

/// <summary>Reads the lab file every command starts from; a bad one is reported line by line on stderr.</summary>
internal static class LabFile
{
    /// <param name="kernel">The links that exist, when device names are to be checked against them (check, run).</param>
    public static bool TryLoad(FileInfo config, [NotNullWhen(true)] out LabTopology? lab, ILinkNames? kernel = null)
    {
        var result = TopologyParser.ParseFile(config.FullName, kernel);
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
