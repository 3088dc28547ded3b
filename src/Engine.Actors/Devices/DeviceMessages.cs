namespace Engine.Actors.Devices;

/// <summary>The device's fd failed; its actor turns this into an exception for supervision.</summary>
public sealed record DeviceFailed(Exception Cause);

/// <summary>A device is open, configured and forwarding.</summary>
public sealed record DeviceUp(string Name, int Port);

/// <summary>Time to try opening the device again after a failure.</summary>
internal sealed record ReopenDevice
{
    public static readonly ReopenDevice Instance = new();
}

/// <summary>The device's fd failed at run time; supervision restarts the actor, which reopens it.</summary>
public sealed class DeviceFailedException(string device, Exception cause)
    : Exception($"device {device} failed: {cause.Message}", cause);

/// <summary>
/// The device leaves the lab (a reload removed or changed it): it closes its queues off the
/// data-plane thread, which deleting the interface would hold, and stops once they are closed.
/// </summary>
public sealed record RetireDevice
{
    public static readonly RetireDevice Instance = new();
}

/// <summary>A retiring device's queues are closed.</summary>
internal sealed record DeviceClosed
{
    public static readonly DeviceClosed Instance = new();
}
