"""Roll-ups that keep the dashboard fast at a million recognitions: weekly ones, windows, and the hook.

Weekly roll-ups answer any period: ``weekly_recognition_counts`` holds published recognitions
per week, department, source and standard (``standard_id = 0``: the recognition itself, counted
once) and ``weekly_acknowledgement_delays`` how many were acknowledged after how many whole days.

Window roll-ups answer the periods the page offers (the last 30, 90 and 365 days, and all time)
without reading any raw row, per-person numbers included: ``window_recognition_counts``,
``window_weekly_counts``, ``window_acknowledgement_delays`` and ``person_window_totals`` (each
active person's received and given counts, with their department and job family copied in so
coverage, participation and the Gini group one indexed table instead of joining every person).
A window ends today, so windows are counted "as of" a day (``dashboard_windows.as_of``): from
the start of their first day onwards, with no end. All time keeps a row for every active person,
recognised or not, for the list of people not recognised.

Every write keeps all of them current inside its own transaction: after each flush, the cells
and people touched by changed recognitions (and people whose department, job family or active
flag changed) are recomputed from the raw tables and the weekly roll-up, so a roll-up always
equals the raw aggregate, whoever wrote the change. When the day changes, ``ensure_current``
moves the windows forward, recounting only the people whose recognitions left a window.
``rebuild()`` recomputes everything after bulk loads (seed-demo, roster imports of new people).
"""

from tracker.dashboard.rollup import hook  # noqa: F401  (registers the session hook)
from tracker.dashboard.rollup.upkeep import ROLLUP_TABLES, ensure_current, rebuild, refresh_people, windows_as_of
from tracker.dashboard.rollup.weekly import (
    ALL_STANDARDS,
    NO_DEPARTMENT,
    WeeklyAcknowledgementDelay,
    WeeklyRecognitionCount,
    midnight,
    monday,
    week_start,
    whole_days_to_acknowledge,
)
from tracker.dashboard.rollup.windows import (
    ALL_TIME,
    MOVING_WINDOWS,
    WINDOWS,
    PersonWindowTotal,
    WindowAcknowledgementDelay,
    WindowRecognitionCount,
    WindowState,
    WindowWeeklyCount,
    today,
    window_start,
)

__all__ = [
    "ALL_STANDARDS",
    "ALL_TIME",
    "MOVING_WINDOWS",
    "NO_DEPARTMENT",
    "ROLLUP_TABLES",
    "WINDOWS",
    "PersonWindowTotal",
    "WeeklyAcknowledgementDelay",
    "WeeklyRecognitionCount",
    "WindowAcknowledgementDelay",
    "WindowRecognitionCount",
    "WindowState",
    "WindowWeeklyCount",
    "ensure_current",
    "midnight",
    "monday",
    "rebuild",
    "refresh_people",
    "today",
    "week_start",
    "whole_days_to_acknowledge",
    "window_start",
    "windows_as_of",
]
