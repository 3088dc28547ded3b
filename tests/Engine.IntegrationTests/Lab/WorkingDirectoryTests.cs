using Engine.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Engine.IntegrationTests.Lab;

/// <summary>
/// The engine takes its settings from the lab file alone, so it watches no file of the directory
/// it runs in. A service manager starts it in "/", where a host that watched its content root for
/// settings files would put an inotify watch on every directory of the machine and wake for
/// every file written anywhere.
/// </summary>
[Collection("engine")]
public sealed class WorkingDirectoryTests(ITestOutputHelper output)
{
    private const int Subnet = 98;

    [IntegrationFact]
    public void An_engine_run_in_a_directory_tree_watches_no_file_in_it()
    {
        using var lab = new TestLab();
        var directory = Directory.CreateTempSubdirectory("engine-cwd-");
        try
        {
            for (var i = 0; i < 5; i++) directory.CreateSubdirectory($"lab-{i}/captures");
            using var engine = EngineProcess.Start(LabConfigs.Hosts(lab, 2, Subnet), workingDirectory: directory.FullName);
            output.WriteLine(engine.Log);
            Assert.Equal(0, InotifyWatches(engine.Pid));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    // Each watch an inotify fd holds is one "inotify wd:" line of its fdinfo.
    private static int InotifyWatches(int pid)
    {
        var watches = 0;
        foreach (var fd in Directory.EnumerateFiles($"/proc/{pid}/fdinfo"))
        {
            try
            {
                watches += File.ReadLines(fd).Count(line => line.StartsWith("inotify wd:", StringComparison.Ordinal));
            }
            catch (IOException)
            {
                // closed between the listing and the read
            }
        }
        return watches;
    }
}
