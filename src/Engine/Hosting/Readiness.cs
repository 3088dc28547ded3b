using System.Text.Json;
using Akka.Actor;
using Akka.Event;
using Engine.Actors.Lab;
using Engine.Actors.Peers;

namespace Engine.Hosting;

/// <summary>
/// Tells the world the lab is ready, once: when the lab is up (every device forwards, every peer's
/// socket is open) and every peer named by `--wait-peer` has had its link up, it writes the ready
/// file and sends systemd READY=1. While systemd asks for a watchdog, it pings it at half the
/// period, each time only after the lab actor answered, so a wedged control thread stops the pings.
/// </summary>
internal sealed class Readiness : UntypedActor, IWithTimers
{
    private readonly ReadinessOptions _options;
    private readonly string _socketPath;
    private readonly SdNotify _notify;
    private readonly TimeSpan? _watchdog;
    private readonly HashSet<string> _waiting;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _lab;
    private IReadOnlyList<string>? _ports;
    private bool _ready;

    public Readiness(ReadinessOptions options, string socketPath, SdNotify notify, TimeSpan? watchdog)
    {
        _options = options;
        _socketPath = socketPath;
        _notify = notify;
        _watchdog = watchdog;
        _waiting = new HashSet<string>(options.WaitPeers, StringComparer.Ordinal);
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ReadinessOptions options, string socketPath, SdNotify notify, TimeSpan? watchdog) =>
        Akka.Actor.Props.Create(() => new Readiness(options, socketPath, notify, watchdog));

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(LabUp));
        Context.System.EventStream.Subscribe(Self, typeof(PeerLinkUp));
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case WatchLab watch:
                _lab = watch.Lab;
                if (_watchdog is { } period && _notify.IsEnabled)
                    Timers.StartPeriodicTimer("watchdog", PingWatchdog.Instance, period / 2);
                break;
            case LabUp up:
                _ports = up.Ports;
                BecomeReadyWhenDone();
                break;
            case PeerLinkUp up:
                _waiting.Remove(up.Peer);
                BecomeReadyWhenDone();
                break;
            case PingWatchdog when _lab is not null:
                _lab.Ask<LabView>(GetLabView.Instance, (_watchdog ?? TimeSpan.FromSeconds(2)) / 2)
                    .PipeTo(Self, success: _ => LabAnswered.Instance, failure: _ => LabSilent.Instance);
                break;
            case LabAnswered:
                _notify.Send("WATCHDOG=1");
                break;
            case LabSilent:
                _log.Warning("the lab actor did not answer within half the watchdog period; no watchdog ping");
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void BecomeReadyWhenDone()
    {
        if (_ready || _ports is null || _waiting.Count > 0) return;
        _ready = true;
        if (_options.ReadyFile is { } path) WriteReadyFile(path, ReadyJson(_socketPath, _ports));
        _notify.Send("READY=1");
        _log.Info("lab ready{ReadyFile}", _options.ReadyFile is null ? "" : ": wrote " + _options.ReadyFile);
    }

    /// <summary>{"pid":..., "socket":"...", "ports":[...]}: what `run --detach` prints.</summary>
    internal static string ReadyJson(string socketPath, IReadOnlyList<string> ports) =>
        JsonSerializer.Serialize(new ReadyInfo(Environment.ProcessId, socketPath, ports), ReadyInfo.Options);

    /// <summary>Written beside, then renamed: a reader sees no file or the whole file.</summary>
    private void WriteReadyFile(string path, string json)
    {
        try
        {
            var temporary = $"{path}.{Environment.ProcessId}.new";
            File.WriteAllText(temporary, json + "\n");
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _log.Error("could not write the ready file {Path}: {Reason}", path, e.Message);
        }
    }

    /// <summary>Sent once the lab actor exists, for the watchdog's pings.</summary>
    public sealed record WatchLab(IActorRef Lab);

    private sealed record ReadyInfo(int Pid, string Socket, IReadOnlyList<string> Ports)
    {
        public static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    }

    private sealed class PingWatchdog
    {
        public static readonly PingWatchdog Instance = new();
    }

    private sealed class LabAnswered
    {
        public static readonly LabAnswered Instance = new();
    }

    private sealed class LabSilent
    {
        public static readonly LabSilent Instance = new();
    }
}
