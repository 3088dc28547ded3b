using Engine.Actors.Topology;
using Xunit;

namespace Engine.Tests.Topology;

public sealed class ParseFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("engine-topology-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Valid_file_parses()
    {
        var path = Write("lab.hocon", "engine { devices = [ { name = tun-a, type = tun } ] }");

        var result = TopologyParser.ParseFile(path);

        Assert.True(result.IsValid);
        Assert.Equal("tun-a", result.Topology.Devices[0].Name);
    }

    [Fact]
    public void Missing_file_is_one_error_naming_it()
    {
        var path = Path.Combine(_directory, "absent.hocon");
        Assert.Equal([$"{path}: cannot read: no such file"], TopologyParser.ParseFile(path).ErrorLines);
    }

    [Fact]
    public void Directory_is_one_error_naming_it() =>
        Assert.Equal([$"{_directory}: cannot read: is a directory"], TopologyParser.ParseFile(_directory).ErrorLines);

    [Fact]
    public void Oversized_file_is_refused_unread()
    {
        var path = Write("huge.hocon", new string('#', (int)TopologyParser.MaxFileBytes + 1));
        Assert.Equal([$"{path}: cannot read: 1048577 bytes is too large for a lab file (at most 1048576)"],
            TopologyParser.ParseFile(path).ErrorLines);
    }

    [Fact]
    public void Syntax_error_is_attributed_to_the_file()
    {
        var path = Write("broken.hocon", "engine {\n  devices = [\n");
        Assert.Equal([$"{path}: line 2, column 13: '[' is never closed"], TopologyParser.ParseFile(path).ErrorLines);
    }

    [Fact]
    public void Schema_errors_keep_key_paths()
    {
        var path = Write("bad.hocon", "engine { devices = [ { name = tun-a, type = tan } ] }");
        Assert.Equal(["engine.devices[0].type: must be tun or tap, got \"tan\""], TopologyParser.ParseFile(path).ErrorLines);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
