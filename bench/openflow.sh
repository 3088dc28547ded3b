#!/usr/bin/env bash
# openflow.sh: the engine as an OpenFlow switch against the engine's own routing, and the rate
# at which flows are set up through a controller (issue 15), in one run.
#
# Throughput: the same lab twice, two tun hosts on the engine's two ports.
#   host A (netns) 10.10.1.2/24 -- tun -- engine -- tun -- host B (netns) 10.10.2.2/24
#   routing   the engine's own routes (10.10.1.0/24 via A's tun, 10.10.2.0/24 via B's)
#   openflow  no routes: fail-mode secure and an os-ken app of the project's own
#             (bench/osken_flows.py) that installs FLOWS (1,000) exact-match flows, in_port,
#             eth_type and both IPv4 addresses, each with one output: the two the traffic uses
#             and FLOWS - 2 from addresses no host has. No table-miss flow: nothing of the
#             measured traffic goes to the controller. (The flows do not decrement the TTL; the
#             lab's routes do.)
#   Measured as relay.sh does (lib.sh): tcp1 (iperf3, 1 stream, Gbit/s) and udp64 (64-byte
#   datagrams, pkt/s received by B's iperf3, and what reached B's UDP layer); the ratios
#   openflow/routing, target >= 0.8.
#
# Flow setup: PACKET_IN -> FLOW_MOD round trips a second. Two tap hosts on one /24 are the two
# ports of a switch; host A sends UDP datagrams to B each from a new (source port, destination
# port) pair (bench/new_flows.py), so each is a new flow for the controller to install.
#   setup-osken   the engine (secure) and bench/osken_setup.py: on each PACKET_IN an exact-match
#                 flow (5-tuple and in_port) and a PACKET_OUT of the frame
#   setup-ovstc   the engine and ovs-testcontroller, an L2 learning switch whose flows are exact
#                 matches of every header field
#   setup-ovs-osken, setup-ovs-ovstc   (when ovs-vswitchd is installed) the same two controllers
#                 with Open vSwitch's userspace datapath (datapath_type=netdev) in place of the
#                 engine: ovsdb-server and ovs-vswitchd run by hand in a namespace of this run with
#                 a private database and rundir, joined to the hosts by veths; the controller runs
#                 in that namespace too, on its loopback
#   Flows in the switch's table are read by an aggregate stats request (the engine's: from
#   bench/of_flow_count.py as a slave, on a loopback port the engine also listens on; Open
#   vSwitch's: ovs-ofctl dump-aggregate on its management socket) 1 s after the sender starts and again SETUP_SECONDS later:
#   setup flows/s is the difference over the time between the two reads. "sent/s" is what the
#   sender offered: the rate it can reach bounds the setup rate it can show. The switch's and the
#   controller's CPU per flow set up are their CPU time between the two reads over those flows.
#
# Needs root and: iperf3 iputils-ping python3 (with os-ken: python3-os-ken) ovs-testcontroller
#   ovs-ofctl iproute2; optionally ovs-vswitchd ovsdb-server (openvswitch-switch; its service is
#   never started). The script installs nothing.
#
# Safety: every namespace is named of<PID>-<case>-<role>, every interface is created in one of
# them (the engine creates its hosts' namespaces and taps or tuns there), controllers listen on
# 127.0.0.1 only, and traffic flows only between the hosts. `trap cleanup EXIT` stops what the
# script started and deletes those namespaces, also on failure or Ctrl-C.
#
# Environment (and those of lib.sh: ENGINE_CMD, DURATION, ENGINE_WAIT, REPEAT, BENCH_OUT, KEEP_WORK):
#   CASES          cases in order (default: "routing openflow setup-osken setup-ovstc setup-ovs-osken setup-ovs-ovstc")
#   FLOWS          exact-match flows the openflow case installs (default 1000)
#   SETUP_SECONDS  seconds between the two flow counts of a setup case (default 5)
#   SETUP_RATE     new flows a second the sender offers at most (default 0: as fast as it can)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
PREFIX="of$$"
bench_init openflow
CASES=${CASES:-"routing openflow setup-osken setup-ovstc setup-ovs-osken setup-ovs-ovstc"}
FLOWS=${FLOWS:-1000}
SETUP_SECONDS=${SETUP_SECONDS:-5}
SETUP_RATE=${SETUP_RATE:-0}
MEASURES=${MEASURES:-"tcp1 udp64"}
PYTHON=/usr/bin/python3
ADDR_A=10.10.1.2
ADDR_B=10.10.2.2

NS_A="" NS_B="" NS_S="" RELAY_PIDS="" HEADER=""

# ---------------------------------------------------------------- throughput

