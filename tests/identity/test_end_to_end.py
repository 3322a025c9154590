"""Sign-in end to end against a real OpenID provider: the certified ``oidc-provider`` on loopback.

Each test starts ``tests/identity/provider/provider.js`` under Node on a free port with the account
it needs, and stops it by its process id. The app runs in the test client; the browser's side of the
provider (authorization, login, consent) goes over real HTTP with ``requests``, which carries the
provider's cookies across the interaction, and the app exchanges the code with the provider itself.
``make test`` installs the provider's pinned packages (``npm ci``). Without Node or those packages
these tests skip, except when ``TRACKER_REQUIRE_SERVICES`` is set, where they fail.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import selectors
import shutil
import signal
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
import sqlalchemy as sa

from tests.factories import PersonFactory
from tests.identity.conftest import oidc_config
from tests.reliability.harness import free_port
from tracker import create_app
from tracker.extensions import db
from tracker.models import AuditEvent, Person

PROVIDER_DIR = Path(__file__).resolve().parent / "provider"
CLIENT_ID = "icare-tracker-e2e"
CLIENT_SECRET = "end-to-end-client-secret"  # noqa: S105  (a test value)
PUBLIC_BASE_URL = "http://localhost"
REDIRECT_URI = f"{PUBLIC_BASE_URL}/login/sso/callback"
START_TIMEOUT_SECONDS = 20


def _unavailable(message: str):
    if os.environ.get("TRACKER_REQUIRE_SERVICES"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def node() -> str:
    path = shutil.which("node")
    if path is None:
        _unavailable("Node.js is not installed (apt-get install nodejs npm) for the real OpenID provider")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        _unavailable(f"oidc-provider is not installed: run `make test` or `npm ci --prefix {PROVIDER_DIR}`")
    return path


class RealProvider:
    """``node provider.js PORT`` in its own process group, with one account's claims."""

    def __init__(self, node: str, log_path: Path, claims: dict):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        environment = {key: value for key, value in os.environ.items() if not key.startswith(("OIDC_", "NODE_OPTIONS"))}
        environment.update(
            OIDC_CLIENT_ID=CLIENT_ID,
            OIDC_CLIENT_SECRET=CLIENT_SECRET,
            OIDC_REDIRECT_URI=REDIRECT_URI,
            OIDC_POST_LOGOUT_REDIRECT_URI=f"{PUBLIC_BASE_URL}/login",
            OIDC_ACCOUNT_CLAIMS=json.dumps(claims),
        )
        with log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [node, str(PROVIDER_DIR / "provider.js"), str(self.port)],
                cwd=PROVIDER_DIR,
                env=environment,
                stdout=subprocess.PIPE,
                stderr=log,
                start_new_session=True,
            )
        try:
            self._wait_until_ready()
        except BaseException:
            self.stop()
            raise

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            while time.monotonic() < deadline:
                if not selector.select(timeout=max(0.0, deadline - time.monotonic())):
                    break
                line = self.process.stdout.readline().decode(errors="replace").strip()
                if line == f"ready {self.issuer}":
                    return
                if not line and self.process.poll() is not None:
                    raise RuntimeError(f"provider.js exited with {self.process.returncode}:\n{self.log_tail()}")
        raise RuntimeError(f"provider.js was not ready in {START_TIMEOUT_SECONDS}s:\n{self.log_tail()}")

    def stop(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=5)
        self.process.stdout.close()

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


@pytest.fixture
def start_provider(node, tmp_path):
    """``start_provider(claims)``: a running provider whose one account has these claims."""
    started: list[RealProvider] = []

    def _start(claims: dict) -> RealProvider:
        started.append(RealProvider(node, tmp_path / f"provider-{len(started)}.log", claims))
        return started[-1]

    try:
        yield _start
    finally:
        for provider in started:
            provider.stop()


@pytest.fixture
def app_for(app, instance_path):
    """``app_for(provider)``: a browser-like test client of an app that signs in at ``provider``."""

    def _make(provider: RealProvider):
        application = create_app(
            oidc_config(
                app,
                instance_path,
                provider.issuer,
                OIDC_CLIENT_ID=CLIENT_ID,
                OIDC_CLIENT_SECRET=CLIENT_SECRET,
                OIDC_TIMEOUT_SECONDS=5,
                PUBLIC_BASE_URL=PUBLIC_BASE_URL,
            )
        )
        application.test_client_class = app.test_client_class
        return application.test_client()

    return _make


def through_the_provider(client, browser: requests.Session) -> str:
    """Start sign-in in the app, then follow the provider's redirects as a browser: the callback to deliver."""
    started = client.get("/login/sso")
    assert started.status_code == 302, started.get_data(as_text=True)
    url = started.headers["Location"]
    for _ in range(10):
        reply = browser.get(url, allow_redirects=False, timeout=5)
        assert reply.status_code in (302, 303), f"{reply.status_code} from {url}: {reply.text[:500]}"
        url = urljoin(url, reply.headers["Location"])
        if url.startswith(REDIRECT_URI):
            answer = urlsplit(url)
            assert "code" in parse_qs(answer.query), url
            return f"{answer.path}?{answer.query}"
    raise AssertionError(f"the provider never sent the browser back to {REDIRECT_URI}")


def audit_actions(action: str) -> list[AuditEvent]:
    db.session.expire_all()
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


def login_page(client) -> str:
    return client.get("/login").get_data(as_text=True)


