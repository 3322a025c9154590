"""What the audit trail page calls each recorded action and each kind of record, in the reader's language.

The keys are the action names the code records (``audit.record("case.assigned", …)``); the CSV
export keeps those keys. ``tests/admin/test_audit_labels.py`` fails when a recorded action has no
label here, so the page never falls back to a raw key for an action the code knows.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

ACTIONS = {
    # signing in and accounts
    "login": _l("Signed in"),
    "login_failed": _l("Sign-in failed"),
    "login_refused": _l("Sign-in refused"),
    "login_throttled": _l("Sign-in paused after too many attempts"),
    "login_link_sent": _l("Sign-in link sent"),
    "password_link_sent": _l("Set-password link sent"),
    "password_set": _l("Password set"),
    "claims_refused": _l("Details from the hospital sign-in refused"),
    "token_created": _l("API token created"),
    "token_revoked": _l("API token revoked"),
    "preferences_changed": _l("Preferences changed"),
    # people, roster and directory
    "person_created": _l("Person added"),
    "person_updated": _l("Person's details changed"),
    "person_deactivated": _l("Person deactivated"),
    "person_deleted_by_directory": _l("Person deleted by the directory"),
    "roles_changed": _l("Roles changed"),
    "roster_imported": _l("Roster applied"),
    "scim_token_created": _l("Directory token created"),
    "scim_token_revoked": _l("Directory token revoked"),
    "scim_group_saved": _l("Directory group saved"),
    "scim_group_deleted": _l("Directory group deleted"),
    # organisation and settings
    "department_created": _l("Department added"),
    "department_updated": _l("Department changed"),
    "standard_created": _l("Standard added"),
    "standard_updated": _l("Standard changed"),
    "standard_deleted": _l("Standard deleted"),
    "behavior_created": _l("Example behaviour added"),
    "behavior_updated": _l("Example behaviour changed"),
    "setting_changed": _l("Setting changed"),
    # recognitions
    "recognition_approved": _l("Recognition approved"),
    "recognition_returned": _l("Recognition returned to its author"),
    "recognition_acknowledged": _l("Recognition acknowledged"),
    "display_link_created": _l("TV display link created"),
    "display_link_revoked": _l("TV display link revoked"),
    # patient feedback and cases
    "feedback.entered": _l("Feedback entered by staff"),
    "feedback.viewed": _l("Feedback read"),
    "feedback.contact_viewed": _l("Patient's contact details read"),
    "feedback.redacted": _l("Feedback redacted"),
    "feedback.approved": _l("Feedback approved"),
    "feedback.noted": _l("Suggestion noted"),
    "feedback.rejected": _l("Feedback rejected"),
    "feedback.converted": _l("Feedback turned into a case"),
    "feedback.split": _l("Feedback split in two"),
    # patient-survey comments
    "survey.mapping_saved": _l("Survey column mapping saved"),
    "survey.unit_codes_saved": _l("Survey unit codes remembered"),
    "survey.imported": _l("Survey comments imported"),
    "survey.approved": _l("Survey compliments approved as recognitions"),
    "survey.sent_to_managers": _l("Survey comments sent to the unit's managers"),
    "survey.discarded": _l("Survey comments discarded"),
    "retention.contact_details_removed": _l("Patient's contact details removed after the retention period"),
    "case.opened": _l("Case opened"),
    "case.list_viewed": _l("Case list read"),
    "case.viewed": _l("Case read"),
    "case.assigned": _l("Case assigned"),
    "case.note": _l("Note added to a case"),
    "case.status": _l("Case status changed"),
    "case.resolved": _l("Case resolved"),
    "case.letter_viewed": _l("Resolution letter read"),
    "case.letter_emailed": _l("Resolution letter e-mailed"),
    "you_said_we_did.recorded": _l("“You said, we did” action recorded"),
    "you_said_we_did.approved": _l("“You said, we did” action approved"),
    "you_said_we_did.rejected": _l("“You said, we did” action rejected"),
    # awards
    "award_programme_created": _l("Award programme created"),
    "award_criterion_added": _l("Judging criterion added"),
    "award_judge_added": _l("Judge added to the committee"),
    "award_judge_removed": _l("Judge removed from the committee"),
    "award_cycle_created": _l("Award cycle created"),
    "award_phase_changed": _l("Award cycle moved to another phase"),
    "award_nomination_received": _l("Nomination received"),
    "award_blinding_approved": _l("Blinded nomination approved"),
    "award_conflicts_found": _l("Conflicts of interest found"),
    "award_conflict_declared": _l("Conflict of interest declared"),
    "award_judge_assigned": _l("Judge assigned to a nomination"),
    "award_scored": _l("Nomination scored"),
    "award_shortlisted": _l("Nomination shortlisted"),
    "award_decided": _l("Award decided"),
    "award_outcome_applied": _l("Award outcome applied"),
    "award_fulfilment_changed": _l("Award follow-up changed"),
    "award_cycle_exported": _l("Award cycle exported"),
    "award_daisy_exported": _l("Nomination exported for the DAISY Award"),
    # integrations
    "channel_connected": _l("Channel connected"),
    "channel_updated": _l("Channel changed"),
    "channel_paused": _l("Channel paused"),
    "channel_resumed": _l("Channel resumed"),
    "channel_removed": _l("Channel removed"),
    "channel_test_sent": _l("Test message sent to a channel"),
    "webhook_endpoint_added": _l("Webhook added"),
    "webhook_endpoint_updated": _l("Webhook changed"),
    "webhook_endpoint_paused": _l("Webhook paused"),
    "webhook_endpoint_resumed": _l("Webhook resumed"),
    "webhook_endpoint_removed": _l("Webhook removed"),
    "webhook_endpoint_test_sent": _l("Test event sent to a webhook"),
    "integration_delivery_replayed": _l("Delivery sent again"),
    # exports
    "dashboard.export": _l("Dashboard exported"),
    "dashboard.export_interrupted": _l("Dashboard export interrupted"),
    "audit_exported": _l("Audit trail exported"),
    "audit_export_interrupted": _l("Audit trail export interrupted"),
    "case.exported": _l("Cases exported"),
    "case.export_interrupted": _l("Cases export interrupted"),
    "feedback.decisions_exported": _l("Moderation decisions exported"),
    "feedback.decisions_export_interrupted": _l("Moderation decisions export interrupted"),
}

RECORDS = {
    "person": _l("Person"),
    "department": _l("Department"),
    "standard": _l("Standard"),
    "behavior": _l("Example behaviour"),
    "setting": _l("Setting"),
    "recognition": _l("Recognition"),
    "display_link": _l("TV display link"),
    "feedback": _l("Feedback"),
    "case": _l("Case"),
    "survey_import": _l("Survey import"),
    "survey_mapping": _l("Survey column mapping"),
    "action_taken": _l("“You said, we did” action"),
    "award_programme": _l("Award programme"),
    "award_cycle": _l("Award cycle"),
    "award_nomination": _l("Nomination"),
    "channel": _l("Channel"),
    "webhook_endpoint": _l("Webhook"),
    "integration_delivery": _l("Delivery"),
    "roster": _l("Roster"),
    "scim_token": _l("Directory token"),
    "scim_group": _l("Directory group"),
    "export": _l("Export"),
    "audit": _l("Audit trail"),
}


def action_label(action: str) -> str:
    """The readable name of ``action``; an action nobody named yet shows as recorded."""
    label = ACTIONS.get(action)
    return str(label) if label is not None else action


def record_label(object_type: str) -> str:
    label = RECORDS.get(object_type)
    return str(label) if label is not None else object_type


# The details an event records (``audit.record(…, reason=…, rows=…)``), by their keyword.
DETAILS = {
    "active": _l("active"),
    "added": _l("added"),
    "already_imported": _l("already imported"),
    "assignment": _l("assignment"),
    "case": _l("case"),
    "changes": _l("changes"),
    "codes": _l("codes"),
    "comments": _l("comments"),
    "compliment": _l("compliment"),
    "count": _l("count"),
    "criterion": _l("criterion"),
    "cycle": _l("cycle"),
    "decision": _l("decision"),
    "department": _l("department"),
    "email": _l("e-mail"),
    "events": _l("events"),
    "feedback": _l("feedback"),
    "fields": _l("fields"),
    "filename": _l("file name"),
    "filters": _l("filters"),
    "hint": _l("hint"),
    "judge": _l("judge"),
    "judges": _l("judges"),
    "key": _l("key"),
    "kind": _l("kind"),
    "label": _l("label"),
    "length": _l("length"),
    "limit": _l("limit"),
    "members": _l("members"),
    "month": _l("month"),
    "name": _l("name"),
    "new": _l("new value"),
    "nominator_type": _l("nominator"),
    "old": _l("old value"),
    "older_than_days": _l("older than (days)"),
    "on": _l("on"),
    "outcome": _l("outcome"),
    "parent": _l("parent"),
    "patient_facing": _l("patient-facing"),
    "patient_told": _l("patient told"),
    "per": _l("per"),
    "programme": _l("programme"),
    "reason": _l("reason"),
    "recipients": _l("recipients"),
    "recognition": _l("recognition"),
    "recognitions": _l("recognitions"),
    "removed": _l("removed"),
    "replacing": _l("replacing"),
    "rows": _l("rows"),
    "rows_sent": _l("rows sent"),
    "scores": _l("scores"),
    "show": _l("shown"),
    "slug": _l("address name"),
    "source": _l("source"),
    "standard": _l("standard"),
    "subject": _l("subject"),
    "suggested": _l("suggested"),
    "token_id": _l("token"),
    "unit": _l("unit"),
    "via": _l("via"),
    "weight": _l("weight"),
}


def detail_label(key: str) -> str:
    """The readable name of a recorded detail; one nobody named yet shows as recorded, without underscores."""
    label = DETAILS.get(key)
    return str(label) if label is not None else key.replace("_", " ")
