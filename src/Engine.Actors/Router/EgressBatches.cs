using Akka.Actor;
using Engine.Actors.Buffers;
using Engine.Actors.Capture;
using Engine.Actors.Routing;

namespace Engine.Actors.Router;

/// <summary>
/// The router's per-port output batches for the batch being routed, reused across batches
/// (wireguard-go's elemsByPeer). Frames are moved in; <see cref="Flush"/> sends each non-empty
/// batch to its port in one message. A switch's router interface has no actor to send to: its
/// frames are handed to <paramref name="routerInterfaces"/> instead, to be switched in the same pass.
/// </summary>
internal sealed class EgressBatches(FrameBatchPool pool, IRouterInterfaceEgress? routerInterfaces = null)
{
    private FrameBatch?[] _byPort = new FrameBatch?[8];
    private int[] _used = new int[8];
    private int _usedCount;

    /// <summary>The <see cref="FrameBatch.ReadAt"/> of the batch being routed, given to the egress batches it starts.</summary>
    public long Origin { get; set; }

    /// <summary>
    /// A batch for <paramref name="port"/> with room for one more frame, or null when the pool
    /// is exhausted. A full batch is sent on at once.
    /// </summary>
    public FrameBatch? For(Port port)
    {
        var index = port.Index;
        if (index >= _byPort.Length)
        {
            Array.Resize(ref _byPort, Math.Max(index + 1, _byPort.Length * 2));
            Array.Resize(ref _used, _byPort.Length);
        }

        var batch = _byPort[index];
        if (batch is not null && batch.IsFull)
        {
            _byPort[index] = null;
            Send(port, batch);
            batch = null;
        }
        if (batch is null)
        {
            if (!pool.TryRent(out batch)) return null;
            batch.ReadAt = Origin;
            _byPort[index] = batch;
            if (Array.IndexOf(_used, index, 0, _usedCount) < 0) _used[_usedCount++] = index;
        }
        return batch;
    }

    /// <summary>The captures to copy what goes out to; null (the usual case) while there is none.</summary>
    public CaptureTaps? Captures { get; set; }

    public void Flush(RouteSnapshot routes)
    {
        // Switching a router interface's frames fills its members' batches: those go first.
        for (var i = 0; i < _usedCount; i++)
        {
            var index = _used[i];
            if (_byPort[index] is { } batch && routes.Ports[index].IsRouterInterface)
            {
                _byPort[index] = null;
                Send(routes.Ports[index], batch);
            }
        }
        for (var i = 0; i < _usedCount; i++)
        {
            var index = _used[i];
            var batch = _byPort[index];
            _byPort[index] = null;
            if (batch is null) continue;
            if (batch.Count == 0)
            {
                batch.Release();
                continue;
            }
            Captures?.Sent(index, batch);
            routes.Ports[index].Target.Tell(batch, ActorRefs.NoSender);
        }
        _usedCount = 0;
    }

    private void Send(Port port, FrameBatch batch)
    {
        if (!port.IsRouterInterface)
        {
            port.Target.Tell(batch, ActorRefs.NoSender);
            return;
        }
        routerInterfaces?.SwitchOut(port, batch);
        batch.Release();
    }
}

/// <summary>What takes the frames the router sends out of a switch's router interface: they are switched from it.</summary>
internal interface IRouterInterfaceEgress
{
    /// <summary>Switches every frame of <paramref name="batch"/> as if it came in on <paramref name="routerInterface"/>; the caller releases the batch.</summary>
    void SwitchOut(Port routerInterface, FrameBatch batch);
}
