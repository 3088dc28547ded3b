using System.Runtime.ExceptionServices;
using Akka.Actor;
using Akka.Event;
using Engine.Actors.Buffers;
using Engine.Actors.Control;
using Engine.Actors.Counters;
using Engine.Actors.Dataplane;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Wire;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Namespaces;
using Engine.Native.Reactor;
using Engine.Native.Tun;

namespace Engine.Actors.Devices;

/// <summary>
/// Owns one tun/tap device: opens and configures it in PreStart, writes the frames it is sent,
/// closes it in PostStop. Runs on the reactor dispatcher, so its writes happen on the thread
/// that routed the frames and its reader is registered from the thread that calls it.
///
/// A failing fd is reported by the reader as <see cref="DeviceFailed"/>, rethrown here, and the
/// parent's supervision restarts the actor: PostStop closes the device, and the new instance
/// reopens it after a backoff (the first open is synchronous, so a device that cannot be
/// created at start fails the lab at once). A reopen creates and configures the device on a
/// thread of its own (<see cref="DeviceProvisioner.OpenAsync"/>), since netlink may block for
/// seconds and every port shares this thread; only registering its fds happens here.
/// </summary>
public sealed class DeviceActor : UntypedActor, IWithTimers
{
    private readonly DeviceSpec _spec;
    private readonly int _port;
    private readonly PortCounters _counters;
    private readonly DeviceContext _context;
    private readonly Backoff _backoff;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly FrameFaults _faults;
    private TunDevice[] _queues = [];

    // Queue 0, while the device is open: every write goes here, in order.
    private TunDevice? Device => _queues.Length == 0 ? null : _queues[0];
    private ulong _registration;
    private QueueReaderThread[] _queueThreads = [];
    private OffloadWriter? _offloadWriter;
    private Handoff<TunDevice[]>? _reopening;
    private readonly bool _openInBackground;

    /// <param name="backoff">Paces reopening; it lives in the Props so it outlasts the restarts it paces.</param>
    /// <param name="openInBackground">Open the device as a reopen does, off this thread, which the running ports share (a device a reload adds).</param>
    public DeviceActor(DeviceSpec spec, int port, PortCounters counters, DeviceContext context, Backoff backoff, bool openInBackground = false)
    {
        _openInBackground = openInBackground;
        _backoff = backoff;
        _spec = spec;
        _faults = new FrameFaults(_log, "device " + spec.Name);
        _port = port;
        _counters = counters;
        _context = context;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="openInBackground">
    /// Open it off the data-plane thread, as a reopen does, so that the running ports forward
    /// meanwhile (a reload's device): one that cannot open then retries with backoff rather than
    /// failing the lab. At start, the open is synchronous: a lab whose device cannot open fails at once.
    /// </param>
    public static Props Props(DeviceSpec spec, int port, PortCounters counters, DeviceContext context, bool openInBackground = false)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
        return Akka.Actor.Props.Create(() => new DeviceActor(spec, port, counters, context, backoff, openInBackground));
    }

    protected override void PreStart()
    {
        if (_openInBackground) Reopen();
        else Start(DeviceProvisioner.Open(_spec));
    }

    protected override void PostRestart(Exception reason)
    {
        if (StaysDown((reason.InnerException ?? reason).Message)) return;
        var delay = _backoff.NextDelay();
        _log.Warning("device {Device} failed ({Reason}); reopening in {DelayMs} ms",
            _spec.Name, (reason.InnerException ?? reason).Message, (int)delay.TotalMilliseconds);
        Timers.StartSingleTimer("reopen", ReopenDevice.Instance, delay);
    }

    protected override void PostStop()
    {
        _reopening?.Abandon(); // queues opened after this are closed, not left in a dead letter
        Close();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case FrameBatch batch:
                Write(batch);
                break;
            case DeviceFailed failed:
                throw new DeviceFailedException(_spec.Name, failed.Cause);
            case ReopenDevice:
                if (Device is null && _reopening is null && !StaysDown("while waiting to reopen")) Reopen();
                break;
            case HandoffDone done when ReferenceEquals(done.Handoff, _reopening):
                Reopened(done);
                break;
            case GetPortState:
                Sender.Tell(new PortState(Device is null ? "down" : "up"));
                break;
            case RetireDevice:
                Retire();
                break;
            case DeviceClosed:
                Context.Stop(Self);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    /// <summary>
    /// Writes every frame of <paramref name="batch"/> and gives the batch back, whatever happens:
    /// a fault while writing one frame costs that frame, a broken fd throws for supervision.
    /// </summary>
    private void Write(FrameBatch batch)
    {
        try
        {
            var device = Device;
            if (device is null) _counters.AddDrop(DropReason.PortDown, batch.Count);
            else
            {
                if (_offloadWriter is not null) _offloadWriter.Write(device, batch, _counters);
                else WritePlain(device, batch);
                _counters.Transit.Record(batch.ReadAt);
            }
        }
        finally
        {
            batch.Release();
        }
    }

    private void WritePlain(TunDevice device, FrameBatch batch)
    {
        long bytes = 0;
        var written = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var frame = batch.Frame(i);
            try
            {
                if (device.Write(frame))
                {
                    written++;
                    bytes += frame.Length;
                }
                else
                {
                    _counters.AddDrop(DropReason.EgressRefused);
                }
            }
            catch (Exception fault) when (fault is not NativeException)
            {
                _faults.Record(fault, _counters, _spec.Name);
            }
        }
        _counters.AddTx(written, bytes);
    }

