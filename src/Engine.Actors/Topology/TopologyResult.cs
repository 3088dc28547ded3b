using System.Diagnostics.CodeAnalysis;

namespace Engine.Actors.Topology;

/// <summary>
/// Either a valid <see cref="LabTopology"/> or every problem found in the file, never both:
/// a bad file is refused before anything is created.
/// </summary>
public sealed class TopologyResult
{
    private TopologyResult(LabTopology? topology, IReadOnlyList<TopologyError> errors)
    {
        Topology = topology;
        Errors = errors;
    }

    public LabTopology? Topology { get; }

    /// <summary>In the order they were found: document order within each section.</summary>
    public IReadOnlyList<TopologyError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Topology))]
    public bool IsValid => Topology is not null;

    /// <summary>One line per error, "path: reason".</summary>
    public IEnumerable<string> ErrorLines => Errors.Select(error => error.ToString());

    internal static TopologyResult Valid(LabTopology topology) => new(topology, []);

    internal static TopologyResult Invalid(IReadOnlyList<TopologyError> errors)
    {
        if (errors.Count == 0)
            throw new ArgumentException("an invalid result needs at least one error", nameof(errors));
        return new TopologyResult(null, errors);
    }
}
