#!/usr/bin/env bash
# idle.sh: what an idle engine costs (issue 16): CPU and wake-ups of an engine with 256 tun
# devices and 16 peers, 8 of them up with keepalives, while nothing is forwarded.
#
#   engine "idle" (measured)                          engine "partner"
#   256 tuns, 16 in each of 16 namespaces             1 tun
#   8 peers up:   4 tcp, 2 unix, 2 udp clients  <==>  8 listeners (framing engine, keepalives)
#   8 peers down: 4 tcp, 2 unix, 2 udp listeners nobody connects to
#
# Both engines' peer sockets live in an underlay namespace of the script's (its loopback only);
# the engines create their devices' namespaces themselves. Once the idle engine's lab is up and
# its 8 links are (plus SETTLE seconds), the script samples /proc for IDLE_SECONDS:
#   cpu        utime+stime of the idle engine's process, as % of one core
#   wake-ups   voluntary context switches of all its threads, per second (a thread that blocks
#              and is woken counts one; /proc/PID/task/*/status voluntary_ctxt_switches)
#   top        the threads with the most wake-ups, by name (/proc/PID/task/*/comm)
# and checks the targets of issue 16: <= 0.3 % of a core, <= 20 wake-ups a second.
#
# Needs root and iproute2, python3. Every namespace is named id<PID>-*; `trap cleanup EXIT`
# stops what the script started and deletes them, also on failure or Ctrl-C.
#
# Environment:
#   ENGINE_CMD    engine command (default: dotnet <repo>/src/Engine/bin/Release/net10.0/engine.dll)
#   IDLE_SECONDS  how long to sample (default 60)
#   SETTLE        seconds to wait after the links are up, before sampling (default 5)
#   DEVICES       tun devices of the idle engine (default 256, in namespaces of 16)
#   TOP           how many threads to list (default 8)
#   ENGINE_WAIT   seconds to wait for the lab and its links (default 60)
#   IDLE_HOCON    extra HOCON for the idle engine's file, e.g. Akka's own scheduler to compare:
#                 IDLE_HOCON='akka.scheduler.implementation = "Akka.Actor.HashedWheelTimerScheduler, Akka"'
#   KEEP_WORK=1   keeps the engines' logs and configs
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
PREFIX="id$$"
ENGINE_WAIT=${ENGINE_WAIT:-60}
bench_init idle
IDLE_SECONDS=${IDLE_SECONDS:-60}
SETTLE=${SETTLE:-5}
DEVICES=${DEVICES:-256}
TOP=${TOP:-8}
NS_U="$PREFIX-u"
UP=(tcp tcp tcp tcp unix unix udp udp)
DOWN=(tcp tcp tcp tcp unix unix udp udp)

# endpoint TRANSPORT INDEX SIDE: where peer INDEX listens (SIDE up: the partner's listeners;
# down: the idle engine's own), in the underlay namespace.
endpoint() {
    case $1 in
        unix) echo "\"@$PREFIX-$3$2\"" ;;
        *) if [[ $3 == up ]]; then echo "\"127.0.0.1:$((7100 + $2))\""; else echo "\"127.0.0.1:$((7200 + $2))\""; fi ;;
    esac
}

write_idle_config() {
    local i
    echo "engine {"
    echo "  node-name = idle"
    echo "  devices = ["
    for ((i = 0; i < DEVICES; i++)); do
        echo "    { name = idl$i, type = tun, namespace = \"$PREFIX-h$((i / 16))\", address = \"10.88.$((i % 256)).1/24\" }"
    done
    echo "  ]"
    echo "  peers = ["
    for i in "${!UP[@]}"; do
        echo "    { name = up$i, role = engine, framing = engine, transport = ${UP[i]}, namespace = \"$NS_U\", connect = $(endpoint "${UP[i]}" "$i" up) }"
    done
    for i in "${!DOWN[@]}"; do
        echo "    { name = down$i, role = engine, framing = engine, transport = ${DOWN[i]}, namespace = \"$NS_U\", listen = $(endpoint "${DOWN[i]}" "$i" down) }"
    done
    echo "  ]"
    echo "}"
    echo "${IDLE_HOCON:-}"
}

