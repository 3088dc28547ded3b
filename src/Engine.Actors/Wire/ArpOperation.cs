namespace Engine.Actors.Wire;

/// <summary>The ARP operations <see cref="ArpPacket"/> accepts (RFC 826).</summary>
public enum ArpOperation : ushort
{
    Request = 1,
    Reply = 2,
}
