"""A local SMTP server (aiosmtpd) that records what it accepts: the outbox tests and bench/jobs.py deliver
into it. A message is recorded when the sink accepts it (its 250 reply), as a real server takes
responsibility for it then (RFC 5321, 4.1.1.4); a client that goes away before that leaves nothing."""
from __future__ import annotations

import asyncio
import email
import email.policy
import socket
import threading
from dataclasses import dataclass, field


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Sink:
    #: a message whose subject contains this is held (no reply) until its client goes away, once
    hold: str | None = None
    #: (Message-ID, To, Subject) of every accepted message, in order
    accepted: list[tuple[str, str, str]] = field(default_factory=list)
    holding: threading.Event = field(default_factory=threading.Event)
    dropped: threading.Event = field(default_factory=threading.Event)
    port: int = 0
    _held: bool = False

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        subject = str(msg["Subject"])
        if self.hold and self.hold in subject and not self._held:
            self._held = True
            self.holding.set()
            try:
                while True:  # until the client's connection is lost: aiosmtpd then cancels this handler
                    await asyncio.sleep(0.05)
            except asyncio.CancelledError:
                self.dropped.set()
                raise
        self.accepted.append((str(msg["Message-ID"]), str(msg["To"]), subject))
        return "250 Message accepted for delivery"


class running_sink:
    """with running_sink(hold=...) as sink: an SMTP server on 127.0.0.1:sink.port."""

    def __init__(self, hold: str | None = None):
        from aiosmtpd.controller import Controller

        self.sink = Sink(hold=hold, port=free_port())
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.sink.port)

    def __enter__(self) -> Sink:
        self.controller.start()
        return self.sink

    def __exit__(self, *exc) -> None:
        self.controller.stop()


def serve_until_stdin_closes(port: int) -> None:
    """A sink in its own process (bench/jobs.py: it must not share the sender's interpreter); prints how
    many messages it accepted once its stdin closes."""
    import sys

    runner = running_sink()
    runner.sink.port = port
    from aiosmtpd.controller import Controller

    runner.controller = Controller(runner.sink, hostname="127.0.0.1", port=port)
    with runner as sink:
        print("ready", flush=True)
        sys.stdin.read()
        print(len(sink.accepted), flush=True)
