#!/usr/bin/env bash
# relay.sh: measures one relay between two hosts against two baselines, in one run.
#
#   host A (netns)                          host B (netns)
#   10.10.1.2/24                            10.10.2.2/24
#   default via 10.10.1.1                   default via 10.10.2.1
#        |                                       |
#        +------------>  relay  <----------------+
#
#   engine  A:rba0 (tun) <-> engine process (root netns) <-> B:rbb0 (tun), tun offloads on
#   engine-off  the same with offload = off: one packet per read and write
#   engine-mq   (not in the default set) the engine with two queues per tun
#   engine-tap  (not in the default set) the engine with taps in place of the tuns, offloads on
#   engine-switch  (not in the default set; issue 12) A:rba0 (tap) and B:rbb0 (tap), both ports of
#           one switch of the engine (engine.switches), offloads on: switched, not routed; the
#           hosts' /16 puts both on the one segment
#   engine-nice5  (not in the default set) the engine with its data plane at nice 5, behind
#           the hosts' applications, all the time (dataplane-nice = 5; the default is 0)
#   engine-noflood  (not in the default set) the engine without its flood backoff (flood-nice = 0:
#           the data plane stays at nice 0 during a flood of small frames; the default steps to 5)
#   engine-rt  (not in the default set) the engine with its data plane at real-time priority while it
#           is not busy (dataplane-realtime = 1; by default it runs at normal scheduling; issue 16)
#   engine-busy  (not in the default set) the engine polling 200 µs on after the last frame
#           before it sleeps (busy-poll = 200us; issue 16)
#   engine-spin  (not in the default set) the engine with the .NET thread pool spinning for
#           work as the runtime does by default (the engine's runtimeconfig turns it off)
#           the engine creates both host namespaces itself from the config
#   kernel  A:a0 (veth) <-> r0 | router netns, ip_forward=1 | r1 <-> B:b0 (veth)
#           the limit: no copy to userspace at all
#   socat   A:ta (tun) <-> socat TUN TUN (relay netns) <-> B:tb (tun)
#           each tun is created by socat in the relay netns, then moved into its host
#   bridge  (not in the default set) A:a0 (veth) <-> pa | Linux bridge br0 in a bridge netns,
#           STP off | pb <-> B:b0 (veth), the hosts on one /16: the kernel's limit for engine-switch
#
# Each relay is set up, measured and torn down in turn. Measurements (all bounded):
#   tcp1 / tcp4   iperf3 TCP, 1 and 4 streams, client in A, server in B (Gbit/s received)
#   udp64         iperf3 UDP, 64-byte payloads, unlimited rate: packets/s received by B's iperf3
#   udp64 at B    the same run: datagrams/s that reached B's UDP layer (B's socket took them or
#                 had no room), i.e. what the relay delivered, however fast iperf3 read them
#   udp64 cpu     the relay's CPU µs per datagram that reached B; n/a for the kernel
#   udp64 B waits the share of that run B's iperf3 spent runnable but waiting for a CPU
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
#   RELAYS       relays to measure, in order (default: "engine engine-off kernel socat";
#                "engine-switch bridge" compares switching, issue 12)
#   DURATION     seconds per iperf3 run (default 5)
#   PING_COUNT   pings per RTT measurement (default 300)
#   ENGINE_WAIT  seconds to wait for the engine to forward (default 20)
#   REPEAT       rounds of all relays, interleaved; each figure is the median (default 1)
#   MEASURES     which measurements, of "tcp1 tcp4 udp64 ping" (default: all); the engine transit
#                columns (its own read-to-write p50/p99, from its metrics endpoint) are the pings' alone
#   BENCH_OUT    if set, also write the results as a markdown table to this file
#
# The helpers (processes, cleanup, measurements, report) are in lib.sh, shared with tunnel.sh.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
PREFIX="rb$$"
bench_init relay
RELAYS=${RELAYS:-"engine engine-off kernel socat"}
ADDR_A=10.10.1.2
ADDR_B=10.10.2.2

