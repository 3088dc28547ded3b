#!/usr/bin/env bash
# tunnel.sh: measures a tunnel of two engines joined by a peer link (issue #3) against two
# baselines, in one run.
#
#   host A (netns)                                              host B (netns)
#   10.20.1.2/24                                                10.20.2.2/24
#        |                                                           |
#        +-------------------------->  tunnel  <---------------------+
#
#   engine-tcp  A:tna0 (tun) <-> engine 1 <== TCP 127.0.0.1 ==> engine 2 <-> B:tnb0 (tun)
#               both engines run in the root netns; the peer link speaks framing = engine
#               over loopback; each engine creates its host's namespace itself (gateway
#               10.20.1.1 and 10.20.2.1 are the engines' own addresses on the tuns)
#               with tun offloads (offload = auto): 64 KiB super-frames end to end
#   engine-tcp-off  the same with offload = off: every packet on its own
#   engine-udp  the same over a UDP peer link (framing = engine, one packet per datagram)
#   engine-tcp-nice5  (not in the default set) engine-tcp with both data planes at nice 5,
#               behind the hosts' applications, all the time (dataplane-nice = 5; the default is 0)
#   engine-tcp-rt, engine-udp-rt  (not in the default set; issue 16) engine-tcp and engine-udp with both
#               data planes at real-time priority while not busy (dataplane-realtime = 1; by default they
#               run at normal scheduling)
#   engine-tcp-busy, engine-udp-busy  (not in the default set; issue 16) engine-tcp and engine-udp with
#               both data planes polling 200 µs on after the last frame before they sleep (busy-poll)
#   engine-tcp-noflood  (not in the default set) engine-tcp without the flood backoff (flood-nice = 0:
#               the data planes stay at nice 0 during a flood of small frames; the default steps to 5)
#   engine-wire  (issue 12) each engine's tun wired to a length16 TCP link (engine.wires): nothing
#               routed, simpletun's shape and wire format (tun <-> TCP, a 2-byte length before each
#               packet); the engines cut the tuns' super-frames into packets for the link, and the
#               far one merges them again (GRO) into its tun. The hosts' /16 puts both on the link.
#   engine-wire-engine  (not in the default set) the same over framing = engine, which carries the
#               super-frames whole: what length16's packet-at-a-time costs
#   simpletun   (only with SIMPLETUN set) A:sta (tun) <-> simpletun -s <== TCP 127.0.0.1 ==>
#               simpletun -c <-> B:stb (tun): two stock simpletun processes, both in an underlay
#               namespace (loopback, as the engines' link), each tun created there by simpletun
#               and then moved into its host; no offloads, one select, read and two writes per packet
#   veth        A:va (veth) <-> B:vb, one direct link between the two hosts, each with an
#               on-link default route: the limit, no forwarding and no copy to userspace
#   socat       A:tsa (tun) <-> socat TUN-to-UDP in A <== UDP over a veth pair ==>
#               socat in B <-> B:tsb (tun); the underlay veth (A:ua 10.21.0.1/24,
#               B:ub 10.21.0.2/24, MTU 65535 so that no tunnelled packet is fragmented,
#               as on loopback) carries only the tunnel's datagrams
#
# Fairness: the engines' underlay is loopback in the root netns, socat's a veth pair between
# the two host namespaces (socat has to run in them to own the tuns). Both underlays are
# in-kernel with one copy per datagram and no fragmentation; every tun has MTU 1500; only
# the engines' tuns have offloads, and only engine-tcp uses them end to end. The engine link carries an 8-byte header per frame and runs without a key
# (the key only authenticates the handshake).
#
# Each tunnel is set up, measured and torn down in turn. Measurements (all bounded):
#   tcp1 / tcp4   iperf3 TCP, 1 and 4 streams, client in A, server in B (Gbit/s received)
#   udp64         iperf3 UDP, 64-byte payloads, unlimited rate: packets/s received by B's iperf3
#   udp64 at B    the same run: datagrams/s that reached B's UDP layer (B's socket took them or
#                 had no room), i.e. what the relay delivered, however fast iperf3 read them
#   udp64 cpu     the relay's CPU µs per datagram that reached B; n/a for the kernel
#   udp64 B waits the share of that run B's iperf3 spent runnable but waiting for a CPU
#   ping p50/p99  round-trip time of PING_COUNT pings 10 ms apart (µs)
#   cpu s/GB      CPU seconds both userspace processes (engines, socats) used per GB
#                 received during the tcp1 run; n/a for veth
#   alloc B/pkt   engines only: bytes the two engine processes allocated during the tcp1
#                 run per packet they forwarded, both from the engines' counter summaries
#                 (counters-interval = 1s: "router: forwarded N (+M) ... process allocated
#                 K B since the last summary[, G B of it for B new frame batches ...]"),
#                 without the frame pool's growth G: that is capacity a deeper queue takes
#                 once, not garbage per frame. Each engine's figures, growth included, are
#                 printed below the tables, with what the same engine allocates idle (a few
#                 seconds after the measurements) for comparison
# At the end: the ratios of each engine tunnel to socat and to veth, and the targets of
# issue #3 (TCP 1 and 4 streams and 64-byte UDP pkt/s >= 1.5x socat, ping p50 <= socat's) and
# issue 12 (engine-wire: TCP 1 stream >= 20x simpletun's, ping p50 <= simpletun's).
#
# Needs root and: iperf3 iputils-ping socat python3 iproute2
#   (CI/setup: apt-get install -y iperf3 iputils-ping socat). The script installs nothing.
#
# Safety: every namespace is named tn<PID>-<tunnel>-<host>, every interface is created
# inside one of them (the engines create theirs from the configs the script writes), the
# engines' peer link uses free ports on 127.0.0.1 only (simpletun's listens on any address,
# but only inside its underlay namespace), and traffic only flows between those namespaces
# and over loopback. `trap cleanup EXIT` stops what the script started and
# deletes those namespaces, also on failure or Ctrl-C.
#
# Environment:
#   ENGINE_CMD   engine command (default: dotnet <repo>/src/Engine/bin/Release/net10.0/engine.dll)
#   TUNNELS      tunnels to measure, in order (default: "engine-tcp engine-tcp-off engine-udp
#                engine-wire veth socat", and simpletun when SIMPLETUN is set)
#   SIMPLETUN    a simpletun binary the user built (e.g. from github.com/gregnietsky/simpletun:
#                gcc -O2 -o simpletun simpletun.c); its source is not part of this repository
#   DURATION     seconds per iperf3 run (default 5)
#   PING_COUNT   pings per RTT measurement (default 300)
#   WARMUP       seconds of untimed iperf3 TCP before each tunnel's measurements, so that
#                one-time costs (the engines' JIT tiering, their frame pools growing to the
#                working size) stay out of the figures, allocation above all (default 2)
#   ENGINE_WAIT  seconds to wait for the engines' link to forward (default 20)
#   REPEAT       rounds of all tunnels, interleaved; each figure is the median (default 1)
#   BENCH_OUT    if set, also write the results as a markdown table to this file
#
# The helpers (processes, cleanup, measurements, report) are in lib.sh, shared with relay.sh.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
PREFIX="tn$$"
bench_init tunnel
SIMPLETUN=${SIMPLETUN:-}
TUNNELS=${TUNNELS:-"engine-tcp engine-tcp-off engine-udp engine-wire veth socat${SIMPLETUN:+ simpletun}"}
WARMUP=${WARMUP:-2}
ADDR_A=10.20.1.2
ADDR_B=10.20.2.2
SOCAT_PORT=4789   # on the underlay veth only, inside the socat namespaces
SIMPLETUN_PORT=55555   # on the underlay namespace's loopback only
NOTES="$WORK/notes.txt"   # per-engine allocation figures, printed after the tables

