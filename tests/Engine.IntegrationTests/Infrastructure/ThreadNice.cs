using System.Globalization;

namespace Engine.IntegrationTests.Infrastructure;

/// <summary>The nice values of a process's threads, as the kernel reports them.</summary>
public static class ThreadNice
{
    /// <summary>Each thread's nice value (field 19 of its stat), by its name as the kernel keeps it (15 bytes at most).</summary>
    public static Dictionary<string, int> ByName(int pid)
    {
        var byName = new Dictionary<string, int>();
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                var name = File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
                byName[name] = int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[16], CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // The thread ended between the listing and the read.
            }
        }
        return byName;
    }
}
