"""Writing a checked plan with set-based SQL: bulk inserts, executemany updates, no per-row queries.

The one writer of the people directory's upkeep: roster imports and SCIM provisioning both
apply plans here, so creation, deactivation (sessions and API tokens end with it), the
dashboard's roll-ups and the audit trail follow the same rules whoever sends the change.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa

from tracker import audit, bulk
from tracker.dashboard import rollup
from tracker.extensions import db
from tracker.integrations import events as integration_events
from tracker.models import ApiToken, Person, PersonRole, utcnow
from tracker.roster.planning import RosterPlan

PERSON_COLUMNS = (
    "id",
    "name",
    "email",
    "job_title",
    "job_family",
    "department_id",
    "employee_id",
    "active",
    "show_on_walls",
    "email_notifications",
    "created_at",
    "updated_at",
)
# What an import writes for a new person: the columns above and the language from the file.
IMPORTED_COLUMNS = (*PERSON_COLUMNS, "language")
CHUNK = 5000


class PlanHasErrors(Exception):
    """Raised when asked to apply a plan that lists problems: nothing is written."""


def apply_plan(
    plan: RosterPlan,
    *,
    filename: str = "",
    on_progress: Callable[[int], None] | None = None,
    source: str = "roster",
) -> dict:
    """Write the plan in the current transaction (the caller commits) and audit it; returns the counts.

    ``source`` says who sent the change: a roster import is audited as one event (with its counts),
    any other source (``scim``, ``sign_in``) one event per person. Deactivations are always audited
    one by one. New people's ids are set on their targets.
    """
    if not plan.ok:
        raise PlanHasErrors(f"{len(plan.errors)} problem(s) in the roster")
    progress = on_progress or (lambda _count: None)
    connection = db.session.connection()
    now = utcnow()
    _insert_people(connection, plan, now)
    progress(len(plan.creates))
    _update_people(plan, now)
    progress(len(plan.updates))
    deactivated = [person.id for person in plan.deactivations] + [
        target.person_id for target in plan.updates if "active" in target.changes and not target.values["active"]
    ]
    end_access(deactivated, now)
    progress(len(plan.deactivations))
    # Bulk SQL skips the session hook: copy the people just written into the dashboard's roll-ups.
    rollup.copy_people(db.session, sa.select(Person.id).where(Person.updated_at == now))
    integration_events.people_deactivated(deactivated, now)
    db.session.expire_all()
    counts = plan.summary()
    counts.pop("errors")
    for person_id in deactivated:
        audit.record("person_deactivated", "person", person_id, source=source)
    if source == "roster":
        audit.record("roster_imported", "roster", "", filename=filename or None, **counts)
    else:
        for target in plan.creates:
            audit.record("person_created", "person", target.person_id, source=source)
        for target in plan.updates:
            changes = target.changes + (["roles"] if target.roles_changed else [])
            audit.record("person_updated", "person", target.person_id, source=source, changes=changes)
    return counts


def _insert_people(connection, plan: RosterPlan, now) -> None:
    if not plan.creates:
        return
    first_id = bulk.next_id(connection, "people")
    rows, role_rows = [], []
    for offset, target in enumerate(plan.creates):
        person_id = first_id + offset
        values = target.values
        rows.append(
            (
                person_id,
                values["name"],
                values["email"],
                values["job_title"],
                values["job_family"],
                values["department_id"],
                values["employee_id"],
                values["active"],
                True,
                True,
                now,
                now,
                values["language"],
            )
        )
        role_rows.extend((person_id, role.value) for role in sorted(target.roles))
        target.person_id = person_id
    bulk.insert_rows(connection, "people", IMPORTED_COLUMNS, rows)
    bulk.insert_rows(connection, "person_roles", ("person_id", "role"), role_rows)
    bulk.reset_sequence(connection, "people")


def _update_people(plan: RosterPlan, now) -> None:
    changed = [target for target in plan.updates if target.changes]
    if changed:
        table = Person.__table__
        statement = (
            sa.update(table)
            .where(table.c.id == sa.bindparam("target_id"))
            .values({name: sa.bindparam(f"new_{name}") for name in (*_value_names(), "updated_at")})
        )
        parameters = [
            {"target_id": target.person_id, "new_updated_at": now}
            | {f"new_{name}": target.values[name] for name in _value_names()}
            for target in changed
        ]
        for chunk in _chunks(parameters):
            db.session.execute(statement, chunk)
    new_roles = [target for target in plan.updates if target.roles_changed]
    for chunk in _chunks(new_roles):
        db.session.execute(
            sa.delete(PersonRole.__table__).where(PersonRole.person_id.in_([target.person_id for target in chunk]))
        )
        db.session.execute(
            sa.insert(PersonRole.__table__),
            [{"person_id": target.person_id, "role": role} for target in chunk for role in sorted(target.roles)],
        )


def end_access(person_ids: list[int], now) -> None:
    """Deactivate people at once: their sessions (a new session version) and API tokens stop working.

    Every way of deactivating someone (roster import, SCIM, the admin page) comes through here, so
    reactivating a person later never revives a session or a token from before.
    """
    table = Person.__table__
    for chunk in _chunks(person_ids):
        db.session.execute(
            sa.update(table)
            .where(table.c.id.in_(chunk))
            .values(active=False, updated_at=now, session_version=table.c.session_version + 1)
        )
        db.session.execute(
            sa.update(ApiToken.__table__)
            .where(ApiToken.person_id.in_(chunk), ApiToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )


def _value_names() -> tuple[str, ...]:
    return ("name", "email", "job_title", "job_family", "department_id", "employee_id", "active", "language")


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
