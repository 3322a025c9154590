"""A real SMTP server on loopback (aiosmtpd) that records what it accepts."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from email import message_from_bytes
from email.message import Message

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RecordingHandler:
    """Accepts every message and keeps it; ``before_accept`` may refuse or interfere first."""

    def __init__(self):
        self.messages: list[Message] = []
        self.lock = threading.Lock()
        self.before_accept: Callable[[int], str | None] | None = None

    async def handle_DATA(self, server, session, envelope):
        if self.before_accept is not None:
            refusal = self.before_accept(len(self.messages) + 1)
            if refusal:
                return refusal
        with self.lock:
            self.messages.append(message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def message_ids(self) -> list[str]:
        return [message["Message-ID"] for message in self.messages]


class SmtpServer:
    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.handler = RecordingHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc_info):
        self.controller.stop()
