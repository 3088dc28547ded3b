using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// The switch's side of role requests between several controllers (spec section 6.3.7): at most
/// one connection is master, and one that asks to be demotes the one before to slave; a master
/// or slave request whose generation id is older than the last one seen (compared as the spec
/// says, by signed difference) is ROLE_REQUEST_FAILED/STALE. A slave may read but not change the
/// switch (<see cref="ChangesTheSwitch"/>). Shared by the switch's sessions, locked, as the flow table is.
/// </summary>
public sealed class OfpRoleArbiter
{
    private const int MultipartHeader = 16;

    private readonly Lock _gate = new();
    private object? _master;
    private bool _generationDefined;
    private ulong _generation;

    /// <summary>The generation id the replies carry: the last one seen, or all ones before any.</summary>
    public ulong Generation
    {
        get
        {
            lock (_gate) return _generationDefined ? _generation : ulong.MaxValue;
        }
    }

    /// <summary>Takes <paramref name="session"/>'s request for <paramref name="role"/> (not NoChange), or says why not.</summary>
    public OfpError? Request(object session, OfpRole role, ulong generation)
    {
        lock (_gate)
        {
            if (role is OfpRole.Master or OfpRole.Slave)
            {
                if (_generationDefined && (long)(generation - _generation) < 0) return OfpError.RoleStale;
                (_generationDefined, _generation) = (true, generation);
            }
            if (role == OfpRole.Master) _master = session;
            else if (_master == session) _master = null;
            return null;
        }
    }

    /// <summary>Whether <paramref name="session"/> is the master now: one that was and is no longer has been demoted.</summary>
    public bool IsMaster(object session)
    {
        lock (_gate) return _master == session;
    }

    /// <summary>
    /// What a slave may not send (spec section 6.3.7): PACKET_OUT, FLOW_MOD, GROUP_MOD, PORT_MOD,
    /// TABLE_MOD and a TABLE_FEATURES request with a body (which sets features); METER_MOD too, as
    /// Open vSwitch refuses it. A slave hears BAD_REQUEST/IS_SLAVE for them, whatever else the switch would say.
    /// </summary>
    public static bool ChangesTheSwitch(OfpType type, ReadOnlySpan<byte> message) => type switch
    {
        OfpType.PacketOut or OfpType.FlowMod or OfpType.GroupMod or OfpType.PortMod or OfpType.TableMod or OfpType.MeterMod => true,
        OfpType.MultipartRequest => message.Length > MultipartHeader && BinaryPrimitives.ReadUInt16BigEndian(message[OfpHeader.Size..]) == (ushort)OfpMultipartType.TableFeatures,
        _ => false,
    };
}