# Set by each relay's setup; the helpers in lib.sh run commands in the host namespaces.
NS_A="" NS_B="" NS_R="" RELAY_PIDS="" HEADER=""

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
    RELAY_PIDS=""
    measure_all kernel
}

# Both hosts on one /16, so each reaches the other on the segment without a router.
relay_bridge() {
    NS_A="$PREFIX-br-a" NS_B="$PREFIX-br-b" NS_R="$PREFIX-br-r"
    trap 'teardown "$NS_A" "$NS_B" "$NS_R"' EXIT
    add_namespaces "$NS_A" "$NS_B" "$NS_R"
    ip -n "$NS_R" link add br0 type bridge stp_state 0
    ip -n "$NS_R" link add pa type veth peer name a0 netns "$NS_A"
    ip -n "$NS_R" link add pb type veth peer name b0 netns "$NS_B"
    ip -n "$NS_R" link set pa master br0
    ip -n "$NS_R" link set pb master br0
    ip -n "$NS_R" link set br0 up
    ip -n "$NS_R" link set pa up
    ip -n "$NS_R" link set pb up
    configure_host "$NS_A" a0 "$ADDR_A/16" ""
    configure_host "$NS_B" b0 "$ADDR_B/16" ""
    wait_ping 5 || { log "bridge: no ping across the bridge"; return 1; }
    RELAY_PIDS=""
    measure_all bridge
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
    RELAY_PIDS=$(pid_of socat)
    measure_all socat
}

# write_engine_config FILE OFFLOAD QUEUES TYPE [SETTINGS]: the engine creates (and at shutdown removes)
# the host namespaces itself; OFFLOAD, QUEUES and TYPE are the devices' settings, SETTINGS more
# engine-wide keys (e.g. "dataplane-nice = 5"; the engine's defaults if empty).
write_engine_config() {
    cat >"$1" <<EOF
engine {
  ${5:-}
  devices = [
    { name = rba0, type = ${4:-tun}, offload = $2, queues = ${3:-1}, namespace = "$NS_A", address = "$ADDR_A/24", gateway = "10.10.1.1" }
    { name = rbb0, type = ${4:-tun}, offload = $2, queues = ${3:-1}, namespace = "$NS_B", address = "$ADDR_B/24", gateway = "10.10.2.1" }
  ]
  routes = [
    { prefix = "10.10.1.0/24", via = rba0 }
    { prefix = "10.10.2.0/24", via = rbb0 }
  ]
}
EOF
}

# write_switch_config FILE OFFLOAD QUEUES TYPE [SETTINGS]: the two hosts' taps as the ports of
# one switch, on one /16; TYPE is ignored (a switch joins taps).
write_switch_config() {
    cat >"$1" <<EOF
engine {
  ${5:-}
  devices = [
    { name = rba0, type = tap, offload = $2, queues = ${3:-1}, namespace = "$NS_A", address = "$ADDR_A/16" }
    { name = rbb0, type = tap, offload = $2, queues = ${3:-1}, namespace = "$NS_B", address = "$ADDR_B/16" }
  ]
  switches = [ { name = lan, ports = [rba0, rbb0] } ]
}
EOF
}

# wait_engine SECONDS NAME: until both namespaces exist and A reaches B. Records why not
# (under NAME) and fails if the engine exits or the time runs out.
wait_engine() {
    local deadline=$((SECONDS + $1)) name=$2 pid
    pid=$(pid_of engine)
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            local rc=0
            wait "$pid" || rc=$?
            rm -f "$PIDS/engine"
            record "$name" status "engine exited with code $rc: $(tail -n 1 "$WORK/engine.log")"
            return 1
        fi
        if ip netns list | grep -q "^$NS_A\b" && ip netns list | grep -q "^$NS_B\b" &&
            nsa ping -n -c 1 -W 1 "$ADDR_B" >/dev/null 2>&1; then
            return 0
        fi
        sleep 0.2
    done
    record "$name" status "no ping from A to B after $1 s; log: $(tail -n 1 "$WORK/engine.log")"
    return 1
}

