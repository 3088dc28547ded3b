using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// Which asynchronous messages a connection wants (SET_ASYNC and GET_ASYNC, spec section
/// 7.3.10): a bit per PACKET_IN, PORT_STATUS and FLOW_REMOVED reason, one mask for a master or
/// equal connection and one for a slave. The defaults are the spec's: a master or equal gets
/// PACKET_IN for NO_MATCH and ACTION (not INVALID_TTL), every PORT_STATUS and FLOW_REMOVED;
/// a slave PORT_STATUS only.
/// </summary>
public sealed class OfpAsyncConfig
{
    public const int MessageSize = 32;

    private readonly uint[] _packetIn = [0b011, 0], _portStatus = [0b111, 0b111], _flowRemoved = [0b1111, 0];

    /// <param name="message">A SET_ASYNC of <see cref="MessageSize"/> bytes.</param>
    public void Read(ReadOnlySpan<byte> message)
    {
        var masks = message[OfpHeader.Size..];
        for (var i = 0; i < 2; i++)
        {
            _packetIn[i] = BinaryPrimitives.ReadUInt32BigEndian(masks[(4 * i)..]);
            _portStatus[i] = BinaryPrimitives.ReadUInt32BigEndian(masks[(8 + 4 * i)..]);
            _flowRemoved[i] = BinaryPrimitives.ReadUInt32BigEndian(masks[(16 + 4 * i)..]);
        }
    }

    public void Write(OfpWriter writer) =>
        writer.U32(_packetIn[0]).U32(_packetIn[1]).U32(_portStatus[0]).U32(_portStatus[1]).U32(_flowRemoved[0]).U32(_flowRemoved[1]);

    public bool SendsPacketIn(OfpPacketInReason reason, OfpRole role) => Has(_packetIn, (byte)reason, role);

    public bool SendsPortStatus(OfpPortReason reason, OfpRole role) => Has(_portStatus, (byte)reason, role);

    public bool SendsFlowRemoved(byte reason, OfpRole role) => Has(_flowRemoved, reason, role);

    private static bool Has(uint[] masks, byte reason, OfpRole role) => reason < 32 && (masks[role == OfpRole.Slave ? 1 : 0] >> reason & 1) != 0;
}
