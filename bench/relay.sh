#!/usr/bin/env bash
# relay.sh: measures one relay between two hosts against two baselines, in one run.
#
#   host A (netns)                          host B (netns)
#   10.10.1.2/24                            10.10.2.2/24
#   default via 10.10.1.1                   default via 10.10.2.1
#        |                                       |
#        +------------>  relay  <----------------+
#
#   engine  A:rba0 (tun) <-> engine process (root netns) <-> B:rbb0 (tun)
#           the engine creates both host namespaces itself from the config
#   kernel  A:a0 (veth) <-> r0 | router netns, ip_forward=1 | r1 <-> B:b0 (veth)
#           the limit: no copy to userspace at all
#   socat   A:ta (tun) <-> socat TUN TUN (relay netns) <-> B:tb (tun)
#           each tun is created by socat in the relay netns, then moved into its host
#
# Each relay is set up, measured and torn down in turn. Measurements (all bounded):
#   tcp1 / tcp4   iperf3 TCP, 1 and 4 streams, client in A, server in B (Gbit/s received)
#   udp64         iperf3 UDP, 64-byte payloads, unlimited rate: packets/s received by B
#   ping p50/p99  round-trip time of PING_COUNT pings 10 ms apart (µs)
#   cpu s/GB      CPU seconds the relay process (and its children) used per GB
#                 forwarded during the tcp1 run; n/a for the kernel
#
# Needs root and: iperf3 iputils-ping socat python3 iproute2
#   (CI/setup: apt-get install -y iperf3 iputils-ping socat). The script installs nothing.
#
# Safety: every namespace is named rb<PID>-<relay>-<role>, every interface is created
# inside one of them, and traffic only flows between them. `trap cleanup EXIT` stops
# what the script started and deletes those namespaces, also on failure or Ctrl-C.
#
# Environment:
#   ENGINE_CMD   engine command (default: dotnet <repo>/src/Engine/bin/Release/net10.0/engine.dll)
#   RELAYS       relays to measure, in order (default: "engine kernel socat")
#   DURATION     seconds per iperf3 run (default 5)
#   PING_COUNT   pings per RTT measurement (default 300)
#   ENGINE_WAIT  seconds to wait for the engine to forward (default 20)
#   REPEAT       rounds of all relays, interleaved; each figure is the median (default 1)
#   BENCH_OUT    if set, also write the results as a markdown table to this file
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENGINE_CMD=${ENGINE_CMD:-"dotnet $REPO/src/Engine/bin/Release/net10.0/engine.dll"}
RELAYS=${RELAYS:-"engine kernel socat"}
DURATION=${DURATION:-5}
PING_COUNT=${PING_COUNT:-300}
ENGINE_WAIT=${ENGINE_WAIT:-20}
REPEAT=${REPEAT:-1}
BENCH_OUT=${BENCH_OUT:-}

PREFIX="rb$$"
ADDR_A=10.10.1.2
ADDR_B=10.10.2.2
WORK=$(mktemp -d "/tmp/relay-bench.XXXXXX")
RESULTS="$WORK/results.tsv"
PIDS="$WORK/pids"   # one file per background process this run started
mkdir -p "$PIDS"
: >"$RESULTS"

# Set by each relay's setup; the helpers below run commands in the host namespaces.
NS_A="" NS_B="" NS_R="" RELAY_PID="" HEADER=""
nsa() { ip netns exec "$NS_A" "$@"; }
nsb() { ip netns exec "$NS_B" "$@"; }

log() { printf '%s\n' "$*" >&2; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }

# ---------------------------------------------------------------- processes and cleanup

# start NAME CMD...: runs CMD in the background, remembers its pid under NAME.
start() {
    local name=$1; shift
    "$@" >"$WORK/$name.log" 2>&1 &
    echo $! >"$PIDS/$name"
}

pid_of() { cat "$PIDS/$1"; }

# stop NAME: SIGTERM, up to 10 s to exit, then SIGKILL. Returns 1 if it had to kill.
stop() {
    local name=$1 pid i
    [[ -f "$PIDS/$name" ]] || return 0
    pid=$(pid_of "$name")
    rm -f "$PIDS/$name"
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 1
}

