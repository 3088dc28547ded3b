using Engine.IntegrationTests.Infrastructure;

namespace Engine.IntegrationTests.OpenFlow;

/// <summary>Scripts/openflow_probe.py: a controller of the project's own that reports, one line each, what the engine's channel does.</summary>
internal static class OpenFlowProbe
{
    public static string Script => Path.Combine(Repository.Root, "tests/Engine.IntegrationTests/Scripts/openflow_probe.py");
}
