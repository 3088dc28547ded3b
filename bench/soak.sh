#!/usr/bin/env bash
# soak.sh: a lab under steady load for MINUTES, sampled every SAMPLE seconds, to show that
# nothing grows: the engine's resident memory, file descriptors, threads and frame pool.
#
#   host A (tun) ---- engine ---- host B (tun)          iperf3 TCP A->B, iperf3 UDP A->B,
#                       |  \                            ping A->B, all the time
#        length16 peer  |   controller peer (engine framing)
#                       '-- soak_churn.py connects to both, sends a few frames, hangs up,
#                           again and again, for the whole run
#
# Prints a table row per sample as it goes, then each measure's change from the end of the
# warm-up (WARMUP seconds) to the last sample, and whether it stayed flat.
#
# Settings (environment): MINUTES (30), SAMPLE seconds (30), WARMUP seconds (180),
# UDP_RATE for the UDP flow (50M), TCP_RATE for the TCP flow (0: as fast as it goes; a rate
# leaves the shared machine's CPUs to others), ENGINE_CMD, KEEP_WORK=1 keeps the engine's log.
# Everything runs in namespaces named sk<PID>-*, created by the engine and deleted on exit.
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
PREFIX="sk$$"
# shellcheck source=lib.sh
source "$REPO/bench/lib.sh"

MINUTES=${MINUTES:-30}
SAMPLE=${SAMPLE:-30}
WARMUP=${WARMUP:-180}
UDP_RATE=${UDP_RATE:-50M}
TCP_RATE=${TCP_RATE:-0}

NS_A="$PREFIX-a" NS_B="$PREFIX-b"
ADDR_A=10.77.1.1 ADDR_B=10.77.2.1

write_config() {
    cat >"$1" <<EOF2
engine {
  counters-interval = 5s
  devices = [
    { name = ska0, type = tun, namespace = "$NS_A", address = "$ADDR_A/24", gateway = "10.77.1.254" }
    { name = skb0, type = tun, namespace = "$NS_B", address = "$ADDR_B/24", gateway = "10.77.2.254" }
  ]
  peers = [
    { name = churn16, role = quagga, transport = tcp, listen = "127.0.0.1:$2", framing = length16 }
    { name = churnctl, role = controller, transport = tcp, listen = "127.0.0.1:$3", framing = engine }
  ]
  routes = [
    { prefix = "10.77.1.0/24", via = ska0 }
    { prefix = "10.77.2.0/24", via = skb0 }
  ]
}
EOF2
}

# sample PID: RSS in KiB, open fds, threads, frame batches in the pool (from the engine's log:
# the pool only grows, and each summary after growth names its size).
sample() {
    local pid=$1 rss threads fds pool
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status")
    threads=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status")
    fds=$(find "/proc/$pid/fd" -mindepth 1 -maxdepth 1 | wc -l)
    pool=$( (grep -o '([0-9]* in the pool)' "$WORK/engine.log" || true) | tail -n 1 | tr -dc '0-9')
    echo "$rss $fds $threads ${pool:-0}"
}

