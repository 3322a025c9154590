"""The set-password page that the admin's e-mail links to."""

from __future__ import annotations

import sqlalchemy as sa

from tracker.auth.password_links import make_token
from tracker.extensions import db
from tracker.models import AuditEvent

NEW_PASSWORD = "a long enough new password"


def test_link_sets_the_password_once(client, staff):
    token = make_token(staff)
    page = client.get(f"/set-password/{token}")
    assert page.status_code == 200 and staff.email in page.get_data(as_text=True)
    response = client.post_form(f"/set-password/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    db.session.expire_all()
    assert staff.check_password(NEW_PASSWORD)
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "password_set"))
    assert client.get(f"/set-password/{token}").status_code == 404  # single use
    assert client.sign_in(staff.email, NEW_PASSWORD).status_code == 302


def test_short_or_mismatched_passwords_are_refused(client, staff):
    token = make_token(staff)
    old_hash = staff.password_hash
    short = client.post_form(f"/set-password/{token}", {"password": "too short", "confirm": "too short"})
    assert short.status_code == 422 and 'id="password-error"' in short.get_data(as_text=True)
    mismatch = client.post_form(f"/set-password/{token}", {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "!"})
    assert mismatch.status_code == 422 and 'id="confirm-error"' in mismatch.get_data(as_text=True)
    db.session.expire_all()
    assert staff.password_hash == old_hash


def test_tampered_expired_or_inactive_links_do_not_work(app, client, staff):
    assert client.get("/set-password/not-a-token").status_code == 404
    token = make_token(staff)
    staff.active = False
    db.session.flush()
    assert client.get(f"/set-password/{token}").status_code == 404
    staff.active = True
    db.session.flush()
    from itsdangerous import URLSafeTimedSerializer

    serializer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="set-password")
    payload = serializer.loads(token)
    import time
    from unittest import mock

    with mock.patch("itsdangerous.timed.time.time", return_value=time.time() - 4 * 24 * 3600):
        old_token = serializer.dumps(payload)
    assert client.get(f"/set-password/{old_token}").status_code == 404
