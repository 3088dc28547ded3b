using Engine.Actors.Peers.Framing;
using Xunit;

namespace Engine.Tests.Peers;

/// <summary>The engine protocol's handshake, two sessions talking to each other in memory.</summary>
public sealed class EngineSessionTests
{
    [Fact]
    public void Without_keys_each_side_is_up_once_it_has_the_others_hello()
    {
        var (a, b) = (new EngineSession("a", null, false), new EngineSession("b", null, false));
        Assert.Equal(SessionStepKind.BecameUp, Deliver(Hello(a), b, out var reply).Kind);
        Assert.Empty(reply);
        Assert.Equal(SessionStepKind.BecameUp, Deliver(Hello(b), a, out _).Kind);
        Assert.True(a.IsUp && b.IsUp);
        Assert.Equal("b", a.PeerName);
    }

    [Fact]
    public void With_the_same_key_each_side_proves_itself_and_comes_up_on_the_others_proof()
    {
        const string key = "a-long-shared-secret";
        var (a, b) = (new EngineSession("a", key, false), new EngineSession("b", key, false));
        Assert.Equal(SessionStepKind.Continue, Deliver(Hello(a), b, out var authFromB).Kind);
        Assert.Equal(SessionStepKind.Continue, Deliver(Hello(b), a, out var authFromA).Kind);
        Assert.False(a.IsUp);
        Assert.Equal(SessionStepKind.BecameUp, Deliver(authFromB, a, out _).Kind);
        Assert.Equal(SessionStepKind.BecameUp, Deliver(authFromA, b, out _).Kind);
    }

    [Fact]
    public void A_wrong_key_is_refused()
    {
        var (a, b) = (new EngineSession("a", "the-first-secret-key", false), new EngineSession("b", "another-secret-key!!", false));
        Deliver(Hello(a), b, out var authFromB);
        Deliver(Hello(b), a, out _);
        var step = Deliver(authFromB, a, out _);
        Assert.Equal(SessionStepKind.Refuse, step.Kind);
        Assert.Equal("authentication failed", step.Reason);
        Assert.False(a.IsUp);
    }

    [Fact]
    public void A_proof_reflected_back_at_its_author_does_not_pass()
    {
        // An attacker without the key replays the engine's own HELLO and AUTH at it.
        const string key = "a-long-shared-secret";
        var engine = new EngineSession("engine", key, false);
        var victim = new EngineSession("other", key, false);
        Deliver(Hello(victim), engine, out _);
        var step = Deliver(Hello(engine), engine, out _);
        Assert.Equal(SessionStepKind.Refuse, step.Kind);
        Assert.Equal("same name", step.Reason);
    }

    [Fact]
    public void A_side_without_a_key_refuses_a_hello_that_requires_one()
    {
        var step = Deliver(Hello(new EngineSession("a", "a-long-shared-secret", false)), new EngineSession("b", null, false), out _);
        Assert.Equal(new SessionStep(SessionStepKind.Refuse, "authentication required"), step);
    }

    [Theory]
    [InlineData(2, "unsupported protocol version 2")]
    [InlineData(0, "unsupported protocol version 0")]
    public void Another_protocol_version_is_refused(byte version, string reason)
    {
        var hello = Hello(new EngineSession("a", null, false));
        hello[EngineHeader.Size] = version;
        Assert.Equal(new SessionStep(SessionStepKind.Refuse, reason), Deliver(hello, new EngineSession("b", null, false), out _));
    }

    [Fact]
    public void A_hello_of_the_wrong_size_is_refused()
    {
        byte[] hello = [1, 0, 0, 0, 0, 0, 0, 3, 1, 0, 9];
        Assert.Equal(SessionStepKind.Refuse, Deliver(hello, new EngineSession("b", null, false), out _).Kind);
    }

    [Theory]
    [InlineData(0x04)]
    [InlineData(0x80)]
    public void A_hello_with_reserved_flag_bits_set_is_refused(byte flag)
    {
        var hello = Hello(new EngineSession("a", null, false));
        hello[EngineHeader.Size + 1] |= flag;
        var step = Deliver(hello, new EngineSession("b", null, false), out _);
        Assert.Equal(new SessionStep(SessionStepKind.Refuse, $"reserved HELLO flags 0x{flag:x2}"), step);
    }

    [Fact]
    public void A_hello_whose_name_is_not_utf8_is_refused()
    {
        var hello = Hello(new EngineSession("abc", null, false));
        hello[^2] = 0xC3; // a lead byte followed by an ASCII letter: not UTF-8
        var step = Deliver(hello, new EngineSession("b", null, false), out _);
        Assert.Equal(new SessionStep(SessionStepKind.Refuse, "HELLO name is not UTF-8"), step);
    }

    [Fact]
    public void Over_udp_a_new_hello_is_answered_and_a_repeated_one_gets_the_proof_again()
    {
        const string key = "a-long-shared-secret";
        var (a, b) = (new EngineSession("a", key, true), new EngineSession("b", key, true));
        var hello = Hello(a);
        Deliver(hello, b, out var first);
        Assert.Equal(2, Types(first).Count); // HELLO + AUTH
        Deliver(hello, b, out var again);
        Assert.Equal([EngineMessageType.Auth], Types(again));
    }

    [Fact]
    public void A_goodbye_ends_the_session_with_the_peers_reason()
    {
        var goodbye = new byte[64];
        var length = EngineSession.WriteGoodbye(goodbye, "maintenance");
        var step = Deliver(goodbye[..length], new EngineSession("b", null, false), out _);
        Assert.Equal(new SessionStep(SessionStepKind.Close, "peer said goodbye: maintenance"), step);
    }

    private static byte[] Hello(EngineSession session)
    {
        var buffer = new byte[256];
        return buffer[..session.WriteHello(buffer)];
    }

    private static SessionStep Deliver(byte[] messages, EngineSession to, out byte[] reply)
    {
        var replies = new List<byte>();
        var step = SessionStep.Continue;
        var rest = messages.AsSpan();
        while (EngineHeader.TryRead(rest, out var header))
        {
            var body = rest.Slice(EngineHeader.Size, (int)header.BodyLength);
            var buffer = new byte[512];
            step = to.OnControl(header, body, buffer, out var length);
            replies.AddRange(buffer[..length]);
            rest = rest[header.MessageLength..];
        }
        reply = [.. replies];
        return step;
    }

    private static List<EngineMessageType> Types(byte[] messages)
    {
        var types = new List<EngineMessageType>();
        var rest = messages.AsSpan();
        while (EngineHeader.TryRead(rest, out var header))
        {
            types.Add(header.Type);
            rest = rest[header.MessageLength..];
        }
        return types;
    }
}
