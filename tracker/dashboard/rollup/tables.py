"""The roll-up tables: weekly cells for any period, per-person windows for the periods the page offers.

Weeks and windows are the hospital's calendar weeks and days. ``department_id`` 0 stands for a
recognition with no department. Per-person rows copy the person's current department, job family
and active flag, so coverage and participation group one indexed table; rows whose counts fell to
zero may linger until the next ``dashboard refresh`` and count as nothing.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models import UTCDateTime

NO_DEPARTMENT = 0
ALL_TIME = 0
MOVING_WINDOWS = (30, 90, 365)
WINDOWS = (*MOVING_WINDOWS, ALL_TIME)

# Raised whenever what a roll-up row means changes: rows of another version are never read.
VERSION = 2

_WITHOUT_ROWID = {"sqlite_with_rowid": False}  # on SQLite, reading by key reads the row itself


class RollupState(db.Model):
    """Which definition the roll-ups were built with, in which time zone, and the day the windows end."""

    __tablename__ = "dashboard_rollup_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int]
    time_zone: Mapped[str] = mapped_column(sa.String(64))
    windows_as_of: Mapped[date] = mapped_column(sa.Date)
    built_at: Mapped[datetime] = mapped_column(UTCDateTime)


def _cells(class_name: str, table_name: str, period: str, *, standard: bool, delays: bool, doc: str) -> type:
    """A table of cells: one row per period (``week`` or ``day``), department, source [, standard] [, days]."""
    columns = {
        period: mapped_column(sa.Date, primary_key=True),
        "department_id": mapped_column(sa.Integer, primary_key=True),
        "source": mapped_column(sa.String(20), primary_key=True),
    }
    if standard:
        columns["standard_id"] = mapped_column(sa.Integer, primary_key=True)
    if delays:
        columns["days"] = mapped_column(sa.Integer, primary_key=True)
    columns["recognitions"] = mapped_column(sa.Integer, default=0, nullable=False)
    if not delays:
        columns["unacknowledged"] = mapped_column(sa.Integer, default=0, nullable=False)
    table_args: tuple = (_WITHOUT_ROWID,)
    if delays:  # the median groups by days: the days come first, with everything a filter reads beside them
        leading = ["standard_id"] if standard else []
        by_days = [*leading, "days", period, "source", "department_id", "recognitions"]
        table_args = (sa.Index(f"ix_{table_name}_by_days", *by_days), _WITHOUT_ROWID)
    attributes = {"__tablename__": table_name, "__table_args__": table_args, "__doc__": doc, **columns}
    return type(class_name, (db.Model,), attributes)


_COUNTS = "Published recognitions per {0}, department and source; the unacknowledged among them."
_STANDARDS = "The same per icare standard: a recognition of two standards counts once under each."
_DELAYS = "How many recognitions were acknowledged after how many whole days, for the median."

# Whole weeks answer long periods; days answer the edges of any period.
WeeklyCount = _cells("WeeklyCount", "rollup_weekly_counts", "week", standard=False, delays=False, doc=_COUNTS)
WeeklyStandardCount = _cells(
    "WeeklyStandardCount", "rollup_weekly_standard_counts", "week", standard=True, delays=False, doc=_STANDARDS
)
WeeklyDelay = _cells("WeeklyDelay", "rollup_weekly_delays", "week", standard=False, delays=True, doc=_DELAYS)
WeeklyStandardDelay = _cells(
    "WeeklyStandardDelay", "rollup_weekly_standard_delays", "week", standard=True, delays=True, doc=_DELAYS
)
DailyCount = _cells("DailyCount", "rollup_daily_counts", "day", standard=False, delays=False, doc=_COUNTS)
DailyStandardCount = _cells(
    "DailyStandardCount", "rollup_daily_standard_counts", "day", standard=True, delays=False, doc=_STANDARDS
)
DailyDelay = _cells("DailyDelay", "rollup_daily_delays", "day", standard=False, delays=True, doc=_DELAYS)
DailyStandardDelay = _cells(
    "DailyStandardDelay", "rollup_daily_standard_delays", "day", standard=True, delays=True, doc=_DELAYS
)


class PersonWindow(db.Model):
    """A person's recognitions received and given in a window; ``last_received_at`` over all time."""

    __tablename__ = "rollup_person_windows"
    __table_args__ = (
        sa.Index("ix_rollup_person_windows_scope", "window_days", "active", "department_id", "job_family", "received"),
        sa.Index("ix_rollup_person_windows_received", "window_days", "received"),
        sa.Index("ix_rollup_person_windows_given", "window_days", "active", "given"),
        sa.Index("ix_rollup_person_windows_last_received_at", "window_days", "last_received_at"),
    )

    window_days: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(primary_key=True)
    received: Mapped[int] = mapped_column(default=0)
    given: Mapped[int] = mapped_column(default=0)
    last_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    department_id: Mapped[int | None]
    job_family: Mapped[str] = mapped_column(sa.String(60), default="")
    active: Mapped[bool] = mapped_column(default=True)


