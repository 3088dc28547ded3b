namespace Engine.Actors.Topology;

/// <summary>
/// The lab file's <c>engine.openflow.tls</c>: Open vSwitch's three PEM files (<c>ovs-vsctl
/// set-ssl</c>). The switch shows the controller <paramref name="Certificate"/> (signed for
/// <paramref name="PrivateKey"/>), and takes only a controller whose certificate chains to
/// <paramref name="CaCertificate"/>. A relative path is relative to the engine's working directory.
/// </summary>
public sealed record OpenFlowTlsSpec(string PrivateKey, string Certificate, string CaCertificate);
