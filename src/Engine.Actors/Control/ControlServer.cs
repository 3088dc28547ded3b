using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Engine.Native.Process;

namespace Engine.Actors.Control;

/// <summary>
/// Serves a lab's control socket: accepts each client, refuses users other than root and the
/// engine's own (SO_PEERCRED) and clients past <see cref="MaxSessions"/>, and gives each other
/// one a <see cref="ControlSession"/> of its own, so a broken or slow client costs only its
/// session. Closes the socket and removes its file when it stops. Off the reactor: its sockets
/// are .NET's, awaited on the thread pool.
/// </summary>
public sealed class ControlServer : UntypedActor, IWithTimers
{
    public const int MaxSessions = 32;
    private static readonly TimeSpan AcceptRetry = TimeSpan.FromSeconds(1);

    private readonly Socket _listener;
    private readonly string _path;
    private readonly ControlQueries _queries;
    private readonly uint _engineUser = ProcessIdentity.EffectiveUserId;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HashSet<IActorRef> _sessions = [];
    private long _sessionNumber;

    private readonly uint? _group;

    public ControlServer(Socket listener, string path, IActorRef lab, uint? group)
    {
        _listener = listener;
        _path = path;
        _group = group;
        _queries = new ControlQueries(lab);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="group">The group the lab grants the socket to (control.group), if any.</param>
    public static Props Props(Socket listener, string path, IActorRef lab, uint? group = null) =>
        Akka.Actor.Props.Create(() => new ControlServer(listener, path, lab, group));

    protected override void PreStart()
    {
        _log.Info("control socket {Path}", _path);
        Accept();
    }

    protected override void PostStop()
    {
        _listener.Dispose();
        try
        {
            File.Delete(_path);
        }
        catch (IOException e)
        {
            _log.Warning("could not remove the control socket {Path}: {Reason}", _path, e.Message);
        }
    }

    private void Accept() => _listener.AcceptAsync().PipeTo(Self, success: socket => new Accepted(socket), failure: e => new AcceptFailed(e));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Accepted accepted:
                Admit(accepted.Socket);
                Accept();
                break;
            case AcceptFailed { Cause: ObjectDisposedException }:
                break;
            case AcceptFailed failed:
                _log.Warning("control socket {Path}: cannot accept ({Reason}); trying again in {Seconds} s", _path,
                    failed.Cause.Message, AcceptRetry.TotalSeconds);
                Timers.StartSingleTimer("accept", AcceptAgain.Instance, AcceptRetry);
                break;
            case AcceptAgain:
                Accept();
                break;
            case Terminated terminated:
                _sessions.Remove(terminated.ActorRef);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Admit(Socket socket)
    {
        var peer = PeerCredentials.Of(socket);
        var user = peer?.User;
        if (!PeerCredentials.MayControl(peer, _engineUser, _group))
        {
            _log.Warning("control socket {Path}: refused user {User}", _path, user?.ToString() ?? "(unknown)");
            Refuse(socket, $"user {user} may not control this engine (root, uid {_engineUser}{(_group is { } g ? $" and group {g}" : "")} may)");
            return;
        }
        if (_sessions.Count >= MaxSessions)
        {
            Refuse(socket, $"too many control clients (at most {MaxSessions})");
            return;
        }
        var session = Context.ActorOf(ControlSession.Props(socket, _queries), "session-" + ++_sessionNumber);
        Context.Watch(session);
        _sessions.Add(session);
    }

    /// <summary>One error line, if the client takes it at once, then the connection closes.</summary>
    private static void Refuse(Socket socket, string reason)
    {
        try
        {
            socket.Blocking = false;
            socket.Send(ControlReply.Error(ControlErrorKind.Failed, reason));
        }
        catch (SocketException)
        {
        }
        socket.Dispose();
    }

    private sealed record Accepted(Socket Socket);

    private sealed record AcceptFailed(Exception Cause);

    private sealed class AcceptAgain
    {
        public static readonly AcceptAgain Instance = new();
    }
}
