"""Safety first on concerns: help now on the form, the admin's number, and what the confirmation promises."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tracker import clock, settings
from tracker.extensions import db
from tracker.feedback import spam
from tracker.models import AuditEvent, Case, Feedback, Setting

HELP_NOW = "Need help now?"
TELL_THE_NURSE = "tell the nurse or anyone on the unit now"


def settings_form(**overrides):
    """The admin settings page as it comes, with some fields changed."""
    data = {"daily_recognition_limit": 20, "case_acknowledge_days": 7, "case_resolve_days": 30,
            "moderation_overdue_days": 2, "contact_retention_days": 365, "timezone": "America/New_York",
            "patient_help_phone": ""}  # fmt: skip
    data.update(overrides)
    return data


def _set(key: str, value) -> None:
    settings.set_value(key, value)
    db.session.flush()


def _text(html: str) -> str:
    """What a reader sees: the words without the markup, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _only_case() -> Case:
    [case] = db.session.scalars(sa.select(Case)).all()
    return case


def _thanks(client) -> str:
    response = client.get("/feedback/thanks")
    assert response.status_code == 200
    return response.get_data(as_text=True)


# --- the notice on the public form ---------------------------------------------------------------


def test_the_form_says_what_to_do_now_even_without_a_number(client, hospital):
    page = client.get("/feedback/ellison-12").get_data(as_text=True)
    assert HELP_NOW in page and TELL_THE_NURSE in page
    assert "tel:" not in page
    # The notice comes before the first question, and the choice of what to do points at it.
    assert page.index(HELP_NOW) < page.index('id="type"')
    assert re.search(r'<fieldset[^>]*id="type"[^>]*aria-describedby="urgent-help', page)


def test_the_form_offers_the_hospitals_number_as_a_link_a_phone_can_dial(client, hospital):
    _set("patient_help_phone", "+1 (617) 555-0123 ext. 4")
    page = client.get("/feedback").get_data(as_text=True)
    link = re.search(r'<a class="alert-link" href="tel:\+16175550123,4">(.*?)</a>', page)
    assert link and _text(link[1]) == "+1 (617) 555-0123 ext. 4"
    assert TELL_THE_NURSE in page


def test_a_stored_number_that_cannot_be_dialled_is_not_offered(client, hospital):
    _set("patient_help_phone", "<b>call reception</b>")
    page = client.get("/feedback").get_data(as_text=True)
    assert client.get("/feedback").status_code == 200
    assert "tel:" not in page and "call reception" not in page
    assert TELL_THE_NURSE in page


def test_the_notice_is_in_the_patients_language(client, hospital):
    _set("patient_help_phone", "617 555 0123")
    page = client.get("/feedback", headers={"Accept-Language": "es"}).get_data(as_text=True)
    assert '<html lang="es">' in page
    assert HELP_NOW not in page and "¿Necesita ayuda ahora?" in page
    assert 'href="tel:6175550123"' in page


def test_staff_entry_does_not_show_the_patients_notice(client, sign_in, staff):
    _set("patient_help_phone", "617 555 0123")
    sign_in(staff)
    page = client.get("/feedback/enter").get_data(as_text=True)
    assert 'name="message"' in page
    assert HELP_NOW not in page and "tel:" not in page


# --- the admin setting ---------------------------------------------------------------------------


def test_the_number_is_empty_by_default_and_an_admin_sets_it(client, sign_in, admin):
    assert settings.DEFAULTS["patient_help_phone"] == ""
    sign_in(admin)
    page = client.get("/admin/settings").get_data(as_text=True)
    assert re.search(r'<input[^>]*name="patient_help_phone"[^>]*type="tel"[^>]*value=""', page)
    response = client.post_form("/admin/settings", settings_form(patient_help_phone="  +1 617\t555  0123 "))
    assert response.status_code == 302
    assert settings.get("patient_help_phone") == "+1 617 555 0123"
    [event] = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "setting_changed")).all()
    assert event.object_id == "patient_help_phone" and event.details == {"old": "", "new": "+1 617 555 0123"}
    assert 'href="tel:+16175550123"' in client.get("/feedback").get_data(as_text=True)


