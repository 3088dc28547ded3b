namespace Engine.Actors.Wire;

/// <summary>
/// IEEE EtherType values (the Ethernet header's type field) the engine tells apart. Values
/// below 0x0600 are 802.3 length fields, not types; they reach the caller unchanged.
/// </summary>
public static class EtherType
{
    public const ushort Ipv4 = 0x0800;
    public const ushort Arp = 0x0806;
    public const ushort Ipv6 = 0x86DD;

    /// <summary>IEEE 802.1Q customer VLAN tag (C-tag): the real type follows a 4-byte tag.</summary>
    public const ushort Vlan = 0x8100;

    /// <summary>IEEE 802.1ad service VLAN tag (S-tag, "Q-in-Q").</summary>
    public const ushort ServiceVlan = 0x88A8;
}
