using Xunit;

namespace Engine.Tests.Topology;

/// <summary>Rules that relate devices to each other.</summary>
public class DeviceSetErrorTests
{
    [Theory]
    [InlineData("""
        { name = tun-a, type = tun }
            { name = tun-b, type = tun }
            { name = tun-a, type = tap }
        """,
        "engine.devices[2].name: duplicate device name \"tun-a\" (also engine.devices[0])")]
    [InlineData("""
        { name = "tun%d", type = tun }
            { name = "tun%d", type = tun }
        """,
        "engine.devices[1].name: duplicate device name \"tun%d\" (also engine.devices[0])")]
    [InlineData("""
        { name = tun-a, type = tun, namespace = h, address = "10.0.1.1/24" }
            { name = tun-b, type = tun, namespace = h, address = "10.0.1.129/25" }
        """,
        "engine.devices[1].address: 10.0.1.129/25 overlaps 10.0.1.1/24 of \"tun-a\" (engine.devices[0].address) in namespace h")]
    [InlineData("""
        { name = tun-a, type = tun, address = ["10.0.1.1/24", "fd00:1::1/64"] }
            { name = tun-b, type = tun, address = ["10.9.0.1/16", "fd00:1::2/48"] }
        """,
        "engine.devices[1].address[1]: fd00:1::2/48 overlaps fd00:1::1/64 of \"tun-a\" (engine.devices[0].address[1]) in the engine's namespace")]
    [InlineData("""
        { name = tun-a, type = tun, namespace = h, address = "10.0.0.1/8" }
            { name = tun-b, type = tun, namespace = h, address = "10.0.1.1/24" }
            { name = tun-c, type = tun, namespace = h, address = "10.0.2.1/24" }
        """,
        """
        engine.devices[1].address: 10.0.1.1/24 overlaps 10.0.0.1/8 of "tun-a" (engine.devices[0].address) in namespace h
        engine.devices[2].address: 10.0.2.1/24 overlaps 10.0.0.1/8 of "tun-a" (engine.devices[0].address) in namespace h
        """)]
    public void Conflict_between_devices_is_reported_on_the_later_one(string devices, string expected) =>
        Assert.Equal(Lab.Lines(expected), Lab.Errors(Lab.WithDevices(devices)));

    [Fact]
    public void Device_whose_namespace_is_unreadable_is_left_out_of_the_overlap_check() =>
        Assert.Equal(["engine.devices[1].namespace: substitutions refer to each other in a circle"],
            Lab.Errors("""
                lab { a = ${lab.b}, b = ${lab.a} }
                engine {
                  devices = [
                    { name = tun-a, type = tun, address = "10.0.1.1/24" }
                    { name = tun-b, type = tun, namespace = ${lab.a}, address = "10.0.1.2/24" }
                  ]
                }
                """));

    [Fact]
    public void Same_subnet_in_different_namespaces_is_fine()
    {
        var lab = Lab.Valid(Lab.WithDevices("""
            { name = tun-a, type = tun, namespace = host-a, address = "10.0.1.1/24" }
                { name = tun-b, type = tun, namespace = host-b, address = "10.0.1.2/24" }
                { name = tun-c, type = tun, address = "10.0.1.3/24" }
            """));
        Assert.Equal(["host-a", "host-b"], lab.Namespaces);
    }

    [Fact]
    public void Overlapping_addresses_on_one_device_are_secondary_addresses()
    {
        var lab = Lab.Valid(Lab.WithDevices("""{ name = tun-a, type = tun, address = ["10.0.1.1/24", "10.0.1.2/24"] }"""));
        Assert.Equal(2, lab.Devices[0].Addresses.Length);
    }
}
