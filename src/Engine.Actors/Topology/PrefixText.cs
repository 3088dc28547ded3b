using System.Net;

namespace Engine.Actors.Topology;

/// <summary>
/// Network prefixes as a lab file writes them: "ADDR/LEN" with the length in range for the family
/// and no host bits. IPNetwork.TryParse clears host bits without a word; a prefix written with
/// them is usually an interface address pasted by mistake, so it is refused, not rounded down.
/// </summary>
internal static class PrefixText
{
    /// <param name="shape">Completes "not ...: TEXT", e.g. "a prefix like 10.0.1.0/24".</param>
    /// <param name="bareAddressAllowed">Read a plain address as the prefix of that one address (/32, /128).</param>
    /// <returns>Why the text is not a prefix, or null when <paramref name="network"/> holds it.</returns>
    public static string? Parse(string text, string shape, bool bareAddressAllowed, out IPNetwork network)
    {
        network = default;
        if (bareAddressAllowed && AddressText.TryParseAddress(text, out var single))
        {
            network = new IPNetwork(single, AddressText.MaxPrefixLength(single.AddressFamily));
            return null;
        }
        if (!AddressText.TryParseAddressAndLength(text, out var address, out var length))
            return $"not {shape}: {ValueText.Quote(text)}";
        var max = AddressText.MaxPrefixLength(address.AddressFamily);
        if (length > max)
            return $"prefix length {length} is out of range for {AddressText.FamilyName(address.AddressFamily)} (0..{max}): {ValueText.Quote(text)}";
        if (!IPNetwork.TryParse(text, out network) || !network.BaseAddress.Equals(address))
            return $"host bits set in {text} (did you mean {AddressText.NetworkOf(address, length)}?)";
        return null;
    }
}