# Set by each tunnel's setup; the helpers in lib.sh run commands in the host namespaces.
NS_A="" NS_B="" NS_U="" RELAY_PIDS="" HEADER=""

# ---------------------------------------------------------------- tunnels
# Each tunnel_<name> sets up, measures and tears down. It runs in a subshell with errexit,
# so any failing step ends that tunnel only; its EXIT trap tears it down.

tunnel_veth() {
    NS_A="$PREFIX-v-a" NS_B="$PREFIX-v-b"
    trap 'teardown "$NS_A" "$NS_B"' EXIT
    add_namespaces "$NS_A" "$NS_B"
    ip -n "$NS_A" link add va type veth peer name vb netns "$NS_B"
    # Different /24s on one link, each host's default route on-link: the addresses and
    # routing the hosts have in the other tunnels, without anything in between.
    configure_host "$NS_A" va "$ADDR_A/24" ""
    configure_host "$NS_B" vb "$ADDR_B/24" ""
    wait_ping 5 || { log "veth: no ping over the veth pair"; return 1; }
    RELAY_PIDS=""
    measure_all veth
}

# socat_side SIDE NS TUN ADDR LOCAL REMOTE: starts socat-SIDE, TUN-to-UDP from LOCAL to
# REMOTE, and routes everything but the underlay into its tun once socat has made it.
socat_side() {
    local side=$1 ns=$2 tun=$3 addr=$4 local=$5 remote=$6 i
    start "socat-$side" ip netns exec "$ns" socat -d -d -b 65536 \
        "TUN:$addr/24,tun-name=$tun,tun-type=tun,iff-no-pi,iff-up" \
        "UDP:$remote:$SOCAT_PORT,bind=$local:$SOCAT_PORT"
    for ((i = 0; i < 50; i++)); do
        grep -q "starting data transfer loop" "$WORK/socat-$side.log" && break
        running "socat-$side" || break
        sleep 0.1
    done
    grep -q "starting data transfer loop" "$WORK/socat-$side.log" || return 1
    ip -n "$ns" route add default dev "$tun"
}

