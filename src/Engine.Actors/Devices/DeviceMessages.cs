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