stop_all() {
    local f
    for f in "$PIDS"/*; do
        if [[ -e "$f" ]]; then stop "$(basename "$f")" || true; fi
    done
}

# teardown NS...: a relay's EXIT trap; never fails, so it always runs to the end.
teardown() {
    local ns
    stop_all
    for ns in "$@"; do ip netns delete "$ns" 2>/dev/null || true; done
}

delete_namespaces() {
    local ns
    for ns in $(ip netns list | awk '{print $1}' | grep "^$PREFIX-" || true); do
        ip netns delete "$ns" 2>/dev/null || true
    done
}

cleanup() {
    stop_all
    delete_namespaces
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------- measurements

# cpu_ticks PID: utime+stime of PID and all its descendants, in clock ticks.
cpu_ticks() {
    python3 - "$1" <<'EOF'
import os, sys
root = int(sys.argv[1])
parent, ticks = {}, {}
for entry in os.listdir("/proc"):
    if not entry.isdigit():
        continue
    try:
        with open(f"/proc/{entry}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except OSError:
        continue
    pid = int(entry)
    parent[pid] = int(fields[1])
    ticks[pid] = int(fields[11]) + int(fields[12])
def in_tree(pid):
    while pid > 1:
        if pid == root:
            return True
        pid = parent.get(pid, 0)
    return False
print(sum(t for pid, t in ticks.items() if in_tree(pid)))
EOF
}

# iperf_json OUT ARGS...: one bounded iperf3 client run from A to B, JSON into OUT.
iperf_json() {
    local out=$1; shift
    timeout --foreground -k 5 $((DURATION + 30)) \
        ip netns exec "$NS_A" iperf3 -c "$ADDR_B" -t "$DURATION" --connect-timeout 5000 -J "$@" >"$out"
}

# json_get FILE EXPR: evaluates a python expression over the parsed JSON document `j`.
json_get() {
    python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

start_iperf_server() {
    local i
    start iperf3-server ip netns exec "$NS_B" iperf3 -s
    for ((i = 0; i < 50; i++)); do
        [[ -n "$(nsb ss -Htln 'sport = :5201')" ]] && return 0
        sleep 0.1
    done
    log "iperf3 server did not start"; return 1
}

measure_tcp() {  # relay streams metric
    local relay=$1 streams=$2 metric=$3 out="$WORK/$1-$3.json" before after
    [[ -n "$RELAY_PID" ]] && before=$(cpu_ticks "$RELAY_PID")
    iperf_json "$out" -P "$streams"
    [[ -n "$RELAY_PID" ]] && after=$(cpu_ticks "$RELAY_PID")
    record "$relay" "$metric" "$(json_get "$out" 'j["end"]["sum_received"]["bits_per_second"] / 1e9')"
    if [[ $streams == 1 ]]; then
        if [[ -n "$RELAY_PID" ]]; then
            local gb hz
            gb=$(json_get "$out" 'j["end"]["sum_received"]["bytes"] / 1e9')
            hz=$(getconf CLK_TCK)
            record "$relay" cpu "$(python3 -c "print(($after - $before) / $hz / $gb)")"
        fi
    fi
}

measure_udp64() {
    local relay=$1 out="$WORK/$1-udp64.json"
    iperf_json "$out" -u -l 64 -b 0
    # sum_received is the server's count: packets by sequence number, minus those lost.
    # (iperf3 before 3.11 only has end.sum, which holds the same receiver figures for UDP.)
    record "$relay" udp64 "$(json_get "$out" \
        '(lambda r: (r["packets"] - r["lost_packets"]) / r["seconds"])(j["end"].get("sum_received", j["end"]["sum"]))')"
}

measure_ping() {
    local relay=$1 out="$WORK/$1-ping.txt"
    timeout --foreground -k 5 $((PING_COUNT / 50 + 30)) ip netns exec "$NS_A" ping -n -i 0.01 -c "$PING_COUNT" -W 1 "$ADDR_B" >"$out" || true
    python3 - "$out" "$relay" "$RESULTS" <<'EOF'
import re, sys
times = sorted(float(m) * 1000 for m in re.findall(r"time=([0-9.]+) ms", open(sys.argv[1]).read()))
if not times:
    sys.exit("ping: no replies")
def pct(p):  # nearest rank
    return times[min(len(times) - 1, max(0, -(-len(times) * p // 100) - 1))]
with open(sys.argv[3], "a") as out:
    out.write(f"{sys.argv[2]}\tp50\t{pct(50):.0f}\n{sys.argv[2]}\tp99\t{pct(99):.0f}\n")
EOF
}

measure_all() {
    local relay=$1
    start_iperf_server
    log "  $relay: tcp 1 stream";  measure_tcp "$relay" 1 tcp1
    log "  $relay: tcp 4 streams"; measure_tcp "$relay" 4 tcp4
    log "  $relay: udp 64 bytes";  measure_udp64 "$relay"
    sleep 1  # let the queues the UDP flood filled drain before timing single pings
    log "  $relay: ping";          measure_ping "$relay"
    stop iperf3-server
}

# wait_ping SECONDS: until A reaches B, or fail.
wait_ping() {
    local deadline=$((SECONDS + $1))
    until nsa ping -n -c 1 -W 1 "$ADDR_B" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

# add_namespaces NS...: fresh namespaces with IPv6 off, so that no router solicitation or
# MLD report crosses a relay before both sides are up (socat exits on a write to a tun
# that is still down) and only the measured traffic flows.
add_namespaces() {
    local ns
    for ns in "$@"; do
        ip netns add "$ns"
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
}

# configure_host NS DEV ADDR GATEWAY: address and default route on a host's link.
configure_host() {
    local ns=$1 dev=$2 addr=$3 gw=$4
    ip -n "$ns" link set lo up
    ip -n "$ns" addr add "$addr" dev "$dev"
    ip -n "$ns" link set "$dev" up
    if [[ -n "$gw" ]]; then
        ip -n "$ns" route add default via "$gw" dev "$dev"
    else
        ip -n "$ns" route add default dev "$dev"
    fi
}

# ---------------------------------------------------------------- relays
# Each relay_<name> sets up, measures and tears down. It runs in a subshell with errexit,
# so any failing step ends that relay only; its EXIT trap tears it down.

relay_kernel() {
    NS_A="$PREFIX-k-a" NS_B="$PREFIX-k-b" NS_R="$PREFIX-k-r"
    trap 'teardown "$NS_A" "$NS_B" "$NS_R"' EXIT
    add_namespaces "$NS_A" "$NS_B" "$NS_R"
    ip -n "$NS_R" link add r0 type veth peer name a0 netns "$NS_A"
    ip -n "$NS_R" link add r1 type veth peer name b0 netns "$NS_B"
    ip -n "$NS_R" addr add 10.10.1.1/24 dev r0
    ip -n "$NS_R" addr add 10.10.2.1/24 dev r1
    ip -n "$NS_R" link set r0 up
    ip -n "$NS_R" link set r1 up
    ip netns exec "$NS_R" sysctl -qw net.ipv4.ip_forward=1
    configure_host "$NS_A" a0 "$ADDR_A/24" 10.10.1.1
    configure_host "$NS_B" b0 "$ADDR_B/24" 10.10.2.1
    wait_ping 5 || { log "kernel: no ping through the router"; return 1; }
    RELAY_PID=""
    measure_all kernel
}

relay_socat() {
    NS_A="$PREFIX-s-a" NS_B="$PREFIX-s-b" NS_R="$PREFIX-s-r"
    local i
    trap 'teardown "$NS_A" "$NS_B" "$NS_R"' EXIT
    add_namespaces "$NS_A" "$NS_B" "$NS_R"
    # No address on socat's side: it only copies packets between the two tun fds.
    # iff-no-pi on both ends so each read is exactly one IP packet.
    start socat ip netns exec "$NS_R" socat -d -d -b 65536 \
        TUN,tun-name=ta,iff-no-pi,iff-up TUN,tun-name=tb,iff-no-pi,iff-up
    # Move the tuns only once socat has finished configuring them (it sets flags by
    # interface name, which fails once a device has left its namespace).
    for ((i = 0; i < 50; i++)); do
        grep -q "starting data transfer loop" "$WORK/socat.log" && break
        sleep 0.1
    done
    ((i < 50)) || { log "socat did not start: $(tail -n 1 "$WORK/socat.log")"; return 1; }
    # A device moved to another namespace loses its addresses and goes down; the fd stays.
    ip -n "$NS_R" link set ta netns "$NS_A"
    ip -n "$NS_R" link set tb netns "$NS_B"
    configure_host "$NS_A" ta "$ADDR_A/24" ""
    configure_host "$NS_B" tb "$ADDR_B/24" ""
    wait_ping 5 || { log "socat: no ping through socat"; return 1; }
    RELAY_PID=$(pid_of socat)
    measure_all socat
}

# The engine creates (and at shutdown removes) the host namespaces itself.
write_engine_config() {
    cat >"$1" <<EOF
engine {
  devices = [
    { name = rba0, type = tun, namespace = "$NS_A", address = "$ADDR_A/24", gateway = "10.10.1.1" }
    { name = rbb0, type = tun, namespace = "$NS_B", address = "$ADDR_B/24", gateway = "10.10.2.1" }
  ]
  routes = [
    { prefix = "10.10.1.0/24", via = rba0 }
    { prefix = "10.10.2.0/24", via = rbb0 }
  ]
}
EOF
}

# engine_missing: prints why ENGINE_CMD cannot run, or nothing.
engine_missing() {
    local words w
    read -ra words <<<"$ENGINE_CMD"
    command -v "${words[0]}" >/dev/null 2>&1 || { echo "${words[0]} not found"; return; }
    for w in "${words[@]:1}"; do
        [[ $w == */* && ! -e $w ]] && { echo "$w does not exist"; return; }
    done
    true
}

