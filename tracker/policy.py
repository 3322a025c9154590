"""Who may see and do what: the one place every page and API call asks.

Views declare their access rule with one of the decorators below (``public``, ``signed_in``,
``roles``); a test walks the URL map and fails for a view without one. Record-level questions
("may this person read that recognition?") and scoped queries live here too, so pages and
the API share one copy of every rule.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from tracker import settings
from tracker.extensions import db, login_manager
from tracker.models import (
    Department,
    Person,
    Recognition,
    RecognitionRecipient,
    RecognitionStatus,
    Role,
    Source,
    Visibility,
)

ACCESS_ATTRIBUTE = "__access__"


def _mark(view: Callable, rule: str) -> Callable:
    setattr(view, ACCESS_ATTRIBUTE, rule)
    return view


def public(view: Callable) -> Callable:
    """Anybody, signed in or not."""
    return _mark(view, "public")


def scim_token(view: Callable) -> Callable:
    """The hospital's directory, with a SCIM token (checked for the whole ``/scim/v2/`` blueprint)."""
    return _mark(view, "scim_token")


def signed_in(view: Callable) -> Callable:
    """Any signed-in member of staff; anonymous visitors are sent to sign in (401 for the API).

    Patient and family advisors are signed in but are not staff: they get 403 here.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if is_advisor(current_user):
            abort(403)
        return view(*args, **kwargs)

    return _mark(wrapper, "signed_in")


def own_account(view: Callable) -> Callable:
    """Any signed-in account, patient and family advisors included: a person's own profile."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapper, "own_account")


def roles(*allowed: Role) -> Callable[[Callable], Callable]:
    """Signed-in people holding at least one of ``allowed``; others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.has_role(*allowed):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, "roles:" + ",".join(sorted(allowed)))

    return decorator


def is_advisor(person: Person) -> bool:
    """A patient and family advisor's account: it judges the nominations assigned to it, nothing else."""
    return person.has_role(Role.PFAC) and not person.has_role(Role.STAFF)


# --- award programmes ------------------------------------------------------------------------

AWARD_COORDINATORS = (Role.AWARD_COORDINATOR, Role.ADMIN)
# Who may turn a patient compliment or a recognition into a nomination.
NOMINATION_MAKERS = (Role.ADVOCATE, Role.AWARD_COORDINATOR, Role.ADMIN)
# Who may sit on an award committee and open /judging: staff judges and patient and family advisors.
JUDGES = (Role.STAFF, Role.PFAC)


def may_coordinate_awards(person: Person) -> bool:
    return person.has_role(*AWARD_COORDINATORS)


def may_make_nominations_from_records(person: Person) -> bool:
    return person.has_role(*NOMINATION_MAKERS)


def may_judge(person: Person) -> bool:
    return person.has_role(*JUDGES)


def is_staff(person: Person) -> bool:
    return person.has_role(Role.STAFF)


def managed_ids_for_conflicts(person: Person) -> set[int]:
    """Departments whose people a judge manages (a conflict of interest for judging them)."""
    return managed_department_ids(person)


# --- departments -----------------------------------------------------------------------------


def subtree_ids(departments: Iterable[Department]) -> set[int]:
    """Ids of the given departments and everything below them."""
    paths = [d.path for d in departments if d.path]
    if not paths:
        return set()
    condition = sa.or_(*(Department.path.startswith(path, autoescape=True) for path in paths))
    return set(db.session.scalars(sa.select(Department.id).where(condition)))


def managed_department_ids(person: Person) -> set[int]:
    """The departments a manager answers for: every managed department's whole subtree."""
    if not person.has_role(Role.MANAGER):
        return set()
    return subtree_ids(person.managed_departments)


def sees_everything(person: Person) -> bool:
    return person.has_role(Role.ADMIN, Role.ADVOCATE)


def may_manage_department(person: Person, department: Department) -> bool:
    if person.has_role(Role.ADMIN):
        return True
    return department.id in managed_department_ids(person)


# Who reads a unit's huddle pack aloud: the unit's managers, and administrators for any unit.
HUDDLE_READERS = (Role.MANAGER, Role.ADMIN)


def may_view_huddle(person: Person, unit: Department) -> bool:
    return person.has_role(*HUDDLE_READERS) and may_manage_department(person, unit)


