"""The one clock: UTC instants, and the hospital's calendar day, which deadlines and dashboards count in.

Everything that asks "what time is it" or "what day is it today" asks here, so a test can move
time for the whole application at once, and "today" means the same day on every page.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# The days a filter or a report may name: wider than any record, and narrow enough that the day
# after the last one (where an inclusive range ends) still exists.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return datetime.now(UTC)


def hospital_zone() -> ZoneInfo:
    """The hospital's time zone (an admin setting), read once per request."""
    from flask import g, has_request_context

    from tracker import settings  # settings read the database; keep this module importable anywhere

    if has_request_context():
        if "hospital_zone" not in g:
            g.hospital_zone = ZoneInfo(settings.get("timezone"))
        return g.hospital_zone
    return ZoneInfo(settings.get("timezone"))


def local_day(moment: datetime, zone: ZoneInfo | None = None) -> date:
    """The hospital's calendar date at ``moment``."""
    return moment.astimezone(zone or hospital_zone()).date()


def hospital_today(zone: ZoneInfo | None = None) -> date:
    return local_day(now(), zone)


def local_midnight(day: date, zone: ZoneInfo | None = None) -> datetime:
    """The instant (in UTC) the hospital's ``day`` begins."""
    return datetime.combine(day, time(), tzinfo=zone or hospital_zone()).astimezone(UTC)


def start_of_today(zone: ZoneInfo | None = None) -> datetime:
    zone = zone or hospital_zone()
    return local_midnight(hospital_today(zone), zone)


def monday(day: date) -> date:
    """The Monday that starts ``day``'s week."""
    return day - timedelta(days=day.weekday())
