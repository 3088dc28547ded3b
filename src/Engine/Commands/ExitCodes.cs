namespace Engine.Commands;

/// <summary>The exit codes every `engine` command uses (docs/control.md, `engine --help`).</summary>
internal static class ExitCodes
{
    public const int Ok = 0;
    public const int Failure = 1;
    public const int BadInput = 2;
    public const int NotRunning = 3;

    public const string Help = "Exit codes: 0 ok, 1 failure, 2 bad input (a bad lab file, option or request), 3 lab not running (no control socket, or nothing serves it; for run and cleanup: the lab runs in another engine)";
}
