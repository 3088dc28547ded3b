using System.Net;
using Engine.Native.Sockets;
using Xunit;

namespace Engine.Tests.Native;

/// <summary>What a UDP socket tells of its path: only once it is connected, and per IP version.</summary>
public sealed class NativeSocketPathTests
{
    [Theory]
    [InlineData("127.0.0.1", 20 + 8)]
    [InlineData("::1", 40 + 8)]
    public void A_connected_udp_socket_knows_the_largest_payload_its_path_carries_in_one_packet(string address, int headers)
    {
        var destination = new IPEndPoint(IPAddress.Parse(address), 9);
        using var socket = NativeSocket.Open(destination, stream: false, "path test");
        Assert.Null(socket.UdpPath());

        socket.Connect(destination);
        var path = socket.UdpPath();

        Assert.NotNull(path);
        var device = int.Parse(File.ReadAllText("/sys/class/net/lo/mtu"), System.Globalization.CultureInfo.InvariantCulture);
        // An IPv4 packet is at most 65535 bytes, whatever the device could carry.
        Assert.Equal(destination.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? Math.Min(device, 65535) : device,
            path.Value.Mtu);
        Assert.Equal(path.Value.Mtu - headers, path.Value.LargestPayload);
    }
}
