using System.Runtime.InteropServices;
using Engine.Native.Interop;

namespace Engine.Native.Reactor;

/// <summary>The loop thread's nice value: the one it was given, and the one it steps back to during a flood.</summary>
public sealed partial class Reactor
{
    /// <summary>The nice value the loop thread was asked to run at.</summary>
    public int Nice => Flood.Nice;

    /// <summary>Steps the loop thread back while a flood of small frames lasts; its readers count each batch into it.</summary>
    public FloodBackoff Flood { get; }

    /// <summary>Why the kernel refused <see cref="Nice"/> (a value below the thread's current one needs CAP_SYS_NICE), or null.</summary>
    public NativeException? NiceRefused { get; private set; }

    /// <summary>On the loop thread, before it takes work: its nice value, and whether it may step back for floods.</summary>
    private void TakePriority()
    {
        if (Nice != 0) NiceRefused = SetOwnNice(Nice);
        if (Flood.IsEnabled && WhyNoFloodBackoff() is { } why)
            Flood.Disable(why);
    }

    /// <summary>Sets the calling thread's nice value: null, or why the kernel refused.</summary>
    private NativeException? SetOwnNice(int nice) =>
        Libc.setpriority(Libc.PRIO_PROCESS, (uint)Libc.gettid(), nice) < 0
            ? NativeException.FromLastError($"set nice {nice} of thread", Name)
            : null;

    /// <summary>Null if the loop thread can step back for a flood and forward again, or why not.</summary>
    private string? WhyNoFloodBackoff()
    {
        if (NiceRefused is not null) return "the thread could not take its usual nice value";
        // Nice 0 leaves the thread at the value it inherited; stepping "back" to the flood value
        // from a higher one would raise its priority instead.
        var current = Libc.getpriority(Libc.PRIO_PROCESS, (uint)Libc.gettid());
        if (current == -1 && Marshal.GetLastPInvokeError() != 0) return NativeException.FromLastError("read nice of thread", Name).Message;
        if (current != Nice) return $"the thread runs at nice {current}, inherited from the engine process";
        return CanReturnFromFlood();
    }

    /// <summary>
    /// Whether a thread of this process may go back from the flood nice value to the usual one:
    /// lowering a nice value needs CAP_SYS_NICE (or RLIMIT_NICE). Tried on a thread that ends
    /// at once, so a refusal cannot leave the loop thread behind. Null, or why not.
    /// </summary>
    private string? CanReturnFromFlood()
    {
        NativeException? refused = null;
        // Started from the loop thread, so it begins at the usual nice value, as the loop does.
        var probe = new Thread(() => refused = SetOwnNice(Flood.FloodNice) ?? SetOwnNice(Nice)) { Name = Name + "-nice", IsBackground = true };
        probe.Start();
        probe.Join();
        return refused is null ? null : $"a flood's nice value could not be undone ({refused.Message})";
    }
}