def test_full_sign_in_as_the_person_whose_email_matches(start_provider, app_for, hospital):
    nurse = PersonFactory(name="Rosa Delgado", email="rosa.delgado@example.org", department=hospital["ellison-12"])
    PersonFactory(name="Someone Else", email="someone.else@example.org")
    provider = start_provider(
        {
            "sub": "okta-00u1rosa",
            "email": "Rosa.Delgado@example.org",
            "email_verified": True,
            "name": "Rosa Delgado",
            "department": "white-6",
            "language": "es-ES",
        }
    )
    client = app_for(provider)
    browser = requests.Session()
    callback = through_the_provider(client, browser)
    assert "_session" in browser.cookies  # the provider's own sign-in session
    response = client.get(callback)
    assert response.status_code == 302 and response.headers["Location"] == "/", response.get_data(as_text=True)

    home = client.get("/")
    assert home.status_code == 200
    html = home.get_data(as_text=True)
    assert "Rosa Delgado" in html and "Someone Else" not in html
    assert 'action="/logout"' in html  # the sign-out button: signed in

    person = db.session.get(Person, nurse.id)
    db.session.refresh(person)
    assert person.oidc_subject == "okta-00u1rosa"
    assert person.department_id == hospital["white-6"].id and person.language == "es"
    assert [event.actor_id for event in audit_actions("login")] == [nurse.id]


def test_logout_ends_the_session_at_the_real_provider(start_provider, app_for, staff):
    provider = start_provider({"sub": "sub-staff", "email": staff.email, "email_verified": True, "name": staff.name})
    client = app_for(provider)
    browser = requests.Session()
    assert client.get(through_the_provider(client, browser)).headers["Location"] == "/"
    location = client.sign_out().headers["Location"]
    assert location.startswith(f"{provider.issuer}/session/end?")
    # The provider checks the ID token hint and the registered return address, then asks to confirm.
    confirm = browser.get(location, allow_redirects=False, timeout=5)
    assert confirm.status_code == 200, confirm.text[:500]
    action = re.search(r'<form id="op.logoutForm" method="post" action="([^"]+)"', confirm.text)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', confirm.text)
    assert action and xsrf, confirm.text[:500]
    done = browser.post(
        urljoin(location, action.group(1)),
        data={"xsrf": xsrf.group(1), "logout": "yes"},
        allow_redirects=False,
        timeout=5,
    )
    assert done.status_code in (302, 303) and done.headers["Location"] == f"{PUBLIC_BASE_URL}/login"
    assert "Sam Okafor" not in client.get("/").get_data(as_text=True)


def test_unknown_email_is_refused_with_a_clear_message(start_provider, app_for, staff):
    provider = start_provider(
        {"sub": "sub-stranger", "email": "stranger@example.org", "email_verified": True, "name": "Stranger"}
    )
    client = app_for(provider)
    response = client.get(through_the_provider(client, requests.Session()))
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "could not find you in the staff directory" in login_page(client)
    assert "Stranger" not in client.get("/").get_data(as_text=True)
    assert db.session.scalar(sa.select(Person).where(Person.email == "stranger@example.org")) is None
    assert [event.details["reason"] for event in audit_actions("login_refused")] == ["unknown"]
    assert audit_actions("login") == []


def test_unverified_email_is_not_trusted(start_provider, app_for, staff):
    provider = start_provider({"sub": "sub-unverified", "email": staff.email, "email_verified": False})
    client = app_for(provider)
    client.get(through_the_provider(client, requests.Session()))
    assert "could not find you in the staff directory" in login_page(client)
    db.session.refresh(staff)
    assert staff.oidc_subject is None and audit_actions("login") == []


def test_tampered_state_is_refused(start_provider, app_for, staff):
    provider = start_provider({"sub": "sub-staff", "email": staff.email, "email_verified": True})
    client = app_for(provider)
    callback = through_the_provider(client, requests.Session())
    response = client.get(callback.replace("state=", "state=tampered"))
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "did not work. Please try again." in login_page(client)
    assert "Sam Okafor" not in client.get("/").get_data(as_text=True)
    assert [event.details["reason"] for event in audit_actions("login_failed")] == ["MismatchingStateError"]
    assert audit_actions("login") == []


def test_replayed_callback_is_refused(start_provider, app_for, staff):
    provider = start_provider({"sub": "sub-staff", "email": staff.email, "email_verified": True})
    client = app_for(provider)
    callback = through_the_provider(client, requests.Session())
    assert client.get(callback).headers["Location"] == "/"
    client.sign_out()
    replay = client.get(callback)
    assert replay.status_code == 302 and replay.headers["Location"].endswith("/login")
    assert "did not work. Please try again." in login_page(client)
    assert "Sam Okafor" not in client.get("/").get_data(as_text=True)
    assert len(audit_actions("login")) == 1 and len(audit_actions("login_failed")) == 1


def test_a_stolen_code_is_refused_by_the_provider_in_another_browser(start_provider, app_for, staff):
    """An answer delivered to another browser's sign-in: the state differs, and the provider's PKCE
    check would refuse the code with that browser's verifier anyway."""
    provider = start_provider({"sub": "sub-staff", "email": staff.email, "email_verified": True})
    victim, attacker = app_for(provider), app_for(provider)
    stolen = parse_qs(urlsplit(through_the_provider(victim, requests.Session())).query)
    attacker_callback = parse_qs(urlsplit(through_the_provider(attacker, requests.Session())).query)
    forged = f"/login/sso/callback?code={stolen['code'][0]}&state={attacker_callback['state'][0]}"
    response = attacker.get(forged)
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert "did not work. Please try again." in login_page(attacker)
    assert [event.details["reason"] for event in audit_actions("login_failed")] == ["OAuthError"]
    assert audit_actions("login") == []
