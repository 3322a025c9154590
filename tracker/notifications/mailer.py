"""Turning outbox rows into RFC 5322 messages and handing them to SMTP or to ``.eml`` files."""

from __future__ import annotations

import re
import smtplib
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from flask import current_app

from tracker.models import OutboxMessage

SMTP_TIMEOUT_SECONDS = 30


def build_message(row: OutboxMessage, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.to_address
    message["Subject"] = row.subject
    message["Message-ID"] = row.message_id
    message["Date"] = format_datetime(row.created_at)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    return message


class SmtpTransport:
    """One SMTP connection for a batch, opened lazily and closed by ``close``."""

    def __init__(self, config):
        self.host = config["MAIL_HOST"]
        self.port = int(config["MAIL_PORT"])
        self.username = config["MAIL_USERNAME"]
        self.password = config["MAIL_PASSWORD"]
        self.use_tls = bool(config["MAIL_USE_TLS"])
        self.connection: smtplib.SMTP | None = None
        self.connection_failed = False

    def _connect(self) -> smtplib.SMTP:
        connection = smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_SECONDS)
        if self.use_tls:
            connection.starttls()
        if self.username:
            connection.login(self.username, self.password)
        return connection

    def send(self, message: EmailMessage) -> None:
        if self.connection is None:
            try:
                self.connection = self._connect()
            except (OSError, smtplib.SMTPException):
                self.connection_failed = True
                raise
        try:
            self.connection.send_message(message)
        except smtplib.SMTPServerDisconnected:
            self.connection = None
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except smtplib.SMTPException:
                self.connection.close()
            self.connection = None


class DirectoryTransport:
    """Without a mail server, each message becomes a readable ``.eml`` file under ``MAIL_DIR``."""

    connection_failed = False

    def __init__(self, directory: str):
        self.directory = Path(directory)

    def send(self, message: EmailMessage) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        # Named after the Message-ID, so a resend overwrites instead of duplicating.
        name = re.sub(r"[^A-Za-z0-9.-]+", "_", message["Message-ID"].strip("<>"))
        (self.directory / f"{name}.eml").write_bytes(bytes(message))

    def close(self) -> None:
        pass


def transport_from_config() -> SmtpTransport | DirectoryTransport:
    config = current_app.config
    if config["MAIL_HOST"]:
        return SmtpTransport(config)
    return DirectoryTransport(config["MAIL_DIR"])
