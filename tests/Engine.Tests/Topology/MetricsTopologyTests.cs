using Xunit;

namespace Engine.Tests.Topology;

/// <summary>engine.metrics: the endpoint's plan line, loopback:9108 unless written, and a bad endpoint refused with its path.</summary>
public class MetricsTopologyTests
{
    private static string With(string metrics) => Lab.WithRoutes("", metrics);

    [Fact]
    public void The_endpoint_is_planned_where_listen_says_or_on_loopback_9108()
    {
        Assert.Contains("metrics served at http://127.0.0.1:9200/metrics in the engine's namespace\n", Lab.Valid(With("metrics { listen = \"127.0.0.1:9200\" }")).Describe());
        Assert.Contains("metrics served at http://127.0.0.1:9108/metrics", Lab.Valid(With("metrics { }")).Describe());
        Assert.DoesNotContain("metrics", Lab.Valid(With("")).Describe());
    }

    [Theory]
    [InlineData("metrics { listen = \"localhost:x\" }", "engine.metrics.listen")]
    [InlineData("metrics { port = 9108 }", "engine.metrics.port")]
    [InlineData("metrics = 9108", "engine.metrics")]
    public void A_bad_endpoint_is_refused_with_its_path(string metrics, string path) =>
        Assert.StartsWith(path + ": ", Assert.Single(Lab.Errors(With(metrics))));
}
