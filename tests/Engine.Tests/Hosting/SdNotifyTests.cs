using System.Net.Sockets;
using System.Text;
using Engine.Hosting;
using Xunit;

namespace Engine.Tests.Hosting;

public class SdNotifyTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_state_arrives_on_the_notify_socket_by_path_or_abstract_name(bool isAbstract)
    {
        var name = isAbstract ? $"@engine-notify-{Guid.NewGuid():N}" : Path.Combine(Path.GetTempPath(), $"engine-notify-{Guid.NewGuid():N}");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { ReceiveTimeout = 5000 };
        systemd.Bind(new UnixDomainSocketEndPoint(isAbstract ? "\0" + name[1..] : name));
        try
        {
            using var notify = new SdNotify(name);

            Assert.True(notify.Send("READY=1"));
            var buffer = new byte[64];
            Assert.Equal("READY=1", Encoding.UTF8.GetString(buffer, 0, systemd.Receive(buffer)));
        }
        finally
        {
            if (!isAbstract) File.Delete(name);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("relative/path")]
    public void Without_a_notify_socket_nothing_is_sent(string? name)
    {
        using var notify = new SdNotify(name);

        Assert.False(notify.IsEnabled);
        Assert.False(notify.Send("READY=1"));
    }

    [Fact]
    public void The_watchdog_period_is_watchdog_usec_for_this_process()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), SdNotify.WatchdogInterval("30000000", null));
        Assert.Equal(TimeSpan.FromSeconds(2), SdNotify.WatchdogInterval("2000000", Environment.ProcessId.ToString()));
        Assert.Null(SdNotify.WatchdogInterval("2000000", "1"));
        Assert.Null(SdNotify.WatchdogInterval(null, null));
        Assert.Null(SdNotify.WatchdogInterval("0", null));
    }
}
