using System.Net;
using Engine.Actors.Topology;
using Engine.Tests.OpenFlow;
using Xunit;

namespace Engine.Tests.Topology;

/// <summary>
/// engine.openflow over TLS, as Open vSwitch writes it: ssl: controllers, a pssl: listener and a
/// tls block of three PEM files, which engine check reads, refusing a missing or wrong one on its key's line.
/// </summary>
public sealed class OpenFlowTlsTopologyTests : IDisposable
{
    private readonly TlsFiles _files = new();

    private string WithTls(string key = "switch-privkey.pem", string certificate = "switch-cert.pem", string ca = "cacert.pem") => $$"""
        engine {
          devices = [ { name = tap-b, type = tap, namespace = host-b, address = "10.0.2.1/24" } ]
          openflow {
            controllers = ["ssl:127.0.0.1:6653", "tcp:127.0.0.1:6654"]
            listen = "pssl:6655:127.0.0.1"
            tls { private-key = "{{_files.Path(key)}}", certificate = "{{_files.Path(certificate)}}", ca-certificate = "{{_files.Path(ca)}}" }
          }
        }
        """;

    [Fact]
    public void Ssl_controllers_a_pssl_listener_and_the_three_files_are_read_and_shown()
    {
        var lab = Lab.Valid(WithTls());
        var openFlow = lab.OpenFlow!;

        Assert.Equal(
            [new OpenFlowEndpoint(new IPEndPoint(IPAddress.Loopback, 6653), Tls: true), new OpenFlowEndpoint(new IPEndPoint(IPAddress.Loopback, 6654))],
            openFlow.Controllers.ToArray());
        Assert.Equal(new OpenFlowEndpoint(new IPEndPoint(IPAddress.Loopback, 6655), Tls: true), openFlow.Listen);
        Assert.Equal(_files.Switch, openFlow.Tls);
        Assert.Contains(
            $"dialing ssl:127.0.0.1:6653, tcp:127.0.0.1:6654, listening on pssl:6655:127.0.0.1, tls certificate {_files.Path("switch-cert.pem")}, ca-certificate {_files.Path("cacert.pem")}\n",
            lab.Describe());
    }

    [Fact]
    public void A_missing_file_is_refused_on_its_key()
    {
        Assert.Equal([$"engine.openflow.tls.ca-certificate: no such file: {_files.Path("missing.pem")}"], Lab.Errors(WithTls(ca: "missing.pem")));
    }

    [Fact]
    public void A_key_that_is_not_a_key_or_not_the_certificates_is_refused_on_the_private_key()
    {
        _files.Write("garbage.pem", "not a key\n");

        var garbage = Assert.Single(Lab.Errors(WithTls(key: "garbage.pem")));
        Assert.StartsWith($"engine.openflow.tls.private-key: {_files.Path("garbage.pem")} is not the PEM private key of {_files.Path("switch-cert.pem")}: ", garbage);
        // The controller's key is a key, but not the one the switch's certificate was made for.
        var another = Assert.Single(Lab.Errors(WithTls(key: "controller-privkey.pem")));
        Assert.StartsWith($"engine.openflow.tls.private-key: {_files.Path("controller-privkey.pem")} is not the PEM private key of ", another);
    }

    [Fact]
    public void A_certificate_or_ca_file_without_a_certificate_is_refused_on_its_key()
    {
        _files.Write("empty.pem", "");

        Assert.StartsWith($"engine.openflow.tls.certificate: {_files.Path("empty.pem")} holds no PEM certificate", Assert.Single(Lab.Errors(WithTls(certificate: "empty.pem"))));
        Assert.Equal([$"engine.openflow.tls.ca-certificate: {_files.Path("empty.pem")} holds no PEM certificate"], Lab.Errors(WithTls(ca: "empty.pem")));
    }

    [Fact]
    public void Each_of_the_three_files_is_required()
    {
        var text = WithTls().Replace($"private-key = \"{_files.Path("switch-privkey.pem")}\", ", "");
        Assert.Equal(["engine.openflow.tls.private-key: required"], Lab.Errors(text));
    }

    public void Dispose() => _files.Dispose();
}
