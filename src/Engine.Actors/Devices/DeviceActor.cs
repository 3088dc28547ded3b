using Akka.Actor;
using Akka.Event;
using Engine.Actors.Buffers;
using Engine.Actors.Counters;
using Engine.Actors.Router;
using Engine.Actors.Routing;
using Engine.Actors.Topology;
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
/// created at start fails the lab at once).
/// </summary>
public sealed class DeviceActor : UntypedActor, IWithTimers
{
    private readonly DeviceSpec _spec;
    private readonly int _port;
    private readonly PortCounters _counters;
    private readonly DeviceContext _context;
    private readonly Backoff _backoff;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private TunDevice? _device;
    private OffloadWriter? _offloadWriter;
    private ulong _registration;

    /// <param name="backoff">Paces reopening; it lives in the Props so it outlasts the restarts it paces.</param>
    public DeviceActor(DeviceSpec spec, int port, PortCounters counters, DeviceContext context, Backoff backoff)
    {
        _backoff = backoff;
        _spec = spec;
        _port = port;
        _counters = counters;
        _context = context;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(DeviceSpec spec, int port, PortCounters counters, DeviceContext context)
    {
        var backoff = new Backoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
        return Akka.Actor.Props.Create(() => new DeviceActor(spec, port, counters, context, backoff));
    }

    protected override void PreStart() => Open();

    protected override void PostRestart(Exception reason)
    {
        var delay = _backoff.NextDelay();
        _log.Warning("device {Device} failed ({Reason}); reopening in {DelayMs} ms",
            _spec.Name, (reason.InnerException ?? reason).Message, (int)delay.TotalMilliseconds);
        Timers.StartSingleTimer("reopen", ReopenDevice.Instance, delay);
    }

    protected override void PostStop() => Close();

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
                if (_device is null) Open();
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Write(FrameBatch batch)
    {
        var device = _device;
        if (device is null)
        {
            _counters.AddDrop(DropReason.PortDown, batch.Count);
            batch.Release();
            return;
        }

        if (_offloadWriter is not null)
        {
            _offloadWriter.Write(device, batch, _counters);
            batch.Release();
            return;
        }

        long bytes = 0;
        var written = 0;
        for (var i = 0; i < batch.Count; i++)
        {
            var frame = batch.Frame(i);
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
        _counters.AddTx(written, bytes);
        batch.Release();
    }

    private void Open()
    {
        var device = DeviceProvisioner.Open(_spec);
        try
        {
            var reader = new DeviceReader(_context.Reactor, device, _context.Pool, _context.Router, Self, _port, _counters);
            _registration = _context.Reactor.Register(device.Handle, reader);
        }
        catch
        {
            device.Dispose();
            throw;
        }
        _device = device;
        _offloadWriter = device.HasVnetHeader ? new OffloadWriter(device.Offloads) : null;
        _context.Router.Tell(new PortOffloadsChanged(_port, PortOffloadsOf(device)));
        _backoff.Reset();
        _log.Info("device {Device} up ({Type}, mtu {Mtu}{Where}, offloads {Offloads})", device.Name, _spec.Type, _spec.Mtu,
            _spec.Namespace is null ? "" : ", namespace " + _spec.Namespace,
            device.HasVnetHeader ? device.Offloads.ToString().Replace(", ", "+", StringComparison.Ordinal) : "off");
        Context.Parent.Tell(new DeviceUp(device.Name, _port));
    }

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

    private void Close()
    {
        var device = _device;
        if (device is null) return;
        _device = null;
        _context.Reactor.Unregister(device.Handle, _registration);
        device.Dispose();
    }
}

/// <summary>What every device actor shares: the reactor, the buffer pool, the router.</summary>
public sealed record DeviceContext(Reactor Reactor, FrameBatchPool Pool, IActorRef Router);