# write_routed_config FILE [OPENFLOW]: two tun hosts; with OPENFLOW (the openflow block) the
# flows decide, without it the lab's routes.
write_routed_config() {
    local routes='routes = [
    { prefix = "10.10.1.0/24", via = '"ofa$$"' }
    { prefix = "10.10.2.0/24", via = '"ofb$$"' }
  ]'
    [[ -z ${2:-} ]] || routes=$2
    cat >"$1" <<EOF
engine {
  devices = [
    { name = ofa$$, type = tun, namespace = "$NS_A", address = "$ADDR_A/24", gateway = "10.10.1.1" }
    { name = ofb$$, type = tun, namespace = "$NS_B", address = "$ADDR_B/24", gateway = "10.10.2.1" }
  ]
  $routes
}
EOF
}

# wait_lab SECONDS: until the engine has made both host namespaces and A reaches B, or fail.
wait_lab() {
    local deadline=$((SECONDS + $1))
    until ip netns list | grep -q "^$NS_A\b" && ip netns list | grep -q "^$NS_B\b" && nsa ping -n -c 1 -W 1 "$ADDR_B" >/dev/null 2>&1; do
        running engine || { log "engine exited: $(tail -n 3 "$WORK/engine.log")"; return 1; }
        ((SECONDS < deadline)) || { log "no ping from A to B after $1 s: $(tail -n 2 "$WORK/engine.log")"; return 1; }
        sleep 0.2
    done
}

# measure_engine NAME: the measurements of relay.sh's cases on the running engine, then stops it.
measure_engine() {
    RELAY_PIDS=$(pid_of engine)
    measure_all "$1"
    stop engine || log "$1: did not exit within 10 s of SIGTERM, killed"
}

case_routing() {
    NS_A="$PREFIX-r-a" NS_B="$PREFIX-r-b"
    trap 'teardown "$NS_A" "$NS_B"' EXIT
    write_routed_config "$WORK/engine.conf"
    # shellcheck disable=SC2086  # ENGINE_CMD is a command line
    start engine $ENGINE_CMD run --config "$WORK/engine.conf"
    wait_lab "$ENGINE_WAIT"
    measure_engine routing
}

case_openflow() {
    NS_A="$PREFIX-o-a" NS_B="$PREFIX-o-b"
    trap 'teardown "$NS_A" "$NS_B"' EXIT
    local port
    port=$(free_port tcp)
    start osken env OSKEN_FLOWS="$FLOWS,1,$ADDR_A,2,$ADDR_B" $PYTHON -u -m os_ken.cmd.manager \
        --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" "$REPO/bench/osken_flows.py"
    write_routed_config "$WORK/engine.conf" "openflow { controllers = [\"tcp:127.0.0.1:$port\"], fail-mode = secure }"
    # shellcheck disable=SC2086
    start engine $ENGINE_CMD run --config "$WORK/engine.conf"
    wait_until osken 60 grep -q "^flows $FLOWS\$" "$WORK/osken.log"
    wait_lab "$ENGINE_WAIT"
    measure_engine openflow
    record openflow flows "$(grep -o '^flows [0-9]*' "$WORK/osken.log" | tail -n 1 | cut -d' ' -f2)"
}

# ---------------------------------------------------------------- flow setup

# Both hosts on one /24, the two ports of the switch.
SETUP_A=10.10.0.2
SETUP_B=10.10.0.3

# start_controller KIND PORT [NS]: the os-ken setup app or ovs-testcontroller, on 127.0.0.1:PORT
# (of namespace NS if given, else of the engine's).
start_controller() {
    local kind=$1 port=$2 in=()
    [[ -z ${3:-} ]] || in=(ip netns exec "$3")
    if [[ $kind == osken ]]; then
        start controller "${in[@]}" $PYTHON -u -m os_ken.cmd.manager --ofp-listen-host 127.0.0.1 \
            --ofp-tcp-listen-port "$port" "$REPO/bench/osken_setup.py"
    else
        start controller "${in[@]}" ovs-testcontroller --unixctl=none -O OpenFlow13 "ptcp:$port:127.0.0.1"
    fi
    wait_until controller 30 listening "$port" "${3:-}"
}

# listening PORT [NS]: whether something listens on TCP PORT (in namespace NS if given).
listening() {
    local in=()
    [[ -z ${2:-} ]] || in=(ip netns exec "$2")
    [[ -n "$("${in[@]}" ss -Htln "sport = :$1")" ]]
}

