using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Engine.Actors.OpenFlow;
using Engine.Actors.Topology;

namespace Engine.Tests.OpenFlow;

/// <summary>
/// PEM files in a temporary directory, as ovs-pki would make them: a CA, a switch's key and
/// certificate and a controller's signed by it, and a second CA with a controller of its own
/// (one the switch must refuse). Deleted on dispose.
/// </summary>
internal sealed class TlsFiles : IDisposable
{
    public TlsFiles()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("engine-tls-").FullName;
        using var ca = NewKey();
        using var authority = SelfSigned(ca, "CN=engine test CA");
        Write("cacert.pem", authority.ExportCertificatePem());
        Issue(authority, ca, "switch");
        Issue(authority, ca, "controller");
        using var otherKey = NewKey();
        using var other = SelfSigned(otherKey, "CN=another CA");
        Write("other-cacert.pem", other.ExportCertificatePem());
        Issue(other, otherKey, "stranger");
    }

    public string Directory { get; }

    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    /// <summary>The switch's files as the lab names them: its key, its certificate, the CA.</summary>
    public OpenFlowTlsSpec Switch => new(Path("switch-privkey.pem"), Path("switch-cert.pem"), Path("cacert.pem"));

    /// <summary>Credentials of a peer whose certificate is <paramref name="name"/>'s and which trusts <paramref name="caFile"/>.</summary>
    public OpenFlowTlsCredentials Peer(string name, string caFile = "cacert.pem") =>
        OpenFlowTlsCredentials.Load(new OpenFlowTlsSpec(Path(name + "-privkey.pem"), Path(name + "-cert.pem"), Path(caFile)));

    public void Write(string name, string text) => File.WriteAllText(Path(name), text);

    private void Issue(X509Certificate2 authority, ECDsa authorityKey, string name)
    {
        using var key = NewKey();
        var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
        var serial = RandomNumberGenerator.GetBytes(8);
        using var issued = request.Create(authority.SubjectName, X509SignatureGenerator.CreateForECDsa(authorityKey),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1), serial);
        Write(name + "-cert.pem", issued.ExportCertificatePem());
        Write(name + "-privkey.pem", key.ExportPkcs8PrivateKeyPem());
    }

    private static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static X509Certificate2 SelfSigned(ECDsa key, string subject)
    {
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
