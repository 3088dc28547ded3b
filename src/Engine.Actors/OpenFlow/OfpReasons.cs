namespace Engine.Actors.OpenFlow;

/// <summary>A controller's role (ofp_controller_role, spec section 6.3.7).</summary>
public enum OfpRole : uint
{
    NoChange = 0,
    Equal = 1,
    Master = 2,
    Slave = 3,
}

/// <summary>Why a frame goes to the controller (ofp_packet_in_reason).</summary>
public enum OfpPacketInReason : byte
{
    NoMatch = 0,
    Action = 1,
    InvalidTtl = 2,
}

/// <summary>Why PORT_STATUS is sent (ofp_port_reason).</summary>
public enum OfpPortReason : byte
{
    Add = 0,
    Delete = 1,
    Modify = 2,
}
