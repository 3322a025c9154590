"""Dashboard filters: read from the query string (or the API), checked, resolved to ids.

Dates are the hospital's calendar days; ``until`` is inclusive. ``since=None`` means "from the beginning".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from werkzeug.exceptions import Forbidden

from tracker import clock, policy
from tracker.dashboard.rollup import ALL_TIME, MOVING_WINDOWS
from tracker.extensions import db
from tracker.models import Department, Person, Source, Standard
from tracker.validation import InvalidInput

PERIODS = ("30", "90", "365", "all", "custom")
DEFAULT_PERIOD = "30"
NOT_RECOGNISED_DAYS = 90


@dataclass(frozen=True)
class Filters:
    since: date | None
    until: date
    department: Department | None
    department_ids: frozenset[int] | None  # None: the whole hospital
    source: Source | None
    standard: Standard | None
    period: str = "custom"

    @property
    def start(self) -> datetime | None:
        return clock.local_midnight(self.since) if self.since else None

    @property
    def end(self) -> datetime:
        return clock.local_midnight(self.until + timedelta(days=1))

    @property
    def window(self) -> int | None:
        """The per-person window these filters ask for, if any: 30, 90 or 365 days ending today, or all time."""
        if self.until != clock.hospital_today():
            return None
        if self.since is None:
            return ALL_TIME
        days = (self.until - self.since).days + 1
        return days if days in MOVING_WINDOWS else None

    def query_args(self) -> dict[str, str]:
        """The filters as query-string arguments, for export links and bookmarks."""
        args = {"period": self.period}
        if self.period == "custom":
            args["since"] = self.since.isoformat() if self.since else ""
            args["until"] = self.until.isoformat()
        if self.department is not None:
            args["department"] = self.department.slug
        if self.source is not None:
            args["source"] = self.source.value
        if self.standard is not None:
            args["standard"] = self.standard.key
        return args


def parse_date(value: date | str | None, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    value = value.strip()
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput.single(field, _("Enter a date as YYYY-MM-DD, for example 2026-03-31.")) from None
    if not clock.FIRST_DAY <= day <= clock.LAST_DAY:
        raise InvalidInput.single(
            field,
            _(
                "Choose a date between %(first)s and %(last)s.",
                first=clock.FIRST_DAY.isoformat(),
                last=clock.LAST_DAY.isoformat(),
            ),
        )
    return day


def resolve(
    viewer: Person,
    department_slug: str | None = None,
    since: date | str | None = None,
    until: date | str | None = None,
    standard_key: str | None = None,
    source: str | None = None,
    period: str = "custom",
) -> Filters:
    """Check every filter; ``InvalidInput`` for bad values, ``Forbidden`` outside the viewer's scope."""
    errors: dict[str, list[str]] = {}
    for field, value in (("department", department_slug), ("standard", standard_key), ("source", source)):
        if value and "\x00" in value:  # PostgreSQL refuses NUL in text: answer by the field, not with a 500
            errors[field] = [_("That value contains characters that are not allowed.")]
    if errors:
        raise InvalidInput(errors, _("Some of the filters were not valid."))
    try:
        since_day = parse_date(since, "since")
    except InvalidInput as error:
        errors.update(error.fields)
        since_day = None
    try:
        until_day = parse_date(until, "until") or clock.hospital_today()
    except InvalidInput as error:
        errors.update(error.fields)
        until_day = clock.hospital_today()
    if since_day and since_day > until_day:
        errors["since"] = [_("The start date must be on or before the end date.")]
    chosen_source = None
    if source:
        try:
            chosen_source = Source(source)
        except ValueError:
            errors["source"] = [_("Choose one of the listed sources.")]
    standard = None
    if standard_key:
        standard = db.session.scalar(sa.select(Standard).where(Standard.key == standard_key))
        if standard is None:
            errors["standard"] = [_("There is no standard with that key.")]
    department = None
    if department_slug:
        department = db.session.scalar(sa.select(Department).where(Department.slug == department_slug))
        if department is None:
            errors["department"] = [_("There is no department with that name.")]
    if errors:
        raise InvalidInput(errors, _("Some of the filters were not valid."))
    return Filters(
        since=since_day,
        until=until_day,
        department=department,
        department_ids=_scope(viewer, department),
        source=chosen_source,
        standard=standard,
        period=period,
    )


def _scope(viewer: Person, department: Department | None) -> frozenset[int] | None:
    allowed = policy.dashboard_department_ids(viewer)
    if department is None:
        return None if allowed is None else frozenset(allowed)
    if allowed is not None and department.id not in allowed:
        raise Forbidden()
    return frozenset(policy.subtree_ids([department]))


def default_for(viewer: Person) -> Filters:
    """The page's default: the last 30 days of the viewer's whole scope."""
    return from_query(viewer, {})


def from_query(viewer: Person, args: Mapping[str, str]) -> Filters:
    """The page's filters: a named period (30/90/365 days, all) or a custom range."""
    period = args.get("period") or DEFAULT_PERIOD
    if period not in PERIODS:
        raise InvalidInput.single("period", _("Choose one of the listed periods."))
    since, until = args.get("since"), args.get("until")
    if period == "all":
        since, until = None, None
    elif period != "custom":
        until = clock.hospital_today()
        since = until - timedelta(days=int(period) - 1)
    return resolve(
        viewer,
        department_slug=args.get("department") or None,
        since=since,
        until=until,
        standard_key=args.get("standard") or None,
        source=args.get("source") or None,
        period=period,
    )
