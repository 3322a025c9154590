"""The authorisation matrix: every route and method, requested for real as every kind of visitor.

``MATRIX`` names, for each endpoint and method, what anonymous visitors, staff, a manager inside the
sample records' subtree (Medicine), a manager outside it (Surgery), advocates and admins get. A route
without an entry fails the test, so a new page cannot ship without someone deciding who may use it;
a view without a policy decorator fails too. Each request runs inside a savepoint that is rolled back,
so one role's POST (delete, approve, sign out) never changes what the next one sees.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa
from flask import url_for

from tests.factories import PASSWORD, FeedbackFactory, PersonFactory, RecognitionFactory
from tracker import policy
from tracker.auth import email_links
from tracker.auth.password_links import make_token
from tracker.auth.services import create_token
from tracker.cases.services import resolve
from tracker.extensions import db
from tracker.feedback.services import hospital_today as today
from tracker.feedback.services import open_case
from tracker.integrations import secrets
from tracker.models import (
    ApiToken,
    Channel,
    ChannelKind,
    DeliveryStatus,
    DisplayLink,
    FeedbackStatus,
    FeedbackType,
    IntegrationDelivery,
    PostKind,
    RecognitionStatus,
    Role,
    Standard,
    Visibility,
    WebhookEndpoint,
)

ROLES = ("anonymous", "staff", "manager", "other_manager", "advocate", "admin", "coordinator", "pfac")

OK = "ok"  # the policy let the request through (a page, a redirect after success, or a validation answer)
LOGIN = "login"  # sent to sign in (pages) or 401 (API)
DENIED = "denied"  # 403: signed in, but the role does not allow it
HIDDEN = "hidden"  # 404: the record is out of this person's scope, or does not exist for them

# Assets are served to everybody by Flask and Bootstrap-Flask; they carry no policy marker of ours.
ASSET_ENDPOINTS = {"static", "bootstrap.static"}


@dataclass(frozen=True)
class Expect:
    outcomes: dict[str, str]
    records: dict[str, str] = field(default_factory=dict)  # URL argument → a key of the sample records


def public(**records) -> Expect:
    return Expect(dict.fromkeys(ROLES, OK), records)


def signed_in(**overrides) -> Expect:
    """Signed-in staff pass; a patient and family advisor's account is not staff and gets 403."""
    records = overrides.pop("records", {})
    return Expect({"anonymous": LOGIN, **dict.fromkeys(ROLES[1:], OK), "pfac": DENIED, **overrides}, records)


def only(*allowed: str, otherwise: str = DENIED, **overrides) -> Expect:
    """Signed-in people in ``allowed`` pass; other signed-in people get ``otherwise``."""
    records = overrides.pop("records", {})
    outcomes = {role: (OK if role in allowed else otherwise) for role in ROLES[1:]}
    if "pfac" not in allowed:
        outcomes["pfac"] = DENIED  # the advisor's account is refused before any record is looked up
    return Expect({"anonymous": LOGIN, **outcomes, **overrides}, records)


def managers_of_medicine(**records) -> Expect:
    """Manager pages about a record or unit of Medicine: the Surgery manager passes the role check, then 404."""
    return only("manager", "admin", other_manager=HIDDEN, **records)


PATIENT_EXPERIENCE = ("advocate", "admin")
MANAGERS = ("manager", "other_manager", "admin")
IN_SCOPE_MANAGERS = ("manager", "admin")
# A private recognition within Medicine: its managers, advocates and admins read it; others get 404.
PRIVATE_RECORD = {"staff": HIDDEN, "other_manager": HIDDEN, "coordinator": HIDDEN}
COORDINATORS = ("coordinator", "admin")
JUDGES = ("staff", "manager", "other_manager", "advocate", "admin", "coordinator", "pfac")
PROGRAMME = {"slug": "programme_slug"}
# The sample assignment is the advisor's: other judges get 404 for it.
ADVISORS_ASSIGNMENT = dict.fromkeys(JUDGES[:-1], HIDDEN)