# socat_error SIDE: the last error socat-SIDE logged.
socat_error() {
    grep ' E ' "$WORK/socat-$1.log" | tail -n 1 | sed 's/.* E //' || true
}

# start_socats: both ends, restarting whichever has exited until a ping goes through. An
# ICMP port unreachable (a datagram that reached the other end before its socat had bound
# the port) ends socat, so the first one up may die once before the second binds.
start_socats() {
    local attempt
    for ((attempt = 1; attempt <= 5; attempt++)); do
        if ! running socat-a; then
            [[ -f "$PIDS/socat-a" ]] && log "  socat-a exited ($(socat_error a)); restarting"
            stop socat-a || true
            socat_side a "$NS_A" tsa "$ADDR_A" 10.21.0.1 10.21.0.2 || continue
        fi
        if ! running socat-b; then
            [[ -f "$PIDS/socat-b" ]] && log "  socat-b exited ($(socat_error b)); restarting"
            stop socat-b || true
            socat_side b "$NS_B" tsb "$ADDR_B" 10.21.0.2 10.21.0.1 || continue
        fi
        if wait_ping 3 && running socat-a && running socat-b; then return 0; fi
    done
    log "socat: no ping through the tunnel after $((attempt - 1)) attempts"
    return 1
}

tunnel_socat() {
    NS_A="$PREFIX-s-a" NS_B="$PREFIX-s-b"
    trap 'teardown "$NS_A" "$NS_B"' EXIT
    add_namespaces "$NS_A" "$NS_B"
    ip -n "$NS_A" link add ua type veth peer name ub netns "$NS_B"
    ip -n "$NS_A" link set ua mtu 65535
    ip -n "$NS_B" link set ub mtu 65535
    ip -n "$NS_A" link set lo up
    ip -n "$NS_B" link set lo up
    ip -n "$NS_A" addr add 10.21.0.1/24 dev ua
    ip -n "$NS_B" addr add 10.21.0.2/24 dev ub
    ip -n "$NS_A" link set ua up
    ip -n "$NS_B" link set ub up
    start_socats
    RELAY_PIDS="$(pid_of socat-a) $(pid_of socat-b)"
    measure_all socat
}

# wait_for SECONDS PROCESS CMD...: until CMD succeeds, or fail if PROCESS exits or the time runs out.
wait_for() {
    local deadline=$((SECONDS + $1)) process=$2; shift 2
    until "$@" >/dev/null 2>&1; do
        running "$process" && ((SECONDS < deadline)) || return 1
        sleep 0.1
    done
}

