namespace Engine.IntegrationTests.OpenFlow;

/// <summary>The lab of the OpenFlow stress tests: two tap hosts h1 (.1) and h2 (.2) on one switch, the engine dialling one controller.</summary>
internal static class OpenFlowSwitchedHosts
{
    /// <param name="engineKeys">More keys for the <c>engine</c> block, such as <c>counters-interval = 1s</c>.</param>
    /// <param name="openFlowKeys">More keys for its <c>openflow</c> block.</param>
    public static string Lab(TestLab lab, int subnet, int controllerPort, string engineKeys = "", string openFlowKeys = "") => $$"""
        engine {
          {{engineKeys}}
          devices = [
            { name = {{lab.Device("h1")}}, type = tap, namespace = {{lab.Namespace("h1")}}, address = "10.{{subnet}}.0.1/24" }
            { name = {{lab.Device("h2")}}, type = tap, namespace = {{lab.Namespace("h2")}}, address = "10.{{subnet}}.0.2/24" }
          ]
          switches = [ { name = lan, ports = [{{lab.Device("h1")}}, {{lab.Device("h2")}}] } ]
          openflow { controllers = ["tcp:127.0.0.1:{{controllerPort}}"], fail-mode = secure, echo-interval = 1s
            {{openFlowKeys}}
          }
        }
        """;
}
