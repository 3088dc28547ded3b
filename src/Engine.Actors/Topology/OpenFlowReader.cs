using System.Collections.Immutable;
using System.Globalization;
using System.Net;

namespace Engine.Actors.Topology;

/// <summary>
/// Reads <c>engine.openflow</c>: <c>controllers</c> (required, "tcp:ADDR:PORT" or "ssl:ADDR:PORT"
/// strings, the port 6653 when left out), <c>datapath-id</c>, <c>fail-mode</c> (standalone unless
/// written, as in Open vSwitch), <c>echo-interval</c>, <c>listen</c> ("ptcp:PORT[:IP]" or
/// "pssl:PORT[:IP]", as Open vSwitch writes it; every address when the IP is left out) and
/// <c>tls</c>, whose files are read here, so <c>engine check</c> refuses a missing or wrong one,
/// and <c>packet-in-budget-kib</c>.
/// </summary>
internal static class OpenFlowReader
{
    private static readonly string[] Keys = ["controllers", "datapath-id", "fail-mode", "echo-interval", "listen", "tls", "packet-in-budget-kib"];
    private static readonly string[] TlsKeys = ["private-key", "certificate", "ca-certificate"];

    private const string ControllerShape = "a controller like \"tcp:127.0.0.1:6653\", \"tcp:[::1]:6653\" or \"ssl:127.0.0.1:6653\"";
    private const string ListenShape = "where to take controllers' connections, like \"ptcp:6653\", \"ptcp:6653:127.0.0.1\" or \"pssl:6653:127.0.0.1\"";
    private const string TlsNeeded = "needs engine.openflow.tls { private-key, certificate, ca-certificate }";
    private const string DatapathShape = "a datapath id: 16 hex digits as Open vSwitch writes it, 0x and up to 16 hex digits, or a decimal number";

    public static OpenFlowSpec? Read(ObjectReader engine, ErrorList errors)
    {
        if (engine.Find("openflow") is not { } value || ObjectReader.AsObject(value, errors) is not { } node)
            return null;
        var reader = new ObjectReader(node, errors, Keys);
        // An ssl: or pssl: without a tls block is refused where it is written; a tls block's own errors are its keys'.
        var tlsWritten = !reader.IsAbsent("tls");
        var controllers = ReadControllers(reader, errors, tlsWritten);
        var datapathId = ReadDatapathId(reader, errors);
        var failMode = ReadFailMode(reader, errors);
        var echo = reader.Duration("echo-interval", OpenFlowSpec.MinEchoInterval, OpenFlowSpec.MaxEchoInterval) ?? OpenFlowSpec.DefaultEchoInterval;
        var packetInBudget = reader.Int("packet-in-budget-kib", OpenFlowSpec.MinPacketInBudgetKib, OpenFlowSpec.MaxPacketInBudgetKib)
            ?? OpenFlowSpec.DefaultPacketInBudgetKib;
        return new OpenFlowSpec(controllers, datapathId, failMode, echo)
        {
            Listen = ReadListen(reader, errors, tlsWritten), Tls = ReadTls(reader, errors), PacketInBudgetKib = packetInBudget,
        };
    }

    /// <summary>The tls block, its three files read and checked; null when absent or refused.</summary>
    private static OpenFlowTlsSpec? ReadTls(ObjectReader openFlow, ErrorList errors)
    {
        if (openFlow.Find("tls") is not { } value || ObjectReader.AsObject(value, errors) is not { } node)
            return null;
        var reader = new ObjectReader(node, errors, TlsKeys);
        var paths = TlsKeys.Select(key => reader.Scalar(key, "a PEM file's path", required: true)).ToArray();
        if (paths.Any(path => path is null)) return null;
        var spec = new OpenFlowTlsSpec(paths[0]!.Text, paths[1]!.Text, paths[2]!.Text);
        try
        {
            OpenFlow.OpenFlowTlsCredentials.Load(spec);
            return spec;
        }
        catch (OpenFlow.OpenFlowTlsFileException e)
        {
            errors.Add(reader.PathOf(e.Key), e.Message);
            return null;
        }
    }

