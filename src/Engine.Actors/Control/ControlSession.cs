using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using Engine.Actors.Capture;

namespace Engine.Actors.Control;

/// <summary>
/// One control client: reads its request lines (at most <see cref="MaxLine"/> bytes each), answers
/// them one at a time in order, and reads on only once the answer is written, so a client that
/// sends without reading holds one line and one answer. A line that is not a request is answered
/// with an error and the session goes on; a line too long, a client that takes longer than
/// <see cref="WriteTimeout"/> to take an answer, or one silent for <see cref="IdleTimeout"/>, ends it.
/// A capture turns the rest of the connection into its pcapng stream, drained every
/// <see cref="CaptureDrainInterval"/>; while a write is still going out, frames wait in the
/// capture's ring, and what does not fit there is lost, counted, never held up.
/// </summary>
public sealed class ControlSession : UntypedActor, IWithTimers
{
    public static readonly TimeSpan CaptureDrainInterval = TimeSpan.FromMilliseconds(50);

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
    private CaptureStream? _capture;

    public ControlSession(Socket socket, ControlQueries queries)
    {
        _socket = socket;
        _queries = queries;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(Socket socket, ControlQueries queries) =>
        Akka.Actor.Props.Create(() => new ControlSession(socket, queries));

    protected override void PreStart()
    {
        Context.SetReceiveTimeout(IdleTimeout);
        Read();
    }

    protected override void PostStop()
    {
        if (_capture is { } capture)
        {
            capture.Stop();
            _log.Info("capture of {Port} ended: {Frames} frames written, {Lost} lost to a slow reader", capture.Port.Name, capture.Written, capture.Lost);
        }
        _socket.Dispose();
    }

    private void Read() =>
        _socket.ReceiveAsync(_received, SocketFlags.None).PipeTo(Self, success: n => new Received(n), failure: e => new Closed(e.Message));

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case Received { Count: 0 }:
                Context.Stop(Self);
                break;
            case Received when _capture is not null:
                Read(); // a capture's client has nothing more to say; reading only tells when it leaves
                break;
            case Received received:
                _lines.Append(_received.AsSpan(0, received.Count));
                Next();
                break;
            case Answer answer:
                Write(answer.Line);
                break;
            case CaptureOpened opened:
                StartCapture(opened);
                break;
            case DrainCapture when _capture is not null && !_busy:
                DrainOnce(_capture);
                break;
            case DrainCapture:
                break;
            case Written when _capture is not null:
                _busy = false;
                if (_closing) Context.Stop(Self);
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
            case ReceiveTimeout when !_busy && _capture is null:
                Context.Stop(Self);
                break;
            case ReceiveTimeout or Nothing:
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
        if (request.Command == ControlCommand.Capture)
        {
            var self = Self;
            _queries.CaptureTargetAsync(request.Port!, refusal => self.Tell(new Answer(refusal)))
                .PipeTo(Self, success: target => target is { } found ? new CaptureOpened(found.Router, found.Port, request.Count) : Nothing.Instance,
                    failure: e => new Answer(ControlReply.Error(ControlErrorKind.Failed, e.Message)));
            return;
        }
        _queries.AnswerAsync(request).PipeTo(Self, success: answer => new Answer(answer),
            failure: e => new Answer(ControlReply.Error(ControlErrorKind.Failed, e.Message)));
    }

    /// <summary>The answer line, the pcapng header, then frames as the drains find them; the session reads no more requests.</summary>
    private void StartCapture(CaptureOpened opened)
    {
        var capture = _capture = new CaptureStream(opened.Router, opened.Port, opened.Count);
        var header = capture.Start();
        var answer = ControlReply.Ok(json =>
        {
            json.WriteString("capture", opened.Port.Name);
            json.WriteString("format", "pcapng");
        });
        Context.SetReceiveTimeout(null);
        Timers.StartPeriodicTimer("drain", DrainCapture.Instance, CaptureDrainInterval);
        _log.Info("capture of {Port} started{Count}", opened.Port.Name, opened.Count is { } count ? $" for {count} frames" : "");
        Write([.. answer, .. header]);
        Read();
    }

    private void DrainOnce(CaptureStream capture)
    {
        var blocks = capture.Drain();
        if (capture.IsDone) _closing = true;
        if (blocks.Length == 0) return;
        _busy = true;
        Write(blocks);
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

    private sealed record CaptureOpened(IActorRef Router, Routing.Port Port, long? Count);

    private sealed class DrainCapture
    {
        public static readonly DrainCapture Instance = new();
    }

    private sealed class Nothing
    {
        public static readonly Nothing Instance = new();
    }

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
