using System.Net;
using System.Runtime.ExceptionServices;
using Engine.Actors.Dataplane;
using Engine.Actors.Topology;
using Engine.Native;
using Engine.Native.Sockets;

namespace Engine.Actors.Peers;

/// <summary>
/// Opening a socket to redial or to replace a UDP socket: a peer with a <c>namespace</c> creates
/// it on a thread that enters the namespace, and this actor, like every port, waits for nothing
/// meanwhile (<see cref="Handoff{T}"/>). Connecting and binding, which do not block, happen here.
/// </summary>
public sealed partial class PeerActor
{
    private Handoff<NativeSocket>? _opening;

    private void OpenSocket(EndPoint endpoint, string description) =>
        _opening = Handoff<NativeSocket>.Start(PeerSockets.OpenAsync(_spec, endpoint, description), Self, socket => socket.Dispose());

    private void OnSocketOpened(HandoffDone done)
    {
        var socket = _opening!.Take();
        _opening = null;
        if (done.Failure is not null)
        {
            if (done.Failure is not NativeException) ExceptionDispatchInfo.Throw(done.Failure);
            ScheduleRedial(done.Failure.Message);
        }
        else if (_spec.Transport != PeerTransport.Udp) Connect(socket!);
        else
        {
            try
            {
                StartDatagramLink(socket!);
            }
            catch (NativeException e)
            {
                ScheduleRedial(e.Message);
            }
        }
    }
}
