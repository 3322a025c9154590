"""Each person's language: chosen on the profile or by the roster, used for their pages and e-mails.

The language switcher still wins for the visit; people without a choice follow their browser.
"""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import RecognitionFactory
from tracker.admin.people import send_set_password_link
from tracker.extensions import db
from tracker.models import AuditEvent, OutboxMessage, Person
from tracker.notifications.digest import queue_digest
from tracker.notifications.services import queue_recognition_notifications, queue_returned_notification
from tracker.roster import apply_plan, parse, plan_import

HEADER = "employee_id,name,email,job_title,department,language\n"


def outbox(address: str) -> list[OutboxMessage]:
    return db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.to_address == address)).all()


def test_the_profile_saves_a_language_that_pages_then_use(client, sign_in, staff):
    sign_in(staff)
    page = client.get("/me/profile").get_data(as_text=True)
    assert 'name="language"' in page and "Kreyòl ayisyen" in page
    response = client.post_form("/me/profile", {"language": "ht", "show_on_walls": "y", "email_notifications": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Person, staff.id).language == "ht"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "preferences_changed"))
    assert event is not None and event.details.get("language") == "ht"
    home = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ht">' in home
    assert "Bay yon kolèg rekonesans" in home  # "Recognise a colleague", not left in English


def test_the_switcher_overrides_the_preference_for_the_visit(client, sign_in, staff):
    staff.language = "es"
    db.session.flush()
    sign_in(staff)
    assert '<html lang="es">' in client.get("/").get_data(as_text=True)
    client.post_form("/language", {"lang": "zh_Hans", "next": "/"})
    assert '<html lang="zh-Hans">' in client.get("/").get_data(as_text=True)


def test_without_a_preference_pages_follow_the_browser(client, sign_in, staff):
    sign_in(staff)
    page = client.get("/", headers={"Accept-Language": "pt-BR,pt;q=0.9"}).get_data(as_text=True)
    assert '<html lang="pt">' in page


def test_an_unknown_language_is_refused_on_the_page(client, sign_in, staff):
    sign_in(staff)
    response = client.post_form("/me/profile", {"language": "fr", "email_notifications": "y"})
    assert response.status_code in (200, 422)
    assert "Please choose one of the languages offered." in response.get_data(as_text=True) or (
        "Not a valid choice" in response.get_data(as_text=True)
    )
    db.session.expire_all()
    assert db.session.get(Person, staff.id).language is None


def test_e_mails_are_written_in_each_recipients_language(app, staff, colleague, surgeon, manager):
    colleague.language = "es"
    surgeon.language = "zh_Hans"
    # the manager has no preference: the hospital's default language (English)
    recognition = RecognitionFactory(giver=staff, recipients=[colleague, surgeon], message="Gracias")
    queue_recognition_notifications(recognition)
    db.session.flush()
    (spanish,) = outbox(colleague.email)
    assert spanish.subject == "Sam Okafor le reconoció por los estándares icare"
    assert "Hola, Maria:" in spanish.body_text, spanish.body_text
    assert "Léalo y dé las gracias:" in spanish.body_text or "Confirme la lectura" in spanish.body_text
    (chinese,) = outbox(surgeon.email)
    assert chinese.subject == "Sam Okafor 因 icare 标准表彰了您"
    assert "阅读并致谢" in chinese.body_html
    (english,) = outbox(manager.email)
    assert english.subject == "Your team was recognised for the icare standards"


def test_returned_digest_and_password_e_mails_follow_the_language(app, staff, manager):
    staff.language = "ht"
    manager.language = "pt"
    recognition = RecognitionFactory(giver=staff, recipients=[manager], status="pending")
    recognition.review_note = "Please name the patient less"
    with app.test_request_context():
        queue_returned_notification(recognition)
        send_set_password_link(staff)
    from datetime import UTC, datetime

    queue_digest(manager, datetime.now(UTC))
    db.session.flush()
    subjects = sorted(message.subject for message in outbox(staff.email))
    assert subjects == ["Mete modpas icare tracker ou", "Yo retounen rekonesans ou a"]
    (digest,) = outbox(manager.email) or [None]
    assert digest is None or digest.subject.startswith("A sua semana em reconhecimentos")


def test_the_roster_language_column_sets_keeps_and_refuses(hospital, staff):
    text = (
        HEADER
        + f"E1,{staff.name},{staff.email},Nurse,ellison-12,zh-CN\n"
        + "E2,New Person,new@example.org,Aide,white-6,es\n"
    )
    plan = plan_import(parse(text.encode()))
    assert plan.ok, plan.errors
    apply_plan(plan)
    db.session.expire_all()
    assert db.session.get(Person, staff.id).language == "zh_Hans"
    newcomer = db.session.scalar(sa.select(Person).where(Person.email == "new@example.org"))
    assert newcomer.language == "es"
    # a blank cell keeps the person's language
    keep = HEADER + f"E1,{staff.name},{staff.email},Nurse,ellison-12,\n"
    plan = plan_import(parse(keep.encode()))
    assert plan.ok and plan.updates == []
    # an unknown one is a problem of its line, and nothing changes
    bad = HEADER + f"E1,{staff.name},{staff.email},Nurse,ellison-12,klingon\n"
    plan = plan_import(parse(bad.encode()))
    assert not plan.ok
    assert "unknown language “klingon”" in plan.errors[0].message
