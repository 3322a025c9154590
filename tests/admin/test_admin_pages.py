"""Admin pages: access, departments, people and roles, standards, settings, audit trail."""

from __future__ import annotations

import csv
import io

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD, DepartmentFactory, PersonFactory, RecognitionFactory
from tracker import settings
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.models import AuditEvent, Behavior, Department, OutboxMessage, Role, Setting, Standard

ADMIN_PAGES = ["/admin/", "/admin/departments", "/admin/people", "/admin/roster", "/admin/standards",
               "/admin/settings", "/admin/audit", "/admin/audit.csv"]  # fmt: skip


def events(action):
    return db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)).all()


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_admin_pages_are_for_admins_only(client, sign_in, staff, manager, admin, url):
    assert client.get(url).status_code == 302  # anonymous: sign in first
    sign_in(manager)
    assert client.get(url).status_code == 403
    client.sign_out()
    sign_in(admin)
    assert client.get(url, buffered=True).status_code == 200  # the CSV streams


# --- departments -------------------------------------------------------------------------------


def test_create_department_under_a_parent(client, sign_in, admin, hospital):
    sign_in(admin)
    response = client.post_form(
        "/admin/departments", {"name": "Bigelow 11", "slug": "bigelow-11", "parent": hospital["medicine"].id}
    )
    assert response.status_code == 302
    unit = db.session.scalar(sa.select(Department).where(Department.slug == "bigelow-11"))
    assert unit.parent_id == hospital["medicine"].id and unit.path == f"{hospital['medicine'].path}{unit.id}/"
    assert events("department_created")


@pytest.mark.parametrize("slug", ["Bad Slug", "", "ellison-12"])
def test_bad_department_slug_is_refused_by_the_field(client, sign_in, admin, hospital, slug):
    sign_in(admin)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Department))
    response = client.post_form("/admin/departments", {"name": "X", "slug": slug, "parent": ""})
    assert response.status_code == 422
    assert 'id="slug-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Department)) == count


