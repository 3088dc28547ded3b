namespace Engine.Actors.OpenFlow;

/// <summary>A frame for the controllers: why, where it came in, the flow's cookie, and how much of it to send.</summary>
public sealed record PacketInRequest(OfpPacketInReason Reason, uint InPort, ulong Cookie, byte[] Frame, ushort MaxLength);

/// <summary>What the data plane takes from the channels: frames to send, and word that the flow table changed.</summary>
public interface IOpenFlowDatapath
{
    void PacketOut(uint inPort, ReadOnlySpan<byte> actions, ReadOnlySpan<byte> data);

    void FlowsChanged();
}
