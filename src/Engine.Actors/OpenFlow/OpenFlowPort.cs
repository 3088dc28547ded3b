using Engine.Actors.Counters;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// One port of the switch as a controller sees it: the lab's device or peer with OpenFlow number
/// <see cref="Number"/> (its engine index plus one), its name, a hardware address and its counters.
/// </summary>
/// <param name="HardwareAddress">Locally administered and unique per datapath and port: the engine's ports have no address of their own to show.</param>
public sealed record OpenFlowPort(uint Number, string Name, ulong HardwareAddress, PortCounters Counters)
{
    /// <summary>Whether the port can carry frames now: a device always, a peer while its link is up.</summary>
    public bool LinkUp { get; set; } = true;

    public int EngineIndex => (int)Number - 1;

    /// <summary>02:xx from the datapath id's low 24 bits and the port number's low 16: distinct within one switch.</summary>
    public static ulong AddressFor(ulong datapathId, uint number) =>
        0x02UL << 40 | (datapathId & 0xff_ffff) << 16 | (number & 0xffff);
}