def test_moving_a_department_rewrites_its_whole_subtree(client, sign_in, admin, hospital):
    bed = DepartmentFactory(slug="ellison-12-bay", name="Bay", parent=hospital["ellison-12"])
    sign_in(admin)
    medicine = hospital["medicine"]
    response = client.post_form(
        f"/admin/departments/{medicine.id}", {"name": "Medicine", "parent": hospital["surgery"].id, "active": "y"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    surgery = hospital["surgery"]
    assert medicine.path == f"{surgery.path}{medicine.id}/" and medicine.depth == 2
    assert hospital["ellison-12"].path == f"{medicine.path}{hospital['ellison-12'].id}/"
    assert hospital["ellison-12"].depth == 3 and bed.depth == 4
    assert bed.path == f"{hospital['ellison-12'].path}{bed.id}/"
    assert hospital["white-6"].path.startswith(surgery.path) and hospital["white-6"].depth == 2


def test_a_department_cannot_move_under_its_own_unit(client, sign_in, admin, hospital):
    sign_in(admin)
    medicine = hospital["medicine"]
    old_path = medicine.path
    response = client.post_form(
        f"/admin/departments/{medicine.id}", {"name": "Medicine", "parent": hospital["ellison-12"].id, "active": "y"}
    )
    assert response.status_code == 422
    db.session.expire_all()
    assert medicine.path == old_path


def test_deactivating_needs_an_empty_department(client, sign_in, admin, staff, hospital):
    sign_in(admin)
    unit = hospital["ellison-12"]
    response = client.post_form(f"/admin/departments/{unit.id}", {"name": unit.name, "parent": unit.parent_id})
    assert response.status_code == 422
    assert "active people" in response.get_data(as_text=True)
    empty = hospital["ellison-14"]
    response = client.post_form(f"/admin/departments/{empty.id}", {"name": empty.name, "parent": empty.parent_id})
    assert response.status_code == 302
    db.session.expire_all()
    assert not empty.active and db.session.get(Department, empty.id) is not None


# --- people ------------------------------------------------------------------------------------


def person_form(person, **overrides):
    data = {
        "name": person.name,
        "email": person.email,
        "job_title": person.job_title,
        "employee_id": person.employee_id or "",
        "department": person.department_id or "",
        "roles": [r.value for r in person.roles if r != Role.STAFF],
        "managed_departments": [d.id for d in person.managed_departments],
        "active": "y" if person.active else "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value not in ("", None)}


def test_people_search_finds_inactive_people_too(client, sign_in, admin, staff, colleague):
    colleague.active = False
    db.session.flush()
    sign_in(admin)
    page = client.get("/admin/people?q=lopez&status=all").get_data(as_text=True)
    assert "Maria Lopez" in page and "Sam Okafor" not in page
    assert "Maria Lopez" not in client.get("/admin/people?q=lopez").get_data(as_text=True)


def test_people_list_pages_through_a_long_roster(client, sign_in, admin, hospital):
    PersonFactory.create_batch(120, department=hospital["medicine"])
    sign_in(admin)
    for number in (1, 2, 3):
        response = client.get(f"/admin/people?page={number}")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert f"Page {number} of 3" in page
    assert "Previous" in page and "Next" not in page


def test_admin_makes_someone_a_manager_of_a_department(client, sign_in, admin, staff, hospital):
    sign_in(admin)
    response = client.post_form(
        f"/admin/people/{staff.id}",
        person_form(staff, roles=["manager"], managed_departments=[hospital["medicine"].id], job_title="Nurse Manager"),
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert staff.roles == {Role.STAFF, Role.MANAGER}
    assert [d.slug for d in staff.managed_departments] == ["medicine"]
    assert staff.job_family == "Management"
    change = events("roles_changed")[0]
    assert change.details == {"old": ["staff"], "new": ["manager", "staff"]} and change.actor_id == admin.id


def test_managed_departments_need_the_manager_role(client, sign_in, admin, staff, hospital):
    sign_in(admin)
    response = client.post_form(
        f"/admin/people/{staff.id}", person_form(staff, managed_departments=[hospital["medicine"].id])
    )
    assert response.status_code == 422
    assert not staff.managed_departments


def test_email_already_taken_is_refused(client, sign_in, admin, staff, colleague):
    sign_in(admin)
    response = client.post_form(f"/admin/people/{staff.id}", person_form(staff, email="MARIA@example.org"))
    assert response.status_code == 422
    assert "already uses this e-mail" in response.get_data(as_text=True)


def test_deactivate_person_keeps_their_history(client, sign_in, admin, staff, colleague):
    recognition = RecognitionFactory(giver=colleague, recipients=[staff])
    sign_in(admin)
    response = client.post_form(f"/admin/people/{staff.id}", person_form(staff, active=""))
    assert response.status_code == 302
    db.session.expire_all()
    assert not staff.active and recognition.recipient_rows[0].person_id == staff.id


def test_deactivating_on_the_admin_page_ends_sessions_and_tokens_for_good(app, client, sign_in, admin, staff):
    token = create_token(staff, "phone")
    their_browser = app.test_client()
    assert their_browser.sign_in(staff.email, PASSWORD).status_code == 302
    assert their_browser.get("/me/profile").status_code == 200
    sign_in(admin)
    assert client.post_form(f"/admin/people/{staff.id}", person_form(staff, active="")).status_code == 302
    assert client.post_form(f"/admin/people/{staff.id}", person_form(staff, active="y")).status_code == 302
    db.session.expire_all()
    assert staff.active
    # Back in the directory, but the session and the token from before the deactivation stay ended.
    assert their_browser.get("/me/profile").status_code == 302
    assert (
        app.test_client().get("/api/v1/recognitions", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    )


def test_the_last_admin_cannot_demote_or_deactivate_themself(client, sign_in, admin):
    sign_in(admin)
    for overrides in ({"roles": []}, {"active": ""}):
        response = client.post_form(f"/admin/people/{admin.id}", person_form(admin, **overrides))
        assert response.status_code == 422
        assert "last active administrator" in response.get_data(as_text=True)
    db.session.expire_all()
    assert admin.active and admin.has_role(Role.ADMIN)


def test_an_admin_may_step_down_when_another_remains(client, sign_in, admin, hospital):
    PersonFactory(roles={Role.ADMIN}, department=hospital["hospital"])
    sign_in(admin)
    assert client.post_form(f"/admin/people/{admin.id}", person_form(admin, roles=[])).status_code == 302
    db.session.expire_all()
    assert not admin.has_role(Role.ADMIN)


def test_set_password_link_goes_through_the_outbox(client, sign_in, admin, staff):
    sign_in(admin)
    response = client.post_form(f"/admin/people/{staff.id}/password-link")
    assert response.status_code == 302
    message = db.session.scalar(sa.select(OutboxMessage).where(OutboxMessage.to_address == staff.email))
    assert message.kind == "set_password" and "/set-password/" in message.body_text
    assert events("password_link_sent")[0].object_id == str(staff.id)


# --- standards ---------------------------------------------------------------------------------


def test_add_a_standard_and_a_behaviour(client, sign_in, admin):
    sign_in(admin)
    response = client.post_form(
        "/admin/standards",
        {"key": "teamwork", "name": "I work as one team", "description": "", "color": "#009E73", "position": 5},
    )
    assert response.status_code == 302
    standard = db.session.scalar(sa.select(Standard).where(Standard.key == "teamwork"))
    response = client.post_form(
        f"/admin/standards/{standard.id}/behaviours",
        {"new-key": "covers-breaks", "new-name": "Covers breaks", "new-patient_prompt": "", "new-position": 1},
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Behavior.standard_id).where(Behavior.key == "covers-breaks")) == standard.id
    response = client.post_form(
        f"/admin/standards/{standard.id}/behaviours",
        {"new-key": "", "new-name": "Thanks the night shift’s crew", "new-patient_prompt": "", "new-position": 2},
    )
    assert response.status_code == 302  # a blank key is derived from the name
    assert db.session.scalar(sa.select(Behavior.id).where(Behavior.key == "thanks-the-night-shifts-crew"))


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"key": "Bad Key", "name": "X", "color": "#000000", "position": 1}, "key"),
        ({"key": "communicate", "name": "X", "color": "#000000", "position": 1}, "key"),
        ({"key": "new-one", "name": "X", "color": "red", "position": 1}, "color"),
        ({"key": "new-one", "name": "X", "color": "#000000", "position": -4}, "position"),
    ],
)
def test_bad_standard_is_refused_by_field(client, sign_in, admin, data, field):
    sign_in(admin)
    count = db.session.scalar(sa.select(sa.func.count()).select_from(Standard))
    response = client.post_form("/admin/standards", data)
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Standard)) == count


