namespace Engine.Native.Threading;

/// <summary>
/// Runs work on a fresh OS thread that ends with the work. Namespace calls (unshare, setns)
/// change the calling thread for good, so they never run on a thread the runtime would reuse
/// (the caller's, or a thread-pool thread): the changed thread simply exits. Work that may block
/// for long (netlink round trips, opening a path) runs here too rather than on the thread-pool.
/// </summary>
public static class DedicatedThread
{
    /// <summary>Starts <paramref name="work"/>; the task completes with its result or its exception, and the thread ends right after.</summary>
    public static Task<T> Start<T>(string purpose, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        // Continuations run elsewhere: this thread may have left the caller's namespace.
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception exception)
            {
                done.SetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = purpose,
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>Runs <paramref name="work"/> and waits for it: for callers that may block.</summary>
    public static T Run<T>(string purpose, Func<T> work) => Start(purpose, work).GetAwaiter().GetResult();
}
