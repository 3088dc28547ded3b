using Engine.IntegrationTests.Infrastructure;
using Engine.IntegrationTests.Lab;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>
/// The OpenFlow channel over TLS against real controllers on 127.0.0.1, with certificates made by
/// openssl in the test: ovs-testcontroller (pssl:) learns three tap hosts, in namespaces the test
/// creates, that ping each other through its flows; a controller whose certificate another CA
/// signed, or one that speaks plain TCP, is refused, counted and redialled while the lab forwards
/// on its own; a controller dials
/// the engine's pssl: listener; os-ken's learning switch of the project's own drives the engine over TLS too.
/// </summary>
[Collection("engine")]
public sealed class OpenFlowTlsTests(ITestOutputHelper output)
{
    private const int Subnet = 157;

    /// <param name="openFlow">The openflow block's keys.</param>
    /// <param name="labSwitch">Join the taps in a switch of the lab's own, for standalone mode to forward on.</param>
    private static string TapLab(TestLab lab, int hosts, string openFlow, bool labSwitch = false)
    {
        var devices = string.Join("\n", Enumerable.Range(1, hosts).Select(i =>
            $"    {{ name = {lab.Device($"h{i}")}, type = tap, namespace = {lab.Namespace($"h{i}")}, address = \"10.{Subnet}.0.{i}/24\" }}"));
        var ports = string.Join(", ", Enumerable.Range(1, hosts).Select(i => lab.Device($"h{i}")));
        return $"engine {{\n  counters-interval = 1s\n  devices = [\n{devices}\n  ]\n"
            + (labSwitch ? $"  switches = [ {{ name = lan, ports = [{ports}] }} ]\n" : "")
            + $"  openflow {{\n    {openFlow}\n  }}\n}}\n";
    }

