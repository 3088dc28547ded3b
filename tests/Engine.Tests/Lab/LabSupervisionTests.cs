using Akka.Actor;
using Engine.Actors.Devices;
using Engine.Actors.Lab;
using Engine.Native;
using Xunit;

namespace Engine.Tests.Lab;

public class LabSupervisionTests
{
    [Fact]
    public void The_kernel_refusing_a_socket_or_device_is_expected_and_told_by_its_message()
    {
        var bind = new NativeException("bind", "127.0.0.1:7000", 98);

        Assert.Equal(bind.Message, LabSupervision.ExpectedReason(bind));
        Assert.Equal(bind.Message, LabSupervision.ExpectedReason(new ActorInitializationException(ActorRefs.Nobody, "Exception during creation", bind)));
        var device = new DeviceFailedException("tun-a", new NativeException("open", "/dev/net/tun", 19));
        Assert.Equal(device.Message, LabSupervision.ExpectedReason(new ActorInitializationException(ActorRefs.Nobody, "Exception during creation", device)));
    }

    [Fact]
    public void Anything_else_is_a_bug_and_keeps_its_stack_trace()
    {
        Assert.Null(LabSupervision.ExpectedReason(new IndexOutOfRangeException()));
        Assert.Null(LabSupervision.ExpectedReason(new ActorInitializationException(ActorRefs.Nobody, "Exception during creation", new NullReferenceException())));
    }
}
