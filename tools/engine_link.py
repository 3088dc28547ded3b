"""Engine's link protocol (framing = engine, docs/protocol.md) for Python controllers.

`Link` runs one link over a connected stream socket: HELLO (and AUTH with a key), keepalives,
the dead-peer timeout, and message framing. It hands the application the messages it cares
about: DATA, PUNT, REFUSED, PORT and GOODBYE. Standard library only.
"""
import hashlib
import hmac
import os
import struct
import time

HELLO, AUTH, KEEPALIVE, DATA, PORT, GOODBYE, PUNT, INJECT, REFUSED = 1, 2, 3, 4, 5, 6, 7, 8, 9
VERSION, MAX_BODY, NO_PORT = 1, 65600, 0xFFFF
PORT_ETHERNET = 0x01  # PORT flag: the port's frames carry an Ethernet header


class LinkError(Exception):
    """The link cannot go on: a protocol violation or a closed socket."""


class Refused(LinkError):
    """This side refused the peer and told it so with GOODBYE."""


class Link:
    def __init__(self, sock, name, key, keepalive, dead_peer):
        self.sock, self.name, self.key = sock, name.encode(), key and key.encode()
        self.keepalive, self.dead_peer = keepalive, dead_peer
        self.nonce, self.peer_nonce, self.peer_name = os.urandom(16), None, None
        self.authenticated = key is None  # a side with a key needs the peer's AUTH first
        self.inbox, self.last_sent, self.last_received = b"", 0.0, time.monotonic()
        self.send(HELLO, bytes([VERSION, 1 if key else 0]) + self.nonce + self.name)

    @property
    def up(self):
        return self.peer_name is not None and self.authenticated

    def send(self, kind, body=b"", port=0):
        self.sock.sendall(struct.pack("!BBHI", kind, 0, port, len(body)) + body)
        self.last_sent = time.monotonic()

    def proof(self, verifier_nonce, prover_nonce, prover_name):
        text = b"engine-auth-v1" + verifier_nonce + prover_nonce + prover_name
        return hmac.new(self.key, text, hashlib.sha256).digest()

    def goodbye(self, reason):
        try:
            self.send(GOODBYE, reason.encode())
        except OSError:
            pass  # the peer may already be gone; we are leaving either way

    def refuse(self, reason):
        self.goodbye(reason)
        raise Refused(reason)

    def tick(self):
        now = time.monotonic()
        if now - self.last_received > self.dead_peer:
            raise LinkError(f"nothing received for {self.dead_peer:g} s")
        if now - self.last_sent >= self.keepalive:
            self.send(KEEPALIVE)

    def receive(self):
        """Reads once from the socket; returns the complete messages as (kind, flags, port, body)."""
        chunk = self.sock.recv(1 << 16)
        if not chunk:
            raise LinkError("short read: closed inside a message" if self.inbox else "connection closed by peer")
        self.inbox += chunk
        self.last_received = time.monotonic()
        messages = []
        while len(self.inbox) >= 8:
            kind, flags, port, length = struct.unpack_from("!BBHI", self.inbox)
            if length > MAX_BODY:
                raise LinkError(f"body length {length} exceeds {MAX_BODY}")
            if len(self.inbox) < 8 + length:
                break
            messages.append((kind, flags, port, self.inbox[8:8 + length]))
            self.inbox = self.inbox[8 + length:]
        return messages

    def handle(self, kind, flags, port, body):
        """Runs the handshake; returns the messages the application sees as (kind, port, body),
        or ("up", None, peer name) once the link comes up."""
        was_up = self.up
        if kind == HELLO and self.peer_name is None:
            if body and body[0] != VERSION:  # checked first: another version may lay HELLO out differently
                self.refuse(f"unsupported protocol version {body[0]}")
            if not 19 <= len(body) <= 82:
                raise LinkError(f"malformed HELLO ({len(body)} B body)")
            if body[1] & 1 and self.key is None:
                self.refuse("authentication required")
            if body[18:] == self.name:
                self.refuse("same name")
            self.peer_nonce, self.peer_name = body[2:18], body[18:]
            if self.key:
                self.send(AUTH, self.proof(self.peer_nonce, self.nonce, self.name))
        elif kind == AUTH and not self.authenticated:
            if self.peer_name is None or not hmac.compare_digest(body, self.proof(self.nonce, self.peer_nonce, self.peer_name)):
                self.refuse("authentication failed")
            self.authenticated = True
        elif kind in (DATA, PUNT) and not self.up:
            raise LinkError("a frame before the handshake completed")
        elif kind in (DATA, PUNT, REFUSED, PORT, GOODBYE):
            return (kind, port, body)
        return ("up", None, self.peer_name) if self.up and not was_up else None
