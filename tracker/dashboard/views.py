"""Dashboard pages: parse the filters, ask the services, render. Exports and huddle packs too."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from tracker import audit, policy
from tracker import exports as csv_export
from tracker.auth.services import is_safe_next
from tracker.dashboard import bp, chart_locale, exports, figures, huddle, services
from tracker.dashboard import filters as dashboard_filters
from tracker.dashboard.forms import AcknowledgeForm
from tracker.database import reads_only
from tracker.extensions import db
from tracker.models import Department, Role, Standard
from tracker.recognitions import views as recognition_pages
from tracker.recognitions.forms import AcknowledgeForm as RecognitionAcknowledgeForm
from tracker.validation import InvalidInput

VIEWERS = (Role.MANAGER, Role.ADVOCATE, Role.ADMIN)
EXPORTERS = (Role.MANAGER, Role.ADMIN)  # advocates see no recognition numbers, so nothing to export


def _charts(data: dict) -> dict:
    charts = {
        "weekly": figures.weekly_trend(data["weekly"]),
        "standards": figures.standard_mix(data["standards"]),
        "lorenz": figures.lorenz_curve(data["lorenz"], data["gini"]),
        "job_families": figures.coverage_bars(data["job_families"], _("Coverage by job family")),
        "units": figures.coverage_bars(data["units"], _("Coverage by unit")),
    }
    if data["heat_map"]:
        charts["heat_map"] = figures.heat_map(data["heat_map"])
    return charts


def _standards_in_readers_language(data: dict, standards: list[Standard]) -> None:
    """The page names each standard in the reader's language; the numbers come with the stored names.

    The standard mix is keyed by standard; the heat map's columns are the active standards in order.
    """
    locale = str(get_locale() or "en")
    names = {standard.key: standard.translated("name", locale) for standard in standards}
    for row in data["standards"]:
        row["name"] = names.get(row["key"], row["name"])
    grid = data["heat_map"]
    if grid and len(grid["standards"]) == len(standards):
        grid["standards"] = [standard.translated("name", locale) for standard in standards]


@bp.get("/dashboard")
@policy.roles(*VIEWERS)
@reads_only
def index():
    viewer = current_user._get_current_object()
    try:
        chosen = dashboard_filters.from_query(viewer, request.args)
    except InvalidInput as error:
        return _render_filter_errors(viewer, error)
    data = services.page(viewer, chosen)
    standards = services.active_standards()
    if data["sees_recognitions"]:
        _standards_in_readers_language(data, standards)
    return render_template(
        "dashboard/index.html",
        filters=chosen,
        data=data,
        charts=_charts(data) if data["sees_recognitions"] else {},
        departments=services.departments_for(viewer),
        sources=figures.source_labels(),
        periods=_period_labels(),
        acknowledge_form=AcknowledgeForm(next=request.full_path),
        standard_choices=standards,
        plotly_file=figures.PLOTLY_FILE,
        plotly_css=figures.PLOTLY_CSS,
        plotly_locale=chart_locale.plotly_locale(),
        maplibre_style_id=figures.MAPLIBRE_STYLE_ID,
        errors={},
    )


def _render_filter_errors(viewer, error: InvalidInput):
    return (
        render_template(
            "dashboard/index.html",
            filters=None,
            data=None,
            charts={},
            departments=services.departments_for(viewer),
            sources=figures.source_labels(),
            periods=_period_labels(),
            acknowledge_form=None,
            standard_choices=services.active_standards(),
            plotly_file=figures.PLOTLY_FILE,
            plotly_css=figures.PLOTLY_CSS,
            maplibre_style_id=figures.MAPLIBRE_STYLE_ID,
            errors=error.fields,
        ),
        422,
    )


def _period_labels() -> dict[str, str]:
    return {
        "30": _("Last 30 days"),
        "90": _("Last 90 days"),
        "365": _("Last 365 days"),
        "all": _("All time"),
        "custom": _("Custom range"),
    }


@bp.post("/dashboard/recognitions/<int:recognition_id>/acknowledge")
@policy.roles(Role.MANAGER, Role.ADMIN)
def acknowledge(recognition_id: int):
    form = AcknowledgeForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        recognition = services.acknowledge(current_user._get_current_object(), recognition_id, form.note.data or "")
    except InvalidInput as error:
        # A note over the limit: the recognition's own page says so, with the note as written.
        page_form = RecognitionAcknowledgeForm()
        recognition_pages.show_errors(page_form, error)
        return recognition_pages.render_detail_with(
            recognition_pages.recognition_or_404(recognition_id), acknowledge_form=page_form
        )
    if recognition is None:
        abort(404)
    db.session.commit()
    flash(_("Recognition acknowledged. Thank you for letting the team know it was seen."), "success")
    target = form.next.data if form.next.data and is_safe_next(form.next.data) else url_for("dashboard.index")
    return redirect(target)


def _export(kind: str, rows_for) -> Response:
    """A file of what the page shows with the same filters and scope, audited once it was sent."""
    viewer = current_user._get_current_object()
    try:
        chosen = dashboard_filters.from_query(viewer, request.args)
    except InvalidInput as error:
        return _render_filter_errors(viewer, error)
    lines = audit.after_streaming(
        rows_for(chosen), "dashboard.export", "dashboard.export_interrupted", "export", kind, **chosen.query_args()
    )
    return csv_export.response(kind, lines)


@bp.get("/dashboard/export/recognitions.csv")
@policy.roles(*EXPORTERS)
@reads_only
def export_recognitions():
    return _export("recognitions", exports.recognition_rows)


@bp.get("/dashboard/export/not-recognised.csv")
@policy.roles(*EXPORTERS)
@reads_only
def export_not_recognised():
    return _export("not-recognised", exports.not_recognised_rows)


@bp.get("/dashboard/export/weekly.csv")
@policy.roles(*EXPORTERS)
@reads_only
def export_weekly():
    return _export("weekly", exports.weekly_rows)


@bp.get("/dashboard/export/standards.csv")
@policy.roles(*EXPORTERS)
@reads_only
def export_standards():
    return _export("standards", exports.standard_rows)


@bp.get("/dashboard/export/heat-map.csv")
@policy.roles(*EXPORTERS)
@reads_only
def export_heat_map():
    return _export("heat-map", exports.heat_map_rows)


@bp.get("/dashboard/export/units.csv")
@policy.roles(*EXPORTERS)
@reads_only
def export_units():
    return _export("units", exports.unit_rows)


@bp.get("/dashboard/export/job-families.csv")
@policy.roles(*EXPORTERS)
@reads_only
def export_job_families():
    return _export("job-families", exports.job_family_rows)


@bp.get("/dashboard/export/equity.csv")
@policy.roles(*EXPORTERS)
@reads_only
def export_equity():
    return _export("equity", exports.equity_rows)


@bp.get("/units/<slug>/huddle")
@policy.roles(*policy.HUDDLE_READERS)
@reads_only
def huddle_pack(slug: str):
    viewer = current_user._get_current_object()
    unit = huddle.unit_for(viewer, slug)
    if unit is None:
        abort(404)
    try:
        week = huddle.parse_week(request.args.get("week"))
    except InvalidInput as error:
        return render_template("dashboard/huddle.html", unit=unit, pack=None, errors=error.fields), 422
    return render_template("dashboard/huddle.html", unit=unit, pack=huddle.pack(unit, week), errors={})


@dataclass
class UnitLinks:
    unit: Department
    huddle: str | None
    poster: str | None


@bp.app_context_processor
def _unit_links() -> dict:
    return {"unit_links": unit_links}


def unit_links(slug: str | None = None) -> list[UnitLinks]:
    """Links to a unit's huddle pack and QR poster, each only where the signed-in viewer may follow it.

    For the unit named by ``slug`` (a wall or a dashboard filtered to it), or without one for the
    units the viewer manages. The poster is public, so any member of staff may print one, for a place
    patients come to (only those have a poster).
    """
    if not current_user.is_authenticated:
        return []
    viewer = current_user._get_current_object()
    return [
        UnitLinks(
            unit=unit,
            huddle=url_for("dashboard.huddle_pack", slug=unit.slug) if policy.may_view_huddle(viewer, unit) else None,
            poster=url_for("feedback.poster", unit_slug=unit.slug) if unit.active and unit.patient_facing else None,
        )
        for unit in huddle.units_in_view(viewer, slug)
    ]
