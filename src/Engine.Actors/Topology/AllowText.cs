using System.Collections.Immutable;
using System.Net;

namespace Engine.Actors.Topology;

/// <summary>An <c>allow</c> list as a listener takes it (a peer's, the FPM server's): prefixes, or single addresses.</summary>
internal static class AllowText
{
    public static ImmutableArray<IPNetwork> Read(IReadOnlyList<HoconScalar> written, ErrorList errors)
    {
        var allow = ImmutableArray.CreateBuilder<IPNetwork>(written.Count);
        foreach (var item in written)
        {
            if (PrefixText.Parse(item.Text, "a prefix like 10.0.0.0/8 or an address", bareAddressAllowed: true, out var network) is { } problem)
                errors.Add(item.Path, problem);
            else
                allow.Add(network);
        }
        return allow.ToImmutable();
    }
}
