"""Writing a checked roster plan with set-based SQL: bulk inserts, executemany updates, no per-row queries."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlalchemy as sa

from tracker import audit, bulk
from tracker.dashboard import rollup
from tracker.extensions import db
from tracker.integrations import events as integration_events
from tracker.models import Person, PersonRole, utcnow
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


def apply_plan(plan: RosterPlan, *, filename: str = "", on_progress: Callable[[int], None] | None = None) -> dict:
    """Write the plan in the current transaction (the caller commits) and audit it; returns the counts."""
    if not plan.ok:
        raise PlanHasErrors(f"{len(plan.errors)} problem(s) in the roster")
    progress = on_progress or (lambda _count: None)
    connection = db.session.connection()
    now = utcnow()
    _insert_people(connection, plan, now)
    progress(len(plan.creates))
    _update_people(plan, now)
    progress(len(plan.updates))
    _deactivate_missing(plan, now)
    progress(len(plan.deactivations))
    # Bulk SQL skips the session hook: copy the people just written into the dashboard's roll-ups.
    rollup.copy_people(db.session, sa.select(Person.id).where(Person.updated_at == now))
    integration_events.people_deactivated(_deactivated_ids(plan), now)
    db.session.expire_all()
    counts = plan.summary()
    counts.pop("errors")
    audit.record("roster_imported", "roster", "", filename=filename or None, **counts)
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


def _deactivate_missing(plan: RosterPlan, now) -> None:
    for chunk in _chunks([person.id for person in plan.deactivations]):
        db.session.execute(sa.update(Person.__table__).where(Person.id.in_(chunk)).values(active=False, updated_at=now))


def _deactivated_ids(plan: RosterPlan) -> list[int]:
    """Missing people deactivated, and people the file itself marks inactive."""
    ids = [person.id for person in plan.deactivations]
    ids += [t.person_id for t in plan.updates if "active" in t.changes and not t.values["active"]]
    return ids


def _value_names() -> tuple[str, ...]:
    return ("name", "email", "job_title", "job_family", "department_id", "employee_id", "active", "language")


def _chunks(items: list, size: int = CHUNK) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
