""" "Where were you?" offers only places patients come to, grouped by their building or service."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import DepartmentFactory
from tracker.extensions import db
from tracker.feedback.services import patient_facing_places
from tracker.models import Feedback, Source

NOT_OFFERED = "That place cannot be chosen here."


@pytest.fixture
def places(hospital):
    """The test hospital as the migration leaves it, plus a service whose unit patients never visit."""
    for slug in ("hospital", "medicine", "surgery"):
        hospital[slug].patient_facing = False
    support = DepartmentFactory(slug="support", name="Support Services", parent=hospital["hospital"])
    support.patient_facing = False
    security = DepartmentFactory(slug="security", name="Police and Security", parent=support)
    security.patient_facing = False
    # Lower case sorts among the others, not after them.
    DepartmentFactory(slug="admitting", name="admitting desk", parent=hospital["medicine"])
    DepartmentFactory(slug="old-ward", name="Old Ward", parent=hospital["surgery"], active=False)
    db.session.flush()
    return hospital | {"support": support, "security": security}


def _stored() -> list[Feedback]:
    return list(db.session.scalars(sa.select(Feedback)))


def _place_select(page: str) -> str:
    start = re.search(r'<select [^>]*id="unit_slug"', page).start()
    return page[start : page.index("</select>", start)]


def test_places_are_active_patient_facing_ones_by_parent_then_name(places):
    assert [(p.parent.slug, p.slug) for p in patient_facing_places()] == [
        ("medicine", "admitting"),
        ("medicine", "ellison-12"),
        ("medicine", "ellison-14"),
        ("surgery", "white-6"),
    ]


def test_a_top_level_place_comes_first_outside_any_group(client, places):
    DepartmentFactory(slug="front-door", name="Main entrance")
    db.session.flush()
    assert patient_facing_places()[0].slug == "front-door"
    select = _place_select(client.get("/feedback").get_data(as_text=True))
    assert select.index('value="front-door"') < select.index("<optgroup")


def test_the_form_groups_places_under_their_building_or_service(client, places):
    page = client.get("/feedback").get_data(as_text=True)
    select = _place_select(page)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select)
    assert [(label, re.findall(r'value="([^"]+)"', options)) for label, options in groups] == [
        ("Medicine", ["admitting", "ellison-12", "ellison-14"]),
        ("Surgery", ["white-6"]),
    ]
    assert select.index('<option value="">I am not sure</option>') < select.index("<optgroup")
    for hidden in ("security", "support", "medicine", "hospital", "old-ward"):
        assert f'value="{hidden}"' not in select
    assert "Places are listed by building or service." in page


def test_the_qr_code_address_still_chooses_its_place(client, places):
    response = client.get("/feedback/ellison-12")
    assert response.status_code == 200
    assert '<option selected value="ellison-12">' in _place_select(response.get_data(as_text=True))


@pytest.mark.parametrize("slug", ["security", "medicine", "no-such-place"])
def test_an_address_naming_no_offered_place_still_gets_the_form_without_a_choice(client, places, slug):
    response = client.get(f"/feedback/{slug}")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert "We could not find the place in this link." in page
    assert "selected" not in _place_select(page)


def test_a_place_patients_do_not_visit_sent_by_hand_is_refused(send_feedback, places):
    response = send_feedback(unit_slug="security")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert NOT_OFFERED in page and 'id="unit_slug-error"' in page
    assert _stored() == []


@pytest.mark.parametrize("slug", ["nowhere", "old-ward", "x" * 5000, "' OR 1=1 --"])
def test_an_unknown_or_inactive_place_sent_by_hand_is_refused(send_feedback, places, slug):
    response = send_feedback(unit_slug=slug)
    assert response.status_code == 422
    assert "We do not know that unit" in response.get_data(as_text=True)
    assert _stored() == []


def test_a_patient_facing_place_is_stored(send_feedback, places):
    assert send_feedback("/feedback/admitting", unit_slug="admitting").status_code == 302
    [feedback] = _stored()
    assert feedback.unit.slug == "admitting"


def test_the_api_refuses_a_place_patients_do_not_visit(client, places):
    body = {"type": "compliment", "message": "The officer walked us to the car.", "unit": "security"}
    response = client.post("/api/v1/feedback", json=body)
    assert response.status_code == 422
    assert NOT_OFFERED in " ".join(response.get_json()["error"]["fields"]["unit"])
    assert _stored() == []
    assert client.post("/api/v1/feedback", json=body | {"unit": "ellison-14"}).status_code == 201


def test_staff_entering_a_letter_may_name_any_active_unit(sign_in, client, staff, places):
    sign_in(staff)
    page = client.get("/feedback/enter").get_data(as_text=True)
    assert 'value="security"' in page and "<optgroup" not in page
    response = client.post_form(
        "/feedback/enter",
        {"source": "letter", "type": "compliment", "message": "Thank you, officer.", "unit_slug": "security"},
    )
    assert response.status_code == 302
    [feedback] = _stored()
    assert feedback.unit.slug == "security" and feedback.source == Source.LETTER


def test_posters_exist_only_for_places_patients_can_choose(client, places):
    assert client.get("/units/ellison-12/poster").status_code == 200
    assert client.get("/units/security/poster").status_code == 404
    assert client.get("/units/security/poster.svg").status_code == 404


def test_the_spanish_form_keeps_the_groups(client, places):
    page = client.get("/feedback", headers={"Accept-Language": "es"}).get_data(as_text=True)
    select = _place_select(page)
    assert '<option value="">No estoy seguro</option>' in select
    assert '<optgroup label="Medicine">' in select
    assert "Los lugares están ordenados por edificio o servicio." in page
