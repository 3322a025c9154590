"""Roster import: parsing, dry run, apply (all or nothing, idempotent) through the CLI and the page."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa

from tests.factories import PersonFactory
from tracker.extensions import db
from tracker.models import AuditEvent, Person, Role
from tracker.roster import apply_plan, job_family, parse, plan_import

HEADER = "employee_id,name,email,job_title,department,role,active\n"
GOOD = (
    HEADER
    + "E1,Zoë O'Brien,zoe@example.org,Registered Nurse,ellison-12,,\n"
    + 'E2,"Ngozi Adébáyọ̀, Jr.",ngozi@example.org,Patient Transport Aide,white-6,manager,yes\n'
)


def people_snapshot():
    rows = db.session.execute(
        sa.select(Person.id, Person.name, Person.email, Person.job_title, Person.department_id, Person.active).order_by(
            Person.id
        )
    ).all()
    return [tuple(row) for row in rows]


def write(tmp_path, text: str | bytes, name="roster.csv"):
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return str(path)


def by_email(email):
    return db.session.scalar(sa.select(Person).where(Person.email == email))


@pytest.mark.parametrize(
    ("title", "family"),
    [
        ("Registered Nurse", "Nursing"),
        ("RN II - Nights", "Nursing"),
        ("Nurse Practitioner", "Nursing"),
        ("Resident Physician", "Physicians"),
        ("Patient Transport Aide", "Transport"),
        ("Food Service Worker", "Food service"),
        ("Environmental Services Associate", "Environmental services"),
        ("Security Officer", "Security"),
        ("Respiratory Therapist", "Allied health"),
        ("Unit Coordinator", "Clerical"),
        ("Nurse Manager", "Management"),
        ("Chaplain", "Other"),
        ("", "Other"),
    ],
)
def test_job_family_from_title(title, family):
    assert job_family(title) == family


def test_import_creates_people_keeping_names_exactly(runner, hospital, tmp_path):
    result = runner.invoke(args=["roster", "import", write(tmp_path, GOOD)])
    assert result.exit_code == 0, result.output
    assert "2 to create" in result.output
    zoe, ngozi = by_email("zoe@example.org"), by_email("ngozi@example.org")
    assert zoe.name == "Zoë O'Brien" and zoe.employee_id == "E1" and zoe.job_family == "Nursing"
    assert zoe.department_id == hospital["ellison-12"].id and zoe.roles == {Role.STAFF}
    assert ngozi.name == "Ngozi Adébáyọ̀, Jr." and ngozi.roles == {Role.STAFF, Role.MANAGER}
    assert ngozi.job_family == "Transport" and zoe.password_hash is None
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "roster_imported"))
    assert event.details["created"] == 2


def test_second_run_changes_nothing(runner, hospital, tmp_path):
    path = write(tmp_path, GOOD)
    assert runner.invoke(args=["roster", "import", path]).exit_code == 0
    before = people_snapshot()
    result = runner.invoke(args=["roster", "import", path])
    assert result.exit_code == 0
    assert "0 to create, 0 to update, 0 to deactivate, 2 unchanged" in result.output
    assert "Nothing to change" in result.output
    assert people_snapshot() == before


def test_dry_run_writes_nothing(runner, hospital, tmp_path):
    before = people_snapshot()
    result = runner.invoke(args=["roster", "import", write(tmp_path, GOOD), "--dry-run"])
    assert result.exit_code == 0 and "Dry run" in result.output
    assert people_snapshot() == before


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "cp1252", "utf-16"])
def test_encodings_and_windows_line_endings(runner, hospital, tmp_path, encoding):
    text = HEADER + "E9,Renée D'Arcy,renee@example.org,Cook,ellison-14,,\n"
    content = text.replace("\n", "\r\n").encode(encoding)
    result = runner.invoke(args=["roster", "import", write(tmp_path, content)])
    assert result.exit_code == 0, result.output
    assert by_email("renee@example.org").name == "Renée D'Arcy"


def test_matches_by_employee_id_then_email_and_updates(runner, hospital, staff, colleague, tmp_path):
    staff.employee_id = "E100"
    db.session.flush()
    text = (
        HEADER
        + "E100,Sam Okafor-Reid,sam.new@example.org,Charge Nurse,ellison-14,,\n"  # by employee id: new e-mail
        + "E200,Maria Lopez,MARIA@example.org,Registered Nurse,ellison-12,,\n"  # by e-mail: gains an employee id
    )
    result = runner.invoke(args=["roster", "import", write(tmp_path, text)])
    assert result.exit_code == 0, result.output
    assert "0 to create, 2 to update" in result.output
    db.session.expire_all()
    assert (staff.name, staff.email, staff.department_id) == (
        "Sam Okafor-Reid",
        "sam.new@example.org",
        hospital["ellison-14"].id,
    )
    assert colleague.employee_id == "E200"


def test_role_column_sets_roles_and_blank_keeps_them(runner, hospital, manager, tmp_path):
    text = HEADER + f"M1,{manager.name},{manager.email},Nurse Manager,ellison-12,,\n"
    assert runner.invoke(args=["roster", "import", write(tmp_path, text)]).exit_code == 0
    db.session.expire_all()
    assert manager.roles == {Role.STAFF, Role.MANAGER}
    text = HEADER + f"M1,{manager.name},{manager.email},Nurse Manager,ellison-12,staff,\n"
    assert runner.invoke(args=["roster", "import", write(tmp_path, text)]).exit_code == 0
    db.session.expire_all()
    assert manager.roles == {Role.STAFF}


def test_deactivate_missing_only_when_asked(runner, hospital, staff, admin, tmp_path):
    text = HEADER + f",{admin.name},{admin.email},Administrator,hospital,admin,\n"
    path = write(tmp_path, text)
    assert runner.invoke(args=["roster", "import", path]).exit_code == 0
    db.session.expire_all()
    assert staff.active
    result = runner.invoke(args=["roster", "import", path, "--deactivate-missing"])
    assert result.exit_code == 0 and "1 to deactivate" in result.output
    db.session.expire_all()
    assert not staff.active and admin.active


def test_deactivate_missing_may_not_remove_the_last_admin(runner, hospital, admin, tmp_path):
    path = write(tmp_path, GOOD)
    result = runner.invoke(args=["roster", "import", path, "--deactivate-missing"])
    assert result.exit_code == 1
    assert "no active administrator" in result.output
    db.session.expire_all()
    assert admin.active and by_email("zoe@example.org") is None


BAD_ROSTERS = {
    "missing column": ("employee_id,name,email,department\nE1,A,a@example.org,ellison-12\n", [1], "job_title"),
    "unknown department": (HEADER + "E1,A,a@example.org,Nurse,nowhere,,\n", [2], "unknown department"),
    "malformed e-mail": (HEADER + "E1,A,not-an-address,Nurse,ellison-12,,\n", [2], "not a valid e-mail"),
    "same employee id twice": (
        HEADER + "E1,A,a@example.org,Nurse,ellison-12,,\nE1,B,b@example.org,Nurse,ellison-12,,\n",
        [3],
        "already appears on line 2",
    ),
    "same e-mail twice": (
        HEADER + "E1,A,a@example.org,Nurse,ellison-12,,\nE2,B,A@example.org,Nurse,ellison-12,,\n",
        [3],
        "already appears on line 2",
    ),
    "empty file": ("", [1], "empty"),
    "only whitespace": ("  \r\n\r\n", [1], "empty"),
    "binary file": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", [1], "not a CSV text file"),
    "unknown role": (HEADER + "E1,A,a@example.org,Nurse,ellison-12,wizard,\n", [2], "unknown role"),
    "bad active flag": (HEADER + "E1,A,a@example.org,Nurse,ellison-12,,maybe\n", [2], "active must be"),
    "several problems": (
        HEADER
        + "E1,,a@example.org,Nurse,ellison-12,,\nE2,B,b@example.org,Nurse,nowhere,,\nE3,C,c@,Nurse,ellison-12,,\n",
        [2, 3, 4],
        "the name is missing",
    ),
}


@pytest.mark.parametrize("case", BAD_ROSTERS.keys())
def test_bad_roster_lists_every_problem_and_changes_nothing(runner, hospital, staff, tmp_path, case):
    content, lines, message = BAD_ROSTERS[case]
    # A good row alongside the bad ones must not be written either: all or nothing.
    if isinstance(content, str) and content.startswith(HEADER):
        content += "E77,Good Row,good@example.org,Nurse,ellison-12,,\n"
    before = people_snapshot()
    path = write(tmp_path, content)

    dry = runner.invoke(args=["roster", "import", path, "--dry-run"])
    assert dry.exit_code == 1
    assert [f"line {line}:" in dry.output for line in lines] == [True] * len(lines), dry.output
    assert message in dry.output

    applied = runner.invoke(args=["roster", "import", path])
    assert applied.exit_code == 1
    assert "Nothing was changed" in applied.output
    assert people_snapshot() == before


def test_email_of_another_person_is_refused(hospital, staff, colleague):
    staff.employee_id = "E1"
    db.session.flush()
    parsed = parse((HEADER + f"E1,Sam,{colleague.email},Nurse,ellison-12,,\n").encode())
    plan = plan_import(parsed)
    assert [error.line for error in plan.errors] == [2]
    assert "belongs to another person" in plan.errors[0].message


def test_apply_refuses_a_plan_with_errors(hospital):
    from tracker.roster import PlanHasErrors

    plan = plan_import(parse(b"name\nx\n"))
    with pytest.raises(PlanHasErrors):
        apply_plan(plan)


def test_semicolon_separated_file_from_european_excel(hospital):
    text = "employee_id;name;email;job_title;department\nE5;Ana;ana@example.org;Cook;ellison-12\n"
    plan = plan_import(parse(text.encode()))
    assert plan.ok and len(plan.creates) == 1


# --- the page ----------------------------------------------------------------------------------


def upload(client, content: bytes, deactivate_missing=False):
    data = {"file": (io.BytesIO(content), "roster.csv")}
    if deactivate_missing:
        data["deactivate_missing"] = "y"
    return client.post_form("/admin/roster", data, content_type="multipart/form-data")


def test_upload_dry_run_then_apply(client, sign_in, admin):
    sign_in(admin)
    response = upload(client, GOOD.encode())
    assert response.status_code == 302
    review = client.get(response.headers["Location"])
    page = review.get_data(as_text=True)
    assert review.status_code == 200
    assert "Zoë O&#39;Brien" in page and "Apply these changes" in page
    assert by_email("zoe@example.org") is None  # the dry run wrote nothing

    apply_url = response.headers["Location"].split("?")[0] + "/apply"
    applied = client.post_form(apply_url, {"deactivate_missing": "0"})
    assert applied.status_code == 302
    assert by_email("zoe@example.org").name == "Zoë O'Brien"
    assert client.post_form(apply_url, {"deactivate_missing": "0"}).status_code == 404  # used up


def test_upload_with_errors_shows_lines_and_cannot_be_applied(client, sign_in, admin):
    sign_in(admin)
    content, _lines, _message = BAD_ROSTERS["several problems"]
    response = upload(client, content.encode())
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Problems to fix" in page and "the name is missing" in page and "Apply these changes" not in page
    before = people_snapshot()
    applied = client.post_form(response.headers["Location"].split("?")[0] + "/apply", {"deactivate_missing": "0"})
    assert applied.status_code == 422
    assert people_snapshot() == before


def test_upload_needs_a_file(client, sign_in, admin):
    sign_in(admin)
    response = client.post_form("/admin/roster", {}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Choose the roster file" in response.get_data(as_text=True)


def test_another_admin_cannot_apply_my_upload(client, sign_in, admin, hospital):
    other = PersonFactory(email="other.admin@example.org", roles={Role.ADMIN}, department=hospital["hospital"])
    sign_in(admin)
    location = upload(client, GOOD.encode()).headers["Location"]
    client.sign_out()
    sign_in(other)
    assert client.get(location).status_code == 404
