using Xunit;

namespace Engine.Tests.Topology;

public class ControlSettingsTests
{
    [Fact]
    public void Control_socket_is_read_and_absent_means_the_default()
    {
        Assert.Equal("/tmp/lab-a.sock", Lab.Valid(Lab.WithRoutes("", "control { socket = \"/tmp/lab-a.sock\" }")).Settings.ControlSocket);
        Assert.Null(Lab.Valid(Lab.WithRoutes("")).Settings.ControlSocket);
    }
}
