using System.Net.Sockets;
using System.Text;

namespace Engine.Hosting;

/// <summary>
/// systemd's notification protocol: one datagram of "KEY=VALUE" lines to the Unix datagram socket
/// named by $NOTIFY_SOCKET (an abstract name when it starts with '@'). Without the variable
/// every call does nothing, as sd_notify(3) does outside a service.
/// </summary>
internal sealed class SdNotify : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;

    public SdNotify(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket) || notifySocket is not ['/', ..] and not ['@', ..]) return;
        _target = new UnixDomainSocketEndPoint(notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public static SdNotify FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    public bool IsEnabled => _socket is not null;

    /// <summary>
    /// The watchdog period systemd expects pings at ($WATCHDOG_USEC, for this process when
    /// $WATCHDOG_PID names one); null when there is no watchdog.
    /// </summary>
    public static TimeSpan? WatchdogInterval(string? usec, string? pid)
    {
        if (!long.TryParse(usec, out var micros) || micros <= 0) return null;
        if (!string.IsNullOrEmpty(pid) && pid != Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)) return null;
        return TimeSpan.FromMicroseconds(micros);
    }

    /// <summary>Sends <paramref name="state"/> ("READY=1"); false when it could not be sent (systemd is told nothing more).</summary>
    public bool Send(string state)
    {
        if (_socket is null) return false;
        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _target!);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose() => _socket?.Dispose();
}
