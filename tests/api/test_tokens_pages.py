"""API tokens on the profile: made with a name, shown once, listed with last use, revoked at once."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.factories import PersonFactory
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.models import ApiToken, AuditEvent

TOKEN_SHOWN = re.compile(r'id="new-token" type="text" value="(icare_[^"]+)"')


def test_tokens_page_needs_sign_in(client):
    response = client.get("/me/tokens")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_create_shows_the_token_once_and_stores_only_its_hash(client, sign_in, staff):
    sign_in(staff)
    page = client.post_form("/me/tokens", {"name": "Ward kiosk"})
    assert page.status_code == 200
    token = TOKEN_SHOWN.search(page.get_data(as_text=True)).group(1)
    stored = db.session.scalar(sa.select(ApiToken).where(ApiToken.person_id == staff.id))
    assert stored.name == "Ward kiosk" and stored.token_hash == ApiToken.hash(token)
    assert token not in client.get("/me/tokens").get_data(as_text=True)

    assert client.get("/api/v1/people", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listing = client.get("/me/tokens").get_data(as_text=True)
    assert "Ward kiosk" in listing and stored.prefix in listing and "Never" not in listing


def test_a_token_needs_a_name(client, sign_in, staff):
    sign_in(staff)
    response = client.post_form("/me/tokens", {"name": "  "})
    assert response.status_code == 400
    assert 'id="name-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ApiToken)) == 0


def test_revoke_stops_the_token_and_is_audited(client, sign_in, staff):
    token = create_token(staff, "Spreadsheet")
    db.session.commit()
    row = db.session.scalar(sa.select(ApiToken).where(ApiToken.person_id == staff.id))
    sign_in(staff)
    response = client.post_form(f"/me/tokens/{row.id}/revoke")
    assert response.status_code == 302
    assert client.get("/api/v1/people", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert "Revoked" in client.get("/me/tokens").get_data(as_text=True)
    assert db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "token_revoked")) is not None


def test_nobody_revokes_another_persons_token(client, sign_in, staff, colleague):
    create_token(colleague, "Theirs")
    db.session.commit()
    theirs = db.session.scalar(sa.select(ApiToken).where(ApiToken.person_id == colleague.id))
    sign_in(staff)
    assert client.post_form(f"/me/tokens/{theirs.id}/revoke").status_code == 404
    db.session.refresh(theirs)
    assert theirs.revoked_at is None


def test_revoke_is_post_only_with_csrf(client, sign_in, staff):
    create_token(staff, "Mine")
    db.session.commit()
    mine = db.session.scalar(sa.select(ApiToken).where(ApiToken.person_id == staff.id))
    sign_in(staff)
    assert client.get(f"/me/tokens/{mine.id}/revoke").status_code == 405
    assert client.post(f"/me/tokens/{mine.id}/revoke").status_code == 400
    db.session.refresh(mine)
    assert mine.revoked_at is None


def test_the_list_shows_only_ones_own_tokens(client, sign_in, staff):
    other = PersonFactory()
    create_token(other, "Someone else's")
    db.session.commit()
    sign_in(staff)
    assert "Someone else" not in client.get("/me/tokens").get_data(as_text=True)


def test_the_profile_links_to_the_tokens_page(client, sign_in, staff):
    sign_in(staff)
    assert 'href="/me/tokens"' in client.get("/me/profile").get_data(as_text=True)
