namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// A CA made with openssl (req, x509) in a temporary directory, and the keys and certificates it
/// signs, named as ovs-pki names them (NAME-privkey.pem, NAME-cert.pem; the CA's cacert.pem).
/// Deleted on dispose.
/// </summary>
internal sealed class OpenSslPki : IDisposable
{
    public OpenSslPki(string name)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory($"engine-pki-{name}-").FullName;
        OpenSsl($"req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN={name}-ca -keyout ca-privkey.pem -out cacert.pem");
    }

    public string Directory { get; }

    public string CaCertificate => Path("cacert.pem");

    public string Path(string file) => System.IO.Path.Combine(Directory, file);

    public string PrivateKey(string name) => Path(name + "-privkey.pem");

    public string Certificate(string name) => Path(name + "-cert.pem");

    /// <summary>A key and a certificate for <paramref name="name"/> that this CA signs.</summary>
    public OpenSslPki Issue(string name)
    {
        OpenSsl($"req -newkey rsa:2048 -nodes -subj /CN={name} -keyout {name}-privkey.pem -out {name}-req.pem");
        OpenSsl($"x509 -req -days 2 -in {name}-req.pem -CA cacert.pem -CAkey ca-privkey.pem -CAcreateserial -out {name}-cert.pem");
        return this;
    }

    /// <summary>The lab's tls block for the switch <paramref name="name"/> of this CA, trusting <paramref name="caCertificate"/> (this CA unless given).</summary>
    public string TlsBlock(string name, string? caCertificate = null) =>
        $"tls {{ private-key = \"{PrivateKey(name)}\", certificate = \"{Certificate(name)}\", ca-certificate = \"{caCertificate ?? CaCertificate}\" }}";

    private void OpenSsl(string arguments)
    {
        var result = Shell.Run("sh", $"-c \"cd {Directory} && openssl {arguments}\"", TimeSpan.FromSeconds(30));
        if (result.ExitCode != 0) throw new InvalidOperationException($"openssl {arguments}: {result.All}");
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
