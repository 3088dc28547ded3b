using System.Runtime.InteropServices;

namespace Engine.Native.Interop;

internal static partial class Libc
{
    internal const int PRIO_PROCESS = 0;

    /// <summary>On Linux a PRIO_PROCESS target is one thread, named by its thread id.</summary>
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int setpriority(int which, uint who, int prio);

    /// <summary>The thread's nice value; -1 is also a valid one, so errno (cleared before the call) tells an error apart.</summary>
    [LibraryImport(Name, SetLastError = true)]
    internal static partial int getpriority(int which, uint who);

    [LibraryImport(Name)]
    internal static partial int gettid();

    internal const int CLOCK_THREAD_CPUTIME_ID = 3;

    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial int clock_gettime(int clock, Timespec* time);

    /// <summary>The CPU time the calling thread has used, in nanoseconds (a system call: not per frame).</summary>
    internal static unsafe long ThreadCpuNanoseconds()
    {
        Timespec time;
        return clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time) == 0 ? time.Seconds * 1_000_000_000 + time.Nanoseconds : 0;
    }

    internal const int SCHED_OTHER = 0;
    internal const int SCHED_FIFO = 1;

    /// <summary>Or-ed into a policy: threads the thread starts begin at SCHED_OTHER, not at its real-time priority.</summary>
    internal const int SCHED_RESET_ON_FORK = 0x40000000;

    internal struct SchedParam
    {
        public int Priority;
    }

    /// <summary>On Linux <paramref name="pid"/> names one thread, by its thread id.</summary>
    [LibraryImport(Name, SetLastError = true)]
    internal static unsafe partial int sched_setscheduler(int pid, int policy, SchedParam* param);
}
