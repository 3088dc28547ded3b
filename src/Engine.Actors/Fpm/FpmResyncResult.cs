namespace Engine.Actors.Fpm;

/// <summary>What the sweep at the end of a resync removed: what zebra had not announced again.</summary>
public readonly record struct FpmResyncResult(int RoutesSwept, int NextHopsSwept);
