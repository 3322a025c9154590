"""Where the tracker refuses to post: not HTTPS, loopback, private and link-local networks, rebinding."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa

from tests.integrations.conftest import received, run_worker
from tests.integrations.test_channel_posts import recognise
from tracker.extensions import db
from tracker.integrations import addresses, secrets, services
from tracker.models import Channel, TargetStatus
from tracker.validation import InvalidInput


def refused(url: str) -> str:
    with pytest.raises(addresses.AddressRefused) as caught:
        addresses.check(url)
    return caught.value.message


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.8/hook",
        "https://172.16.4.1/hook",
        "https://192.168.1.20/hook",
        "https://169.254.169.254/latest/meta-data",  # cloud metadata: link-local
        "https://[fe80::1]/hook",
        "https://[fd00::5]/hook",
        "https://100.64.0.1/hook",
        "https://0.0.0.0/hook",
        "https://[::ffff:10.0.0.8]/hook",
    ],
)
def test_private_and_link_local_addresses_are_refused(app, url):
    assert "private network" in refused(url)


def test_loopback_is_refused_unless_the_setting_allows_it(app, monkeypatch):
    assert "loopback" in refused("https://127.0.0.1:8443/hook")
    assert "loopback" in refused("http://localhost:8080/hook")
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_LOOPBACK", True)
    assert addresses.check("http://127.0.0.1:8080/hook").addresses[0].is_loopback


def test_public_addresses_must_use_https(app):
    assert addresses.check("https://8.8.8.8/hook").port == 443
    assert "HTTPS" in refused("http://8.8.8.8/hook")


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("ftp://8.8.8.8/hook", "https://"),
        ("https://user:secret@8.8.8.8/hook", "user name or password"),
        ("https://8.8.8.8:99999/hook", "not a valid"),
        ("", "paste"),
        ("https://8.8.8.8/" + "a" * 2100, "too long"),
    ],
)
def test_malformed_addresses_are_refused_with_a_reason(app, url, words):
    assert words in refused(url).lower() or words in refused(url)


def test_an_allow_listed_on_premises_host_may_be_private_and_plain_http(app, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOWED_HOSTS", "10.20.0.0/16, hr.hospital.internal")
    assert addresses.check("http://10.20.3.4:8080/events").scheme == "http"
    assert "private network" in refused("https://10.21.0.1/events")
    monkeypatch.setattr(socket, "getaddrinfo", fake_resolver({"hr.hospital.internal": "10.99.0.7"}))
    assert str(addresses.check("http://hr.hospital.internal/events").addresses[0]) == "10.99.0.7"


def fake_resolver(table: dict[str, str]):
    real = socket.getaddrinfo

    def resolve(host, port, *args, **kwargs):
        if host in table:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (table[host], port))]
        return real(host, port, *args, **kwargs)

    return resolve


def test_a_name_that_resolves_to_a_private_address_is_refused_when_entered(app, hospital, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", fake_resolver({"hooks.example.org": "192.168.0.10"}))
    with pytest.raises(InvalidInput) as caught:
        services.connect_channel(hospital["medicine"], "teams", "https://hooks.example.org/x")
    assert "private network" in caught.value.fields["url"][0]
    assert db.session.scalars(sa.select(Channel)).all() == []


def test_rebinding_after_the_check_is_caught_at_send_time(
    loopback, app, httpserver, hospital, staff, colleague, monkeypatch
):
    """The name passed when it was entered; before delivery it points inside: nothing is sent, the channel pauses."""
    url = httpserver.url_for("/hook").replace("localhost", "hooks.example.org")
    table = {"hooks.example.org": "127.0.0.1"}
    monkeypatch.setattr(socket, "getaddrinfo", fake_resolver(table))
    channel = services.connect_channel(hospital["medicine"], "slack", url)
    db.session.commit()
    recognise(staff, colleague)
    table["hooks.example.org"] = "10.1.2.3"
    run_worker()
    assert received(httpserver) == []
    assert channel.status == TargetStatus.PAUSED and "private network" in channel.status_message


def test_the_address_is_stored_encrypted_and_shown_only_as_host_and_last_four(loopback, httpserver, hospital):
    url = httpserver.url_for("/workflows/abc/triggers/manual/paths/invoke?sig=SeCrEtSiGnAtUrE1234")
    channel = services.connect_channel(hospital["medicine"], "teams", url)
    db.session.commit()
    stored = db.session.execute(sa.text("SELECT url_encrypted, url_hint FROM integration_channels")).one()
    assert "SeCrEt" not in stored.url_encrypted and "workflows" not in stored.url_encrypted
    assert stored.url_hint == "localhost …1234"
    assert secrets.decrypt(channel.url_encrypted) == url


def test_a_configured_key_encrypts_and_a_rotated_one_still_decrypts(app, monkeypatch):
    from cryptography.fernet import Fernet

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setitem(app.config, "INTEGRATIONS_KEY", old)
    token = secrets.encrypt("https://example.org/hook")
    monkeypatch.setitem(app.config, "INTEGRATIONS_KEY", f"{new},{old}")
    assert secrets.decrypt(token) == "https://example.org/hook"
    monkeypatch.setitem(app.config, "INTEGRATIONS_KEY", new)
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt(token)
