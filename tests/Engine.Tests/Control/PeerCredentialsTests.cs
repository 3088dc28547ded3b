using System.Net.Sockets;
using Engine.Actors.Control;
using Engine.Native.Process;
using Xunit;

namespace Engine.Tests.Control;

public class PeerCredentialsTests
{
    [Theory]
    [InlineData(0u, 1000u, true)]
    [InlineData(1000u, 1000u, true)]
    [InlineData(1001u, 1000u, false)]
    [InlineData(65534u, 0u, false)]
    [InlineData(null, 0u, false)]
    public void Root_and_the_engine_s_own_user_may_control_it(uint? user, uint engine, bool allowed) =>
        Assert.Equal(allowed, PeerCredentials.MayControl(user, engine));

    [Fact]
    public void The_kernel_names_the_user_at_the_other_end()
    {
        var path = Path.Combine(Path.GetTempPath(), $"engine-cred-{Guid.NewGuid():N}.sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        try
        {
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(path));
            using var accepted = listener.Accept();

            Assert.Equal(ProcessIdentity.EffectiveUserId, PeerCredentials.UserOf(accepted));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