SCIM_ONLY = Expect(dict.fromkeys(ROLES, LOGIN))
# A noted suggestion and a resolved concern of Ellison 12, for "you said, we did".
SUGGESTION = {"feedback_id": "suggestion_id"}
UNIT_CASE = {"case_id": "unit_case_id"}

NO_SURVEY_RECORD = {"advocate": HIDDEN, "admin": HIDDEN}
NO_MAPPING = {"mapping_id": "feedback_id"}
NO_IMPORT = {"import_id": "feedback_id"}

MATRIX: dict[tuple[str, str], Expect] = {
    # assets and public pages
    ("static", "GET"): public(filename="stylesheet"),
    ("bootstrap.static", "GET"): public(filename="bootstrap_css"),
    ("home.index", "GET"): public(),
    ("home.healthz", "GET"): public(),
    ("home.set_language", "POST"): public(),
    ("auth.login", "GET"): public(),
    ("auth.login", "POST"): public(),
    ("auth.logout", "POST"): public(),
    # Public, but not found while no OpenID provider is configured (as in this suite's app).
    # Teams and Slack channels (managers for their subtree, admins) and webhooks (admins)
    ("integrations.channels_index", "GET"): only(*MANAGERS),
    ("integrations.channels_index", "POST"): only(*MANAGERS),
    ("integrations.channel_detail", "GET"): managers_of_medicine(),
    ("integrations.channel_detail", "POST"): managers_of_medicine(),
    ("integrations.channel_test", "POST"): managers_of_medicine(),
    ("integrations.channel_pause", "POST"): managers_of_medicine(),
    ("integrations.channel_resume", "POST"): managers_of_medicine(),
    ("integrations.channel_remove", "POST"): managers_of_medicine(),
    ("integrations.delivery_replay", "POST"): managers_of_medicine(),
    ("integrations.webhooks_index", "GET"): only("admin"),
    ("integrations.webhooks_index", "POST"): only("admin"),
    ("integrations.webhook_detail", "GET"): only("admin"),
    ("integrations.webhook_test", "POST"): only("admin"),
    ("integrations.webhook_pause", "POST"): only("admin"),
    ("integrations.webhook_resume", "POST"): only("admin"),
    ("integrations.webhook_remove", "POST"): only("admin"),
    ("identity.start", "GET"): Expect(dict.fromkeys(ROLES, HIDDEN)),
    ("identity.callback", "GET"): Expect(dict.fromkeys(ROLES, HIDDEN)),
    # SCIM answers only its own bearer token: a session, whoever it belongs to, gets 401.
    ("scim.service_provider_config", "GET"): SCIM_ONLY,
    ("scim.resource_types_list", "GET"): SCIM_ONLY,
    ("scim.resource_type", "GET"): SCIM_ONLY,
    ("scim.schemas_list", "GET"): SCIM_ONLY,
    ("scim.schema", "GET"): SCIM_ONLY,
    ("scim.unknown", "GET"): SCIM_ONLY,
    ("scim.unknown", "POST"): SCIM_ONLY,
    ("scim.unknown", "PUT"): SCIM_ONLY,
    ("scim.unknown", "PATCH"): SCIM_ONLY,
    ("scim.unknown", "DELETE"): SCIM_ONLY,
    ("scim.list_users", "GET"): SCIM_ONLY,
    ("scim.create_user", "POST"): SCIM_ONLY,
    ("scim.get_user", "GET"): SCIM_ONLY,
    ("scim.replace_user", "PUT"): SCIM_ONLY,
    ("scim.patch_user", "PATCH"): SCIM_ONLY,
    ("scim.delete_user", "DELETE"): SCIM_ONLY,
    ("scim.list_groups", "GET"): SCIM_ONLY,
    ("scim.create_group", "POST"): SCIM_ONLY,
    ("scim.get_group", "GET"): SCIM_ONLY,
    ("scim.replace_group", "PUT"): SCIM_ONLY,
    ("scim.patch_group", "PATCH"): SCIM_ONLY,
    ("scim.delete_group", "DELETE"): SCIM_ONLY,
    ("auth.set_password", "GET"): public(token="password_link"),
    ("auth.set_password", "POST"): public(token="password_link"),
    ("auth.email_link_request", "GET"): public(),
    ("auth.email_link_request", "POST"): public(),
    ("auth.email_link", "GET"): public(token="sign_in_link"),
    ("auth.email_link", "POST"): public(token="sign_in_link"),  # signs the advisor in, whoever presses
    ("feedback.form", "GET"): public(),
    ("feedback.form", "POST"): public(),
    ("feedback.thanks", "GET"): public(),
    ("feedback.poster", "GET"): public(),
    ("feedback.poster_code", "GET"): public(),
    # signed-in pages
    ("feedback.enter", "GET"): signed_in(),
    ("feedback.enter", "POST"): signed_in(),
    ("profile.index", "GET"): signed_in(pfac=OK),  # every account has its own profile
    ("profile.index", "POST"): signed_in(pfac=OK),
    ("profile.walls", "POST"): signed_in(),
    ("tokens.index", "GET"): signed_in(),
    ("tokens.create", "POST"): signed_in(),
    ("tokens.revoke", "POST"): only("staff", otherwise=HIDDEN, pfac=DENIED),  # the sample token is the staff member's
    ("recognitions.new", "GET"): signed_in(),
    ("recognitions.new", "POST"): signed_in(),
    ("recognitions.mine", "GET"): signed_in(),
    ("recognitions.wall", "GET"): signed_in(),
    ("recognitions.display", "GET"): signed_in(),
    ("recognitions.detail", "GET"): signed_in(**PRIVATE_RECORD),
    # Only the people recognised say thank you; only managers of the recipients (and admins) acknowledge.
    ("recognitions.reply", "POST"): only(otherwise=DENIED, **PRIVATE_RECORD),
    ("recognitions.acknowledge", "POST"): only(*IN_SCOPE_MANAGERS, **PRIVATE_RECORD),
    ("recognitions.approvals", "GET"): only(*MANAGERS),
    ("recognitions.approve", "POST"): managers_of_medicine(records={"recognition_id": "pending_recognition"}),
    ("recognitions.return_to_giver", "POST"): managers_of_medicine(records={"recognition_id": "pending_recognition"}),
    # managers
    ("dashboard.index", "GET"): only("manager", "other_manager", "advocate", "admin"),
    ("dashboard.export_recognitions", "GET"): only(*MANAGERS),
    ("dashboard.export_not_recognised", "GET"): only(*MANAGERS),
    ("dashboard.export_weekly", "GET"): only(*MANAGERS),
    ("dashboard.export_standards", "GET"): only(*MANAGERS),
    ("dashboard.export_heat_map", "GET"): only(*MANAGERS),
    ("dashboard.export_units", "GET"): only(*MANAGERS),
    ("dashboard.export_job_families", "GET"): only(*MANAGERS),
    ("dashboard.export_equity", "GET"): only(*MANAGERS),
    ("dashboard.acknowledge", "POST"): managers_of_medicine(),
    ("dashboard.huddle_pack", "GET"): managers_of_medicine(),
    # patient experience
    ("moderation.queue", "GET"): only(*PATIENT_EXPERIENCE),
    ("moderation.export_decisions", "GET"): only(*PATIENT_EXPERIENCE),
    ("moderation.item", "GET"): only(*PATIENT_EXPERIENCE),
    ("moderation.approve", "POST"): only(*PATIENT_EXPERIENCE),
    ("moderation.reject", "POST"): only(*PATIENT_EXPERIENCE),
    ("moderation.convert", "POST"): only(*PATIENT_EXPERIENCE),
    ("moderation.redact", "POST"): only(*PATIENT_EXPERIENCE),
    ("moderation.split", "POST"): only(*PATIENT_EXPERIENCE),
    ("cases.index", "GET"): only(*PATIENT_EXPERIENCE),
    ("cases.export", "GET"): only(*PATIENT_EXPERIENCE),
    ("cases.detail", "GET"): only(*PATIENT_EXPERIENCE),
    ("cases.letter", "GET"): only(*PATIENT_EXPERIENCE, records={"case_id": "resolved_case"}),
    ("cases.assign", "POST"): only(*PATIENT_EXPERIENCE),
    ("cases.add_note", "POST"): only(*PATIENT_EXPERIENCE),
    ("cases.change_status", "POST"): only(*PATIENT_EXPERIENCE),
    ("cases.resolve", "POST"): only(*PATIENT_EXPERIENCE),
    ("cases.email_letter", "POST"): only(*PATIENT_EXPERIENCE, records={"case_id": "resolved_case"}),
    # administration
    ("admin.index", "GET"): only("admin"),
    ("admin.audit_index", "GET"): only("admin"),
    ("admin.audit_export", "GET"): only("admin"),
    ("admin.people_index", "GET"): only("admin"),
    ("admin.person_edit", "GET"): only("admin"),
    ("admin.person_edit", "POST"): only("admin"),
    ("admin.person_password_link", "POST"): only("admin"),
    ("admin.departments_index", "GET"): only("admin"),
    ("admin.departments_index", "POST"): only("admin"),
    ("admin.department_edit", "GET"): only("admin"),
    ("admin.department_edit", "POST"): only("admin"),
    ("admin.standards_index", "GET"): only("admin"),
    ("admin.standards_index", "POST"): only("admin"),
    ("admin.standard_edit", "GET"): only("admin"),
    ("admin.standard_edit", "POST"): only("admin"),
    ("admin.standard_delete", "POST"): only("admin"),
    ("admin.behaviour_add", "POST"): only("admin"),
    ("admin.behaviour_edit", "GET"): only("admin"),
    ("admin.behaviour_edit", "POST"): only("admin"),
    ("admin.settings_page", "GET"): only("admin"),
    ("admin.settings_page", "POST"): only("admin"),
    ("admin.roster_index", "GET"): only("admin"),
    ("admin.roster_index", "POST"): only("admin"),
    ("admin.roster_review", "GET"): only("admin", admin=HIDDEN),  # no upload behind the sample token
    ("admin.roster_apply", "POST"): only("admin", admin=HIDDEN),
    # JSON API
    ("api.openapi_document", "GET"): public(),
    ("api.browse_docs", "GET"): public(),
    ("api.standards", "GET"): public(),
    ("api.departments", "GET"): public(),
    ("api.create_feedback", "POST"): public(),
    ("api.people", "GET"): signed_in(),
    ("api.list_recognitions", "GET"): signed_in(),
    ("api.create_recognition", "POST"): signed_in(),
    ("api.get_recognition", "GET"): signed_in(**PRIVATE_RECORD),
    ("api.dashboard_summary", "GET"): only(*MANAGERS),
    ("api.list_webhooks", "GET"): only("admin"),
    ("api.create_webhook", "POST"): only("admin"),
    ("api.get_webhook", "GET"): only("admin"),
    ("api.update_webhook", "PATCH"): only("admin"),
    ("api.delete_webhook", "DELETE"): only("admin"),
    ("api.webhook_deliveries", "GET"): only("admin"),
    # The sample delivery is a channel's: it cannot be replayed through an endpoint's address.
    ("api.replay_webhook_delivery", "POST"): only("admin", admin=HIDDEN),
    # award programmes: public pages, the coordinator's pages, judging
    ("awards.index", "GET"): public(),
    ("awards.honour_roll", "GET"): public(**PROGRAMME),
    ("awards.nominate", "GET"): public(**PROGRAMME),
    ("awards.nominate", "POST"): public(**PROGRAMME),
    ("awards.nominated", "GET"): public(**PROGRAMME),
    # The sample nomination is not announced, so it has no certificate yet.
    ("awards.certificate", "GET"): signed_in(**dict.fromkeys(JUDGES[:-1], HIDDEN)),
    ("awards.manage", "GET"): only(*COORDINATORS),
    ("awards.manage", "POST"): only(*COORDINATORS),
    ("awards.programme", "GET"): only(*COORDINATORS, records=PROGRAMME),
    ("awards.add_criterion", "POST"): only(*COORDINATORS, records=PROGRAMME),
    ("awards.add_judge", "POST"): only(*COORDINATORS, records=PROGRAMME),
    ("awards.remove_judge", "POST"): only(*COORDINATORS, records=PROGRAMME),
    ("awards.add_cycle", "POST"): only(*COORDINATORS, records=PROGRAMME),
    ("awards.cycle", "GET"): only(*COORDINATORS),
    ("awards.advance", "POST"): only(*COORDINATORS),
    ("awards.leaderboard", "GET"): only(*COORDINATORS),
    ("awards.export_cycle", "GET"): only(*COORDINATORS),
    ("awards.nomination", "GET"): only(*COORDINATORS),
    ("awards.blind", "POST"): only(*COORDINATORS),
    ("awards.shortlist", "POST"): only(*COORDINATORS),
    ("awards.decide", "POST"): only(*COORDINATORS),
    ("awards.fulfilment", "POST"): only(*COORDINATORS),
    ("awards.daisy_export", "GET"): only(*COORDINATORS, coordinator=HIDDEN, admin=HIDDEN),  # not announced yet
    ("awards.convert", "GET"): only("advocate", *COORDINATORS),
    ("awards.convert", "POST"): only("advocate", *COORDINATORS),
    ("awards.judging_index", "GET"): only(*JUDGES),
    ("awards.judging_assignment", "GET"): only(*JUDGES, **ADVISORS_ASSIGNMENT),
    ("awards.judging_assignment", "POST"): only(*JUDGES, **ADVISORS_ASSIGNMENT),
    ("awards.declare_conflict", "POST"): only(*JUDGES, **ADVISORS_ASSIGNMENT),
    ("api.awards", "GET"): public(),
    ("api.create_nomination", "POST"): public(**PROGRAMME),
    ("api.judging_assignments", "GET"): only(*JUDGES),
    ("api.judging_assignment", "GET"): only(*JUDGES, **ADVISORS_ASSIGNMENT),
    ("api.judging_score", "POST"): only(*JUDGES),  # the empty body is refused (422) before the record is read
    # you said, we did: patient experience and admins for every unit, managers for their subtree;
    # only patient experience and admins approve. Each unit's page and poster are public.
    ("yousaid.index", "GET"): only("advocate", *MANAGERS),
    ("yousaid.record_for_suggestion", "GET"): managers_of_medicine(advocate=OK, records=SUGGESTION),
    ("yousaid.record_for_suggestion", "POST"): managers_of_medicine(advocate=OK, records=SUGGESTION),
    ("yousaid.record_for_case", "GET"): managers_of_medicine(advocate=OK, records=UNIT_CASE),
    ("yousaid.record_for_case", "POST"): managers_of_medicine(advocate=OK, records=UNIT_CASE),
    ("yousaid.approve", "POST"): only(*PATIENT_EXPERIENCE),
    ("yousaid.reject", "POST"): only(*PATIENT_EXPERIENCE),
    ("yousaid.unit_page", "GET"): public(),
    ("yousaid.poster", "GET"): public(),
    # unit TV display links: the unit's managers and admins keep them; the link alone opens the display
    ("displays.index", "GET"): managers_of_medicine(),
    ("displays.create", "POST"): managers_of_medicine(),
    ("displays.confirm_revoke", "GET"): managers_of_medicine(),
    ("displays.revoke", "POST"): managers_of_medicine(),
    ("displays.kiosk", "GET"): public(token="display_token"),
    # patient-survey comments: imported and reviewed by patient experience and admins (no import,
    # mapping or upload exists behind the sample ids); what patients said is for managers and admins
    ("surveys.index", "GET"): only(*PATIENT_EXPERIENCE),
    ("surveys.index", "POST"): only(*PATIENT_EXPERIENCE),
    ("surveys.new_mapping", "GET"): only(*PATIENT_EXPERIENCE),
    ("surveys.new_mapping", "POST"): only(*PATIENT_EXPERIENCE),
    ("surveys.edit_mapping", "GET"): only(*PATIENT_EXPERIENCE, **NO_SURVEY_RECORD, records=NO_MAPPING),
    ("surveys.edit_mapping", "POST"): only(*PATIENT_EXPERIENCE, **NO_SURVEY_RECORD, records=NO_MAPPING),
    ("surveys.check", "GET"): only(*PATIENT_EXPERIENCE, **NO_SURVEY_RECORD),
    ("surveys.save_codes", "POST"): only(*PATIENT_EXPERIENCE, **NO_SURVEY_RECORD),
    ("surveys.apply", "POST"): only(*PATIENT_EXPERIENCE, **NO_SURVEY_RECORD),
    ("surveys.batch", "GET"): only(*PATIENT_EXPERIENCE, **NO_SURVEY_RECORD, records=NO_IMPORT),
    ("surveys.decide", "POST"): only(*PATIENT_EXPERIENCE, **NO_SURVEY_RECORD, records=NO_IMPORT),
    ("surveys.said", "GET"): only(*MANAGERS),
}


