using Engine.Actors.Routing;

namespace Engine.Tests.Routing;

/// <summary>Prefixes written as text in tests; a typo fails the test with the parser's reason.</summary>
internal static class TestPrefixes
{
    public static IpPrefix Prefix(string text) =>
        IpPrefix.TryParse(text, out var prefix, out var error) ? prefix : throw new ArgumentException($"{text}: {error}", nameof(text));
}
