using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// Two engines joined by UDP, the first listening only (it learns its peer from the second's
/// datagrams). A stranger on loopback sends what once took the link over or tore it down: a
/// HELLO and a made-up AUTH (keyed), a HELLO (unkeyed), one byte (datagram framing). The hosts
/// keep pinging each other across the link, and the stranger receives none of their frames.
/// </summary>
[Collection("engine")]
public sealed class UdpTakeoverTests(ITestOutputHelper output)
{
    private const int Subnet = 86;
    private const string Key = "a-long-shared-secret-1234";

    [IntegrationTheory]
    [InlineData("engine", true)]
    [InlineData("engine", false)]
    [InlineData("datagram", false)]
    public void A_strangers_datagrams_neither_take_over_nor_end_a_listen_only_link(string framing, bool keyed)
    {
        using var lab = new TestLab();
        var (west, east) = (MeshConfigs.FreePort(udp: true), MeshConfigs.FreePort(udp: true));
        var key = keyed ? $", key = \"{Key}\"" : "";
        using var engine1 = EngineProcess.Start(MeshConfigs.Node(lab, 1, Subnet,
            [$"{{ name = east, role = engine, transport = udp, framing = {framing}, listen = \"127.0.0.1:{west}\"{key} }}"],
            new Dictionary<int, string> { [2] = "via = east" }));
        using var engine2 = EngineProcess.Start(MeshConfigs.Node(lab, 2, Subnet,
            [$"{{ name = west, role = engine, transport = udp, framing = {framing}, listen = \"127.0.0.1:{east}\", connect = \"127.0.0.1:{west}\"{key} }}"],
            new Dictionary<int, string> { [1] = "via = west" }));
        using var stranger = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            // A datagram link learns its peer from the first packet: the second engine's host speaks first.
            AssertPing(lab, from: 2, to: 1, "before the stranger", tries: 3);
            engine1.WaitForLog("peer east up", TimeSpan.FromSeconds(10));

            stranger.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            stranger.Connect(new IPEndPoint(IPAddress.Loopback, west));
            if (framing == "datagram") stranger.Send([0x45]);
            else
            {
                stranger.Send(Message(1, [1, (byte)(keyed ? 1 : 0), .. RandomNumberGenerator.GetBytes(16), .. "node2"u8]));
                if (keyed) stranger.Send(Message(2, new byte[32]));
            }
            var source = stranger.LocalEndPoint!.ToString()!;
            Thread.Sleep(300);

            // The first engine's host speaks first now: its frames must still go to the second engine.
            AssertPing(lab, from: 1, to: 2, "after the stranger", tries: 1);
            var received = Drain(stranger);
            output.WriteLine($"the stranger received message types [{string.Join(", ", received)}]");
            Assert.DoesNotContain(received, type => framing == "datagram" || type == 4); // no DATA, and no packet at all
            Assert.DoesNotContain("peer east down", engine1.Log);
            Assert.DoesNotContain("restarted its handshake", engine1.Log);
            Assert.DoesNotContain($"-> {source}", engine1.Log);
            Assert.Contains($"refused a datagram from {source}", engine1.Log);
        }
        finally
        {
            output.WriteLine("--- engine 1\n" + engine1.Log + "--- engine 2\n" + engine2.Log);
        }
    }

    private static byte[] Message(byte type, byte[] body)
    {
        var message = new byte[8 + body.Length];
        message[0] = type;
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), (uint)body.Length);
        body.CopyTo(message, 8);
        return message;
    }

    /// <summary>The first byte of every datagram waiting on <paramref name="socket"/>.</summary>
    private static List<byte> Drain(Socket socket)
    {
        var types = new List<byte>();
        var buffer = new byte[70000];
        while (socket.Poll(200_000, SelectMode.SelectRead))
            types.Add(buffer[..socket.Receive(buffer)][0]);
        return types;
    }

    private static void AssertPing(TestLab lab, int from, int to, string when, int tries)
    {
        var command = $"ping -n -c 3 -i 0.2 -W 2 {LabConfigs.V4(Subnet, to)}";
        var ping = Shell.InNamespace(lab.Namespace($"h{from}"), command);
        for (var i = 1; i < tries && ping.ExitCode != 0; i++)
            ping = Shell.InNamespace(lab.Namespace($"h{from}"), command);
        Assert.True(ping.ExitCode == 0, $"no ping across the link {when}:\n{ping.All}");
    }
}