@pytest.fixture
def award_records(hospital, colleague, surgeon):
    """A programme in judging whose one nomination is assigned to the advisor."""
    from tests.factories import PersonFactory
    from tracker.awards import blinding, committee, nominations, programmes
    from tracker.models import Role

    advisor = PersonFactory(name="Pat Fenwick", email="advisor@example.org", department=None, roles={Role.PFAC})
    programme = programmes.create_programme(name="DAISY Award", slug="daisy", judges_per_nomination=1)
    programmes.add_criterion(programme, name="Compassion")
    day = today()
    cycle = programmes.create_cycle(
        programme,
        name="Q4",
        dates=dict.fromkeys(("nominating_from", "judging_from", "deciding_from", "announced_on", "closes_on"), day),
    )
    member = committee.add_member(programme, advisor.email)
    nomination = nominations.submit_nomination(
        programme,
        story="She explained every step of the night to us.",
        nominee=colleague,
        relation="family",
        consent=True,
    )
    blinding.approve(nomination, blinding.suggested_copy(nomination))
    programmes.advance(cycle, "judging")
    db.session.flush()
    return {
        "programme_slug": programme.slug,
        "cycle_id": cycle.id,
        "nomination_id": nomination.id,
        "member_id": member.id,
        "assignment_id": nomination.assignments[0].id,
        "kind": "feedback",
        "advisor": advisor,
    }


