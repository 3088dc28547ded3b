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

    [Fact]
    public void Control_group_is_a_group_name_or_number_and_an_unknown_name_is_an_error()
    {
        Assert.Equal(0u, Lab.Valid(Lab.WithRoutes("", "control { group = root }")).Settings.ControlGroup);
        Assert.Equal(1234u, Lab.Valid(Lab.WithRoutes("", "control { group = 1234 }")).Settings.ControlGroup);
        Assert.Null(Lab.Valid(Lab.WithRoutes("", "control { socket = \"/tmp/lab-a.sock\" }")).Settings.ControlGroup);
        Assert.Equal(["engine.control.group: no group named \"no-such-group-here\" on this machine"],
            Lab.Errors(Lab.WithRoutes("", "control { group = no-such-group-here }")));
    }
}