# measure_setup NAME TARGET: offers new flows from A to B and reads the flows in the switch
# (TARGET as flow_count takes it) twice, SETUP_SECONDS apart.
measure_setup() {
    local name=$1 target=$2 before after t0 t1 sent switch_cpu controller_cpu hz
    log "  $name: new flows for $((SETUP_SECONDS + 2)) s"
    start sender ip netns exec "$NS_A" $PYTHON "$REPO/bench/new_flows.py" "$SETUP_B" $((SETUP_SECONDS + 2)) "$SETUP_RATE"
    sleep 1
    # shellcheck disable=SC2086  # RELAY_PIDS is a list
    switch_cpu=$(cpu_ticks $RELAY_PIDS) controller_cpu=$(cpu_ticks "$(pid_of controller)")
    read -r before t0 < <(flow_count "$target")
    sleep "$SETUP_SECONDS"
    read -r after t1 < <(flow_count "$target")
    # shellcheck disable=SC2086
    switch_cpu=$(($(cpu_ticks $RELAY_PIDS) - switch_cpu)) controller_cpu=$(($(cpu_ticks "$(pid_of controller)") - controller_cpu))
    while running sender; do sleep 0.2; done
    sent=$(tail -n 1 "$WORK/sender.log")
    hz=$(getconf CLK_TCK)
    record "$name" setup "$(python3 -c "print(($after - $before) / (($t1 - $t0) / 1e9))")"
    if ((after > before)); then
        record "$name" switchcpu "$(python3 -c "print($switch_cpu / $hz / ($after - $before) * 1e6)")"
        record "$name" controllercpu "$(python3 -c "print($controller_cpu / $hz / ($after - $before) * 1e6)")"
    fi
    record "$name" sent "$(python3 -c "print($sent / $((SETUP_SECONDS + 2)))")"
    record "$name" flows "$after"
}

# flow_count TARGET: the flows in the switch's tables, by an aggregate stats request, and when the
# answer came (ns since the epoch; a python reader may take a second to start on a loaded machine): TARGET is
# the engine's listening port (of_flow_count.py, as a slave that gets no PACKET_IN) or an
# ovs-ofctl target (Open vSwitch's management socket, which gets none either).
flow_count() {
    if [[ $1 == [0-9]* ]]; then
        timeout 10 $PYTHON "$REPO/bench/of_flow_count.py" 127.0.0.1 "$1"
    else
        local count
        count=$(timeout 10 ovs-ofctl -O OpenFlow13 dump-aggregate "$1" | grep -o 'flow_count=[0-9]*' | cut -d= -f2)
        echo "$count $(date +%s%N)"
    fi
}

# setup_engine NAME KIND: the engine with two tap hosts, driven by controller KIND.
setup_engine() {
    local name=$1 kind=$2 port listen
    NS_A="$PREFIX-$kind-a" NS_B="$PREFIX-$kind-b" ADDR_B=$SETUP_B
    trap 'teardown "$NS_A" "$NS_B"' EXIT
    port=$(free_port tcp) listen=$(free_port tcp)
    start_controller "$kind" "$port"
    cat >"$WORK/engine.conf" <<EOF
engine {
  devices = [
    { name = ofa$$, type = tap, namespace = "$NS_A", address = "$SETUP_A/24" }
    { name = ofb$$, type = tap, namespace = "$NS_B", address = "$SETUP_B/24" }
  ]
  openflow { controllers = ["tcp:127.0.0.1:$port"], fail-mode = secure, listen = "ptcp:$listen:127.0.0.1" }
}
EOF
    # shellcheck disable=SC2086
    start engine $ENGINE_CMD run --config "$WORK/engine.conf"
    wait_lab "$ENGINE_WAIT"
    RELAY_PIDS=$(pid_of engine)
    measure_setup "$name" "$listen"
}

case_setup-osken() { setup_engine setup-osken osken; }
case_setup-ovstc() { setup_engine setup-ovstc ovstc; }