# listening NS PORT / connected NS PORT: a TCP socket in NS listens on, or is connected to, PORT.
listening() { [[ -n "$(ip netns exec "$1" ss -Htln "sport = :$2")" ]]; }
connected() { [[ -n "$(ip netns exec "$1" ss -Htn state established "dport = :$2")" ]]; }

# The server makes its tun and listens; the client makes its tun and connects. Each tun is moved
# into its host once made (the fd stays with simpletun), so the TCP link runs over the underlay
# namespace's loopback, as the engines' link runs over the root namespace's.
tunnel_simpletun() {
    [[ -n $SIMPLETUN ]] || { record simpletun status "SIMPLETUN not set: give it a simpletun binary you built"; return 0; }
    [[ -x $SIMPLETUN ]] || { record simpletun status "SIMPLETUN=$SIMPLETUN is not an executable"; return 0; }
    NS_A="$PREFIX-st-a" NS_B="$PREFIX-st-b" NS_U="$PREFIX-st-u"
    trap 'teardown "$NS_A" "$NS_B" "$NS_U"' EXIT
    add_namespaces "$NS_A" "$NS_B" "$NS_U"
    ip -n "$NS_U" link set lo up
    start simpletun-s ip netns exec "$NS_U" "$SIMPLETUN" -i sta -s -p "$SIMPLETUN_PORT"
    wait_for 5 simpletun-s listening "$NS_U" "$SIMPLETUN_PORT" ||
        { log "simpletun: the server did not listen: $(tail -n 1 "$WORK/simpletun-s.log")"; return 1; }
    ip -n "$NS_U" link set sta netns "$NS_A"
    start simpletun-c ip netns exec "$NS_U" "$SIMPLETUN" -i stb -c 127.0.0.1 -p "$SIMPLETUN_PORT"
    wait_for 5 simpletun-c connected "$NS_U" "$SIMPLETUN_PORT" ||
        { log "simpletun: the client did not connect: $(tail -n 1 "$WORK/simpletun-c.log")"; return 1; }
    ip -n "$NS_U" link set stb netns "$NS_B"
    configure_host "$NS_A" sta "$ADDR_A/24" ""
    configure_host "$NS_B" stb "$ADDR_B/24" ""
    wait_ping 5 || { log "simpletun: no ping through the tunnel"; return 1; }
    RELAY_PIDS="$(pid_of simpletun-s) $(pid_of simpletun-c)"
    measure_all simpletun
}

# write_engine_config FILE NODE NS DEV ADDR GATEWAY LOCAL_NET REMOTE_NET PEER TRANSPORT ENDPOINTS OFFLOAD [SETTINGS]:
# one engine, its host's tun in NS (offload auto or off), and the peer link to the other
# engine; SETTINGS are more engine-wide keys (e.g. "dataplane-nice = 5"; the defaults if empty).
write_engine_config() {
    cat >"$1" <<EOF
engine {
  node-name = $2
  ${13:-}
  counters-interval = 1s
  devices = [
    { name = $4, type = tun, offload = ${12}, namespace = "$3", address = "$5/24", gateway = "$6" }
  ]
  peers = [
    { name = $9, role = engine, transport = ${10}, framing = engine, ${11} }
  ]
  routes = [
    { prefix = "$7", via = $4 }
    { prefix = "$8", via = $9 }
  ]
}
EOF
}

# wait_engines NAME SECONDS: until both engines report their peer up and A reaches B.
# Records why not and fails if an engine exits or the time runs out.
wait_engines() {
    local name=$1 deadline=$((SECONDS + $2)) n
    while ((SECONDS < deadline)); do
        for n in 1 2; do
            if ! running "engine$n"; then
                local rc=0
                wait "$(pid_of "engine$n")" || rc=$?
                rm -f "$PIDS/engine$n"
                record "$name" status "engine $n exited with code $rc: $(tail -n 1 "$WORK/engine$n.log")"
                return 1
            fi
        done
        if grep -q "peer east up" "$WORK/engine1.log" && grep -q "peer west up" "$WORK/engine2.log" &&
            nsa ping -n -c 1 -W 1 "$ADDR_B" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    record "$name" status "no ping from A to B after $2 s; engine 1: $(tail -n 1 "$WORK/engine1.log"); engine 2: $(tail -n 1 "$WORK/engine2.log")"
    return 1
}

