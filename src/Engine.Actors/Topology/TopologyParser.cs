using Akka.Configuration;
using Akka.Configuration.Hocon;

namespace Engine.Actors.Topology;

/// <summary>
/// Reads a lab file: the <c>engine</c> section of a HOCON document (other top-level sections,
/// such as <c>akka</c>, are left to their owners). Parsing is Akka's own HOCON parser, guarded by
/// <see cref="HoconSyntaxCheck"/>; the schema is <see cref="TopologyValidator"/>. Documented in
/// docs/config.md.
/// </summary>
public static class TopologyParser
{
    /// <summary>What syntax errors are attributed to when the text did not come from a file.</summary>
    public const string DefaultSourceName = "config";

    /// <summary>A lab file is a few kilobytes; anything near this is a wrong path.</summary>
    public const long MaxFileBytes = 1 << 20;

    /// <param name="kernel">The links that already exist, for a device name to be checked against; none when null.</param>
    public static TopologyResult Parse(string hoconText, string sourceName = DefaultSourceName, ILinkNames? kernel = null)
    {
        if (HoconSyntaxCheck.FindProblem(hoconText) is { } problem)
            return Failed(sourceName, problem);

        Config config;
        try
        {
            // Akka's tokenizer misses a token in the text's last character ("}#" at the very
            // end is an unknown token); a trailing new line changes nothing else.
            config = ConfigurationFactory.ParseString(hoconText + "\n");
        }
        // Akka's parser reports bad input as ConfigurationException or FormatException, and some
        // inputs it does not expect as other exceptions; each means the text is not usable HOCON.
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return Failed(sourceName, SyntaxError(exception));
        }

        var errors = new ErrorList();
        var engine = EngineValue(config) is { } value ? HoconTree.Build(value, "engine", errors) : null;
        var topology = TopologyValidator.Validate(engine, errors, kernel);
        return topology is not null ? TopologyResult.Valid(topology) : TopologyResult.Invalid(errors.Items);
    }

    public static TopologyResult ParseFile(string path, ILinkNames? kernel = null)
    {
        if (ReadProblem(path) is { } problem)
            return Failed(path, problem);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Failed(path, CannotRead(exception));
        }
        return Parse(text, path, kernel);
    }

    private static HoconValue? EngineValue(Config config)
    {
        if (config.Root is not { } root || !root.IsObject())
            return null;
        return root.GetObject().Items.TryGetValue("engine", out var value) ? value : null;
    }

    private static string? ReadProblem(string path)
    {
        if (Directory.Exists(path))
            return "cannot read: is a directory";
        var file = new FileInfo(path);
        if (!file.Exists)
            return "cannot read: no such file";
        if (file.Length > MaxFileBytes)
            return $"cannot read: {file.Length} bytes is too large for a lab file (at most {MaxFileBytes})";
        return null;
    }

    private static string CannotRead(Exception exception) => exception switch
    {
        FileNotFoundException or DirectoryNotFoundException => "cannot read: no such file",
        UnauthorizedAccessException => "cannot read: permission denied",
        _ => "cannot read: " + exception.Message,
    };

    /// <summary>What HoconSyntaxCheck lets through and Akka still refuses, such as a substitution
    /// of a key that does not exist; Akka's first line is the message.</summary>
    private static string SyntaxError(Exception exception)
    {
        var firstLine = exception.Message.Split('\n', 2)[0].Trim().TrimEnd(':').Trim();
        return "cannot parse: " + (firstLine.Length > 0 ? firstLine : exception.GetType().Name);
    }

    private static TopologyResult Failed(string path, string reason) =>
        TopologyResult.Invalid([new TopologyError(path, reason)]);
}
