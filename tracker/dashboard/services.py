"""The numbers behind the dashboard, shared by the page and ``GET /api/v1/dashboard/summary``.

Public interface for the API::

    summary(viewer: Person, department_slug: str | None = None, since: date | str | None = None,
            until: date | str | None = None, standard_key: str | None = None,
            source: str | None = None) -> dict

``since``/``until`` are ISO dates (whole UTC days, ``until`` inclusive); ``since=None`` means
all time, ``until=None`` today. Returns ``{"filters", "tiles", "weekly", "standards", "gini"}``:
``tiles`` holds ``recognitions``, ``patient_compliments``, ``people_recognised``, ``coverage``
and ``participation`` (percentages, one decimal, ``None`` without people in scope),
``unacknowledged`` and ``median_days_to_acknowledge`` (median of whole days elapsed, one
decimal, ``None`` if none); ``people_in_scope`` comes along as the denominator;
``weekly`` is a list of ``{"week", "source", "recognitions"}``; ``standards`` a list of
``{"key", "name", "color", "recognitions"}``. Raises ``InvalidInput`` for bad filters and
``werkzeug.exceptions.Forbidden`` for a department outside the viewer's dashboards.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from tracker import clock, policy
from tracker.cases.services import overdue_condition
from tracker.dashboard import counts, missed, people
from tracker.dashboard import filters as dashboard_filters
from tracker.dashboard.counts import recognition_counts
from tracker.dashboard.filters import Filters
from tracker.extensions import db
from tracker.models import (
    Case,
    CaseStatus,
    Department,
    Person,
    Recognition,
    RecognitionRecipient,
    Source,
    Standard,
)
from tracker.recognitions import services as recognitions

UNACKNOWLEDGED_SHOWN = 20
NOT_RECOGNISED_SHOWN = 50


def summary(
    viewer: Person,
    department_slug: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    standard_key: str | None = None,
    source: str | None = None,
) -> dict:
    """The dashboard's numbers for the API (see the module docstring)."""
    chosen = dashboard_filters.resolve(viewer, department_slug, since, until, standard_key, source)
    numbers, _histogram = summary_for(chosen)
    return numbers


def summary_for(filters: Filters) -> tuple[dict, list]:
    """The summary numbers, and the per-person breakdown behind the Gini and the comparisons."""
    standards = active_standards()
    rows = people.breakdown(filters)
    histogram = people.histogram_of(rows)
    tiles = _tiles(filters, histogram)
    numbers = {
        "filters": {
            "department": filters.department.slug if filters.department else None,
            "since": filters.since.isoformat() if filters.since else None,
            "until": filters.until.isoformat(),
            "standard": filters.standard.key if filters.standard else None,
            "source": filters.source.value if filters.source else None,
        },
        "tiles": tiles,
        "weekly": weekly(filters),
        "standards": standard_mix(filters, standards),
        "gini": people.gini(histogram),
    }
    return numbers, rows


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _tiles(filters: Filters, histogram: dict[int, int]) -> dict:
    by_source = recognition_counts(filters, ("source",))
    recognitions = sum(count for count, _ in by_source.values())
    patient = sum(count for (source,), (count, _) in by_source.items() if source != Source.PEER.value)
    unacknowledged = sum(open_ for _, open_ in by_source.values())  # as unacknowledged_count()
    in_scope = sum(histogram.values())
    recognised = in_scope - histogram.get(0, 0)
    givers = people.givers_in_scope(filters)
    tiles = {
        "recognitions": recognitions,
        "patient_compliments": patient,
        "people_recognised": recognised,
        "people_in_scope": in_scope,
        "coverage": _percent(recognised, in_scope),
        "participation": _percent(givers, in_scope),
        "unacknowledged": unacknowledged,
        "median_days_to_acknowledge": median_days_to_acknowledge(filters),
    }
    return tiles


def _in_view(filters: Filters) -> list[sa.ColumnElement[bool]]:
    conditions = people._recognitions_in_view(filters)
    if filters.department_ids is not None:
        conditions.append(Recognition.department_id.in_(filters.department_ids))
    return conditions


def median_days_to_acknowledge(filters: Filters) -> float | None:
    """Median whole days from recognition to a manager's acknowledgement."""
    return counts.median(counts.acknowledgement_delays(filters))


def weekly(filters: Filters) -> list[dict]:
    rows = recognition_counts(filters, ("week", "source"))
    return [
        {"week": week.isoformat(), "source": source, "recognitions": count}
        for (week, source), (count, _) in sorted(rows.items())
    ]


def active_standards() -> list[Standard]:
    return db.session.scalars(sa.select(Standard).where(Standard.active.is_(True)).order_by(Standard.position)).all()


