"""The ``data`` of each webhook event: ids and fields safe for any system that receives them.

Never patient contact details, never what a patient or a colleague wrote, never a concern's text.
Each shape is described by a JSON Schema in docs/webhooks.md, and a test checks real payloads
against those schemas.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Case, Department, Feedback, Person, Recognition
from tracker.notifications.services import absolute_url


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat().replace("+00:00", "Z") if moment is not None else None


def _slugs(ids: set[int | None]) -> dict[int, str]:
    wanted = {value for value in ids if value is not None}
    if not wanted:
        return {}
    return dict(db.session.execute(sa.select(Department.id, Department.slug).where(Department.id.in_(wanted))).all())


def recognition(recognition: Recognition) -> dict:
    rows = recognition.recipient_rows
    slugs = _slugs({row.department_id for row in rows} | {recognition.unit_id, recognition.department_id})
    return {
        "id": recognition.id,
        "published_at": _iso(recognition.published_at),
        "source": str(recognition.source),
        "visibility": str(recognition.visibility),
        "giver_id": recognition.giver_id,
        "recipients": [{"id": row.person_id, "department": slugs.get(row.department_id)} for row in rows],
        "unit": slugs.get(recognition.unit_id),
        "department": slugs.get(recognition.department_id),
        "standards": [standard.key for standard in recognition.standards],
        "url": absolute_url(f"/recognitions/{recognition.id}"),
    }


def acknowledgement(recognition: Recognition) -> dict:
    return {
        "id": recognition.id,
        "acknowledged_at": _iso(recognition.acknowledged_at),
        "acknowledged_by_id": recognition.acknowledged_by_id,
        "url": absolute_url(f"/recognitions/{recognition.id}"),
    }


def feedback(feedback: Feedback) -> dict:
    return {
        "id": feedback.id,
        "reference": feedback.reference,
        "type": str(feedback.type),
        "source": str(feedback.source),
        "status": str(feedback.status),
        "unit": _slugs({feedback.unit_id}).get(feedback.unit_id),
        "language": feedback.language,
        "received_at": _iso(feedback.created_at),
    }


def case(case: Case) -> dict:
    return {
        "id": case.id,
        "reference": case.reference,
        "status": str(case.status),
        "unit": _slugs({case.department_id}).get(case.department_id),
        "feedback_reference": case.feedback.reference if case.feedback is not None else None,
        "opened_at": _iso(case.opened_at),
        "acknowledge_by": case.acknowledge_by.isoformat(),
        "resolve_by": case.resolve_by.isoformat(),
        "resolved_at": _iso(case.resolved_at),
        "completed_on": case.resolution_completed_on.isoformat() if case.resolution_completed_on else None,
    }


def person_deactivated(person_id: int, employee_id: str | None, department: str | None, when: datetime) -> dict:
    return {"id": person_id, "employee_id": employee_id, "department": department, "deactivated_at": _iso(when)}


def award(
    *, programme_slug: str, programme_name: str, cycle_id: int, cycle_label: str, honourees: list[Person], link: str
) -> dict:
    slugs = _slugs({person.department_id for person in honourees})
    return {
        "programme": programme_slug,
        "programme_name": programme_name,
        "cycle_id": cycle_id,
        "cycle": cycle_label,
        "honourees": [{"id": person.id, "department": slugs.get(person.department_id)} for person in honourees],
        "url": absolute_url(link),
    }
