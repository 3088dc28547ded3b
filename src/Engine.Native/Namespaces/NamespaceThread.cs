using System.Runtime.ExceptionServices;

namespace Engine.Native.Namespaces;

/// <summary>
/// Runs work on a fresh OS thread that ends with the work. Namespace calls (unshare, setns)
/// change the calling thread for good, so they never run on a thread the runtime would reuse
/// (the caller's, or a thread-pool thread): the changed thread simply exits.
/// </summary>
internal static class NamespaceThread
{
    public static T Run<T>(string purpose, Func<T> work)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                result = work();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = purpose,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }
}