def standard_mix(filters: Filters, standards: list[Standard]) -> list[dict]:
    rows = recognition_counts(filters, ("standard",))
    return [
        {"key": s.key, "name": s.name, "color": s.color, "recognitions": rows.get((s.id,), (0, 0))[0]}
        for s in standards
    ]


def heat_map(filters: Filters, standards: list[Standard]) -> dict | None:
    """Departments × standards, for every department in view with recognitions (one is a single row)."""
    rows = recognition_counts(filters, ("department", "standard"))
    department_ids = sorted({department for department, _ in rows})
    # Always asked (even for one department), so the page's query count never depends on the data.
    names = {
        row.id: row.name
        for row in db.session.execute(
            sa.select(Department.id, Department.name).where(Department.id.in_(department_ids))
        )
    }
    if not department_ids:
        return None
    ordered = sorted(department_ids, key=lambda d: names.get(d, ""))
    return {
        "departments": [names.get(d, "—") for d in ordered],
        "standards": [s.name for s in standards],
        "values": [[rows.get((d, s.id), (0, 0))[0] for s in standards] for d in ordered],
    }


def case_tiles(viewer: Person, filters: Filters) -> dict | None:
    """Open and overdue concerns, for patient-experience staff and admins only."""
    if not policy.may_work_cases(viewer):
        return None
    open_ = Case.status != CaseStatus.RESOLVED
    overdue = overdue_condition(clock.hospital_today())
    statement = sa.select(
        sa.func.sum(sa.case((open_, 1), else_=0)), sa.func.sum(sa.case((overdue, 1), else_=0))
    ).select_from(Case)
    if filters.department is not None:
        statement = statement.where(Case.department_id.in_(filters.department_ids))
    open_count, overdue_count = db.session.execute(statement).one()
    return {"open": int(open_count or 0), "overdue": int(overdue_count or 0)}


def unacknowledged_list(filters: Filters) -> list[Recognition]:
    """The oldest recognitions in view still waiting for a manager's acknowledgement."""
    if filters.department_ids is not None and not filters.department_ids:
        return []
    has_recipients = sa.exists().where(RecognitionRecipient.recognition_id == Recognition.id)
    return db.session.scalars(
        sa.select(Recognition)
        .where(Recognition.acknowledged_at.is_(None), has_recipients, *_in_view(filters))
        .options(
            selectinload(Recognition.recipient_rows).selectinload(RecognitionRecipient.person),
            selectinload(Recognition.standards),
        )
        .order_by(Recognition.created_at)
        .limit(UNACKNOWLEDGED_SHOWN)
    ).all()


def acknowledge(viewer: Person, recognition_id: int, note: str = "") -> Recognition | None:
    """Acknowledge from the dashboard; ``None`` when the viewer may not acknowledge it.

    The acknowledgement itself (audit, integrations, e-mail to the recipients) is the recognitions
    service's, the same as from the recognition's own page.
    """
    recognition = db.session.get(Recognition, recognition_id)
    if recognition is None or not policy.may_view_recognition(viewer, recognition):
        return None
    if not policy.may_acknowledge(viewer, recognition):
        return None
    recognitions.acknowledge(viewer, recognition, note)
    return recognition


def unacknowledged_count(filters: Filters) -> int:
    """Published recognitions in view still waiting for a manager's acknowledgement: the one definition.

    The dashboard tile, the summary API, the manager's home page and the weekly digest all show it.
    """
    return sum(open_ for _count, open_ in recognition_counts(filters).values())


def departments_for(viewer: Person) -> list[Department]:
    """The departments the viewer may filter by (their subtrees; all for admins)."""
    allowed = policy.dashboard_department_ids(viewer)
    statement = sa.select(Department).where(Department.active.is_(True)).order_by(Department.path)
    if allowed is not None:
        statement = statement.where(Department.id.in_(allowed or {-1}))
    return db.session.scalars(statement).all()


def page(viewer: Person, filters: Filters) -> dict:
    """Everything the dashboard page shows, as plain data."""
    standards = active_standards()
    numbers, rows = summary_for(filters)
    histogram = people.histogram_of(rows)
    not_recognised_total, not_recognised_rows = missed.not_recognised(
        filters, NOT_RECOGNISED_SHOWN, numbers["tiles"]["people_in_scope"]
    )
    return {
        **numbers,
        "standard_rows": standards,
        "heat_map": heat_map(filters, standards),
        "lorenz": people.lorenz_points(histogram),
        "job_families": people.groups(rows, "job_family"),
        "units": people.groups(rows, "unit"),
        "top_recognised": people.top_recognised(filters),
        "top_givers": people.top_givers(filters),
        "not_recognised_total": not_recognised_total,
        "not_recognised": not_recognised_rows,
        "unacknowledged_list": unacknowledged_list(filters),
        "cases": case_tiles(viewer, filters),
        "sees_recognitions": filters.department_ids is None or bool(filters.department_ids),
    }