# engine_links TRANSPORT: sets ONE and TWO, the endpoints of engine 1's and engine 2's side of
# a link on free ports of 127.0.0.1.
engine_links() {
    if [[ $1 == tcp ]]; then
        local port; port=$(free_port tcp)
        ONE="listen = \"127.0.0.1:$port\"" TWO="connect = \"127.0.0.1:$port\""
    else
        local p1 p2; p1=$(free_port udp); p2=$(free_port udp)
        ONE="listen = \"127.0.0.1:$p1\", connect = \"127.0.0.1:$p2\""
        TWO="listen = \"127.0.0.1:$p2\", connect = \"127.0.0.1:$p1\""
    fi
}

# engine_tunnel NAME TRANSPORT OFFLOAD [SETTINGS]: engine 1 (host A) and engine 2 (host B) joined by one peer.
engine_tunnel() {
    local name=$1 transport=$2 offload=$3 settings=${4:-}
    engine_namespaces "$name"
    engine_links "$transport"
    write_engine_config "$WORK/engine1.conf" node1 "$NS_A" tna0 "$ADDR_A" 10.20.1.1 10.20.1.0/24 10.20.2.0/24 east "$transport" "$ONE" "$offload" "$settings"
    write_engine_config "$WORK/engine2.conf" node2 "$NS_B" tnb0 "$ADDR_B" 10.20.2.1 10.20.2.0/24 10.20.1.0/24 west "$transport" "$TWO" "$offload" "$settings"
    run_engines "$name"
}

# write_wire_config FILE NODE NS DEV ADDR PEER FRAMING ENDPOINTS: one engine, its host's tun
# (offload auto) wired to the TCP link to the other engine; no routes, no gateway. The /16 puts
# both hosts' addresses on the one link the wire makes.
write_wire_config() {
    cat >"$1" <<EOF
engine {
  node-name = $2
  counters-interval = 1s
  devices = [
    { name = $4, type = tun, namespace = "$3", address = "$5/16" }
  ]
  peers = [
    { name = $6, role = engine, transport = tcp, framing = $7, $8 }
  ]
  wires = [ { ports = [$4, $6] } ]
}
EOF
}

# wire_tunnel NAME FRAMING: engines 1 and 2, each host's tun wired to the link between them.
wire_tunnel() {
    local name=$1 framing=$2
    engine_namespaces "$name"
    engine_links tcp
    write_wire_config "$WORK/engine1.conf" node1 "$NS_A" tna0 "$ADDR_A" east "$framing" "$ONE"
    write_wire_config "$WORK/engine2.conf" node2 "$NS_B" tnb0 "$ADDR_B" west "$framing" "$TWO"
    run_engines "$name"
}

# engine_namespaces NAME: the hosts' namespace names for an engine tunnel, and its teardown.
engine_namespaces() {
    local name=$1
    NS_A="$PREFIX-${name#engine-}-a" NS_B="$PREFIX-${name#engine-}-b"
    # stop_all sends SIGTERM first: each engine removes its device and namespace itself;
    # deleting them afterwards only matters if it did not.
    trap 'teardown "$NS_A" "$NS_B"' EXIT
}

# run_engines NAME: starts engines 1 and 2 on the configs written, measures, and stops them.
run_engines() {
    local name=$1 n ns
    with_metrics "$WORK/engine1.conf" engine1
    with_metrics "$WORK/engine2.conf" engine2
    # shellcheck disable=SC2086  # ENGINE_CMD is a command line
    start engine1 $ENGINE_CMD run --config "$WORK/engine1.conf"
    # shellcheck disable=SC2086
    start engine2 $ENGINE_CMD run --config "$WORK/engine2.conf"
    wait_engines "$name" "$ENGINE_WAIT" || return 0
    RELAY_PIDS="$(pid_of engine1) $(pid_of engine2)"
    measure_all "$name"
    engine_allocation_notes "$name"
    for n in 1 2; do
        stop "engine$n" || log "engine $n: did not exit within 10 s of SIGTERM, killed"
    done
    rm -f "$WORK"/engine*.metrics
    for ns in "$NS_A" "$NS_B"; do
        if ip netns list | grep -q "^$ns\b"; then log "$name: left namespace $ns behind"; fi
    done
}

