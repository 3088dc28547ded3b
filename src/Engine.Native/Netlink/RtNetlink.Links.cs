using Engine.Native.Interop;
using System.Buffers.Binary;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Engine.Native.Netlink;

public sealed partial class RtNetlink
{
    /// <summary>IFNAMSIZ less the terminating NUL.</summary>
    private const int MaxLinkNameLength = 15;

    /// <summary>The link's ifindex; a missing link is a NativeException with ENODEV.</summary>
    public int GetLinkIndex(string name) => GetLink(name).Index;

    /// <summary>Index, name, MTU and flags of one link; a missing link is a NativeException with ENODEV.</summary>
    public LinkInfo GetLink(string name) => QueryLink(name, "get link", name);

    /// <summary>Index, name, MTU and flags of the link with this ifindex; a missing link is a NativeException with ENODEV.</summary>
    public LinkInfo GetLink(int index)
    {
        var target = "ifindex " + index;
        var request = _socket.BeginRequest(RtMessages.GetLink);
        request.WriteLinkHeader(RtMessages.AddressFamilyUnspecified, index: index, flags: 0, change: 0);
        request.AddAttribute(RtAttributes.LinkExtMask, RtMessages.ExtFilterSkipStats);
        var reply = _socket.Query(ref request, RtMessages.NewLink, "get link", target);
        return ParseLink(reply) ?? throw new NativeException("get link", target, Errno.EBADMSG);
    }

    /// <summary>Looks the link up on behalf of <paramref name="operation"/>, which any failure names.</summary>
    private LinkInfo QueryLink(string name, string operation, string target)
    {
        ValidateLinkName(name);
        var request = _socket.BeginRequest(RtMessages.GetLink);
        request.WriteLinkHeader(RtMessages.AddressFamilyUnspecified, index: 0, flags: 0, change: 0);
        request.AddAttribute(RtAttributes.LinkName, name);
        request.AddAttribute(RtAttributes.LinkExtMask, RtMessages.ExtFilterSkipStats);
        var reply = _socket.Query(ref request, RtMessages.NewLink, operation, target);
        return ParseLink(reply) ?? throw new NativeException(operation, target, Errno.EBADMSG);
    }

    /// <summary>All links of the namespace, in the kernel's order.</summary>
    public IReadOnlyList<LinkInfo> ListLinks()
    {
        const int attempts = 3;
        var links = new List<LinkInfo>();
        for (var attempt = 1; ; attempt++)
        {
            links.Clear();
            var request = _socket.BeginRequest(RtMessages.GetLink);
            request.WriteLinkHeader(RtMessages.AddressFamilyUnspecified, index: 0, flags: 0, change: 0);
            request.AddAttribute(RtAttributes.LinkExtMask, RtMessages.ExtFilterSkipStats);
            var consistent = _socket.Dump(ref request, static (type, payload, list) =>
            {
                if (type == RtMessages.NewLink && ParseLink(payload) is { } link)
                    list.Add(link);
            }, links, "list", "links");
            // An interrupted dump may have skipped or doubled links; a fresh one is cheap.
            if (consistent || attempt == attempts)
                return links;
        }
    }

    public void SetLinkUp(string name) => ChangeFlags(name, LinkFlags.Up, LinkFlags.Up, "set link up");

    public void SetLinkDown(string name) => ChangeFlags(name, LinkFlags.None, LinkFlags.Up, "set link down");

    public void SetLinkMtu(string name, int mtu)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mtu);
        ValidateLinkName(name);
        var request = BeginLinkChange(name, LinkFlags.None, LinkFlags.None);
        request.AddAttribute(RtAttributes.LinkMtu, (uint)mtu);
        _socket.Execute(ref request, "set mtu", $"{mtu} on {name}");
    }

    /// <summary>Sets an Ethernet link's (a tap's) MAC address, 6 bytes in network order.</summary>
    public void SetLinkAddress(string name, ReadOnlySpan<byte> mac)
    {
        if (mac.Length != 6) throw new ArgumentException($"a MAC address is 6 bytes, got {mac.Length}", nameof(mac));
        ValidateLinkName(name);
        var request = BeginLinkChange(name, LinkFlags.None, LinkFlags.None);
        request.AddAttribute(RtAttributes.LinkAddress, mac);
        _socket.Execute(ref request, "set mac", name);
    }

    /// <summary>
    /// Moves the link into the namespace behind <paramref name="networkNamespace"/> (an open
    /// /run/netns/NAME, see NetworkNamespace.Open). The link keeps its name; its addresses and
    /// routes stay behind, and it arrives down.
    /// </summary>
    public void MoveLinkToNamespace(string name, SafeFileHandle networkNamespace)
    {
        ArgumentNullException.ThrowIfNull(networkNamespace);
        ValidateLinkName(name);
        var added = false;
        networkNamespace.DangerousAddRef(ref added);
        try
        {
            var request = BeginLinkChange(name, LinkFlags.None, LinkFlags.None);
            request.AddAttribute(RtAttributes.LinkNamespaceFd, (uint)networkNamespace.DangerousGetHandle());
            _socket.Execute(ref request, "move link", $"{name} to namespace");
        }
        finally
        {
            if (added) networkNamespace.DangerousRelease();
        }
    }

    private void ChangeFlags(string name, LinkFlags flags, LinkFlags change, string operation)
    {
        ValidateLinkName(name);
        var request = BeginLinkChange(name, flags, change);
        _socket.Execute(ref request, operation, name);
    }

    /// <summary>RTM_NEWLINK without NLM_F_CREATE addresses an existing link by IFLA_IFNAME.</summary>
    private NetlinkMessageWriter BeginLinkChange(string name, LinkFlags flags, LinkFlags change)
    {
        var request = _socket.BeginRequest(RtMessages.NewLink);
        request.WriteLinkHeader(RtMessages.AddressFamilyUnspecified, index: 0, (uint)flags, (uint)change);
        request.AddAttribute(RtAttributes.LinkName, name);
        return request;
    }

    private static LinkInfo? ParseLink(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < RtMessages.IfInfoSize)
            return null;
        var index = BinaryPrimitives.ReadInt32LittleEndian(payload[4..]);
        var flags = (LinkFlags)BinaryPrimitives.ReadUInt32LittleEndian(payload[8..]);
        string? name = null;
        var mtu = 0;
        var attributes = new RtAttributeReader(payload[NetlinkHeader.Align(RtMessages.IfInfoSize)..]);
        while (attributes.TryRead(out var type, out var value))
        {
            if (type == RtAttributes.LinkName)
                name = Encoding.UTF8.GetString(value.TrimEnd((byte)0));
            else if (type == RtAttributes.LinkMtu && value.Length >= sizeof(uint))
                mtu = (int)BinaryPrimitives.ReadUInt32LittleEndian(value);
        }
        return name is null ? null : new LinkInfo(index, name, mtu, flags);
    }

    private static void ValidateLinkName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (Encoding.UTF8.GetByteCount(name) > MaxLinkNameLength || name.Contains('\0'))
            throw new ArgumentException($"'{name}' is not a valid link name (at most {MaxLinkNameLength} bytes)", nameof(name));
    }
}
