#!/usr/bin/env bash
# A lab driven from a script with the engine's CLI alone (docs/testing.md): start it detached,
# ping through it from a host's namespace, read a counter from `engine status --json`, stop it.
# As root:   docs/lab-script.sh
# Options:   ENGINE="dotnet src/Engine/bin/Release/net10.0/engine.dll" (default: engine on PATH)
#            LAB_PREFIX=NAME, what the lab's namespaces and devices are named from (default: ls<pid>)
# tests/Engine.IntegrationTests runs this file (LabScriptTests), so it stays true.
set -euo pipefail

engine=${ENGINE:-engine}
prefix=${LAB_PREFIX:-ls$$}
lab=$(mktemp --suffix=.hocon)

cat >"$lab" <<HOCON
engine {
  devices = [
    { name = ${prefix}a, type = tun, namespace = ${prefix}-a, address = ["10.250.1.1/24"], gateway = ["10.250.1.254"] }
    { name = ${prefix}b, type = tap, namespace = ${prefix}-b, address = ["10.250.2.1/24"], gateway = ["10.250.2.254"] }
  ]
}
HOCON
# However the script ends, the lab goes: `stop` deletes the namespaces the engine created.
trap '$engine stop --config "$lab" >/dev/null 2>&1 || true; rm -f "$lab"' EXIT

# Returns once the lab is up, printing {"pid":...,"socket":"/run/engine/....sock","ports":[...]}.
$engine run --detach --config "$lab"

ip netns exec "${prefix}-a" ping -n -c 3 -i 0.2 -W 2 10.250.2.1

# What the engine read from host a's tun: the three echo requests at least.
received=$($engine status --json --config "$lab" | jq --arg port "${prefix}a" '.ports[] | select(.name == $port) | .rx.packets')
echo "${prefix}a: $received packets received"
[ "$received" -ge 3 ]

$engine stop --config "$lab"