class PersonWindowSource(db.Model):
    """The same per source, for the dashboard filtered by source."""

    __tablename__ = "rollup_person_window_sources"
    __table_args__ = (
        sa.Index(
            "ix_rollup_person_window_sources_scope",
            "window_days",
            "source",
            "active",
            "department_id",
            "job_family",
            "received",
        ),
        sa.Index("ix_rollup_person_window_sources_received", "window_days", "source", "received"),
        sa.Index("ix_rollup_person_window_sources_given", "window_days", "source", "active", "given"),
    )

    window_days: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    received: Mapped[int] = mapped_column(default=0)
    given: Mapped[int] = mapped_column(default=0)
    department_id: Mapped[int | None]
    job_family: Mapped[str] = mapped_column(sa.String(60), default="")
    active: Mapped[bool] = mapped_column(default=True)


class PersonWindowStandard(db.Model):
    """The same per standard, for the dashboard filtered by standard."""

    __tablename__ = "rollup_person_window_standards"
    __table_args__ = (
        sa.Index(
            "ix_rollup_person_window_standards_scope",
            "window_days",
            "standard_id",
            "active",
            "department_id",
            "job_family",
            "received",
        ),
        sa.Index("ix_rollup_person_window_standards_received", "window_days", "standard_id", "received"),
        sa.Index("ix_rollup_person_window_standards_given", "window_days", "standard_id", "active", "given"),
    )

    window_days: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(primary_key=True)
    received: Mapped[int] = mapped_column(default=0)
    given: Mapped[int] = mapped_column(default=0)
    department_id: Mapped[int | None]
    job_family: Mapped[str] = mapped_column(sa.String(60), default="")
    active: Mapped[bool] = mapped_column(default=True)


class PersonWindowSourceStandard(db.Model):
    """The same per source and standard, for the dashboard filtered by both."""

    __tablename__ = "rollup_person_window_source_standards"
    __table_args__ = (
        sa.Index(
            "ix_rollup_person_window_source_standards_scope",
            "window_days",
            "source",
            "standard_id",
            "active",
            "department_id",
            "job_family",
            "received",
        ),
    )

    window_days: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(sa.String(20), primary_key=True)
    standard_id: Mapped[int] = mapped_column(primary_key=True)
    received: Mapped[int] = mapped_column(default=0)
    given: Mapped[int] = mapped_column(default=0)
    department_id: Mapped[int | None]
    job_family: Mapped[str] = mapped_column(sa.String(60), default="")
    active: Mapped[bool] = mapped_column(default=True)


WEEKLY_TABLES = (WeeklyCount, WeeklyStandardCount, WeeklyDelay, WeeklyStandardDelay)
DAILY_TABLES = (DailyCount, DailyStandardCount, DailyDelay, DailyStandardDelay)
CELL_TABLES = (*WEEKLY_TABLES, *DAILY_TABLES)
PERSON_TABLES = (PersonWindow, PersonWindowSource, PersonWindowStandard, PersonWindowSourceStandard)
ROLLUP_TABLES = (*CELL_TABLES, *PERSON_TABLES)


def key_columns(model) -> list[str]:
    return [column.name for column in model.__table__.primary_key.columns]


COUNTED = {
    **{model: ("recognitions", "unacknowledged") for model in (WeeklyCount, WeeklyStandardCount)},
    **{model: ("recognitions", "unacknowledged") for model in (DailyCount, DailyStandardCount)},
    **{model: ("recognitions",) for model in (WeeklyDelay, WeeklyStandardDelay, DailyDelay, DailyStandardDelay)},
    PersonWindow: ("received", "given"),
    PersonWindowSource: ("received", "given"),
    PersonWindowStandard: ("received", "given"),
    PersonWindowSourceStandard: ("received", "given"),
}
PERSON_COPIED = ("department_id", "job_family", "active")
