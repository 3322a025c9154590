"""Roster import: read an HR roster, show what it would change, then apply it all or nothing.

``parse`` checks the file, ``plan_import`` compares it with the database, ``apply_plan`` writes
it. Pages and the ``roster import`` command share these three steps; SCIM provisioning and
sign-in creation plan one person at a time (``plan_record``, ``plan_deactivation``) and apply
through the same ``apply_plan``.
"""

from tracker.roster.applying import PlanHasErrors, apply_plan
from tracker.roster.job_families import job_family
from tracker.roster.parsing import ParsedRoster, RosterRow, RowError, parse
from tracker.roster.planning import RosterPlan, plan_import
from tracker.roster.records import PersonRecord, find_match, plan_deactivation, plan_record

__all__ = [
    "ParsedRoster",
    "PersonRecord",
    "PlanHasErrors",
    "RosterPlan",
    "RosterRow",
    "RowError",
    "apply_plan",
    "find_match",
    "plan_deactivation",
    "plan_record",
    "job_family",
    "parse",
    "plan_import",
]
