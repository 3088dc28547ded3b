using System.Globalization;

namespace Engine.IntegrationTests.Infrastructure;

/// <summary>Many UDP flows of one datagram each (a source port per flow), and the packets a device received, for ECMP tests.</summary>
public static class UdpFlows
{
    /// <summary>Sends <paramref name="count"/> datagrams to <paramref name="destination"/> port 9 from as many source ports.</summary>
    public static Shell.Result Send(string ns, string destination, int count) =>
        Shell.InNamespace(ns, "python3 -c \"import socket\n" +
            $"for port in range(40000, {40000 + count}):\n" +
            "    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(('0.0.0.0', port)); " +
            $"s.sendto(b'ecmp', ('{destination}', 9)); s.close()\"");

    /// <summary>Packets device <paramref name="device"/> in <paramref name="ns"/> has received, as its kernel counts them.</summary>
    public static long Received(string ns, string device) =>
        long.Parse(Shell.InNamespace(ns, $"cat /sys/class/net/{device}/statistics/rx_packets").Output.Trim(), CultureInfo.InvariantCulture);
}
