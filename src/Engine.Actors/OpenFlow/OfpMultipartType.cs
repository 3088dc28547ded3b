namespace Engine.Actors.OpenFlow;

/// <summary>The multipart (statistics) requests (ofp_multipart_type, spec section 7.3.5).</summary>
public enum OfpMultipartType : ushort
{
    Desc = 0,
    Flow = 1,
    Aggregate = 2,
    Table = 3,
    PortStats = 4,
    Queue = 5,
    Group = 6,
    GroupDesc = 7,
    GroupFeatures = 8,
    Meter = 9,
    MeterConfig = 10,
    MeterFeatures = 11,
    TableFeatures = 12,
    PortDesc = 13,
    Experimenter = 0xffff,
}
