"""Roll-ups that keep the dashboard fast at a million recognitions, kept by deltas inside each write.

- ``tables``: weekly and daily cells (per department and source, and per standard; acknowledgement
  delays) answer any period; per-person windows (the last 30, 90 and 365 days, and all time; overall, per
  source and per source and standard) answer the periods the page offers, per-person numbers included.
- ``deltas`` and ``hook``: every write adds the difference it makes, in its own transaction.
- ``upkeep``: moving the windows to a new day, rebuilding, and ``verify`` against ``recount``.
- ``state``: readers use the roll-ups only when this release built them in the hospital's zone,
  and the windows only when they end today; otherwise they read the raw tables.

docs/dashboard.md explains the design.
"""

from tracker.dashboard.rollup import hook  # noqa: F401  (registers the session hook)
from tracker.dashboard.rollup.deltas import copy_people, last_received_select
from tracker.dashboard.rollup.recount import whole_days_to_acknowledge
from tracker.dashboard.rollup.state import readable, windows_current
from tracker.dashboard.rollup.tables import (
    ALL_TIME,
    MOVING_WINDOWS,
    NO_DEPARTMENT,
    ROLLUP_TABLES,
    WINDOWS,
    DailyCount,
    DailyDelay,
    DailyStandardCount,
    DailyStandardDelay,
    PersonWindow,
    PersonWindowSource,
    PersonWindowSourceStandard,
    PersonWindowStandard,
    RollupState,
    WeeklyCount,
    WeeklyDelay,
    WeeklyStandardCount,
    WeeklyStandardDelay,
)
from tracker.dashboard.rollup.upkeep import move_windows, rebuild, verify, windows_lag

__all__ = [
    "last_received_select",
    "ALL_TIME",
    "DailyCount",
    "DailyDelay",
    "DailyStandardCount",
    "DailyStandardDelay",
    "MOVING_WINDOWS",
    "NO_DEPARTMENT",
    "ROLLUP_TABLES",
    "WINDOWS",
    "PersonWindow",
    "PersonWindowSource",
    "PersonWindowSourceStandard",
    "PersonWindowStandard",
    "RollupState",
    "WeeklyCount",
    "WeeklyDelay",
    "WeeklyStandardCount",
    "WeeklyStandardDelay",
    "copy_people",
    "move_windows",
    "readable",
    "rebuild",
    "verify",
    "whole_days_to_acknowledge",
    "windows_current",
    "windows_lag",
]