    /// <summary>Registers the opened queues with the reactor (and their threads) and tells the router the device is up.</summary>
    private void Start(TunDevice[] queues)
    {
        var threads = new List<QueueReaderThread>();
        ulong? registration = null;
        try
        {
            // One reader per queue; queue 0 on the data-plane thread, every other queue on a thread
            // of its own. The kernel keeps each flow on one queue, so per-flow order holds.
            var self = Self; // the other threads build their readers outside this actor's context
            registration = _context.Reactor.Register(queues[0].Handle, ReaderOf(queues[0], _context.Reactor, self));
            for (var i = 1; i < queues.Length; i++)
            {
                var queue = queues[i];
                var thread = new QueueReaderThread($"{queues[0].Name}-q{i}", _context.Reactor, queue, reactor => ReaderOf(queue, reactor, self));
                threads.Add(thread);
                FloodLog.Attach(thread.Reactor, _log);
            }
        }
        catch
        {
            if (registration is { } token) _context.Reactor.Unregister(queues[0].Handle, token);
            foreach (var thread in threads) thread.Dispose();
            CloseQueues(queues);
            throw;
        }
        var device = queues[0];
        _queues = queues;
        _registration = registration.Value;
        _queueThreads = [.. threads];
        var takes = PortOffloadsOf(device);
        _offloadWriter = device.HasVnetHeader
            ? new OffloadWriter(takes, _faults, linkHeader: device.Mode == TunMode.Tap ? EthernetFrame.HeaderLength : 0)
            : null;
        _context.Router.Tell(new PortOffloadsChanged(_port, takes));
        _backoff.Reset();
        _log.Info("device {Device} up ({Type}, mtu {Mtu}{Where}, {Queues} queue(s), offloads {Offloads})", device.Name, _spec.Type, _spec.Mtu,
            _spec.Namespace is null ? "" : ", namespace " + _spec.Namespace, queues.Length,
            device.HasVnetHeader ? device.Offloads.ToString().Replace(", ", "+", StringComparison.Ordinal) : "off");
        Context.Parent.Tell(new DeviceUp(device.Name, _port));
    }

    private void Reopen() =>
        _reopening = Handoff<TunDevice[]>.Start(DeviceProvisioner.OpenAsync(_spec), Self, CloseQueues);

    /// <summary>A failed reopen, whatever failed, is one more failure of the device, logged in one line and retried after a longer backoff.</summary>
    private void Reopened(HandoffDone done)
    {
        var queues = _reopening!.Take();
        _reopening = null;
        try
        {
            if (done.Failure is not null) ExceptionDispatchInfo.Throw(done.Failure);
            Start(queues!);
        }
        catch (Exception e)
        {
            // Whatever stopped it, the device is still down: supervision restarts it, and the
            // new instance tries again after a longer backoff.
            throw new DeviceFailedException(_spec.Name, e);
        }
    }

    /// <summary>
    /// A lab host's namespace deleted from outside (`ip netns delete`) cannot be entered by its
    /// name again, so reopening could only fail, again and again: the device stays down instead,
    /// said once, and its frames are dropped as port-down.
    /// </summary>
    private bool StaysDown(string failure)
    {
        if (_spec.Namespace is not { } space || NetworkNamespace.Exists(space)) return false;
        _log.Warning("device {Device} failed ({Reason}) and stays down: its namespace {Namespace} was deleted from outside the engine",
            _spec.Name, failure, space);
        return true;
    }

    private DeviceReader ReaderOf(TunDevice queue, Engine.Native.Reactor.Reactor reactor, IActorRef self) =>
        new(reactor, queue, _context.Pool, _context.Router, self, _port, _counters, new FrameFaults(_log, $"reader {queue.Name}"));

    /// <summary>What the router may hand this device unfinished, from what the kernel granted.</summary>
    private static PortOffloads PortOffloadsOf(TunDevice device)
    {
        if (!device.HasVnetHeader || (device.Offloads & TunOffloads.Checksum) == 0) return PortOffloads.None;
        var offloads = PortOffloads.PartialChecksum;
        if ((device.Offloads & TunOffloads.Tso4) != 0) offloads |= PortOffloads.TcpV4;
        if ((device.Offloads & TunOffloads.Tso6) != 0) offloads |= PortOffloads.TcpV6;
        if ((device.Offloads & TunOffloads.Uso4) != 0 && (device.Offloads & TunOffloads.Uso6) != 0) offloads |= PortOffloads.Udp;
        return offloads;
    }

    /// <summary>
    /// Closing a tun fd deletes its interface, and the kernel deletes an interface under its rtnl
    /// lock and after a grace period: tens of milliseconds that the other ports, forwarding on this
    /// thread, must not wait. So a retiring device unregisters here and closes on the thread pool;
    /// what it is sent meanwhile is dropped as port-down.
    /// </summary>
    private void Retire()
    {
        _reopening?.Abandon();
        _reopening = null;
        if (Device is null)
        {
            Context.Stop(Self);
            return;
        }
        _context.Reactor.Unregister(_queues[0].Handle, _registration);
        var (queues, threads) = (_queues, _queueThreads);
        _queues = [];
        _queueThreads = [];
        Task.Run(() =>
        {
            foreach (var thread in threads) thread.Dispose();
            CloseQueues(queues);
        }).PipeTo(Self, success: () => DeviceClosed.Instance, failure: _ => DeviceClosed.Instance);
    }

    private void Close()
    {
        if (Device is null) return;
        _context.Reactor.Unregister(_queues[0].Handle, _registration);
        foreach (var thread in _queueThreads) thread.Dispose(); // joined: nothing reads the other queues now
        CloseQueues(_queues);
        _queues = [];
        _queueThreads = [];
    }

    private static void CloseQueues(TunDevice[] queues)
    {
        foreach (var queue in queues) queue.Dispose();
    }
}

/// <summary>What every device actor shares: the reactor, the buffer pool, the router.</summary>
public sealed record DeviceContext(Reactor Reactor, FrameBatchPool Pool, IActorRef Router);