# wait_engine SECONDS: until both namespaces exist and A reaches B. Records why not and
# fails if the engine exits or the time runs out.
wait_engine() {
    local deadline=$((SECONDS + $1)) pid
    pid=$(pid_of engine)
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            local rc=0
            wait "$pid" || rc=$?
            rm -f "$PIDS/engine"
            record engine status "engine exited with code $rc: $(tail -n 1 "$WORK/engine.log")"
            return 1
        fi
        if ip netns list | grep -q "^$NS_A\b" && ip netns list | grep -q "^$NS_B\b" &&
            nsa ping -n -c 1 -W 1 "$ADDR_B" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    record engine status "no ping from A to B after $1 s; log: $(tail -n 1 "$WORK/engine.log")"
    return 1
}

relay_engine() {
    NS_A="$PREFIX-e-a" NS_B="$PREFIX-e-b"
    local config="$WORK/engine.conf" why
    why=$(engine_missing)
    [[ -z $why ]] || { record engine status "$why"; return 0; }
    # stop_all sends SIGTERM first: the engine removes its devices and namespaces itself;
    # deleting them afterwards only matters if it did not.
    trap 'teardown "$NS_A" "$NS_B"' EXIT
    write_engine_config "$config"
    # shellcheck disable=SC2086  # ENGINE_CMD is a command line
    start engine $ENGINE_CMD run --config "$config"
    wait_engine "$ENGINE_WAIT" || return 0
    RELAY_PID=$(pid_of engine)
    measure_all engine
    stop engine || log "engine: did not exit within 10 s of SIGTERM, killed"
    local ns
    for ns in "$NS_A" "$NS_B"; do
        if ip netns list | grep -q "^$ns\b"; then log "engine: left namespace $ns behind"; fi
    done
}

