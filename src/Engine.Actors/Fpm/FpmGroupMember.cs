namespace Engine.Actors.Fpm;

/// <summary>One member of a next-hop group: a next-hop object's id and its weight (NHA_GROUP's weight + 1).</summary>
public readonly record struct FpmGroupMember(uint Id, int Weight);
