"""Sends UDP datagrams to DST, each from a new (source port, destination port) pair, for SECONDS
seconds, at most RATE a second (0: as fast as it can): every datagram is the first of a flow
no switch has seen. Prints the number sent. Run inside the sending host's namespace.

Usage: new_flows.py DST SECONDS [RATE]
"""
import socket
import sys
import time

dst, seconds = sys.argv[1], float(sys.argv[2])
rate = float(sys.argv[3]) if len(sys.argv) > 3 else 0.0
sockets = {}
sent = 0
start = time.monotonic()
end = start + seconds
payload = b'x' * 18
# Source ports from 20000 up, each with every destination port from 1024 up, then the next source port.
pairs = ((sport, dport) for sport in range(20000, 65536) for dport in range(1024, 65536))
for sport, dport in pairs:
    now = time.monotonic()
    if now >= end:
        break
    if rate and sent > (now - start) * rate:
        time.sleep(min(0.001, end - now))
        continue
    s = sockets.get(sport)
    if s is None:
        for old in sockets.values():
            old.close()
        sockets.clear()
        s = sockets[sport] = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(('', sport))
    try:
        s.sendto(payload, (dst, dport))
        sent += 1
    except OSError:
        pass
print(sent, flush=True)