# Over TCP, engines with tun offloads pass 64 KiB super-frames end to end; with offload = off,
# and over UDP (a datagram cannot hold a super-frame), every packet travels on its own.
tunnel_engine_tcp() { engine_tunnel engine-tcp tcp auto; }
tunnel_engine_tcp_off() { engine_tunnel engine-tcp-off tcp off; }
tunnel_engine_udp() { engine_tunnel engine-udp udp auto; }
tunnel_engine_tcp_rt() { engine_tunnel engine-tcp-rt tcp auto "dataplane-realtime = 1"; }
tunnel_engine_udp_rt() { engine_tunnel engine-udp-rt udp auto "dataplane-realtime = 1"; }
tunnel_engine_tcp_busy() { engine_tunnel engine-tcp-busy tcp auto "busy-poll = 200us"; }
tunnel_engine_udp_busy() { engine_tunnel engine-udp-busy udp auto "busy-poll = 200us"; }
tunnel_engine_tcp_nice5() { engine_tunnel engine-tcp-nice5 tcp auto "dataplane-nice = 5"; }
tunnel_engine_tcp_noflood() { engine_tunnel engine-tcp-noflood tcp auto "flood-nice = 0"; }
# A wire over length16 carries finished packets, as to a stock simpletun; over engine framing, super-frames.
tunnel_engine_wire() { wire_tunnel engine-wire length16; }
tunnel_engine_wire_engine() { wire_tunnel engine-wire-engine engine; }

# ---------------------------------------------------------------- engine allocation

# mark_logs: remembers where both engine logs end now.
mark_logs() {
    local n
    for n in 1 2; do wc -l <"$WORK/engine$n.log" >"$WORK/engine$n.mark"; done
}

# summaries_since_mark N: "count forwarded allocated growth", summed over the router summaries
# engine N logged since the mark (counters-interval = 1s: one a second); growth is the part
# of allocated that created frame batches.
summaries_since_mark() {
    python3 - "$WORK/engine$1.log" "$(cat "$WORK/engine$1.mark")" <<'EOF'
import re, sys
summary = re.compile(r"router: forwarded \d+ \(\+(\d+)\).*process allocated (-?\d+) B since the last summary"
                     r"(?:, (\d+) B of it for \d+ new frame batches)?")
# Only complete lines written since the mark.
lines = open(sys.argv[1], errors="replace").read().split("\n")[int(sys.argv[2]):-1]
found = [m for m in map(summary.search, lines) if m]
print(len(found), sum(int(m[1]) for m in found), sum(int(m[2]) for m in found), sum(int(m[3] or 0) for m in found))
EOF
}

# Set by tcp1_hook, used by engine_allocation_notes: per engine "count forwarded allocated growth".
TCP1_SUMMARIES=()

# tcp1_hook before|after NAME: called by measure_tcp around the 1-stream run. For the engine
# tunnels it sums the summaries each engine logged during the run and records the bytes
# both allocated per packet they forwarded, besides the frame pools' growth.
tcp1_hook() {
    local phase=$1 name=$2 c1 f1 a1 g1 c2 f2 a2 g2
    [[ $name == engine-* ]] || return 0
    if [[ $phase == before ]]; then mark_logs; return 0; fi
    read -r c1 f1 a1 g1 < <(summaries_since_mark 1)
    read -r c2 f2 a2 g2 < <(summaries_since_mark 2)
    TCP1_SUMMARIES=("$c1 $f1 $a1 $g1" "$c2 $f2 $a2 $g2")
    if ((f1 + f2 > 0)); then
        record "$name" alloc "$(python3 -c "print(($a1 - $g1 + $a2 - $g2) / ($f1 + $f2))")"
    fi
}

