namespace Engine.Hosting;

/// <summary>What `engine run` does once its lab is up: write a ready file, wait for some peers' links first.</summary>
/// <param name="ReadyFile">Written (whole, by a rename) once the lab is up: {"pid", "socket", "ports"}; null for none.</param>
/// <param name="WaitPeers">Peers whose link must be up as well before the lab counts as ready.</param>
public sealed record ReadinessOptions(string? ReadyFile, IReadOnlyList<string> WaitPeers)
{
    public static readonly ReadinessOptions None = new(null, []);
}