# run_relay NAME: one relay in a subshell; a failure is reported and the run goes on.
run_relay() {
    local relay=$1 rc
    log "== $relay"
    set +e
    (trap "exit 130" INT; trap "exit 143" TERM; set -e; "relay_$relay")
    rc=$?
    set -e
    if ((rc != 0)) && ! grep -q "^$relay	status	" "$RESULTS"; then
        record "$relay" status "failed (exit $rc)"
    fi
}

# ---------------------------------------------------------------- report

report() {
    python3 - "$RESULTS" "$BENCH_OUT" "$RELAYS" "$HEADER" <<'EOF'
import sys
results_file, out_file, relays, run_header = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4]
import statistics
samples, status = {}, {}
for line in open(results_file):
    relay, metric, value = line.rstrip("\n").split("\t", 2)
    if metric == "status":
        status[relay] = value
    else:
        samples.setdefault((relay, metric), []).append(float(value))
# With REPEAT > 1 every figure is the median of its rounds: one noisy round moves nothing.
values = {key: statistics.median(v) for key, v in samples.items()}

columns = [  # metric, heading, format
    ("tcp1", "tcp1 Gbit/s", "{:.2f}"),
    ("tcp4", "tcp4 Gbit/s", "{:.2f}"),
    ("udp64", "udp64 pkt/s", "{:.0f}"),
    ("p50", "ping p50 µs", "{:.0f}"),
    ("p99", "ping p99 µs", "{:.0f}"),
    ("cpu", "cpu s/GB", "{:.2f}"),
]

