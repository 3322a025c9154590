"""Roster import (SPEC §4.5): read an HR roster, show what it would change, then apply it all or nothing.

``parse`` checks the file, ``plan_import`` compares it with the database, ``apply_plan`` writes
it. Pages and the ``roster import`` command share these three steps.
"""

from tracker.roster.applying import PlanHasErrors, apply_plan
from tracker.roster.job_families import job_family
from tracker.roster.parsing import ParsedRoster, RosterRow, RowError, parse
from tracker.roster.planning import RosterPlan, plan_import

__all__ = [
    "ParsedRoster",
    "PlanHasErrors",
    "RosterPlan",
    "RosterRow",
    "RowError",
    "apply_plan",
    "job_family",
    "parse",
    "plan_import",
]