    private static ImmutableArray<OpenFlowEndpoint> ReadControllers(ObjectReader reader, ErrorList errors, bool tlsWritten)
    {
        if (reader.List("controllers", required: true) is not { } list)
            return [];
        if (list.Items.Count == 0)
            errors.Add(list.Path, $"must name at least one controller, {ControllerShape}");
        var controllers = ImmutableArray.CreateBuilder<OpenFlowEndpoint>();
        foreach (var item in list.Items)
        {
            if (ObjectReader.AsScalar(item, ControllerShape, errors) is not { } scalar)
                continue;
            if (ParseController(scalar.Text) is { } problem)
            {
                errors.Add(scalar.Path, problem);
                continue;
            }
            var controller = Controller(scalar.Text);
            if (controller.Tls && !tlsWritten)
                errors.Add(scalar.Path, $"{controller.Describe()} {TlsNeeded}");
            else if (controllers.Any(listed => listed.Address.Equals(controller.Address)))
                errors.Add(scalar.Path, $"{controller.Describe()} is listed twice");
            else
                controllers.Add(controller);
        }
        return controllers.ToImmutable();
    }

    /// <returns>Why <paramref name="text"/> is not a controller the engine can dial, or null.</returns>
    private static string? ParseController(string text)
    {
        var colon = text.IndexOf(':');
        var scheme = colon < 0 ? text : text[..colon];
        if (scheme is "unix" or "ptcp" or "pssl" or "punix")
            return $"{scheme}: is not supported; the engine dials controllers over tcp: or ssl: {ValueText.Quote(text)}";
        if (scheme is not ("tcp" or "ssl") || colon < 0)
            return $"must be {ControllerShape}, got {ValueText.Quote(text)}";
        return PeerEndpointText.ParseIP(WithPort(text[(colon + 1)..]), listen: false, out _);
    }

    private static OpenFlowEndpoint Controller(string text)
    {
        var colon = text.IndexOf(':');
        PeerEndpointText.ParseIP(WithPort(text[(colon + 1)..]), listen: false, out var endPoint);
        return new OpenFlowEndpoint(endPoint!, Tls: text[..colon] == "ssl");
    }

    /// <summary>An address alone, as "tcp:127.0.0.1" or "tcp:[::1]", gets OpenFlow's port.</summary>
    private static string WithPort(string endPoint)
    {
        if (AddressText.TryParseAddress(endPoint, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
            return endPoint + ":" + OpenFlowSpec.DefaultPort;
        if (endPoint.StartsWith('[') && endPoint.EndsWith(']'))
            return endPoint + ":" + OpenFlowSpec.DefaultPort;
        return endPoint;
    }

    private static OpenFlowEndpoint? ReadListen(ObjectReader reader, ErrorList errors, bool tlsWritten)
    {
        if (reader.Scalar("listen", ListenShape) is not { } written)
            return null;
        var parts = written.Text.Split(':', 3);
        if (parts.Length >= 2 && parts[0] is "ptcp" or "pssl" && ushort.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port > 0)
        {
            var tls = parts[0] == "pssl";
            if (tls && !tlsWritten)
            {
                errors.Add(written.Path, $"{written.Text} {TlsNeeded}");
                return null;
            }
            if (parts.Length == 2) return new OpenFlowEndpoint(new IPEndPoint(IPAddress.Any, port), tls);
            if (IPAddress.TryParse(parts[2].Trim('[', ']'), out var address)) return new OpenFlowEndpoint(new IPEndPoint(address, port), tls);
        }
        errors.Add(written.Path, $"must be {ListenShape}, got {written.Describe()}");
        return null;
    }

    private static ulong ReadDatapathId(ObjectReader reader, ErrorList errors)
    {
        if (reader.Scalar("datapath-id", DatapathShape) is not { } written)
            return OpenFlowSpec.DefaultDatapathId;
        if (TryParseDatapathId(written.Text, out var id))
            return id;
        errors.Add(written.Path, $"must be {DatapathShape}, got {written.Describe()}");
        return OpenFlowSpec.DefaultDatapathId;
    }

    public static bool TryParseDatapathId(string text, out ulong id)
    {
        id = 0;
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            return text.Length is > 2 and <= 18 && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id);
        // Open vSwitch's other-config:datapath-id is exactly 16 hex digits.
        if (text.Length == 16)
            return ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out id);
        return text.Length > 0 && text.All(char.IsAsciiDigit) && ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out id);
    }

    private static OpenFlowFailMode ReadFailMode(ObjectReader reader, ErrorList errors)
    {
        const string expectation = "secure or standalone";
        if (reader.Scalar("fail-mode", expectation) is not { } written)
            return OpenFlowFailMode.Standalone;
        switch (written.Text)
        {
            case "secure": return OpenFlowFailMode.Secure;
            case "standalone": return OpenFlowFailMode.Standalone;
        }
        errors.Add(written.Path, $"must be {expectation}, got {written.Describe()}");
        return OpenFlowFailMode.Standalone;
    }
}