def cell(relay, metric, fmt):
    v = values.get((relay, metric))
    return "n/a" if v is None else fmt.format(v)

def ratio(a, b, metric):
    x, y = values.get((a, metric)), values.get((b, metric))
    return "n/a" if x is None or not y else f"{x / y:.3f}"

header = ["relay"] + [h for _, h, _ in columns]
rows = [[r] + [cell(r, m, f) for m, _, f in columns] for r in relays]
pairs = [("engine", "kernel"), ("engine", "socat"), ("socat", "kernel")]
ratio_rows = [[f"{a}/{b}"] + [ratio(a, b, m) for m, _, _ in columns]
              for a, b in pairs if a in relays and b in relays]

def text_table(rows, first="relay"):
    table = [[first] + header[1:]] + rows
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in table]
    return "\n".join(lines)

def markdown_table(rows, first="relay"):
    lines = ["| " + " | ".join([first] + header[1:]) + " |", "|---" + "|---:" * (len(header) - 1) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)

print()
print(text_table(rows))
for r in relays:
    if r in status:
        print(f"{r}: not available ({status[r]})")
print()
print("ratios (throughput, pkt/s: >1 = first is faster; ping, cpu: <1 = first is better)")
print(text_table(ratio_rows, "ratio") if ratio_rows else "(no pair of relays measured)")

if out_file:
    with open(out_file, "w") as f:
        f.write("".join(f"    {line}\n" for line in run_header.splitlines()) + "\n")
        f.write(markdown_table(rows) + "\n\n")
        for r in relays:
            if r in status:
                f.write(f"{r}: not available ({status[r]})\n\n")
        f.write("Ratios:\n\n" + markdown_table(ratio_rows, "ratio") + "\n")
EOF
}

main() {
    [[ $EUID == 0 ]] || { log "needs root (network namespaces)"; exit 1; }
    local tool
    for tool in iperf3 ping socat python3 ip; do
        command -v "$tool" >/dev/null || { log "missing tool: $tool"; exit 1; }
    done
    HEADER="relay benchmark  $(date -u '+%Y-%m-%d %H:%M:%S UTC')
nproc $(nproc)  kernel $(uname -r)  duration ${DURATION}s  pings $PING_COUNT  rounds $REPEAT (medians)
engine: $ENGINE_CMD"
    echo "$HEADER"
    local relay round
    for relay in $RELAYS; do
        declare -F "relay_$relay" >/dev/null || { log "unknown relay: $relay"; exit 1; }
    done
    for ((round = 1; round <= REPEAT; round++)); do
        ((REPEAT == 1)) || log "-- round $round of $REPEAT"
        for relay in $RELAYS; do run_relay "$relay"; done
    done
    report
}

main "$@"