    [IntegrationFact]
    public void Ovs_testcontroller_over_tls_learns_three_hosts_that_ping_each_other_through_its_flows()
    {
        using var lab = new TestLab();
        using var pki = new OpenSslPki("of").Issue("switch").Issue("controller");
        var port = MeshConfigs.FreePort();
        using var ovs = new Background("ovs-testcontroller",
            $"--unixctl=none -O OpenFlow13 -p {pki.PrivateKey("controller")} -c {pki.Certificate("controller")} -C {pki.CaCertificate} pssl:{port}:127.0.0.1");
        using var engine = EngineProcess.Start(TapLab(lab, 3, $"controllers = [\"ssl:127.0.0.1:{port}\"], fail-mode = secure\n    {pki.TlsBlock("switch")}"));
        try
        {
            engine.WaitForLog($"openflow ssl:127.0.0.1:{port}: connected, 3 ports", TimeSpan.FromSeconds(15));
            foreach (var (from, to) in new[] { (1, 2), (1, 3), (2, 3) })
                Pings.AssertAnswered(output, lab.Namespace($"h{from}"), $"10.{Subnet}.0.{to}");
            Assert.DoesNotContain("handshake failed", engine.Log);

            // The controller's end reaches the channel through the pump, which redials.
            ovs.Kill();
            engine.WaitForLog($"openflow ssl:127.0.0.1:{port}: connection closed", TimeSpan.FromSeconds(10));
        }
        finally
        {
            output.WriteLine(ovs.Output);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_controller_that_dials_the_engines_pssl_listener_drives_it_over_tls()
    {
        using var lab = new TestLab();
        using var pki = new OpenSslPki("of").Issue("switch").Issue("controller");
        var (nobody, listen) = (MeshConfigs.FreePort(), MeshConfigs.FreePort());
        using var engine = EngineProcess.Start(TapLab(lab, 2,
            $"controllers = [\"tcp:127.0.0.1:{nobody}\"], fail-mode = secure, listen = \"pssl:{listen}:127.0.0.1\"\n    {pki.TlsBlock("switch")}"));
        engine.WaitForLog($"listening for controllers on pssl:{listen}:127.0.0.1", TimeSpan.FromSeconds(10));
        // ovs-testcontroller dials a switch that listens, as it would ovs-vswitchd after set-controller pssl:.
        using var ovs = new Background("ovs-testcontroller",
            $"--unixctl=none -O OpenFlow13 -p {pki.PrivateKey("controller")} -c {pki.Certificate("controller")} -C {pki.CaCertificate} ssl:127.0.0.1:{listen}");
        try
        {
            engine.WaitForLog("openflow pssl:127.0.0.1:", TimeSpan.FromSeconds(10));
            Pings.AssertAnswered(output, lab.Namespace("h1"), $"10.{Subnet}.0.2");
        }
        finally
        {
            output.WriteLine(ovs.Output);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_controller_whose_certificate_another_ca_signed_is_refused_counted_and_redialled_while_the_lab_forwards()
    {
        using var lab = new TestLab();
        using var pki = new OpenSslPki("of").Issue("switch");
        using var other = new OpenSslPki("other").Issue("stranger");
        var port = MeshConfigs.FreePort();
        // The controller would take the switch (it trusts the switch's CA); the switch refuses the controller.
        using var ovs = new Background("ovs-testcontroller",
            $"--unixctl=none -O OpenFlow13 -p {other.PrivateKey("stranger")} -c {other.Certificate("stranger")} -C {pki.CaCertificate} pssl:{port}:127.0.0.1");
        using var engine = EngineProcess.Start(
            TapLab(lab, 2, $"controllers = [\"ssl:127.0.0.1:{port}\"], fail-mode = standalone\n    {pki.TlsBlock("switch")}", labSwitch: true));
        try
        {
            engine.WaitForLog($"openflow ssl:127.0.0.1:{port}: tls handshake failed (1 so far): the peer's certificate does not chain to the CA certificate",
                TimeSpan.FromSeconds(15));
            // Redialled with backoff, refused again, each counted.
            engine.WaitForLog("tls handshake failed (2 so far)", TimeSpan.FromSeconds(15));
            // The engine runs on, in standalone mode on the lab's own switch, since no controller connected.
            Pings.AssertAnswered(output, lab.Namespace("h1"), $"10.{Subnet}.0.2");
            Assert.False(engine.HasExited);
            Assert.DoesNotContain(": connected,", engine.Log);
        }
        finally
        {
            output.WriteLine(ovs.Output);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void A_controller_that_speaks_plain_tcp_fails_the_handshake_counted_and_redialled()
    {
        using var lab = new TestLab();
        using var pki = new OpenSslPki("of").Issue("switch");
        var port = MeshConfigs.FreePort();
        using var ovs = new Background("ovs-testcontroller", $"--unixctl=none -O OpenFlow13 ptcp:{port}:127.0.0.1");
        using var engine = EngineProcess.Start(TapLab(lab, 1, $"controllers = [\"ssl:127.0.0.1:{port}\"], fail-mode = secure\n    {pki.TlsBlock("switch")}"));
        try
        {
            engine.WaitForLog($"openflow ssl:127.0.0.1:{port}: tls handshake failed (1 so far): ", TimeSpan.FromSeconds(15));
            engine.WaitForLog("tls handshake failed (2 so far)", TimeSpan.FromSeconds(15));
            Assert.False(engine.HasExited);
        }
        finally
        {
            output.WriteLine(ovs.Output);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void An_os_ken_learning_switch_over_tls_drives_the_engine()
    {
        using var lab = new TestLab();
        using var pki = new OpenSslPki("of").Issue("switch").Issue("controller");
        var port = MeshConfigs.FreePort();
        var app = Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/osken_learning_switch.py");
        // os-ken listens on its TLS port only when given one; its plain port is moved out of the way.
        using var osken = new Background("/usr/bin/python3",
            $"-u -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port {MeshConfigs.FreePort()} --ofp-ssl-listen-port {port} "
            + $"--ctl-privkey {pki.PrivateKey("controller")} --ctl-cert {pki.Certificate("controller")} --ca-certs {pki.CaCertificate} {app}");
        using var engine = EngineProcess.Start(TapLab(lab, 2, $"controllers = [\"ssl:127.0.0.1:{port}\"], fail-mode = secure\n    {pki.TlsBlock("switch")}"));
        try
        {
            Assert.True(osken.WaitForOutput("switch 0000000000000001 up", TimeSpan.FromSeconds(30)), osken.Output);
            Pings.AssertAnswered(output, lab.Namespace("h1"), $"10.{Subnet}.0.2");
            Assert.Contains("packet-in port 1 reason 0", osken.Output);
        }
        finally
        {
            output.WriteLine(osken.Output);
            output.WriteLine(engine.Log);
        }
    }

    [IntegrationFact]
    public void Engine_check_refuses_ssl_without_tls_and_a_key_that_is_not_the_certificates_one_line_each_with_exit_code_2()
    {
        using var lab = new TestLab();
        using var pki = new OpenSslPki("of").Issue("switch").Issue("controller");
        var good = TapLab(lab, 1, $"controllers = [\"ssl:127.0.0.1:6653\"]\n    {pki.TlsBlock("switch")}");
        using (var check = EngineProcess.Launch("check", good))
        {
            Assert.True(check.WaitForExit(TimeSpan.FromSeconds(30)));
            output.WriteLine(check.Log);
            Assert.Equal(0, check.ExitCode);
            Assert.Contains($"dialing ssl:127.0.0.1:6653, tls certificate {pki.Certificate("switch")}", check.Log);
        }

        using var refused = EngineProcess.Launch("check", TapLab(lab, 1, $"controllers = [\"ssl:127.0.0.1:6653\"], listen = \"pssl:6654\""));
        Assert.True(refused.WaitForExit(TimeSpan.FromSeconds(30)));
        output.WriteLine(refused.Log);
        Assert.Equal(2, refused.ExitCode);
        Assert.Equal(
            [
                "engine.openflow.controllers[0]: ssl:127.0.0.1:6653 needs engine.openflow.tls { private-key, certificate, ca-certificate }",
                "engine.openflow.listen: pssl:6654 needs engine.openflow.tls { private-key, certificate, ca-certificate }",
            ],
            refused.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries));

        using var wrongKey = EngineProcess.Launch("check",
            TapLab(lab, 1, $"controllers = [\"ssl:127.0.0.1:6653\"]\n    {pki.TlsBlock("switch").Replace(pki.PrivateKey("switch"), pki.PrivateKey("controller"))}"));
        Assert.True(wrongKey.WaitForExit(TimeSpan.FromSeconds(30)));
        output.WriteLine(wrongKey.Log);
        Assert.Equal(2, wrongKey.ExitCode);
        Assert.StartsWith($"engine.openflow.tls.private-key: {pki.PrivateKey("controller")} is not the PEM private key of {pki.Certificate("switch")}: ",
            Assert.Single(wrongKey.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }
}