def test_an_admin_can_take_the_number_away_again(client, sign_in, admin):
    _set("patient_help_phone", "617 555 0123")
    sign_in(admin)
    assert client.post_form("/admin/settings", settings_form(patient_help_phone="")).status_code == 302
    assert settings.get("patient_help_phone") == ""
    assert "tel:" not in client.get("/feedback").get_data(as_text=True)


@pytest.mark.parametrize(
    "value",
    [
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "12",  # too few digits to call
        "1234567890123456",  # more digits than any phone number
        "617 555 0123 " + "9" * 40,  # over 40 characters
        "x" * 100_000,
        "617-555-0123; DROP TABLE settings",
        "617 555 0123\r\nSet-Cookie: admin=1",
        "٦١٧ ٥٥٥ ٠١٢٣",  # digits a phone cannot dial from a tel: link
        "ext. 4",
    ],
    ids=["script", "javascript", "short", "long-number", "long-text", "huge", "sql", "header", "arabic", "no-number"],
)
def test_a_number_patients_could_not_use_is_refused_and_nothing_is_saved(client, sign_in, admin, value):
    sign_in(admin)
    response = client.post_form("/admin/settings", settings_form(patient_help_phone=value, daily_recognition_limit=9))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="patient_help_phone-error"' in page
    assert "3 to 15 digits" in page
    assert "<script>alert(1)</script>" not in page
    assert _count(Setting) == 0  # the other, valid change is not saved either
    assert settings.get("patient_help_phone") == ""


def test_a_nul_character_in_the_number_is_refused(client, sign_in, admin):
    sign_in(admin)
    response = client.post_form("/admin/settings", settings_form(patient_help_phone="617\x00555 0123"))
    assert 400 <= response.status_code < 500
    assert _count(Setting) == 0


# --- the confirmation ----------------------------------------------------------------------------


def test_a_concern_is_confirmed_with_its_case_reference_and_the_reply_time(send_feedback, client, hospital):
    _set("case_acknowledge_days", 3)
    response = send_feedback(
        type="concern",
        message="Nobody answered the call bell for an hour.",
        unit_slug="white-6",
        contact_email="ana@example.com",
    )
    assert response.status_code == 302
    case = _only_case()
    page = _thanks(client)
    assert case.reference in page and case.feedback.reference not in page
    assert (case.acknowledge_by - clock.hospital_today()).days == 3
    assert "within 3 days, using the contact details you gave us" in page
    assert "quote this reference number" in page
    assert HELP_NOW in page and TELL_THE_NURSE in page
    # Only the reference and the promise: nothing the patient wrote comes back on the page.
    assert "call bell" not in page and "ana@example.com" not in page


def test_the_reply_time_is_counted_in_the_hospitals_days(send_feedback, client, hospital, monkeypatch):
    """Late evening in UTC is already the next day in Kiritimati: the deadline counts from there."""
    _set("timezone", "Pacific/Kiritimati")
    _set("case_acknowledge_days", 7)
    instant = datetime(2024, 3, 10, 23, 30, tzinfo=UTC)  # 13:30 on 11 March at the hospital
    monkeypatch.setattr(clock, "now", lambda: instant)
    send_feedback(type="concern", message="My mother waited all night for pain relief.", contact_phone="617 555 0123")
    case = _only_case()
    assert case.acknowledge_by.isoformat() == "2024-03-18"
    page = _thanks(client)
    assert "within 7 days" in page and "within 8 days" not in page


