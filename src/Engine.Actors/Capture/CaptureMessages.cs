namespace Engine.Actors.Capture;

/// <summary>Tells the router to copy what the tap's port receives and is sent into the tap's ring.</summary>
public sealed record StartCapture(CaptureTap Tap);

/// <summary>Tells the router to stop feeding the tap.</summary>
public sealed record StopCapture(CaptureTap Tap);
