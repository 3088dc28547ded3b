namespace Engine.Actors.OpenFlow;

/// <summary>Writes a port as ofp_port (64 bytes, spec section 7.2.1), for PORT_DESC and PORT_STATUS.</summary>
public static class OfpPortDescription
{
    public const int Size = 64;
    private const int NameSize = 16;
    private const uint ConfigDown = 1;
    private const uint StateLinkDown = 1, StateLive = 4;
    // A virtual port has no physical medium: OFPPF_OTHER, and a nominal 10 Gb/s so that
    // controllers which weigh paths by speed see a number.
    private const uint FeatureOther = 1 << 12;
    private const uint NominalSpeedKbps = 10_000_000;

    public static void Write(OfpWriter writer, OpenFlowPort port)
    {
        writer.U32(port.Number).Zeros(4);
        for (var shift = 40; shift >= 0; shift -= 8) writer.U8((byte)(port.HardwareAddress >> shift));
        writer.Zeros(2).Text(port.Name, NameSize)
            .U32(port.LinkUp ? 0 : ConfigDown)
            .U32(port.LinkUp ? StateLive : StateLinkDown)
            .U32(FeatureOther).U32(0).U32(0).U32(0)
            .U32(NominalSpeedKbps).U32(NominalSpeedKbps);
    }
}
