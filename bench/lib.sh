# shellcheck shell=bash
# lib.sh: what relay.sh and tunnel.sh share. Sourced, not run.
#
# The sourcing script sets REPO and PREFIX (the namespace prefix unique to this run, the
# script's PID in it), then calls bench_init, which sets:
#   WORK         a fresh temporary directory; RESULTS and PIDS live in it
#   RESULTS      tab-separated results: name, metric, value (or "status", reason)
#   PIDS         directory with one file per background process this run started
#   ADDR_B       the address host B's iperf3 server and ping target listen on
#   DURATION, PING_COUNT, BENCH_OUT, HEADER, ENGINE_CMD   as documented in the scripts
#   MEASURES  which measurements to run, of "tcp1 tcp4 udp64 ping" (default: all)
#   WARMUP       optional: seconds of untimed traffic before each case's measurements
#   KEEP_WORK    optional: 1 keeps WORK (engine logs, iperf3 JSON) and prints where it is
# and, per case: NS_A and NS_B (the two host namespaces) and RELAY_PIDS (the userspace
# processes whose CPU is measured, space-separated; empty for an in-kernel path).
#
# Safety rests on two things the scripts keep to: every namespace is named "$PREFIX-*",
# and every process is started with `start`, so `cleanup` finds and ends all of them.

# bench_init NAME: what every script starts with, after REPO is set and this file sourced:
# the defaults they share (each documents its own), a fresh WORK directory for RESULTS and
# PIDS, and the traps that clean up on any exit.
bench_init() {
    ENGINE_CMD=${ENGINE_CMD:-"dotnet $REPO/src/Engine/bin/Release/net10.0/engine.dll"}
    DURATION=${DURATION:-5}
    PING_COUNT=${PING_COUNT:-300}
    ENGINE_WAIT=${ENGINE_WAIT:-20}
    REPEAT=${REPEAT:-1}
    BENCH_OUT=${BENCH_OUT:-}
    WORK=$(mktemp -d "/tmp/$1-bench.XXXXXX")
    RESULTS="$WORK/results.tsv"
    PIDS="$WORK/pids"
    mkdir -p "$PIDS"
    : >"$RESULTS"
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

# free_port tcp|udp: a port on 127.0.0.1 that nobody uses right now.
free_port() {
    python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1] == "udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' "$1"
}

nsa() { ip netns exec "$NS_A" "$@"; }
nsb() { ip netns exec "$NS_B" "$@"; }

log() { printf '%s\n' "$*" >&2; }
record() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$RESULTS"; }

# ---------------------------------------------------------------- processes and cleanup

# start NAME CMD...: runs CMD in the background, remembers its pid under NAME.
start() {
    local name=$1; shift
    : >"$WORK/$name.log"   # exists at once, for whoever waits on it
    "$@" >>"$WORK/$name.log" 2>&1 &
    echo $! >"$PIDS/$name"
}

pid_of() { cat "$PIDS/$1"; }

# running NAME: whether the process started as NAME is still alive.
running() { [[ -f "$PIDS/$1" ]] && kill -0 "$(pid_of "$1")" 2>/dev/null; }

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

# teardown NS...: a case's EXIT trap; never fails, so it always runs to the end.
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

# cleanup: the script's EXIT trap.
cleanup() {
    stop_all
    delete_namespaces
    if [[ ${KEEP_WORK:-0} == 1 ]]; then log "logs and results kept in $WORK"; else rm -rf "$WORK"; fi
}

# wait_until NAME SECONDS CONDITION...: until CONDITION holds, or fail if NAME exits or time runs out.
wait_until() {
    local name=$1 seconds=$2 deadline=$((SECONDS + $2)); shift 2
    until "$@"; do
        running "$name" || { log "$name exited: $(tail -n 3 "$WORK/$name.log")"; exit 1; }
        ((SECONDS < deadline)) || { log "$name: not ready after $seconds s: $(tail -n 2 "$WORK/$name.log")"; exit 1; }
        sleep 0.2
    done
}

lab_up() { grep -q "lab up" "$WORK/$1.log"; }

# ---------------------------------------------------------------- namespaces

# add_namespaces NS...: fresh namespaces with IPv6 off, so that no router solicitation or
# MLD report crosses a relay or tunnel before both sides are up (socat exits on a write to
# a tun that is still down, and on an ICMP port unreachable) and only the measured traffic
# flows.
add_namespaces() {
    local ns
    for ns in "$@"; do
        ip netns add "$ns"
        ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
    done
}