@pytest.fixture
def yousaid_records(hospital, manager, advocate):
    """A noted suggestion and a resolved concern of Ellison 12, and an action waiting for approval."""
    from tracker.yousaid import services as yousaid

    unit = hospital["ellison-12"]
    suggestion = FeedbackFactory(
        type=FeedbackType.SUGGESTION, status=FeedbackStatus.NOTED, unit=unit, approved_message="More chairs."
    )
    concern = open_case(FeedbackFactory(type=FeedbackType.CONCERN, unit=unit), summary="Noisy at night")
    resolve(concern, advocate, contact="Luz Ortega", steps="Asked.", outcome="Quieter.", completed_on=today())
    action = yousaid.record_action(
        manager, summary="We added chairs.", unit_id=unit.id, month=today().strftime("%Y-%m"), feedback=suggestion
    )
    return {"suggestion_id": suggestion.id, "unit_case_id": concern.id, "action_id": action.id}


@pytest.fixture
def records(hospital, staff, colleague, manager, other_manager, advocate, admin, award_records, yousaid_records):
    """Sample records inside Medicine (Ellison 12 and 14), out of the Surgery manager's reach."""
    giver = PersonFactory(name="Ravi Nair", email="ravi@example.org", department=hospital["ellison-14"])
    recognition = RecognitionFactory(giver=giver, recipients=[colleague], visibility=Visibility.PRIVATE)
    pending = RecognitionFactory(giver=giver, recipients=[colleague], status=RecognitionStatus.PENDING)
    compliment = FeedbackFactory(unit=hospital["ellison-12"])
    concern = FeedbackFactory(type=FeedbackType.CONCERN, message="Nobody answered the call bell for an hour.")
    case = open_case(concern, summary="Call bell not answered")
    resolved = open_case(FeedbackFactory(type=FeedbackType.CONCERN), summary="Meal was cold")
    resolve(
        resolved, advocate, contact="Luz Ortega", steps="Spoke to the kitchen.", outcome="Fixed.", completed_on=today()
    )
    create_token(staff, "sample")
    display = DisplayLink(department=hospital["ellison-12"], label="TV", token_hash=DisplayLink.hash("tv"))
    db.session.add(display)
    channel, endpoint = _integration_records(hospital["ellison-12"])
    standard = db.session.scalars(sa.select(Standard).order_by(Standard.position)).first()
    db.session.flush()
    return {
        "recognition_id": recognition.id,
        "pending_recognition": pending.id,
        "feedback_id": compliment.id,
        "case_id": case.id,
        "resolved_case": resolved.id,
        "person_id": colleague.id,
        "department_id": hospital["ellison-12"].id,
        "unit_slug": "ellison-12",
        "slug": "ellison-12",
        "standard_id": standard.id,
        "behaviour_id": standard.behaviors[0].id,
        "token_id": db.session.scalar(sa.select(ApiToken.id).where(ApiToken.person_id == staff.id)),
        "token": "no-such-upload",
        "password_link": make_token(colleague),
        "stylesheet": "css/app.css",
        "group_id": "no-such-group",
        "user_id": colleague.id,
        "type_id": "User",
        "schema_id": "urn:ietf:params:scim:schemas:core:2.0:User",
        "anything": "Nothing",
        "bootstrap_css": "css/bootstrap.min.css",
        "record_id": compliment.id,
        "channel_id": channel.id,
        "endpoint_id": endpoint.id,
        "delivery_id": db.session.scalar(
            sa.select(IntegrationDelivery.id).where(IntegrationDelivery.channel_id == channel.id)
        ),
        **award_records,
        **yousaid_records,
        "sign_in_link": email_links.make_token(award_records["advisor"]),
        "link_id": display.id,
        "display_token": "tv",
    }


