using System.Buffers.Binary;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// An OXM match (ofp_match of type OFPMT_OXM, spec section 7.2.3): fields in id order, each
/// value stored under its mask so two matches of the same frames compare equal. Reading checks
/// lengths, classes, masks, duplicates and prerequisites and names the error the spec gives each.
/// </summary>
public sealed class OxmMatch
{
    private const ushort OxmType = 1;
    private const int FieldHeader = 4;
    public const int MinSize = 8;

    private OxmMatch(OxmField[] fields) => Fields = fields;

    public static OxmMatch Any { get; } = new([]);

    public IReadOnlyList<OxmField> Fields { get; }

    public OxmField? Find(OxmFieldId id)
    {
        foreach (var field in Fields)
            if (field.Id == id) return field;
        return null;
    }

    /// <summary>The match at the start of <paramref name="bytes"/>; <paramref name="size"/> is what it takes, padding included.</summary>
    public static OfpError? TryRead(ReadOnlySpan<byte> bytes, out OxmMatch match, out int size)
    {
        match = Any;
        size = 0;
        if (bytes.Length < 4) return OfpError.BadLength;
        var type = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        var length = BinaryPrimitives.ReadUInt16BigEndian(bytes[2..]);
        if (type != OxmType) return OfpError.BadMatchType;
        size = (length + 7) & ~7;
        if (length < 4 || size > bytes.Length) return OfpError.BadMatchLength;
        var fields = new List<OxmField>();
        var rest = bytes[4..length];
        while (!rest.IsEmpty)
        {
            if (rest.Length < FieldHeader) return OfpError.BadMatchLength;
            var oxmClass = BinaryPrimitives.ReadUInt16BigEndian(rest);
            var id = (byte)(rest[2] >> 1);
            var hasMask = (rest[2] & 1) != 0;
            var payload = rest[3];
            if (FieldHeader + payload > rest.Length) return OfpError.BadMatchLength;
            if (oxmClass != OxmFields.BasicClass || !OxmFields.TryDescribe(id, out var fieldSize, out var maskable)) return OfpError.BadField;
            if (payload != (hasMask ? 2 * fieldSize : fieldSize)) return OfpError.BadMatchLength;
            if (hasMask && !maskable) return OfpError.BadMask;
            var value = rest.Slice(FieldHeader, fieldSize).ToArray();
            var mask = hasMask ? rest.Slice(FieldHeader + fieldSize, fieldSize).ToArray() : null;
            if (mask is not null)
                for (var i = 0; i < fieldSize; i++)
                    // Spec 7.2.3.5: a value bit set where the mask is clear is an error.
                    if ((value[i] & ~mask[i]) != 0) return OfpError.BadValue;
            if (fields.Exists(f => (byte)f.Id == id)) return OfpError.DuplicateField;
            fields.Add(new OxmField((OxmFieldId)id, value, mask));
            rest = rest[(FieldHeader + payload)..];
        }
        fields.Sort((a, b) => a.Id.CompareTo(b.Id));
        match = new OxmMatch([.. fields]);
        return match.PrerequisiteProblem() ? OfpError.BadPrerequisite : null;
    }

    /// <summary>Whether a field is present without the fields it depends on (spec table 11).</summary>
    private bool PrerequisiteProblem()
    {
        var ethType = Find(OxmFieldId.EthType)?.Number;
        var ipProto = Find(OxmFieldId.IpProto)?.Number;
        foreach (var field in Fields)
        {
            var holds = field.Id switch
            {
                OxmFieldId.VlanPcp => Find(OxmFieldId.VlanVid) is { } vid && vid.Number != 0,
                OxmFieldId.IpDscp or OxmFieldId.IpProto => ethType is 0x0800 or 0x86dd,
                OxmFieldId.Ipv4Src or OxmFieldId.Ipv4Dst => ethType == 0x0800,
                OxmFieldId.Ipv6Src or OxmFieldId.Ipv6Dst => ethType == 0x86dd,
                OxmFieldId.TcpSrc or OxmFieldId.TcpDst => ipProto == 6,
                OxmFieldId.UdpSrc or OxmFieldId.UdpDst => ipProto == 17,
                OxmFieldId.Icmpv4Type or OxmFieldId.Icmpv4Code => ipProto == 1 && ethType == 0x0800,
                OxmFieldId.Icmpv6Type or OxmFieldId.Icmpv6Code => ipProto == 58 && ethType == 0x86dd,
                OxmFieldId.ArpOp or OxmFieldId.ArpSpa or OxmFieldId.ArpTpa => ethType == 0x0806,
                _ => true,
            };
            if (!holds) return true;
        }
        return false;
    }

    public void Write(OfpWriter writer)
    {
        var start = writer.Position;
        writer.U16(OxmType);
        var lengthAt = writer.Position;
        writer.U16(0);
        foreach (var field in Fields)
        {
            writer.U16(OxmFields.BasicClass).U8((byte)((byte)field.Id << 1 | (field.Mask is null ? 0 : 1)))
                .U8((byte)(field.Value.Length * (field.Mask is null ? 1 : 2))).Bytes(field.Value);
            if (field.Mask is not null) writer.Bytes(field.Mask);
        }
        writer.PatchU16(lengthAt, (ushort)(writer.Position - start));
        writer.PadTo8(start);
    }

    /// <summary>A match of the ingress port alone, as PACKET_IN carries it.</summary>
    public static OxmMatch InPort(uint port)
    {
        var value = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(value, port);
        return new OxmMatch([new OxmField(OxmFieldId.InPort, value, null)]);
    }

    /// <summary>Whether every frame <paramref name="narrower"/> takes, this takes too: the non-strict test of FLOW_MOD's modify and delete and of flow stats.</summary>
    public bool Covers(OxmMatch narrower)
    {
        foreach (var field in Fields)
            if (narrower.Find(field.Id) is not { } other || !field.Covers(other)) return false;
        return true;
    }

    /// <summary>Whether some frame could match both (CHECK_OVERLAP).</summary>
    public bool Overlaps(OxmMatch other)
    {
        foreach (var field in Fields)
            if (other.Find(field.Id) is { } theirs && !field.Overlaps(theirs)) return false;
        return true;
    }

    public bool SameAs(OxmMatch other)
    {
        if (Fields.Count != other.Fields.Count) return false;
        for (var i = 0; i < Fields.Count; i++)
            if (!Fields[i].SameAs(other.Fields[i])) return false;
        return true;
    }
}
