namespace Engine.Actors.OpenFlow;

/// <summary>OpenFlow's port numbers (ofp_port_no): ports 1 to <see cref="Max"/>, then the reserved ones.</summary>
public static class OfpPortNumbers
{
    public const uint Max = 0xffffff00;
    public const uint InPort = 0xfffffff8;
    public const uint Table = 0xfffffff9;
    public const uint Normal = 0xfffffffa;
    public const uint Flood = 0xfffffffb;
    public const uint All = 0xfffffffc;
    public const uint Controller = 0xfffffffd;
    public const uint Local = 0xfffffffe;
    public const uint Any = 0xffffffff;

    /// <summary>No buffer on the switch: PACKET_IN carries the frame, PACKET_OUT brings it (OFP_NO_BUFFER).</summary>
    public const uint NoBuffer = 0xffffffff;

    /// <summary>A controller output that asks for the whole frame (OFPCML_NO_BUFFER).</summary>
    public const ushort ControllerNoBuffer = 0xffff;
}
