using System.Runtime.InteropServices;
using Serilog;

namespace Engine.Hosting;

/// <summary>
/// The signals besides SIGTERM and SIGINT (which the host turns into an orderly stop) whose
/// default action would kill the engine like SIGKILL, leaving its namespaces behind. SIGHUP (a
/// dropped terminal, `systemctl reload`) reloads the lab file, as `engine reload` does; SIGQUIT asks to quit, so it stops the engine the orderly way SIGTERM does; SIGUSR1 and
/// SIGUSR2 mean nothing to the engine yet and are logged and ignored. See docs/design.md, "Failure".
/// </summary>
internal sealed class EngineSignals : IDisposable
{
    // Linux numbers: PosixSignal names neither, but PosixSignalRegistration takes raw numbers.
    private const PosixSignal SigUsr1 = (PosixSignal)10;
    private const PosixSignal SigUsr2 = (PosixSignal)12;

    private readonly PosixSignalRegistration[] _registrations;

    /// <param name="reload">Reloads the lab file; what it did is the lab's to log.</param>
    public EngineSignals(Action stop, Action reload)
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
            {
                context.Cancel = true;
                Log.Information("received {Signal}: reloading the lab file", "SIGHUP");
                reload();
            }),
            PosixSignalRegistration.Create(SigUsr1, Ignore("SIGUSR1", "it has no meaning to the engine")),
            PosixSignalRegistration.Create(SigUsr2, Ignore("SIGUSR2", "it has no meaning to the engine")),
            PosixSignalRegistration.Create(PosixSignal.SIGQUIT, context =>
            {
                context.Cancel = true;
                Log.Information("received {Signal}: stopping, as for SIGTERM", "SIGQUIT");
                stop();
            }),
        ];
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }

    private static Action<PosixSignalContext> Ignore(string signal, string why) => context =>
    {
        context.Cancel = true;
        Log.Information("received {Signal}: ignored ({Why})", signal, why);
    };
}
