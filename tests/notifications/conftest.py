import pytest

from tests.notifications.smtp import SmtpServer, free_port


@pytest.fixture
def smtp_server(app, monkeypatch):
    """A loopback SMTP server, and the app configured to send to it."""
    with SmtpServer() as server:
        monkeypatch.setitem(app.config, "MAIL_HOST", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", server.port)
        yield server


@pytest.fixture
def dead_smtp_port(app, monkeypatch):
    """The app configured for a mail server that is not there (yet)."""
    port = free_port()
    monkeypatch.setitem(app.config, "MAIL_HOST", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    return port
