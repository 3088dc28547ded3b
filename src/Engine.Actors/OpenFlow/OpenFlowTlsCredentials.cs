using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Engine.Actors.Topology;

namespace Engine.Actors.OpenFlow;

/// <summary>
/// The switch's side of TLS, as Open vSwitch does it (<c>ovs-vsctl set-ssl KEY CERT CACERT</c>):
/// each side shows a certificate and takes only a peer whose certificate chains to the CA file,
/// whether the engine dials (<c>ssl:</c>) or listens (<c>pssl:</c>). As in Open vSwitch, the
/// peer's name is not checked against its certificate: the CA is the trust.
/// </summary>
public sealed class OpenFlowTlsCredentials
{
    private readonly SslStreamCertificateContext _own;
    private readonly X509Certificate2Collection _authorities;

    private OpenFlowTlsCredentials(X509Certificate2 certificate, X509Certificate2Collection authorities)
    {
        // offline: the chain is built from what the files hold, never fetched.
        _own = SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true);
        _authorities = authorities;
    }

    /// <summary>Reads the three files; <see cref="OpenFlowTlsFileException"/> names the key whose file is missing or wrong.</summary>
    public static OpenFlowTlsCredentials Load(OpenFlowTlsSpec spec)
    {
        var keyPem = ReadText("private-key", spec.PrivateKey);
        var certificatePem = ReadText("certificate", spec.Certificate);
        var authoritiesPem = ReadText("ca-certificate", spec.CaCertificate);
        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(certificatePem, keyPem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            // Which file is wrong: the certificate alone, or else the key (not a key, or not this certificate's).
            try
            {
                X509Certificate2.CreateFromPem(certificatePem).Dispose();
            }
            catch (Exception certificateError) when (certificateError is CryptographicException or ArgumentException)
            {
                throw new OpenFlowTlsFileException("certificate", $"{spec.Certificate} holds no PEM certificate: {certificateError.Message}");
            }
            throw new OpenFlowTlsFileException("private-key", $"{spec.PrivateKey} is not the PEM private key of {spec.Certificate}: {e.Message}");
        }
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPem(authoritiesPem);
        }
        catch (CryptographicException e)
        {
            throw new OpenFlowTlsFileException("ca-certificate", $"{spec.CaCertificate} cannot be read as PEM certificates: {e.Message}");
        }
        if (authorities.Count == 0)
            throw new OpenFlowTlsFileException("ca-certificate", $"{spec.CaCertificate} holds no PEM certificate");
        return new OpenFlowTlsCredentials(certificate, authorities);
    }

    private static string ReadText(string key, string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new OpenFlowTlsFileException(key, e is FileNotFoundException or DirectoryNotFoundException ? $"no such file: {path}" : $"cannot read {path}: {e.Message}");
        }
    }

    /// <summary>For dialling a controller; <paramref name="rejected"/> hears why a controller's certificate was refused.</summary>
    public SslClientAuthenticationOptions ClientOptions(Action<string> rejected) => new()
    {
        TargetHost = "",
        ClientCertificateContext = _own,
        CertificateChainPolicy = ChainPolicy(),
        RemoteCertificateValidationCallback = (_, _, chain, errors) => Accept(chain, errors, rejected),
    };

    /// <summary>For a controller that dialled the listener: it must show a certificate too.</summary>
    public SslServerAuthenticationOptions ServerOptions(Action<string> rejected) => new()
    {
        ServerCertificateContext = _own,
        ClientCertificateRequired = true,
        CertificateChainPolicy = ChainPolicy(),
        RemoteCertificateValidationCallback = (_, _, chain, errors) => Accept(chain, errors, rejected),
    };

    private X509ChainPolicy ChainPolicy()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.AddRange(_authorities);
        return policy;
    }

    private static bool Accept(X509Chain? chain, SslPolicyErrors errors, Action<string> rejected)
    {
        errors &= ~SslPolicyErrors.RemoteCertificateNameMismatch;
        if (errors == SslPolicyErrors.None) return true;
        var why = errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable)
            ? "the peer showed no certificate"
            : "the peer's certificate does not chain to the CA certificate ("
              + string.Join("; ", chain?.ChainStatus.Select(status => status.StatusInformation.Trim()).Distinct() ?? []) + ")";
        rejected(why);
        return false;
    }
}

/// <summary>A TLS file of the lab that is missing or not what its key says; <see cref="Key"/> is its key under <c>engine.openflow.tls</c>.</summary>
public sealed class OpenFlowTlsFileException(string key, string reason) : Exception(reason)
{
    public string Key { get; } = key;
}
