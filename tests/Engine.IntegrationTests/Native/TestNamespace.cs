using System.Security.Cryptography;
using Engine.Native.Namespaces;

namespace Engine.IntegrationTests.Native;

/// <summary>
/// A network namespace with a unique per-run name (engt-XXXXXXXX), deleted on Dispose whether
/// the test passed or not, so nothing a test configures ever touches the host's namespace.
/// </summary>
internal sealed class TestNamespace : IDisposable
{
    private TestNamespace(string name) => Name = name;

    public string Name { get; }

    public static string UniqueName(string prefix = "engt-") =>
        prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));

    public static TestNamespace Create()
    {
        var name = UniqueName();
        NetworkNamespace.Create(name);
        return new TestNamespace(name);
    }

    public void Dispose()
    {
        if (NetworkNamespace.Exists(Name))
            NetworkNamespace.Delete(Name);
    }
}