# setup_ovs NAME KIND: Open vSwitch's userspace datapath in a switch namespace, driven by KIND.
setup_ovs() {
    local name=$1 kind=$2 port ovs="$WORK/ovs-$2"
    NS_A="$PREFIX-v$kind-a" NS_B="$PREFIX-v$kind-b" ADDR_B=$SETUP_B
    NS_S="$PREFIX-v$kind-s"
    local ns_s=$NS_S
    trap 'teardown "$NS_A" "$NS_B" "$NS_S"' EXIT
    add_namespaces "$NS_A" "$NS_B" "$ns_s"
    ip -n "$ns_s" link set lo up
    ip -n "$ns_s" link add sa type veth peer name a0 netns "$NS_A"
    ip -n "$ns_s" link add sb type veth peer name b0 netns "$NS_B"
    ip -n "$ns_s" link set sa up
    ip -n "$ns_s" link set sb up
    configure_host "$NS_A" a0 "$SETUP_A/24" ""
    configure_host "$NS_B" b0 "$SETUP_B/24" ""
    rm -rf "$ovs"
    mkdir -p "$ovs"
    # A database, rundir, logdir and sysconfdir of this run's own: nothing of a system Open vSwitch is touched.
    local env=(env OVS_RUNDIR="$ovs" OVS_DBDIR="$ovs" OVS_LOGDIR="$ovs" OVS_SYSCONFDIR="$ovs" OVS_PKGDATADIR=/usr/share/openvswitch)
    ovsdb-tool create "$ovs/conf.db" /usr/share/openvswitch/vswitch.ovsschema
    start ovsdb ip netns exec "$ns_s" "${env[@]}" ovsdb-server "$ovs/conf.db" --remote="punix:$ovs/db.sock" \
        --unixctl="$ovs/ovsdb.ctl" --no-chdir
    wait_until ovsdb 10 test -S "$ovs/db.sock"
    local vsctl=("${env[@]}" ovs-vsctl --db="unix:$ovs/db.sock" --timeout=10)
    "${vsctl[@]}" --no-wait init
    start vswitchd ip netns exec "$ns_s" "${env[@]}" ovs-vswitchd "unix:$ovs/db.sock" --unixctl="$ovs/vswitchd.ctl" --no-chdir
    port=$(free_port tcp)
    start_controller "$kind" "$port" "$ns_s"
    ip netns exec "$ns_s" "${vsctl[@]}" add-br br0 -- set bridge br0 datapath_type=netdev protocols=OpenFlow13 fail_mode=secure other-config:disable-in-band=true \
        -- add-port br0 sa -- set interface sa ofport_request=1 -- add-port br0 sb -- set interface sb ofport_request=2 \
        -- set-controller br0 "tcp:127.0.0.1:$port"
    wait_ping 30 || { log "$name: no ping from A to B through ovs-vswitchd"; return 1; }
    RELAY_PIDS="$(pid_of vswitchd)"
    measure_setup "$name" "unix:$ovs/br0.mgmt"
}

case_setup-ovs-osken() { setup_ovs setup-ovs-osken osken; }
case_setup-ovs-ovstc() { setup_ovs setup-ovs-ovstc ovstc; }

# ovs_missing: why the Open vSwitch cases cannot run, or nothing.
ovs_missing() {
    local tool
    for tool in ovs-vswitchd ovsdb-server ovsdb-tool ovs-vsctl; do
        command -v "$tool" >/dev/null || { echo "$tool not installed (Debian's openvswitch-switch)"; return; }
    done
}

main() {
    [[ $EUID == 0 ]] || { log "needs root (network namespaces)"; exit 1; }
    local tool
    for tool in iperf3 ping ip ovs-testcontroller ovs-ofctl; do
        command -v "$tool" >/dev/null || { log "missing tool: $tool"; exit 1; }
    done
    $PYTHON -c 'import os_ken' 2>/dev/null || { log "missing: os-ken for $PYTHON (python3-os-ken)"; exit 1; }
    require_engine
    require_tools ip ping iperf3 python3
    HEADER="openflow benchmark  $(date -u '+%Y-%m-%d %H:%M:%S UTC')
nproc $(nproc)  kernel $(uname -r)  load average $(cut -d' ' -f1-3 /proc/loadavg)  duration ${DURATION}s  flows $FLOWS  setup ${SETUP_SECONDS}s  rounds $REPEAT (medians)
engine: $ENGINE_CMD"
    echo "$HEADER"
    local name round why
    for name in $CASES; do
        declare -F "case_$name" >/dev/null || { log "unknown case: $name"; exit 1; }
    done
    why=$(ovs_missing)
    for ((round = 1; round <= REPEAT; round++)); do
        ((REPEAT == 1)) || log "-- round $round of $REPEAT (load average $(cut -d' ' -f1-3 /proc/loadavg))"
        for name in $CASES; do
            if [[ $name == setup-ovs-* && -n $why ]]; then
                record "$name" status "$why"
                continue
            fi
            run_case "case_$name" "$name"
        done
    done
    report case "$CASES" "openflow/routing setup-osken/setup-ovs-osken setup-ovstc/setup-ovs-ovstc" \
        "setup|setup flows/s|{:.0f};sent|sent/s|{:.0f};flows|flows|{:.0f};switchcpu|switch cpu µs/flow|{:.0f};controllercpu|controller cpu µs/flow|{:.0f}" \
        "openflow/routing|tcp1|>=|0.8;openflow/routing|udp64|>=|0.8"
    echo
    echo "every round (in order):"
    awk -F'\t' '$2 ~ /^(tcp1|udp64|udp64in|setup|sent|switchcpu|controllercpu)$/ { k = $1 " " $2; if (!(k in v)) order[n++] = k; v[k] = v[k] " " $3 }
        END { for (i = 0; i < n; i++) print "  " order[i] ":" v[order[i]] }' "$RESULTS"
}

main "$@"
