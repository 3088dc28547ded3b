#!/usr/bin/env bash
# fpm.sh: a full routing table from zebra's FPM feed (issue 13's scale targets): how fast the
# engine takes it, what it costs in memory, and whether forwarding goes on meanwhile.
#
#   host A (netns) -> tun-a -> engine -> tun-b -> host B (netns; holds the sentinel prefixes)
#                                ^
#   fpm_stream.py replay --------' TCP 127.0.0.1 (the engine's FPM listener, as zebra would connect)
#
# A stream of V4 + V6 RTM_NEWROUTE frames (bench/fpm_stream.py: realistic prefix lengths,
# HOPS distinct next hops on tun-b, 1 route in 20 multipath) is written once, then sent as fast
# as the socket takes it. Its last routes are the sentinels 203.0.113.0/24 and
# 2001:db8:ffff::/48, which host B answers on: the table has converged when A's pings to them
# are answered. Meanwhile A pings B's own address every 10 ms (a connected route), so a pause
# in forwarding shows as loss. Then the same routes are announced again with other next hops
# and a third sentinel (198.51.100.0/24), for the rate of sustained updates.
#
# Prints: routes, bytes, send time, time to converge and routes/s for the load and for the
# updates, the engine's CPU time until it converged (user + system, all its threads: on a shared
# machine it varies less than the wall time), its resident memory per route, and the ping loss
# during each phase.
#
# Needs root, iproute2, iputils-ping, python3. Every namespace is named fp<PID>-*; the FPM
# socket is on 127.0.0.1; `trap cleanup EXIT` ends what the script started and deletes them.
#
# Environment:
#   ENGINE_CMD   engine command (default: dotnet <repo>/src/Engine/bin/Release/net10.0/engine.dll)
#   V4, V6       routes of each family (default 1000000 and 200000)
#   HOPS         distinct next hops (default 16; the issue asks for 8-64)
#   CONVERGE     seconds to wait for the sentinels (default 120)
#   ENGINE_WAIT  seconds to wait for the lab (default 20)
#   KEEP_WORK    1 keeps the work directory (engine log, streams)
#   STREAMS      a directory to keep the two streams in and reuse them from, named by V4, V6
#                and HOPS (writing them takes half a minute; runs that alternate builds share them)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
PREFIX="fp$$"
bench_init fpm
V4=${V4:-1000000}
V6=${V6:-200000}
HOPS=${HOPS:-16}
CONVERGE=${CONVERGE:-120}
NS_A="$PREFIX-a" NS_B="$PREFIX-b"
STREAM="$REPO/bench/fpm_stream.py"

write_config() {
    cat >"$WORK/engine.conf" <<CONF
engine {
  counters-interval = 5s
  devices = [
    { name = fpa$$, type = tun, namespace = "$NS_A", address = ["10.77.1.1/24", "fd4d:1::1/64"], gateway = ["10.77.1.254", "fd4d:1::fe"] }
    { name = fpb$$, type = tun, namespace = "$NS_B", address = ["10.77.2.1/24", "fd4d:2::1/64"], gateway = ["10.77.2.254", "fd4d:2::fe"] }
  ]
  fpm { listen = "127.0.0.1:$1" }
}
CONF
}

rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$(pid_of engine)/status"; }
now() { date +%s.%N; }

# first_reply ADDRESS: pings ADDRESS from A every 20 ms until one is answered (status 0), the
# engine exits or CONVERGE seconds pass (status 1). One long-lived ping, not one process per try:
# until the route is there the engine answers "unreachable" at once, and a loop of `ip netns exec
# ping` took a third of the CPU the engine is measured on.
first_reply() {
    local line status=1 deadline=$((SECONDS + CONVERGE)) replies
    # Bounded, so an interrupted run cannot leave it pinging in a namespace being deleted.
    coproc PROBE { exec timeout "$CONVERGE" ip netns exec "$NS_A" stdbuf -oL ping -n -i 0.02 "$1" 2>&1; }
    # bash forgets a coprocess's descriptors when it exits; a copy keeps what it printed readable.
    exec {replies}<&"${PROBE[0]}"
    while ((SECONDS < deadline)); do
        if IFS= read -r -t 1 line <&"$replies"; then
            if [[ $line == *"bytes from"* ]]; then status=0; break; fi
        elif ! running engine; then
            log "engine exited: $(tail -n 3 "$WORK/engine.log")"
            break
        fi
    done
    kill "$PROBE_PID" 2>/dev/null || true
    wait "$PROBE_PID" 2>/dev/null || true
    exec {replies}<&-
    return $status
}

# converge SINCE ADDRESS...: waits until every ADDRESS answers A's ping; prints the seconds since SINCE.
converge() {
    local since=$1 address; shift
    for address in "$@"; do
        first_reply "$address" || { log "no answer from $address"; exit 1; }
    done
    python3 -c "print(f'{$(now) - $since:.2f}')"
}