@pytest.mark.parametrize(
    ("days_left", "words"),
    [
        (0, "We will be in touch with you today"),
        (-2, "We will be in touch with you today"),  # a deadline already passed still says today, never minus
        (1, "We will be in touch with you by tomorrow"),
        (2, "We will be in touch with you within 2 days"),
    ],
)
def test_the_reply_time_reads_well_for_the_last_days(send_feedback, client, hospital, days_left, words):
    send_feedback(type="concern", message="The ward was too noisy to sleep.", contact_email="ana@example.com")
    case = _only_case()
    case.acknowledge_by = clock.hospital_today() + timedelta(days=days_left)
    db.session.flush()
    page = _thanks(client)
    assert words in page
    assert "within 0 days" not in page and "within 1 day" not in page and "within -" not in page


def test_without_contact_details_the_patient_is_told_how_to_ask(send_feedback, client, hospital):
    _set("case_acknowledge_days", 5)
    send_feedback(type="concern", message="The ward was too noisy to sleep.")
    case = _only_case()
    page = _thanks(client)
    assert case.reference in page
    assert "You did not leave contact details" in page
    assert "look into your concern within 5 days" in page
    assert "ask any member of staff for the patient experience team" in page
    assert "using the contact details you gave us" not in page
    assert "tel:" not in page

    _set("patient_help_phone", "617 555 0100")
    page = _thanks(client)
    assert "To hear what we found, call 617 555 0100 or ask any member of staff" in _text(page)
    assert '<a href="tel:6175550100">' in page


def test_a_compliment_is_confirmed_with_its_feedback_reference_as_before(send_feedback, client, hospital):
    send_feedback(contact_email="ana@example.com")
    [feedback] = db.session.scalars(sa.select(Feedback)).all()
    page = _thanks(client)
    assert "We have received what you wrote." in page
    assert f'<strong class="fs-4 d-block" id="reference">{feedback.reference}</strong>' in page
    assert "be in touch" not in page and "case reference" not in page and "look into your concern" not in page
    assert HELP_NOW in page
    assert _count(Case) == 0


def test_the_confirmation_is_only_for_whoever_sent_it(app, send_feedback, client, hospital):
    send_feedback(type="concern", message="Nobody came.", contact_email="ana@example.com")
    case = _only_case()
    assert case.reference in _thanks(client)
    stranger = app.test_client()
    response = stranger.get("/feedback/thanks")
    assert response.status_code == 302 and response.headers["Location"].endswith("/feedback")
    # A reference that is not (or no longer) stored sends the visitor back to the form, never a 500.
    with client.session_transaction() as session:
        session["feedback_reference"] = "FB-NOPE"
    assert client.get("/feedback/thanks").status_code == 302


# --- an empty submit -----------------------------------------------------------------------------


def test_an_empty_form_sent_at_once_lists_the_missing_answers_not_too_quick(app, client, hospital):
    client.get("/feedback")
    with app.test_request_context():
        just_now = spam.issue_started_token(now=time.time())
    response = client.post_form("/feedback", {"started": just_now, "website": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "very quick" not in page
    summary = page[page.index('id="error-summary"') :]
    summary = summary[: summary.index("</ul>")]
    messages = re.findall(r"</a>: ([^<]+)</li>", summary)
    assert messages[:2] == ["Please choose what you would like to do.", "Please write a few words."]
    assert _count(Feedback) == 0 and _count(Case) == 0


def test_an_empty_form_without_its_time_stamp_stores_nothing(client, hospital):
    page = client.post_form("/feedback", {}).get_data(as_text=True)
    assert "Please write a few words." in page and "very quick" not in page
    assert _count(Feedback) == 0 and _count(Case) == 0


def test_answers_given_too_fast_are_still_refused_after_the_missing_ones_are_filled(
    app, send_feedback, client, hospital
):
    with app.test_request_context():
        just_now = spam.issue_started_token(now=time.time())
    page = send_feedback(type="concern", message="Nobody came.", started=just_now).get_data(as_text=True)
    assert "very quick" in page
    assert _count(Feedback) == 0 and _count(Case) == 0
