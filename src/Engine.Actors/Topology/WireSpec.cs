namespace Engine.Actors.Topology;

/// <summary>
/// Two ports joined directly, bypassing the router: every frame from one goes out of the other
/// unchanged, and the reverse. <paramref name="First"/> and <paramref name="Second"/> name
/// devices or peers of the lab.
/// </summary>
public sealed record WireSpec(string First, string Second)
{
    public override string ToString() => $"{First} <-> {Second}";
}