write_partner_config() {
    local i
    echo "engine {"
    echo "  node-name = partner"
    echo "  devices = [ { name = idp0, type = tun, namespace = \"$PREFIX-p\", address = \"10.89.0.1/24\" } ]"
    echo "  peers = ["
    for i in "${!UP[@]}"; do
        echo "    { name = idle$i, role = engine, framing = engine, transport = ${UP[i]}, namespace = \"$NS_U\", listen = $(endpoint "${UP[i]}" "$i" up) }"
    done
    echo "  ]"
    echo "}"
}

links_up() { (($(grep -cE "peer up[0-9]+ up:" "$WORK/engine.log" || true) >= ${#UP[@]})); }

# sample PID SECONDS TOP: the figures, from /proc before and after SECONDS.
sample() {
    python3 - "$@" <<'EOF'
import os, sys, time
pid, seconds, top = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
hz = os.sysconf("SC_CLK_TCK")

def ticks():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])

def threads():
    found = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                name = f.read().strip()
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                switches = next(int(l.split()[1]) for l in f if l.startswith("voluntary_ctxt_switches"))
        except (OSError, StopIteration):
            continue
        found[tid] = (name, switches)
    return found

t0, c0, before = time.monotonic(), ticks(), threads()
time.sleep(seconds)
t1, c1, after = time.monotonic(), ticks(), threads()
elapsed = t1 - t0
# A thread born during the sample counts from 0; one that ended is not seen (its count is lost).
woken = {tid: (name, n - before.get(tid, (name, 0))[1]) for tid, (name, n) in after.items()}
gone = len(set(before) - set(after))
cpu = 100 * (c1 - c0) / hz / elapsed
total = sum(n for _, n in woken.values()) / elapsed
print(f"cpu        {cpu:.2f} % of a core ({c1 - c0} ticks in {elapsed:.1f} s)")
print(f"wake-ups   {total:.1f} /s in all ({len(after)} threads{f', {gone} ended meanwhile' if gone else ''})")
print("top threads by wake-ups:")
for tid, (name, n) in sorted(woken.items(), key=lambda kv: -kv[1][1])[:top]:
    print(f"  {n / elapsed:8.1f} /s  {name} ({tid})")
print(f"target cpu <= 0.3 %:       {'met' if cpu <= 0.3 else 'missed'}")
print(f"target wake-ups <= 20 /s:  {'met' if total <= 20 else 'missed'}")
EOF
}

main() {
    [[ $EUID == 0 ]] || { log "needs root (network namespaces)"; exit 1; }
    require_engine
    ip netns add "$NS_U"
    ip -n "$NS_U" link set lo up
    write_idle_config >"$WORK/idle.conf"
    write_partner_config >"$WORK/partner.conf"
    # shellcheck disable=SC2086  # ENGINE_CMD is a command line
    start partner $ENGINE_CMD run --config "$WORK/partner.conf"
    wait_until partner "$ENGINE_WAIT" lab_up partner
    # shellcheck disable=SC2086
    start engine $ENGINE_CMD run --config "$WORK/idle.conf"
    wait_until engine "$ENGINE_WAIT" lab_up engine
    wait_until engine "$ENGINE_WAIT" links_up
    log "idle engine up (pid $(pid_of engine)): $DEVICES devices, ${#UP[@]} peers up, ${#DOWN[@]} down; settling $SETTLE s"
    sleep "$SETTLE"
    log "sampling $IDLE_SECONDS s; load: $(uptime | sed 's/.*load average/load average/')"
    sample "$(pid_of engine)" "$IDLE_SECONDS" "$TOP"
    running engine || { log "engine exited during the sample: $(tail -n 3 "$WORK/engine.log")"; exit 1; }
    (($(grep -cE "peer up[0-9]+ down" "$WORK/engine.log" || true) == 0)) || log "warning: a link went down during the sample"
    log "load after: $(uptime | sed 's/.*load average/load average/')"
}

main "$@"