# The engine with tun offloads (super-frames through the router), and without (one packet per syscall).
relay_engine() { run_engine engine auto e 1; }
relay_engine-off() { run_engine engine-off off o 1; }
# Not in the default set: two queues per tun (IFF_MULTI_QUEUE), both read by the one reactor thread.
relay_engine-mq() { run_engine engine-mq auto m 2; }
# Not in the default set: taps (the engine answers ARP and adds Ethernet headers; no GRO).
relay_engine-tap() { run_engine engine-tap auto t 1 tap; }
# Not in the default set: the hosts' taps switched (issue 12), against relay_bridge.
relay_engine-switch() { CONFIG_WRITER=write_switch_config run_engine engine-switch auto sw 1 tap; }
# Not in the default set: the data plane behind the applications (dataplane-nice = 5).
relay_engine-nice5() { run_engine engine-nice5 auto n 1 tun "dataplane-nice = 5"; }
# Not in the default set: no flood backoff (the data plane keeps nice 0 during a flood of small frames).
relay_engine-rt() { run_engine engine-rt auto rt 1 tun "dataplane-realtime = 1"; }
relay_engine-noflood() { run_engine engine-noflood auto nf 1 tun "flood-nice = 0"; }
# Not in the default set: the data plane polls 200 µs on after the last frame before it sleeps (busy-poll).
relay_engine-busy() { run_engine engine-busy auto bp 1 tun "busy-poll = 200us"; }
# Not in the default set: the thread pool's default spin-wait (the environment overrides the runtimeconfig).
relay_engine-spin() { ENGINE_CMD="env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70 $ENGINE_CMD" run_engine engine-spin auto sp 1; }

# run_engine NAME OFFLOAD TAG QUEUES [TYPE [SETTINGS]]; CONFIG_WRITER, if set, writes the
# config in place of write_engine_config, with the same arguments.
run_engine() {
    local name=$1 offload=$2 queues=$4 type=${5:-tun} settings=${6:-}
    NS_A="$PREFIX-$3-a" NS_B="$PREFIX-$3-b"
    local config="$WORK/engine.conf"
    # stop_all sends SIGTERM first: the engine removes its devices and namespaces itself;
    # deleting them afterwards only matters if it did not.
    trap 'teardown "$NS_A" "$NS_B"' EXIT
    "${CONFIG_WRITER:-write_engine_config}" "$config" "$offload" "$queues" "$type" "$settings"
    with_metrics "$config" engine
    # shellcheck disable=SC2086  # ENGINE_CMD is a command line
    start engine $ENGINE_CMD run --config "$config"
    wait_engine "$ENGINE_WAIT" "$name" || return 0
    RELAY_PIDS=$(pid_of engine)
    measure_all "$name"
    stop engine || log "$name: did not exit within 10 s of SIGTERM, killed"
    rm -f "$WORK"/engine.metrics
    local ns
    for ns in "$NS_A" "$NS_B"; do
        if ip netns list | grep -q "^$ns\b"; then log "$name: left namespace $ns behind"; fi
    done
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
    # shellcheck disable=SC2086  # the cases are a word list
    require_engine $RELAYS
    require_tools ip ping iperf3 python3
    echo "$HEADER"
    local relay round
    for relay in $RELAYS; do
        declare -F "relay_$relay" >/dev/null || { log "unknown relay: $relay"; exit 1; }
    done
    for ((round = 1; round <= REPEAT; round++)); do
        ((REPEAT == 1)) || log "-- round $round of $REPEAT"
        for relay in $RELAYS; do run_case "relay_$relay" "$relay"; done
    done
    report relay "$RELAYS" "engine-switch/bridge engine-switch/engine-tap engine/kernel engine/socat engine-busy/engine engine-busy/socat engine-busy/kernel engine-off/socat engine/engine-off engine-nice5/engine engine-nice5/socat engine/engine-noflood engine-noflood/socat engine-rt/engine engine-rt/socat engine/engine-spin engine-mq/engine engine-tap/engine engine-tap/socat socat/kernel" \
        "" "engine-switch/bridge|tcp1|>=|0.5;engine-switch/bridge|udp64|>=|0.5"
}

main "$@"