def _integration_records(unit):
    """A Slack channel of Ellison 12 with one delivery, and a webhook endpoint (addresses nobody answers)."""
    channel = Channel(
        department=unit,
        kind=ChannelKind.SLACK,
        url_encrypted=secrets.encrypt("https://hooks.invalid/services/T0/B0/x"),
        url_hint="hooks.invalid …/x",
    )
    endpoint = WebhookEndpoint(
        url_encrypted=secrets.encrypt("https://hooks.invalid/events"),
        url_hint="hooks.invalid …ents",
        events=["recognition.published"],
        secret_encrypted=secrets.encrypt("whsec_" + "A" * 32),
    )
    db.session.add_all([channel, endpoint])
    db.session.flush()
    db.session.add(
        IntegrationDelivery(
            kind=PostKind.RECOGNITION,
            event_key="sample",
            idempotency_key=f"sample-{channel.id}",
            message_id="msg_sample",
            channel_id=channel.id,
            payload={"text": "sample"},
            status=DeliveryStatus.FAILED,
        )
    )
    return channel, endpoint


def routes(app):
    """Every (rule, method) the app answers, without the automatic HEAD and OPTIONS."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule)):
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_has_an_entry_and_every_entry_a_route(app):
    present = {(rule.endpoint, method) for rule, method in routes(app)}
    missing = sorted(present - MATRIX.keys())
    stale = sorted(MATRIX.keys() - present)
    assert not missing, f"routes without an entry in MATRIX (decide who may use them): {missing}"
    assert not stale, f"MATRIX entries for routes that no longer exist: {stale}"


def test_every_view_declares_its_access_rule(app):
    unmarked = sorted(
        endpoint
        for endpoint, view in app.view_functions.items()
        if endpoint not in ASSET_ENDPOINTS and getattr(view, policy.ACCESS_ATTRIBUTE, None) is None
    )
    assert not unmarked, f"views without @policy.public, @policy.signed_in or @policy.roles: {unmarked}"


def outcome(response) -> str:
    if response.status_code >= 500:
        return f"server error {response.status_code}"
    if response.status_code == 401:
        return LOGIN
    if response.status_code == 302 and response.headers["Location"].startswith("/login?next="):
        return LOGIN
    if response.status_code == 403:
        return DENIED
    if response.status_code == 404:
        return HIDDEN
    return OK


class Visitor:
    """A test client signed in as one person (or nobody), whose session survives sign-out requests."""

    def __init__(self, app, person):
        self.client = app.test_client()
        if person is not None:
            assert self.client.sign_in(person.email, PASSWORD).status_code == 302
        self.token = self.client.csrf_token()
        self.cookie = self.client.get_cookie("session")

    def request(self, method: str, url: str):
        # Buffered, so streamed answers (CSV exports) are read while their request is still open.
        if url.startswith("/api/"):
            response = self.client.open(url, method=method, json={}, headers={"X-CSRFToken": self.token}, buffered=True)
        elif method == "POST":
            response = self.client.post(url, data={"csrf_token": self.token}, buffered=True)
        else:
            response = self.client.get(url, buffered=True)
        self.client.set_cookie(self.cookie.key, self.cookie.value, domain=self.cookie.domain, path=self.cookie.path)
        return response


def test_authorization_matrix(app, records, staff, manager, other_manager, advocate, admin):
    coordinator = PersonFactory(name="Cora Whitby", email="coordinator@example.org", roles={Role.AWARD_COORDINATOR})
    db.session.flush()
    people = {
        "coordinator": coordinator,
        "pfac": records["advisor"],
        "anonymous": None,
        "staff": staff,
        "manager": manager,
        "other_manager": other_manager,
        "advocate": advocate,
        "admin": admin,
    }
    visitors = {role: Visitor(app, person) for role, person in people.items()}
    wrong = []
    requests = 0
    for rule, method in routes(app):
        expect = MATRIX[(rule.endpoint, method)]
        values = {name: records[expect.records.get(name, name)] for name in rule.arguments}
        with app.test_request_context():
            url = url_for(rule.endpoint, **values)
        for role in ROLES:
            savepoint = db.session.begin_nested()
            db.session.connection()  # emit the SAVEPOINT now, before the request's own work
            try:
                got = outcome(visitors[role].request(method, url))
            except Exception as error:  # the test app propagates errors; report every one, not the first
                got = f"server error ({error!r})"
            finally:
                savepoint.rollback()
            requests += 1
            if got != expect.outcomes[role]:
                wrong.append(f"{method} {url} as {role}: expected {expect.outcomes[role]}, got {got}")
    print(f"authorisation matrix: {requests} requests, {len(MATRIX)} entries, {len(wrong)} unexpected")
    assert not wrong, "\n".join(wrong)
