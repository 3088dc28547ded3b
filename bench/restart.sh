#!/usr/bin/env bash
# restart.sh: how soon forwarding resumes across an engine that was killed and restarted
# (issue 3's target: under 2 s after the restart).
#
#   host A (netns) -> tun -> engine 1 <== TCP 127.0.0.1, framing engine ==> engine 2 -> tun -> host B (netns)
#
# Engine 1 listens, engine 2 dials. Each round: both engines up, A pings B; the engine named
# by KILL is SIGKILLed; a ping from A now fails (checked); it is started again, and A pings B
# every 50 ms until an answer comes. KILL=2 restarts the dialling side, which reconnects at
# once; KILL=1 the listening side, which the other finds again on its redial backoff
# (100 ms doubling to 500 ms). Reported per round and as medians:
#   from start  ms from launching the restarted engine to the first answer (includes the
#               .NET start-up and creating the devices)
#   from up     ms from its "lab up" log line to the first answer (the link's part)
#
# Needs root, iputils-ping, iproute2. Every namespace is named rs<PID>-*, all traffic stays
# in them and on loopback; `trap cleanup EXIT` stops what the script started and deletes them.
#
# Environment:
#   ENGINE_CMD   engine command (default: dotnet <repo>/src/Engine/bin/Release/net10.0/engine.dll)
#   ROUNDS       kill-and-restart rounds (default 5)
#   KILL         which engine to kill and restart, 1 or 2 (default 2)
#   ENGINE_WAIT  seconds to wait for the engines (default 20)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
PREFIX="rs$$"
bench_init restart
ROUNDS=${ROUNDS:-5}
KILL=${KILL:-2}
ADDR_A=10.30.1.2
ADDR_B=10.30.2.2
NS_A="$PREFIX-a" NS_B="$PREFIX-b"

now_ms() { date +%s%3N; }

# write_config FILE NODE NS DEV ADDR GATEWAY LOCAL_NET REMOTE_NET PEER ENDPOINT
write_config() {
    cat >"$1" <<CONF
engine {
  node-name = $2
  devices = [ { name = $4, type = tun, namespace = "$3", address = "$5/24", gateway = "$6" } ]
  peers = [ { name = $9, role = engine, transport = tcp, framing = engine, ${10} } ]
  routes = [ { prefix = "$7", via = $4 }, { prefix = "$8", via = $9 } ]
}
CONF
}

# wait_for NAME TEXT SECONDS: until the engine's log has TEXT.
wait_for() {
    local deadline=$((SECONDS + $3))
    until grep -q "$2" "$WORK/$1.log"; do
        running "$1" || { log "$1 exited: $(tail -n 2 "$WORK/$1.log")"; exit 1; }
        ((SECONDS < deadline)) || { log "$1: no \"$2\" after $3 s"; exit 1; }
        sleep 0.05
    done
}

# first_answer_ms: pings A -> B every 50 ms until one is answered; prints when (epoch ms).
first_answer_ms() {
    local deadline=$((SECONDS + ENGINE_WAIT))
    until nsa ping -n -c 1 -W 0.05 "$ADDR_B" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || { log "no answer within $ENGINE_WAIT s"; exit 1; }
    done
    now_ms
}

main() {
    [[ $EUID == 0 ]] || { log "needs root (network namespaces)"; exit 1; }
    require_engine
    require_tools ip ping
    local port; port=$(free_port tcp)
    write_config "$WORK/one.conf" node1 "$NS_A" rsa0 "$ADDR_A" 10.30.1.1 10.30.1.0/24 10.30.2.0/24 east "listen = \"127.0.0.1:$port\""
    write_config "$WORK/two.conf" node2 "$NS_B" rsb0 "$ADDR_B" 10.30.2.1 10.30.2.0/24 10.30.1.0/24 west "connect = \"127.0.0.1:$port\""
    [[ $KILL == 1 || $KILL == 2 ]] || { log "KILL must be 1 or 2"; exit 1; }
    local victim="engine$KILL" config; config=$([[ $KILL == 1 ]] && echo one || echo two)
    echo "restart benchmark  $(date -u '+%Y-%m-%d %H:%M:%S UTC')  rounds $ROUNDS  restarting engine $KILL"
    # shellcheck disable=SC2086  # ENGINE_CMD is a command line
    start engine1 $ENGINE_CMD run --config "$WORK/one.conf"
    # shellcheck disable=SC2086
    start engine2 $ENGINE_CMD run --config "$WORK/two.conf"
    wait_for engine1 "peer east up" "$ENGINE_WAIT"
    first_answer_ms >/dev/null

    local round launched up answered
    printf '%-6s %14s %12s\n' round "from start ms" "from up ms"
    for ((round = 1; round <= ROUNDS; round++)); do
        local pid; pid=$(pid_of "$victim")
        kill -KILL "$pid"; wait "$pid" 2>/dev/null || true; rm -f "$PIDS/$victim"
        sleep 0.5
        if nsa ping -n -c 1 -W 0.5 "$ADDR_B" >/dev/null 2>&1; then log "a ping crossed while engine $KILL was down"; exit 1; fi
        launched=$(now_ms)
        # shellcheck disable=SC2086
        start "$victim" $ENGINE_CMD run --config "$WORK/$config.conf"
        wait_for "$victim" "lab up" "$ENGINE_WAIT"
        up=$(now_ms)
        answered=$(first_answer_ms)
        printf '%-6s %14s %12s\n' "$round" $((answered - launched)) $((answered - up))
        record restart start $((answered - launched))
        record restart up $((answered - up))
    done
    python3 - "$RESULTS" <<'PY'
import statistics, sys
values = {}
for line in open(sys.argv[1]):
    _, metric, value = line.split("\t")
    values.setdefault(metric, []).append(float(value))
print(f"median   {statistics.median(values['start']):14.0f} {statistics.median(values['up']):12.0f}")
print(f"max      {max(values['start']):14.0f} {max(values['up']):12.0f}")
PY
}

main "$@"
