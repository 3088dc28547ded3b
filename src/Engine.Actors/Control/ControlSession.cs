using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;

namespace Engine.Actors.Control;

/// <summary>
/// One control client: reads its request lines (at most <see cref="MaxLine"/> bytes each), answers
/// them one at a time in order, and reads on only once the answer is written, so a client that
/// sends without reading holds one line and one answer. A line that is not a request is answered
/// with an error and the session goes on; a line too long, a client that takes longer than
/// <see cref="WriteTimeout"/> to take an answer, or one silent for <see cref="IdleTimeout"/>, ends it.
/// </summary>
public sealed class ControlSession : UntypedActor
{
    public const int MaxLine = 64 * 1024;
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromMinutes(10);

    private readonly Socket _socket;
    private readonly ControlQueries _queries;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly byte[] _received = new byte[4096];
    private readonly LineBuffer _lines = new(MaxLine);
    private bool _busy;
    private bool _closing;
    private bool _stopAfterReply;

    public ControlSession(Socket socket, ControlQueries queries)
    {
        _socket = socket;
        _queries = queries;
    }

    public static Props Props(Socket socket, ControlQueries queries) =>
        Akka.Actor.Props.Create(() => new ControlSession(socket, queries));

    protected override void PreStart()
    {
        Context.SetReceiveTimeout(IdleTimeout);
        Read();
    }

    protected override void PostStop() => _socket.Dispose();

    private void Read() =>
        _socket.ReceiveAsync(_received, SocketFlags.None).PipeTo(Self, success: n => new Received(n), failure: e => new Closed(e.Message));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Received { Count: 0 }:
                Context.Stop(Self);
                break;
            case Received received:
                _lines.Append(_received.AsSpan(0, received.Count));
                Next();
                break;
            case Answer answer:
                Write(answer.Line);
                break;
            case Written:
                _busy = false;
                if (_stopAfterReply) CoordinatedShutdown.Get(Context.System).Run(ControlStopReason.Instance);
                if (_closing) Context.Stop(Self);
                else Next();
                break;
            case Closed closed:
                _log.Debug("control client gone: {Reason}", closed.Reason);
                Context.Stop(Self);
                break;
            case ReceiveTimeout when !_busy:
                Context.Stop(Self);
                break;
            case ReceiveTimeout:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>Answers the next whole line, or reads on when there is none.</summary>
    private void Next()
    {
        if (_busy) return;
        if (_lines.TryTake(out var line))
        {
            _busy = true;
            Handle(line);
        }
        else if (_lines.Overflowed)
        {
            _busy = _closing = true;
            Write(ControlReply.Error(ControlErrorKind.BadRequest, $"request longer than {MaxLine} bytes"));
        }
        else Read();
    }

    private void Handle(byte[] line)
    {
        if (ControlRequest.Parse(line, out var error) is not { } request)
        {
            Write(ControlReply.Error(ControlErrorKind.BadRequest, error));
            return;
        }
        if (request.Command == ControlCommand.Stop)
        {
            _stopAfterReply = true;
            Write(ControlReply.Ok(json => json.WriteString("stopping", "the lab stops as on SIGTERM")));
            return;
        }
        _queries.AnswerAsync(request).PipeTo(Self, success: answer => new Answer(answer),
            failure: e => new Answer(ControlReply.Error(ControlErrorKind.Failed, e.Message)));
    }

    private void Write(byte[] line)
    {
        var timeout = new CancellationTokenSource(WriteTimeout);
        _socket.SendAsync(line, SocketFlags.None, timeout.Token).AsTask()
            .ContinueWith(sent =>
            {
                timeout.Dispose();
                return sent.IsCompletedSuccessfully ? (object)Written.Instance
                    : new Closed(sent.IsCanceled ? $"did not take an answer within {WriteTimeout.TotalSeconds} s" : sent.Exception!.GetBaseException().Message);
            }, TaskScheduler.Default)
            .PipeTo(Self);
    }

    private sealed record Received(int Count);

    private sealed record Answer(byte[] Line);

    private sealed record Closed(string Reason);

    private sealed class Written
    {
        public static readonly Written Instance = new();
    }
}

/// <summary>The reason given to CoordinatedShutdown for a "stop" request: an orderly stop, exit code 0, as SIGTERM.</summary>
public sealed class ControlStopReason : CoordinatedShutdown.Reason
{
    public static readonly ControlStopReason Instance = new();

    public override int ExitCode => 0;
}