def test_low_contrast_colour_gets_a_warning(client, sign_in, admin):
    sign_in(admin)
    standard = db.session.scalars(sa.select(Standard)).first()
    form = {"standard-name": standard.name, "standard-description": standard.description,
            "standard-color": "#F0E442", "standard-position": standard.position, "standard-active": "y"}  # fmt: skip
    response = client.post_form(f"/admin/standards/{standard.id}", form, follow_redirects=True)
    assert "contrast of" in response.get_data(as_text=True)
    db.session.expire_all()
    assert standard.color == "#F0E442"


def test_a_standard_in_use_is_retired_not_deleted(client, sign_in, admin, staff, colleague):
    standard = db.session.scalars(sa.select(Standard).order_by(Standard.position)).first()
    RecognitionFactory(giver=colleague, recipients=[staff], standards=[standard])
    sign_in(admin)
    response = client.post_form(f"/admin/standards/{standard.id}/delete", follow_redirects=True)
    assert "retire it instead" in response.get_data(as_text=True)
    assert db.session.get(Standard, standard.id) is not None
    form = {"standard-name": standard.name, "standard-description": standard.description,
            "standard-color": standard.color, "standard-position": standard.position}  # fmt: skip
    assert client.post_form(f"/admin/standards/{standard.id}", form).status_code == 302
    db.session.expire_all()
    assert not standard.active