def dashboard_department_ids(person: Person) -> set[int] | None:
    """Departments whose dashboard the person may see; ``None`` means all of them."""
    if person.has_role(Role.ADMIN):
        return None
    return managed_department_ids(person)


# --- recognitions ----------------------------------------------------------------------------


def public_now() -> sa.ColumnElement[bool]:
    """Recognitions everybody at the hospital reads: walls, unit TVs, channels, everyone's lists.

    Published and public; a survey recognition only while the hospital's setting lets survey comments
    reach walls. The setting is read at every read, not only at approval, so turning it off takes
    down the survey recognitions approved while it was on.
    """
    public = sa.and_(Recognition.status == RecognitionStatus.PUBLISHED, Recognition.visibility == Visibility.PUBLIC)
    if settings.get("survey_comments_on_walls"):
        return public
    return sa.and_(public, Recognition.source != Source.SURVEY)


def recognition_scope(person: Person) -> sa.ColumnElement[bool]:
    """SQL condition for the recognitions a person may read .

    Staff read published public recognitions and everything they gave or received (received:
    once published); managers also read everything about people of their subtree; advocates
    and admins read everything.
    """
    if sees_everything(person):
        return sa.true()
    published = Recognition.status == RecognitionStatus.PUBLISHED
    received = sa.select(RecognitionRecipient.recognition_id).where(RecognitionRecipient.person_id == person.id)
    conditions = [
        public_now(),
        Recognition.giver_id == person.id,
        sa.and_(published, Recognition.id.in_(received)),
    ]
    managed = managed_department_ids(person)
    if managed:
        in_subtree = sa.select(RecognitionRecipient.recognition_id).where(
            RecognitionRecipient.department_id.in_(managed)
        )
        conditions.append(Recognition.id.in_(in_subtree))
        conditions.append(Recognition.unit_id.in_(managed))
    return sa.or_(*conditions)


def may_view_recognition(person: Person, recognition: Recognition) -> bool:
    if sees_everything(person):
        return True
    statement = sa.select(sa.literal(True)).where(Recognition.id == recognition.id, recognition_scope(person))
    return bool(db.session.scalar(statement))


def _answers_for(person: Person, recognition: Recognition) -> bool:
    """Admins, and managers of a recipient's department or of the recognised unit."""
    if person.has_role(Role.ADMIN):
        return True
    departments = {row.department_id for row in recognition.recipient_rows} | {recognition.unit_id}
    return bool(managed_department_ids(person) & departments)


def may_acknowledge(person: Person, recognition: Recognition) -> bool:
    """Managers of a recipient (or of the recognised unit) acknowledge; admins too. Never the giver."""
    if recognition.status != RecognitionStatus.PUBLISHED or recognition.giver_id == person.id:
        return False
    if person.id in {row.person_id for row in recognition.recipient_rows}:
        return False
    return _answers_for(person, recognition)


def may_review_recognition(person: Person, recognition: Recognition) -> bool:
    """Pending peer recognitions are approved by managers of a recipient's department, or admins."""
    if recognition.status != RecognitionStatus.PENDING or recognition.giver_id == person.id:
        return False
    return _answers_for(person, recognition)


def may_reply(person: Person, recognition: Recognition) -> bool:
    """Recipients say thank you to a published recognition."""
    return recognition.status == RecognitionStatus.PUBLISHED and person.id in {
        row.person_id for row in recognition.recipient_rows
    }


# --- patient feedback and cases ---------------------------------------------------------------


def may_moderate(person: Person) -> bool:
    return person.has_role(Role.ADVOCATE, Role.ADMIN)


# Concerns are for patient-experience staff and admins only, never staff or managers.
CASE_WORKERS = (Role.ADVOCATE, Role.ADMIN)


def may_work_cases(person: Person) -> bool:
    return person.has_role(*CASE_WORKERS)


def may_see_contact_details(person: Person) -> bool:
    """A patient's contact details are for patient-experience staff only."""
    return person.has_role(Role.ADVOCATE)


# --- channels and webhooks --------------------------------------------------------------------

# Managers connect channels for their own subtree; admins for every department and keep webhooks.
CHANNEL_KEEPERS = (Role.MANAGER, Role.ADMIN)
WEBHOOK_KEEPERS = (Role.ADMIN,)


