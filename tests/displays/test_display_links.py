"""Display links for unit TVs: who makes and revokes them, the token shown once and kept hashed,
and the display a link opens, which shows one unit's public stories and reaches nothing else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.factories import PersonFactory, RecognitionFactory
from tracker import clock, policy
from tracker.extensions import db
from tracker.models import AuditEvent, DisplayLink, Role, Visibility
from tracker.validation import InvalidInput

LINK = re.compile(r'id="new-link" type="text" value="([^"]+)"')


def create(client, slug="ellison-12", label="Nurses’ station TV"):
    return client.post_form(f"/units/{slug}/display-links", {"label": label})


def token_from(response) -> str:
    match = LINK.search(response.get_data(as_text=True))
    assert match, "no new link on the page"
    return match.group(1).rsplit("/display/", 1)[1]


@pytest.fixture
def services(app):
    """The display link services, imported once the app has loaded every feature package.

    Importing ``tracker.awards`` before ``tracker.recognitions`` trips their import cycle.
    """
    from tracker.displays import services

    return services


@pytest.fixture
def link(hospital, manager, services):
    """A live link of Ellison 12, with its token."""
    made, token = services.create_link(hospital["ellison-12"], "Nurses’ station TV", manager)
    db.session.flush()
    return made, token


def test_a_manager_creates_a_link_shown_once_and_stored_hashed(manager, sign_in, client):
    sign_in(manager)
    response = create(client)
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    token = token_from(response)
    assert len(token) >= 43 and "data:image/svg+xml" in html  # the QR code of the same address
    [made] = db.session.scalars(sa.select(DisplayLink)).all()
    assert made.label == "Nurses’ station TV" and made.created_by_id == manager.id
    assert made.token_hash == DisplayLink.hash(token) and token not in made.token_hash
    # Shown once: the list page and the session never hold it again.
    again = client.get("/units/ellison-12/display-links").get_data(as_text=True)
    assert token not in again and "Nurses’ station TV" in again
    assert token not in (client.get_cookie("session").value if client.get_cookie("session") else "")
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "display_link_created")).all()
    assert event.actor_id == manager.id and event.object_id == str(made.id)
    assert event.details == {"unit": "ellison-12", "label": "Nurses’ station TV"} and token not in str(event.details)


def test_an_admin_creates_links_for_any_unit(admin, sign_in, client):
    sign_in(admin)
    assert create(client, slug="white-6").status_code == 200


@pytest.mark.parametrize("who", ["other_manager", "staff", "advocate"])
def test_others_cannot_create_or_list_links(request, who, sign_in, client):
    sign_in(request.getfixturevalue(who))
    expected = 404 if who == "other_manager" else 403
    assert client.get("/units/ellison-12/display-links").status_code == expected
    assert create(client).status_code == expected
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisplayLink)) == 0


def test_a_manager_reaches_the_units_of_their_subtree_only(manager, sign_in, client):
    sign_in(manager)
    assert client.get("/units/ellison-14/display-links").status_code == 200  # within Medicine
    assert client.get("/units/white-6/display-links").status_code == 404
    assert client.get("/units/no-such-unit/display-links").status_code == 404


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 101, "Field cannot be longer than 100 characters."),
    ],
)
def test_a_bad_label_is_answered_on_the_page_and_nothing_is_made(manager, sign_in, client, label, message):
    sign_in(manager)
    response = create(client, label=label)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisplayLink)) == 0


def test_without_the_csrf_token_nothing_is_made_or_revoked(manager, link, sign_in, client):
    sign_in(manager)
    made, _token = link
    assert client.post("/units/ellison-12/display-links", data={"label": "TV"}).status_code == 400
    assert client.post(f"/units/ellison-12/display-links/{made.id}/revoke").status_code == 400
    db.session.refresh(made)
    assert made.revoked_at is None
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DisplayLink)) == 1


def test_a_closed_unit_gets_no_new_link(manager, hospital, sign_in, client):
    hospital["ellison-14"].active = False
    db.session.flush()
    sign_in(manager)
    response = create(client, slug="ellison-14")
    assert response.status_code == 400 and "This unit is closed" in response.get_data(as_text=True)


def test_the_display_shows_only_the_units_public_stories_with_no_session(staff, colleague, surgeon, link, app):
    RecognitionFactory(giver=staff, recipients=[colleague], message="On Ellison 12")
    RecognitionFactory(giver=staff, recipients=[surgeon], message="On White 6")
    RecognitionFactory(giver=staff, recipients=[colleague], visibility=Visibility.PRIVATE, message="Kept private")
    _made, token = link
    tv = app.test_client()
    response = tv.get(f"/display/{token}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "On Ellison 12" in html and "On White 6" not in html and "Kept private" not in html
    assert "Thank you, Ellison 12" in html
    assert "Set-Cookie" not in response.headers and tv.get_cookie("session") is None
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response.headers["X-Robots-Tag"]
    assert "<nav" not in html and "<form" not in html
    links = re.findall(r'href="([^"]+)"', html)  # style sheets and the icon only: no way to another page
    assert links and all(href.startswith(("/static/", "/bootstrap/static/")) for href in links)


def test_the_display_marks_its_use_at_most_every_few_minutes(link, app, monkeypatch):
    made, token = link
    tv = app.test_client()
    assert tv.get(f"/display/{token}").status_code == 200
    db.session.refresh(made)
    first = made.last_used_at
    assert first is not None
    assert tv.get(f"/display/{token}").status_code == 200
    db.session.refresh(made)
    assert made.last_used_at == first  # a reload a moment later writes nothing
    later = clock.now() + timedelta(minutes=6)
    monkeypatch.setattr(clock, "now", lambda: later)
    assert tv.get(f"/display/{token}").status_code == 200
    db.session.refresh(made)
    assert made.last_used_at == later


def test_revoking_asks_first_then_the_link_answers_404(manager, link, sign_in, client, app):
    made, token = link
    sign_in(manager)
    page = client.get("/units/ellison-12/display-links").get_data(as_text=True)
    assert f"/units/ellison-12/display-links/{made.id}/revoke" in page
    confirm = client.get(f"/units/ellison-12/display-links/{made.id}/revoke")
    assert confirm.status_code == 200 and "Revoke “Nurses’ station TV”?" in confirm.get_data(as_text=True)
    assert app.test_client().get(f"/display/{token}").status_code == 200  # asking changes nothing
    response = client.post_form(f"/units/ellison-12/display-links/{made.id}/revoke", follow_redirects=True)
    assert response.status_code == 200 and "was revoked" in response.get_data(as_text=True)
    db.session.refresh(made)
    assert made.revoked_at is not None and made.revoked_by_id == manager.id
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "display_link_revoked")).all()
    assert event.actor_id == manager.id and event.object_id == str(made.id)
    assert app.test_client().get(f"/display/{token}").status_code == 404
    # Revoking again changes nothing; its confirmation leads back to the list.
    client.post_form(f"/units/ellison-12/display-links/{made.id}/revoke")
    assert db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.action == "display_link_revoked")) == 1
    assert client.get(f"/units/ellison-12/display-links/{made.id}/revoke").status_code == 302


def test_a_link_is_revoked_only_through_its_own_unit(manager, other_manager, link, sign_in, client):
    made, _token = link
    sign_in(other_manager)
    assert client.post_form(f"/units/ellison-12/display-links/{made.id}/revoke").status_code == 404
    assert client.post_form(f"/units/white-6/display-links/{made.id}/revoke").status_code == 404
    client.sign_out()
    sign_in(manager)
    assert client.post_form(f"/units/ellison-14/display-links/{made.id}/revoke").status_code == 404
    assert client.post_form("/units/ellison-12/display-links/999999/revoke").status_code == 404
    db.session.refresh(made)
    assert made.revoked_at is None


@pytest.mark.parametrize("token", ["unknown-" + "a" * 35, "short", "a" * 5000, "%F0%9F%98%80", "%27%20OR%201=1"])
def test_an_unknown_or_malformed_token_is_the_same_404(hospital, app, token):
    response = app.test_client().get(f"/display/{token}")
    assert response.status_code == 404 and "This display link does not work" in response.get_data(as_text=True)
    assert "Set-Cookie" not in response.headers
    assert response.headers["Referrer-Policy"] == "no-referrer" and response.headers["Cache-Control"] == "no-store"


def test_unknown_and_revoked_tokens_get_the_same_answer(link, manager, app, services):
    made, token = link
    services.revoke_link(made, manager)
    db.session.flush()
    revoked = app.test_client().get(f"/display/{token}")
    unknown = app.test_client().get("/display/" + "b" * len(token))
    assert revoked.status_code == unknown.status_code == 404
    assert revoked.get_data() == unknown.get_data()


def test_a_closed_units_link_answers_404(link, hospital, app):
    _made, token = link
    hospital["ellison-12"].active = False
    db.session.flush()
    assert app.test_client().get(f"/display/{token}").status_code == 404


def test_the_token_opens_nothing_else(link, app):
    _made, token = link
    tv = app.test_client()
    bearer = {"Authorization": f"Bearer {token}"}
    for url in ("/wall", "/dashboard", "/wall/display/ellison-12", "/units/ellison-12/display-links"):
        response = tv.get(f"{url}?token={token}", headers=bearer)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url
    assert tv.get("/api/v1/recognitions", headers=bearer).status_code == 401
    assert tv.get(f"/api/v1/recognitions?token={token}").status_code == 401
    assert tv.get("/me/profile", headers=bearer).status_code == 302
    # The TV's visit left it signed in to nothing.
    assert tv.get("/wall").status_code == 302


def test_the_wall_links_the_page_only_to_those_who_keep_its_links(manager, staff, other_manager, sign_in, client):
    sign_in(manager)
    assert "/units/ellison-12/display-links" in client.get("/wall?unit=ellison-12").get_data(as_text=True)
    client.sign_out()
    for person in (staff, other_manager):
        sign_in(person)
        assert "display-links" not in client.get("/wall?unit=ellison-12").get_data(as_text=True)
        client.sign_out()


def test_the_admin_department_page_links_the_units_display_links(admin, hospital, sign_in, client):
    sign_in(admin)
    html = client.get(f"/admin/departments/{hospital['ellison-12'].id}").get_data(as_text=True)
    assert "/units/ellison-12/display-links" in html


def test_a_unit_has_at_most_twenty_live_links(hospital, manager, services):
    for number in range(services.MAX_LIVE_LINKS):
        services.create_link(hospital["ellison-12"], f"TV {number}", manager)
    with pytest.raises(InvalidInput):
        services.create_link(hospital["ellison-12"], "One too many", manager)


def test_the_rule_names_managers_of_the_subtree_and_admins(hospital, manager, other_manager, admin, staff):
    assert policy.may_manage_display_links(manager, hospital["ellison-12"])
    assert not policy.may_manage_display_links(manager, hospital["white-6"])
    assert policy.may_manage_display_links(other_manager, hospital["white-6"])
    assert policy.may_manage_display_links(admin, hospital["ellison-12"])
    assert not policy.may_manage_display_links(staff, hospital["ellison-12"])
    demoted = PersonFactory(roles={Role.STAFF}, manages=[hospital["medicine"]])
    assert not policy.may_manage_display_links(demoted, hospital["ellison-12"])
