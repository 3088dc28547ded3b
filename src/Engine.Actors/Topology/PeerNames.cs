namespace Engine.Actors.Topology;

/// <summary>The words a lab file and the plan use for peer roles, transports and framings.</summary>
internal static class PeerNames
{
    public static readonly (string Name, PeerRole Value)[] Roles =
        [("controller", PeerRole.Controller), ("quagga", PeerRole.Quagga), ("engine", PeerRole.Engine)];

    public static readonly (string Name, PeerTransport Value)[] Transports =
        [("tcp", PeerTransport.Tcp), ("udp", PeerTransport.Udp), ("unix", PeerTransport.Unix)];

    public static readonly (string Name, PeerFraming Value)[] Framings =
        [("length16", PeerFraming.Length16), ("datagram", PeerFraming.Datagram), ("engine", PeerFraming.Engine)];

    public static string Of(PeerRole role) => NameIn(Roles, role);

    public static string Of(PeerTransport transport) => NameIn(Transports, transport);

    public static string Of(PeerFraming framing) => NameIn(Framings, framing);

    /// <summary>"controller, quagga or engine": completes "must be ...".</summary>
    public static string Choices<T>((string Name, T Value)[] table) =>
        string.Join(", ", table[..^1].Select(entry => entry.Name)) + " or " + table[^1].Name;

    public static bool TryParse<T>((string Name, T Value)[] table, string text, out T value) where T : struct, Enum
    {
        foreach (var entry in table)
        {
            if (entry.Name == text)
            {
                value = entry.Value;
                return true;
            }
        }
        value = default;
        return false;
    }

    private static string NameIn<T>((string Name, T Value)[] table, T value) where T : struct, Enum
    {
        foreach (var entry in table)
            if (EqualityComparer<T>.Default.Equals(entry.Value, value))
                return entry.Name;
        throw new ArgumentOutOfRangeException(nameof(value), value, "not a value the lab file can name");
    }
}