# phase NAME STREAM SENTINEL...: replays STREAM on a new connection with A pinging B meanwhile; prints the figures.
phase() {
    local name=$1 stream=$2 port t0 seconds loss cpu_before cpu; shift 2
    start "ping-$name" ip netns exec "$NS_A" ping -n -i 0.01 10.77.2.1
    sleep 1
    t0=$(now)
    cpu_before=$(cpu_ticks "$(pid_of engine)")
    # The replay keeps its connection until its stdin closes: zebra's stays open too.
    start "replay-$name" sh -c "sleep 100000 | python3 '$STREAM' replay '$stream' 127.0.0.1 $FPM_PORT"
    seconds=$(converge "$t0" "$@")
    cpu=$(python3 -c "print(f'{($(cpu_ticks "$(pid_of engine)") - $cpu_before) / $(getconf CLK_TCK):.2f}')")
    # ping prints its statistics on SIGINT, not on SIGTERM.
    kill -INT "$(pid_of "ping-$name")" 2>/dev/null || true
    sleep 0.5
    stop "ping-$name"
    loss=$(grep -Eo '[0-9.]+% packet loss' "$WORK/ping-$name.log" || echo "n/a")
    log "$name: $(grep -h '^sent' "$WORK/replay-$name.log" || echo 'still sending'); converged in $seconds s"
    printf '%-8s routes %d  converged %6.2f s  %8.0f routes/s  engine CPU %6.2f s  ping loss meanwhile %s\n' \
        "$name" "$ROUTES" "$seconds" "$(python3 -c "print($ROUTES / $seconds)")" "$cpu" "$loss"
    stop "replay-$name"
}

# write_streams: sets LOAD_STREAM and UPDATE_STREAM, writing them unless STREAMS already holds them.
write_streams() {
    local dir=${STREAMS:-$WORK}
    mkdir -p "$dir"
    LOAD_STREAM="$dir/load-$V4-$V6-$HOPS.fpm" UPDATE_STREAM="$dir/update-$V4-$V6-$HOPS.fpm"
    if [[ -s $LOAD_STREAM && -s $UPDATE_STREAM ]]; then
        log "reusing the streams in $dir"
        return
    fi
    log "writing two streams of $ROUTES routes"
    python3 "$STREAM" write "$LOAD_STREAM.part" --v4 "$V4" --v6 "$V6" --hops "$HOPS" --gateway4 10.77.2.1 --gateway6 fd4d:2::1
    python3 "$STREAM" write "$UPDATE_STREAM.part" --v4 "$V4" --v6 "$V6" --hops "$HOPS" --gateway4 10.77.2.101 --gateway6 fd4d:2::101 \
        --sentinel4 198.51.100.0/24 --sentinel6 2001:db8:fffe::/48
    mv "$LOAD_STREAM.part" "$LOAD_STREAM"
    mv "$UPDATE_STREAM.part" "$UPDATE_STREAM"
}

main() {
    [[ $EUID == 0 ]] || { log "needs root (network namespaces)"; exit 1; }
    require_engine
    require_tools ip ping python3 stdbuf timeout
    FPM_PORT=$(free_port tcp)
    ROUTES=$((V4 + V6 + 2))
    write_streams
    write_config "$FPM_PORT"
    # shellcheck disable=SC2086  # ENGINE_CMD is a command line
    start engine $ENGINE_CMD run --config "$WORK/engine.conf"
    wait_until engine "$ENGINE_WAIT" lab_up engine
    for address in 203.0.113.1/32 198.51.100.1/32 2001:db8:ffff::1/128 2001:db8:fffe::1/128; do
        ip -n "$NS_B" address add "$address" dev lo
    done
    ip -n "$NS_B" link set lo up
    sleep 2
    local before after settled
    before=$(rss_kib)
    echo "fpm benchmark  $(date -u '+%Y-%m-%d %H:%M:%S UTC')  nproc $(nproc)  $V4 IPv4 + $V6 IPv6 routes, $HOPS next hops"
    phase load "$LOAD_STREAM" 203.0.113.1 2001:db8:ffff::1
    after=$(rss_kib)
    printf 'memory   resident %d MiB before, %d MiB after the load: %.0f bytes a route\n' \
        $((before / 1024)) $((after / 1024)) "$(python3 -c "print(($after - $before) * 1024 / $ROUTES)")"
    # Once the burst has settled the route book has the garbage of the load collected (MemoryReturn).
    local deadline=$((SECONDS + 30))
    until grep -q 'route changes settled' "$WORK/engine.log" || ((SECONDS > deadline)); do sleep 0.2; done
    settled=$(rss_kib)
    printf 'memory   resident %d MiB once the load settled: %.0f bytes a route (%s)\n' $((settled / 1024)) \
        "$(python3 -c "print(($settled - $before) * 1024 / $ROUTES)")" "$(grep -o 'a full collection took.*' "$WORK/engine.log" | head -n 1)"
    phase update "$UPDATE_STREAM" 198.51.100.1 2001:db8:fffe::1
    grep -E 'fpm|route book' "$WORK/engine.log" | tail -n 5 >&2 || true
}

main "$@"