main() {
    [[ $EUID == 0 ]] || { log "needs root (network namespaces)"; exit 1; }
    local tool
    for tool in iperf3 ping python3 ip; do
        command -v "$tool" >/dev/null || { log "missing tool: $tool"; exit 1; }
    done
    bench_init soak
    require_engine
    require_tools ip ping iperf3

    local seconds=$((MINUTES * 60)) l16 ctl config="$WORK/engine.conf"
    l16=$(free_port tcp)
    ctl=$(free_port tcp)
    write_config "$config" "$l16" "$ctl"
    # shellcheck disable=SC2086  # ENGINE_CMD is a command line
    start engine $ENGINE_CMD run --config "$config"
    local deadline=$((SECONDS + ENGINE_WAIT))
    until grep -q "lab up" "$WORK/engine.log"; do
        running engine || { log "engine exited: $(tail -n 3 "$WORK/engine.log")"; exit 1; }
        ((SECONDS < deadline)) || { log "engine not up after $ENGINE_WAIT s"; exit 1; }
        sleep 0.2
    done
    wait_ping 10 || { log "no ping from A to B"; exit 1; }
    local pid
    pid=$(pid_of engine)

    start iperf-tcp-server ip netns exec "$NS_B" iperf3 -s -p 5201
    start iperf-udp-server ip netns exec "$NS_B" iperf3 -s -p 5202
    sleep 1
    start iperf-tcp ip netns exec "$NS_A" iperf3 -c "$ADDR_B" -p 5201 -b "$TCP_RATE" -t "$seconds" -i 0
    start iperf-udp ip netns exec "$NS_A" iperf3 -c "$ADDR_B" -p 5202 -u -b "$UDP_RATE" -t "$seconds" -i 0
    start ping ip netns exec "$NS_A" ping -n -q -i 0.2 -w "$seconds" "$ADDR_B"
    start churn python3 "$REPO/bench/soak_churn.py" "$seconds" "$l16" "$ctl" "$ADDR_B" "$ADDR_A"

    log "soak: $MINUTES min, a sample every $SAMPLE s (warm-up $WARMUP s); engine pid $pid"
    printf '%8s %10s %6s %8s %6s\n' "time s" "RSS MiB" "fds" "threads" "pool"
    local start_time=$SECONDS t rss fds threads pool baseline="" last="" i
    while :; do
        t=$((SECONDS - start_time))
        running engine || { log "engine exited during the soak: $(tail -n 3 "$WORK/engine.log")"; exit 1; }
        read -r rss fds threads pool < <(sample "$pid")
        printf '%8d %10.1f %6d %8d %6d\n' "$t" "$(awk -v k="$rss" 'BEGIN {print k / 1024}')" "$fds" "$threads" "$pool"
        last="$rss $fds $threads $pool"
        if [[ -z $baseline ]] && ((t >= WARMUP)); then baseline=$last; fi
        ((t + SAMPLE <= seconds)) || break
        sleep "$SAMPLE"
    done

    # The flows and the churn end on their own when the run's time is up: their summaries follow.
    local name
    for name in iperf-tcp iperf-udp ping churn; do
        for ((i = 0; i < seconds - t + 30; i++)); do running "$name" || break; sleep 1; done
    done
    log "$(tail -n 1 "$WORK/churn.log")"
    log "ping: $(grep -E 'packets transmitted' "$WORK/ping.log" || echo 'still running')"
    log "iperf3 TCP: $(grep -E 'receiver' "$WORK/iperf-tcp.log" || echo 'no result')"
    log "iperf3 UDP: $(grep -E 'receiver' "$WORK/iperf-udp.log" || echo 'no result')"
    log "engine, last summary: $(grep -E 'router: forwarded' "$WORK/engine.log" | tail -n 1 | sed 's/^.*router: //')"
    [[ -n $baseline ]] || { log "the run ended before the warm-up did: nothing to compare"; exit 0; }
    verdict "$baseline" "$last"
}

# verdict BASELINE LAST: each measure's change since the warm-up; RSS may move within 10 %
# (the GC's heap breathes), the counts not at all.
verdict() {
    local -a b l names=("RSS KiB" "fds" "threads" "pool batches")
    read -ra b <<<"$1"
    read -ra l <<<"$2"
    local i flat=1
    for i in 0 1 2 3; do
        local change=$((l[i] - b[i])) ok=1
        if ((i == 0)); then ((change * 10 <= b[i])) || ok=0; else ((change <= 0)) || ok=0; fi
        printf '%-13s after warm-up %10d, at the end %10d: %s\n' "${names[i]}" "${b[i]}" "${l[i]}" "$( ((ok)) && echo flat || echo GREW)"
        ((ok)) || flat=0
    done
    ((flat)) || exit 1
}

main "$@"