def test_an_unused_standard_can_be_deleted(client, sign_in, admin):
    standard = Standard(key="unused", name="Unused", color="#000000", position=9)
    db.session.add(standard)
    db.session.flush()
    sign_in(admin)
    assert client.post_form(f"/admin/standards/{standard.id}/delete").status_code == 302
    assert db.session.scalar(sa.select(Standard.id).where(Standard.key == "unused")) is None


# --- settings ----------------------------------------------------------------------------------


def settings_form(**overrides):
    data = {"daily_recognition_limit": 20, "case_acknowledge_days": 7, "case_resolve_days": 30,
            "moderation_overdue_days": 2, "contact_retention_days": 365, "timezone": "America/New_York"}  # fmt: skip
    data.update(overrides)
    return data


def test_settings_are_stored_with_an_audit_event_per_change(client, sign_in, admin):
    sign_in(admin)
    form = settings_form(approval_required="y", daily_recognition_limit=5, timezone="Europe/London")
    assert client.post_form("/admin/settings", form).status_code == 302
    assert settings.get("approval_required") is True and settings.get("daily_recognition_limit") == 5
    assert settings.get("timezone") == "Europe/London"
    changes = {event.object_id: event.details for event in events("setting_changed")}
    assert changes == {
        "approval_required": {"old": False, "new": True},
        "daily_recognition_limit": {"old": 20, "new": 5},
        "timezone": {"old": "America/New_York", "new": "Europe/London"},
    }


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"daily_recognition_limit": 0}, "daily_recognition_limit"),
        ({"daily_recognition_limit": "lots"}, "daily_recognition_limit"),
        ({"case_acknowledge_days": 20, "case_resolve_days": 10}, "case_resolve_days"),
        ({"contact_retention_days": 99999}, "contact_retention_days"),
    ],
)
def test_bad_settings_are_refused_and_nothing_is_stored(client, sign_in, admin, overrides, field):
    sign_in(admin)
    response = client.post_form("/admin/settings", settings_form(**overrides))
    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Setting)) == 0


# --- audit trail -------------------------------------------------------------------------------


def test_audit_trail_filters_and_exports_csv(client, sign_in, admin, staff):
    sign_in(admin)  # records a login by the admin
    client.post_form("/admin/settings", settings_form(daily_recognition_limit=9))
    page = client.get("/admin/audit?action=setting_changed").get_data(as_text=True)
    assert "daily_recognition_limit" in page and "<code>login</code>" not in page
    assert "setting_changed" in client.get("/admin/audit?person=morgan").get_data(as_text=True)
    assert "No events match" in client.get("/admin/audit?person=okafor").get_data(as_text=True)
    assert "No events match" in client.get("/admin/audit?date_to=2000-01-01").get_data(as_text=True)

    response = client.get("/admin/audit.csv?action=setting_changed", buffered=True)
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data().decode("utf-8-sig"))))
    assert [(row["action"], row["object_id"], row["actor_email"]) for row in rows] == [
        ("setting_changed", "daily_recognition_limit", admin.email)
    ]
    assert events("audit_exported")


def test_audit_csv_neutralises_formulas(client, sign_in, admin, hospital):
    PersonFactory(name="=HYPERLINK(1)", email="formula@example.org", department=hospital["hospital"])
    db.session.add(AuditEvent(action="test_event", object_id="=1+1", details={}))
    db.session.flush()
    sign_in(admin)
    text = client.get("/admin/audit.csv?action=test_event", buffered=True).get_data(as_text=True)
    assert "'=1+1" in text
