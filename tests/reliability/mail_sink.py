"""An SMTP server on loopback (aiosmtpd) that records Message-IDs and can hold one message mid-delivery.

Holding lets a test kill the sender at the moment that matters: the message is on the wire, the
server has not said ``250``. Like any careful mail server, the sink keeps nothing it has not
accepted: if the sender is gone when the hold ends, aiosmtpd cancels the session and the message
is not recorded.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from email import message_from_bytes

from aiosmtpd.controller import Controller

from tests.reliability.harness import free_port

HOLD_TIMEOUT_SECONDS = 60


class HoldingHandler:
    def __init__(self, hold_at: int | None = None):
        self.hold_at = hold_at
        self.arrivals = 0
        self.message_ids: list[str] = []
        self.holding = threading.Event()
        self.release = threading.Event()
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.arrivals += 1
            arrival = self.arrivals
        if arrival == self.hold_at:
            self.holding.set()
            for _ in range(HOLD_TIMEOUT_SECONDS * 20):
                if self.release.is_set():
                    break
                await asyncio.sleep(0.05)
            if server.transport is None or server.transport.is_closing():
                return "421 The connection was lost before the message was accepted"
        message = message_from_bytes(envelope.content)
        with self.lock:
            self.message_ids.append(message["Message-ID"])
        return "250 Message accepted for delivery"

    def received(self) -> Counter:
        with self.lock:
            return Counter(self.message_ids)


class MailSink:
    def __init__(self, hold_at: int | None = None):
        self.port = free_port()
        self.handler = HoldingHandler(hold_at)
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def __enter__(self) -> MailSink:
        self.controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.handler.release.set()
        self.controller.stop()
