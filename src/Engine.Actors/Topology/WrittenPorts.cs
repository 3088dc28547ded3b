using System.Diagnostics.CodeAnalysis;

namespace Engine.Actors.Topology;

/// <summary>The file's devices and peers by the names written for them, valid or not: what wires and switches name.</summary>
internal sealed class WrittenPorts
{
    private readonly Dictionary<string, DeviceEntry> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PeerEntry> _peers = new(StringComparer.Ordinal);

    public WrittenPorts(IReadOnlyList<DeviceEntry> devices, IReadOnlyList<PeerEntry> peers)
    {
        foreach (var device in devices)
            if (device.WrittenName is { } name)
                _devices.TryAdd(name, device);
        foreach (var peer in peers)
            if (peer.WrittenName is { } name)
                _peers.TryAdd(name, peer);
    }

    public bool Contains(string name) => _devices.ContainsKey(name) || _peers.ContainsKey(name);

    public bool TryGetDevice(string name, [MaybeNullWhen(false)] out DeviceEntry device) => _devices.TryGetValue(name, out device);

    public bool TryGetPeer(string name, [MaybeNullWhen(false)] out PeerEntry peer) => _peers.TryGetValue(name, out peer);
}