def channel_department_ids(person: Person) -> set[int] | None:
    """Departments whose channels the person may connect and keep; ``None`` means all of them."""
    if person.has_role(Role.ADMIN):
        return None
    return managed_department_ids(person)


def may_manage_channel(person: Person, channel) -> bool:
    return may_manage_department(person, channel.department)


def may_manage_webhooks(person: Person) -> bool:
    return person.has_role(*WEBHOOK_KEEPERS)


def current_person() -> Person | None:
    """The signed-in person as a model object (``None`` for anonymous visitors)."""
    return current_user._get_current_object() if current_user.is_authenticated else None


# --- sign-in ---------------------------------------------------------------------------------


def may_use_password(person: Person, config) -> bool:
    """Password sign-in, unless it is switched off; then only for the listed break-glass administrators."""
    if config["PASSWORD_LOGIN"]:
        return True
    listed = {str(email).strip().lower() for email in config["PASSWORD_LOGIN_BREAK_GLASS"] or []}
    return person.email in listed and person.has_role(Role.ADMIN)


def may_sign_in_by_email_link(person: Person) -> bool:
    """Active patient and family advisors who hold no other role: a link to their inbox signs them in.

    Advisors are not in the hospital's directory, so they have no account at its identity provider;
    anyone with another role (staff included) signs in there or with a password, because a link is
    only as strong as the inbox it is sent to. It does not depend on ``PASSWORD_LOGIN``.
    """
    return person.active and person.roles == {Role.PFAC}


# --- you said, we did -------------------------------------------------------------------------

# Who records what a unit did about a suggestion or a resolved concern: patient-experience staff
# and admins for every unit, managers for the units of their own subtree.
ACTION_RECORDERS = (Role.ADVOCATE, Role.ADMIN, Role.MANAGER)
# Who approves an action for the unit's public page, as in moderation: patient-experience staff and admins.
ACTION_APPROVERS = (Role.ADVOCATE, Role.ADMIN)


def may_record_actions(person: Person) -> bool:
    return person.has_role(*ACTION_RECORDERS)


def action_unit_ids(person: Person) -> set[int] | None:
    """Units whose actions the person records and follows; ``None`` means every unit."""
    if person.has_role(*ACTION_APPROVERS):
        return None
    return managed_department_ids(person)


def may_record_action_for(person: Person, unit_id: int | None) -> bool:
    """A manager only for a unit of their subtree; an item without a unit is for patient experience."""
    units = action_unit_ids(person)
    return units is None or (unit_id is not None and unit_id in units)


def may_approve_actions(person: Person) -> bool:
    return person.has_role(*ACTION_APPROVERS)


def may_approve_action(person: Person, action) -> bool:
    """An advocate (or admin) approves a pending action, their own included.

    A manager's action always waits for patient experience. An advocate's own action still waits
    for an explicit approval, and they may give it themselves: the public summary has passed the
    health-information guard, and the office publishes a patient's compliment on one advocate's
    decision too, so a second advocate would only hold up small teams.
    """
    return action.status == "pending" and may_approve_actions(person)


def may_read_case_for_action(person: Person) -> bool:
    """Managers record actions on resolved concerns of their units by reference only, never reading them."""
    return may_work_cases(person)


# --- unit TV display links --------------------------------------------------------------------

# Who makes and revokes the links a unit's TV shows its recognitions through: managers for the
# units of their subtree, admins for every unit.
DISPLAY_LINK_KEEPERS = (Role.MANAGER, Role.ADMIN)


def may_manage_display_links(person: Person, unit: Department) -> bool:
    return person.has_role(*DISPLAY_LINK_KEEPERS) and may_manage_department(person, unit)


# --- patient-survey comments ------------------------------------------------------------------

# Who imports survey exports and reviews their comments in bulk: like moderation, patient
# experience and admins.
SURVEY_IMPORTERS = (Role.ADVOCATE, Role.ADMIN)
# Who reads what patients said in surveys about a unit: its managers, and admins for every unit.
SURVEY_READERS = (Role.MANAGER, Role.ADMIN)


def may_import_surveys(person: Person) -> bool:
    return person.has_role(*SURVEY_IMPORTERS)


def survey_unit_ids(person: Person) -> set[int] | None:
    """Units whose survey comments the person reads; ``None`` means every unit."""
    if person.has_role(Role.ADMIN):
        return None
    return managed_department_ids(person)