# configure_host NS DEV ADDR GATEWAY: address and default route on a host's link; an
# empty GATEWAY makes the default route on-link (a tun, or a direct link).
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

# wait_ping SECONDS: until A reaches B, or fail.
wait_ping() {
    local deadline=$((SECONDS + $1))
    until nsa ping -n -c 1 -W 1 "$ADDR_B" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
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

# require_engine [CASES...]: exits before anything is measured when ENGINE_CMD cannot run and
# the run needs it (no CASES, or one of them is an engine case), so a bench run on a tree that
# was not built fails in a second instead of after every other case.
require_engine() {
    if (($# > 0)); then
        local c needed=
        for c in "$@"; do [[ $c == engine* ]] && needed=1; done
        [[ -n $needed ]] || return 0
    fi
    local why
    why=$(engine_missing)
    [[ -z $why ]] || { log "engine: $why (build it: dotnet build src/Engine -c Release)"; exit 1; }
}

# require_tools TOOL...: exits at once, with the command that installs them, when a tool the run
# drives is missing (a missing ping would otherwise read as a route that never converged).
require_tools() {
    local tool missing=()
    for tool in "$@"; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
    ((${#missing[@]} == 0)) || { log "missing ${missing[*]} (install them: sudo bash .ci/install-deps)"; exit 1; }
}

# ---------------------------------------------------------------- measurements

# cpu_ticks PID...: utime+stime of the PIDs and all their descendants, in clock ticks.
cpu_ticks() {
    python3 - "$@" <<'EOF'
import os, sys
roots = {int(a) for a in sys.argv[1:]}
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
        if pid in roots:
            return True
        pid = parent.get(pid, 0)
    return False
print(sum(t for pid, t in ticks.items() if in_tree(pid)))
EOF
}

# iperf_json OUT ARGS...: one bounded iperf3 client run from A to B, JSON into OUT.
iperf_json() { iperf_for "$DURATION" "$@"; }

# iperf_for SECONDS OUT ARGS...: the same, for SECONDS.
iperf_for() {
    local seconds=$1 out=$2; shift 2
    timeout --foreground -k 5 $((seconds + 30)) \
        ip netns exec "$NS_A" iperf3 -c "$ADDR_B" -t "$seconds" --connect-timeout 5000 -J "$@" >"$out"
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

# measure_tcp NAME STREAMS METRIC. Around the 1-stream run it calls `tcp1_hook before|after
# NAME` if the script defines one (tunnel.sh reads the engines' allocation counters there).
measure_tcp() {
    local name=$1 streams=$2 metric=$3 out="$WORK/$1-$3.json" before after hook="" cpu=0
    # CPU per GB is a single-stream figure, and only for a userspace relay.
    [[ $streams == 1 && -n "$RELAY_PIDS" ]] && cpu=1
    [[ $streams == 1 ]] && declare -F tcp1_hook >/dev/null && hook=tcp1_hook
    # shellcheck disable=SC2086  # RELAY_PIDS is a list
    ((cpu)) && before=$(cpu_ticks $RELAY_PIDS)
    [[ -z $hook ]] || "$hook" before "$name"
    iperf_json "$out" -P "$streams"
    [[ -z $hook ]] || "$hook" after "$name"
    # shellcheck disable=SC2086
    ((cpu)) && after=$(cpu_ticks $RELAY_PIDS)
    record "$name" "$metric" "$(json_get "$out" 'j["end"]["sum_received"]["bits_per_second"] / 1e9')"
    if ((cpu)); then
        local gb hz
        gb=$(json_get "$out" 'j["end"]["sum_received"]["bytes"] / 1e9')
        hz=$(getconf CLK_TCK)
        record "$name" cpu "$(python3 -c "print(($after - $before) / $hz / $gb)")"
    fi
}

# udp_arrived: datagrams that reached host B's UDP layer so far, whether its socket then
# took them (UdpInDatagrams) or had no room (UdpRcvbufErrors): what the relay delivered.
udp_arrived() {
    nsb nstat -az UdpInDatagrams UdpRcvbufErrors | awk '/^Udp/ { n += $2 } END { print n + 0 }'
}

# waited_ns NAME: nanoseconds the process started as NAME has spent runnable but not running
# (the second field of /proc/PID/schedstat).
waited_ns() { awk '{ print $2 }' "/proc/$(pid_of "$1")/schedstat"; }

# measure_udp64 NAME: iperf3's received rate (udp64), and what tells the relay apart from the
# receiving iperf3, which shares the 2 cores with it: datagrams/s that arrived at host B's UDP
# layer (udp64in), the relay's CPU µs per arrived datagram (udpcpu, userspace only), and the
# share of the run that B's iperf3 spent waiting for a CPU while it had datagrams to read (rxwait).
measure_udp64() {
    local name=$1 out="$WORK/$1-udp64.json" before after cpu_before cpu_after seconds wait_before wait_after t0 t1
    before=$(udp_arrived)
    wait_before=$(waited_ns iperf3-server)
    t0=$(date +%s%N)
    # shellcheck disable=SC2086  # RELAY_PIDS is a list
    [[ -z "$RELAY_PIDS" ]] || cpu_before=$(cpu_ticks $RELAY_PIDS)
    iperf_json "$out" -u -l 64 -b 0
    # shellcheck disable=SC2086
    [[ -z "$RELAY_PIDS" ]] || cpu_after=$(cpu_ticks $RELAY_PIDS)
    t1=$(date +%s%N)
    wait_after=$(waited_ns iperf3-server)
    after=$(udp_arrived)
    # sum_received is the server's count: packets by sequence number, minus those lost.
    # (iperf3 before 3.11 only has end.sum, which holds the same receiver figures for UDP.)
    local received='j["end"].get("sum_received", j["end"]["sum"])'
    record "$name" udp64 "$(json_get "$out" "(lambda r: (r['packets'] - r['lost_packets']) / r['seconds'])($received)")"
    seconds=$(json_get "$out" "$received['seconds']")
    record "$name" udp64in "$(python3 -c "print(($after - $before) / $seconds)")"
    record "$name" rxwait "$(python3 -c "print(100 * ($wait_after - $wait_before) / ($t1 - $t0))")"
    if [[ -n "$RELAY_PIDS" ]] && ((after > before)); then
        record "$name" udpcpu "$(python3 -c "print(($cpu_after - $cpu_before) / $(getconf CLK_TCK) / ($after - $before) * 1e6)")"
    fi
}

measure_ping() {
    local name=$1 out="$WORK/$1-ping.txt"
    transit_marks
    timeout --foreground -k 5 $((PING_COUNT / 50 + 30)) ip netns exec "$NS_A" ping -n -i 0.01 -c "$PING_COUNT" -W 1 "$ADDR_B" >"$out" || true
    record_transit "$name"
    python3 - "$out" "$name" "$RESULTS" <<'EOF'
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

# floods_begun: how many floods of small frames this case's engines have stepped back for so
# far (their "flood of small frames" log lines); empty when no engine runs in the case.
floods_begun() {
    local logs=() f
    for f in "$PIDS"/engine*; do [[ -e $f ]] && logs+=("$WORK/$(basename "$f").log"); done
    ((${#logs[@]})) || return 0
    cat "${logs[@]}" | grep -c "flood of small frames on" || true
}

# record_floods NAME METRIC BEFORE: the floods begun since BEFORE, if an engine runs.
record_floods() {
    [[ -z $3 ]] || record "$1" "$2" $(($(floods_begun) - $3))
}

# measure_all NAME: every measurement, in order. With WARMUP > 0 (seconds; tunnel.sh) an
# untimed iperf3 TCP run comes first, so that one-time costs (JIT tiering, buffer pools
# growing to their working size) are not in the figures.
measure_all() {
    local name=$1
    start_iperf_server
    if ((${WARMUP:-0} > 0)); then
        log "  $name: warm-up"
        iperf_for "$WARMUP" "$WORK/$name-warmup.json"
    fi
    # The engines step back only for a flood of small frames: a TCP run must not count as one.
    local floods
    floods=$(floods_begun)
    if measuring tcp1; then log "  $name: tcp 1 stream";  measure_tcp "$name" 1 tcp1; fi
    if measuring tcp4; then log "  $name: tcp 4 streams"; measure_tcp "$name" 4 tcp4; fi
    record_floods "$name" tcpfloods "$floods"
    floods=$(floods_begun)
    if measuring udp64; then
        log "  $name: udp 64 bytes";  measure_udp64 "$name"
        sleep 1  # let the queues the UDP flood filled drain before timing single pings
    fi
    record_floods "$name" udpfloods "$floods"
    if measuring ping; then log "  $name: ping"; measure_ping "$name"; fi
    stop iperf3-server
}

# measuring M: whether M is one of the MEASURES asked for (all by default).
measuring() { [[ " ${MEASURES:-tcp1 tcp4 udp64 ping} " == *" $1 "* ]]; }

# with_metrics CONFIG ENGINE: gives the engine of CONFIG a metrics endpoint on a free loopback
# port, noted in $WORK/ENGINE.metrics, so that measure_ping can read its transit histogram.
with_metrics() {
    local port
    port=$(free_port tcp)
    sed -i "0,/^engine {/s//engine {\n  metrics { listen = \"127.0.0.1:$port\" }/" "$1"
    echo "$port" >"$WORK/$2.metrics"
}

# transit_buckets ENGINE: the engine's transit histogram now ("le count" lines, cumulative), or nothing.
transit_buckets() {
    local file="$WORK/$1.metrics"
    [[ -f $file ]] || return 0
    python3 - "$(cat "$file")" <<'EOF'
import re, sys, urllib.request
text = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
for le, n in re.findall(r'^engine_transit_microseconds_bucket\{le="([^"]+)"\} (\S+)$', text, re.M):
    print(le, n)
EOF
}

# transit_marks: each engine's transit histogram now, kept beside its .metrics file as the
# start of a measurement.
transit_marks() {
    local f engine
    for f in "$WORK"/*.metrics; do
        [[ -e $f ]] || continue
        engine=$(basename "$f" .metrics)
        transit_buckets "$engine" >"$WORK/$engine.transit" 2>/dev/null || : >"$WORK/$engine.transit"
    done
}

# record_transit NAME: the engines' own read-to-write times since transit_marks (the pings'),
# from their metrics endpoints: the worst engine's p50 and p99.
record_transit() {
    local name=$1 f engine p50=0 p99=0 figures e50 e99
    for f in "$WORK"/*.metrics; do
        [[ -e $f ]] || continue
        engine=$(basename "$f" .metrics)
        figures=$(transit_buckets "$engine" 2>/dev/null | python3 -c '
import sys
def read(lines):
    return [(float("inf") if le == "+Inf" else float(le), float(n)) for le, n in (l.split() for l in lines if l.strip())]
before = dict(read(open(sys.argv[1])))
after = [(le, n - before.get(le, 0)) for le, n in read(sys.stdin)]
total = after[-1][1] if after else 0
def pct(p):  # the first bound that holds the nearest rank
    rank = -(-total * p // 100)
    return next(le for le, n in after if n >= rank)
if total > 0:
    print(f"{pct(50):.0f} {pct(99):.0f}")
' "$WORK/$engine.transit") || continue
        [[ -n $figures ]] || continue
        read -r e50 e99 <<<"$figures"
        ((e50 > p50)) && p50=$e50
        ((e99 > p99)) && p99=$e99
    done
    ((p99 == 0)) || { record "$name" tp50 "$p50"; record "$name" tp99 "$p99"; }
}

# run_case FUNCTION NAME: one case in a subshell with errexit, so any failing step ends
# that case only (its EXIT trap tears it down); the failure is reported and the run goes on.
run_case() {
    local fn=$1 name=$2 rc
    log "== $name"
    set +e
    (trap "exit 130" INT; trap "exit 143" TERM; set -e; "$fn")
    rc=$?
    set -e
    if ((rc != 0)) && ! grep -q "^$name	status	" "$RESULTS"; then
        record "$name" status "failed (exit $rc)"
    fi
}

# ---------------------------------------------------------------- report

# report FIRST NAMES PAIRS [EXTRA_COLUMNS [TARGETS [NOTES]]]: prints the results (medians over
# rounds) and, if BENCH_OUT is set, writes them there as markdown.
#   FIRST          heading of the first column ("relay", "tunnel")
#   NAMES          the cases, in order
#   PAIRS          ratio rows, "a/b a/b ..."
#   EXTRA_COLUMNS  "metric|heading|format;..." after the standard ones
#   TARGETS        "a/b|metric|<=|limit;..." checked against the ratios
#   NOTES          a file of free text lines printed after the tables
report() {
    python3 - "$RESULTS" "$BENCH_OUT" "$HEADER" "$1" "$2" "$3" "${4:-}" "${5:-}" "${6:-}" <<'EOF'
import os, statistics, sys
results_file, out_file, run_header, first, names, pair_text, extra, target_text, notes_file = sys.argv[1:10]
names = names.split()
samples, status = {}, {}
for line in open(results_file):
    name, metric, value = line.rstrip("\n").split("\t", 2)
    if metric == "status":
        status[name] = value
    else:
        samples.setdefault((name, metric), []).append(float(value))
# With REPEAT > 1 every figure is the median of its rounds: one noisy round moves nothing.
values = {key: statistics.median(v) for key, v in samples.items()}

columns = [  # metric, heading, format
    ("tcp1", "tcp1 Gbit/s", "{:.2f}"),
    ("tcp4", "tcp4 Gbit/s", "{:.2f}"),
    ("udp64", "udp64 pkt/s", "{:.0f}"),
    ("udp64in", "udp64 at B pkt/s", "{:.0f}"),
    ("udpcpu", "udp64 cpu µs/pkt", "{:.2f}"),
    ("rxwait", "udp64 B waits %", "{:.0f}"),
    ("p50", "ping p50 µs", "{:.0f}"),
    ("p99", "ping p99 µs", "{:.0f}"),
    ("tp50", "engine transit p50 µs", "{:.0f}"),
    ("tp99", "engine transit p99 µs", "{:.0f}"),
    ("cpu", "cpu s/GB", "{:.2f}"),
    ("tcpfloods", "floods in tcp", "{:.0f}"),
    ("udpfloods", "floods in udp64", "{:.0f}"),
] + [tuple(c.split("|")) for c in extra.split(";") if c]

def cell(name, metric, fmt):
    v = values.get((name, metric))
    return "n/a" if v is None else fmt.format(v)

def ratio_value(a, b, metric):
    x, y = values.get((a, metric)), values.get((b, metric))
    return None if x is None or not y else x / y

def ratio(a, b, metric):
    r = ratio_value(a, b, metric)
    return "n/a" if r is None else f"{r:.3f}"

header = [first] + [h for _, h, _ in columns]
rows = [[n] + [cell(n, m, f) for m, _, f in columns] for n in names]
pairs = [tuple(p.split("/")) for p in pair_text.split()]
ratio_rows = [[f"{a}/{b}"] + [ratio(a, b, m) for m, _, _ in columns]
              for a, b in pairs if a in names and b in names]

target_rows = []
for t in filter(None, target_text.split(";")):
    pair, metric, op, limit = t.split("|")
    a, b = pair.split("/")
    if a not in names or b not in names:
        continue
    r = ratio_value(a, b, metric)
    verdict = "n/a" if r is None else "met" if (r >= float(limit) if op == ">=" else r <= float(limit)) else "missed"
    target_rows.append([f"{a}/{b} {metric} {'≥' if op == '>=' else '≤'} {limit}",
                        "n/a" if r is None else f"{r:.2f}", verdict])

notes = open(notes_file).read().rstrip("\n").splitlines() if notes_file and os.path.exists(notes_file) else []

def text_table(rows, first=first, head=None):
    head = head or header[1:]
    table = [[first] + head] + rows
    widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in table]
    return "\n".join(lines)

def markdown_table(rows, first=first, head=None, align="---:"):
    head = head or header[1:]
    lines = ["| " + " | ".join([first] + head) + " |", "|---" + f"|{align}" * len(head) + "|"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines)

print()
print(text_table(rows))
for n in names:
    if n in status:
        print(f"{n}: not available ({status[n]})")
print()
print("ratios (throughput, pkt/s: >1 = first is faster; ping, cpu: <1 = first is better)")
print(text_table(ratio_rows, "ratio") if ratio_rows else f"(no pair of {first}s measured)")
if target_rows:
    print()
    print(text_table(target_rows, "target", ["measured", ""]))
if notes:
    print()
    print("\n".join(notes))

if out_file:
    with open(out_file, "w") as f:
        f.write("".join(f"    {line}\n" for line in run_header.splitlines()) + "\n")
        f.write(markdown_table(rows) + "\n\n")
        for n in names:
            if n in status:
                f.write(f"{n}: not available ({status[n]})\n\n")
        f.write("Ratios:\n\n" + markdown_table(ratio_rows, "ratio") + "\n")
        if target_rows:
            f.write("\nTargets:\n\n" + markdown_table(target_rows, "target", ["measured", ""], "---") + "\n")
        if notes:
            f.write("\n" + "".join(f"    {line}\n" for line in notes))
EOF
}