# engine_allocation_notes NAME: after the measurements, lets the engines idle for a few
# summaries and writes, per engine, what it allocated during tcp1 next to what it allocates
# doing nothing (the summaries themselves, timers, keepalives): the difference is what
# forwarding costs.
engine_allocation_notes() {
    local name=$1 n c f a g idle_count idle_forwarded idle_allocated
    ((${#TCP1_SUMMARIES[@]} == 2)) || return 0
    sleep 1
    mark_logs
    sleep 3.3
    for n in 1 2; do
        read -r c f a g <<<"${TCP1_SUMMARIES[n - 1]}"
        read -r idle_count idle_forwarded idle_allocated _ < <(summaries_since_mark "$n")
        python3 - "$name" "$n" "$c" "$f" "$a" "$g" "$idle_count" "$idle_forwarded" "$idle_allocated" >>"$NOTES" <<'EOF'
import sys
name, engine = sys.argv[1:3]
count, forwarded, allocated, growth, idle_count, idle_forwarded, idle_allocated = map(int, sys.argv[3:10])
rest = allocated - growth
per = f"{rest / forwarded:.3f} B/pkt" if forwarded else "n/a"
rate = f"{rest / count:.0f} B/s" if count else "n/a"
grew = f" ({growth} B of it new frame batches)" if growth else ""
idle = f"{idle_allocated / idle_count:.0f} B/s ({idle_forwarded} pkts)" if idle_count else "n/a"
print(f"{name} engine {engine}: during tcp1 {count} summaries, forwarded {forwarded} pkts, allocated {allocated} B{grew};"
      f" the rest {per}, {rate}; idle afterwards {idle}")
EOF
    done
}

# ---------------------------------------------------------------- report

report_tunnels() {
    local targets="" e
    for e in engine-tcp engine-tcp-off engine-udp; do
        targets+="$e/socat|tcp1|>=|1.5;$e/socat|tcp4|>=|1.5;$e/socat|udp64|>=|1.5;$e/socat|p50|<=|1;"
    done
    targets+="engine-wire/simpletun|tcp1|>=|20;engine-wire/simpletun|p50|<=|1;"
    report tunnel "$TUNNELS" \
        "engine-tcp/socat engine-tcp-off/socat engine-udp/socat engine-tcp/veth engine-tcp-off/veth engine-udp/veth socat/veth engine-tcp/engine-tcp-off engine-tcp-nice5/engine-tcp engine-tcp-rt/engine-tcp engine-udp-rt/engine-udp engine-tcp-rt/socat engine-udp-rt/socat engine-tcp-busy/engine-tcp engine-udp-busy/engine-udp engine-tcp-busy/socat engine-tcp/engine-tcp-noflood engine-wire/simpletun engine-wire-engine/simpletun engine-tcp/simpletun engine-wire/veth simpletun/veth engine-wire-engine/engine-wire" \
        "alloc|alloc B/pkt|{:.3f}" "$targets" "$NOTES"
}

main() {
    [[ $EUID == 0 ]] || { log "needs root (network namespaces)"; exit 1; }
    local tool
    for tool in iperf3 ping socat python3 ip; do
        command -v "$tool" >/dev/null || { log "missing tool: $tool"; exit 1; }
    done
    HEADER="tunnel benchmark  $(date -u '+%Y-%m-%d %H:%M:%S UTC')
nproc $(nproc)  kernel $(uname -r)  duration ${DURATION}s  warm-up ${WARMUP}s  pings $PING_COUNT  rounds $REPEAT (medians)
engine: $ENGINE_CMD"
    # shellcheck disable=SC2086  # the cases are a word list
    require_engine $TUNNELS
    require_tools ip ping iperf3 python3
    echo "$HEADER"
    local tunnel round
    for tunnel in $TUNNELS; do
        declare -F "tunnel_${tunnel//-/_}" >/dev/null || { log "unknown tunnel: $tunnel"; exit 1; }
    done
    for ((round = 1; round <= REPEAT; round++)); do
        ((REPEAT == 1)) || log "-- round $round of $REPEAT"
        for tunnel in $TUNNELS; do run_case "tunnel_${tunnel//-/_}" "$tunnel"; done
    done
    report_tunnels
}

main "$@"
