namespace Engine.Actors.Topology;

/// <summary>Collects every problem in a lab file, so one run reports them all.</summary>
internal sealed class ErrorList
{
    private readonly List<TopologyError> _errors = [];

    public int Count => _errors.Count;

    public IReadOnlyList<TopologyError> Items => _errors;

    public void Add(string path, string reason) => _errors.Add(new TopologyError(path, reason));
}
