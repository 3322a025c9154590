"""The dashboard's numbers for BI tools: managers for their own subtree, admins for the whole hospital."""

from __future__ import annotations

from flask_login import current_user

from tracker import policy
from tracker.api import bp
from tracker.api.openapi import operation, refused
from tracker.api.schemas import DashboardQuery, DashboardSummary
from tracker.dashboard.services import summary
from tracker.database import reads_only
from tracker.models import Role
from tracker.validation import InvalidInput


@bp.get("/dashboard/summary")
@policy.roles(Role.MANAGER, Role.ADMIN)
@operation(
    ok={"HTTP_200": DashboardSummary},
    errors=["HTTP_403", "HTTP_422"],
    query=DashboardQuery,
    signed_in=True,
    tags=["dashboard"],
)
@reads_only
def dashboard_summary(query: DashboardQuery):
    """Tiles, weekly counts by source, the icare standard mix and the Gini of recognitions across people.

    A department outside your dashboards answers 403.
    """
    try:
        return summary(
            current_user,
            department_slug=query.department,
            since=query.since,
            until=query.until,
            standard_key=query.standard,
            source=query.source.value if query.source else None,
        )
    except InvalidInput as error:
        return refused(error)
