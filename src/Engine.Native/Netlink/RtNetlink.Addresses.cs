using System.Net;

namespace Engine.Native.Netlink;

public sealed partial class RtNetlink
{
    /// <summary>
    /// Adds <paramref name="address"/>/<paramref name="prefixLength"/> to the link, which also
    /// installs the connected route. IPv6 addresses skip duplicate address detection so they are
    /// usable at once. An address already present is a NativeException with EEXIST.
    /// </summary>
    public void AddAddress(string linkName, IPAddress address, int prefixLength)
    {
        var family = AddressFamilies.Validate(address, prefixLength, nameof(address));
        const string operation = "add address";
        var target = $"{address}/{prefixLength} on {linkName}";
        var index = QueryLink(linkName, operation, target).Index;
        var flags = family == RtMessages.AddressFamilyInet6 ? RtMessages.AddressNoDad : (byte)0;
        // Like iproute2: loopback addresses get host scope, everything else is global.
        var scope = IPAddress.IsLoopback(address) ? RtMessages.ScopeHost : RtMessages.ScopeUniverse;

        var request = _socket.BeginRequest(RtMessages.NewAddress, NetlinkHeader.Create | NetlinkHeader.Exclusive);
        request.WriteAddressHeader(family, (byte)prefixLength, flags, scope, index);
        WriteAddressAttributes(ref request, address);
        request.AddAttribute(RtAttributes.AddressFlags, flags);
        _socket.Execute(ref request, operation, target);
    }

    /// <summary>Removes the address; one that is not on the link is a NativeException with EADDRNOTAVAIL.</summary>
    public void DeleteAddress(string linkName, IPAddress address, int prefixLength)
    {
        var family = AddressFamilies.Validate(address, prefixLength, nameof(address));
        const string operation = "delete address";
        var target = $"{address}/{prefixLength} on {linkName}";
        var index = QueryLink(linkName, operation, target).Index;

        var request = _socket.BeginRequest(RtMessages.DelAddress);
        request.WriteAddressHeader(family, (byte)prefixLength, flags: 0, RtMessages.ScopeUniverse, index);
        WriteAddressAttributes(ref request, address);
        _socket.Execute(ref request, operation, target);
    }

    /// <summary>Without a peer, IFA_LOCAL and IFA_ADDRESS are the same address (as iproute2 sends it).</summary>
    private static void WriteAddressAttributes(ref NetlinkMessageWriter request, IPAddress address)
    {
        request.AddAttribute(RtAttributes.AddressLocal, address);
        request.AddAttribute(RtAttributes.AddressAddress, address);
    }
}
