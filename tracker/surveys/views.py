"""Survey pages: upload and check an export, import it, review a batch in bulk; what patients said."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.fields.choices import SelectChoice

from tracker import policy
from tracker.database import reads_only
from tracker.extensions import db
from tracker.models import Department, Standard, SurveyImport, SurveyMapping
from tracker.surveys import bp, importing, services
from tracker.surveys.forms import (
    STATUS_LABELS,
    VALENCE_LABELS,
    ActionForm,
    BatchFilterForm,
    BulkForm,
    MappingForm,
    UploadForm,
)
from tracker.surveys.reading import MAX_BYTES, too_large_message
from tracker.validation import InvalidInput

PER_PAGE = 50
# The form around the file: its other fields and multipart headers.
UPLOAD_OVERHEAD = 64 * 1024


def _me():
    return policy.current_person()


def _upload_form() -> UploadForm:
    form = UploadForm()
    form.mapping_id.choices = [SelectChoice(m.id, m.name) for m in services.mappings()]
    return form


def _render_index(form: UploadForm, status: int = 200, file_error: str = ""):
    page = db.paginate(services.imports(), per_page=PER_PAGE, error_out=False)
    return render_template(
        "surveys/index.html", form=form, page=page, mappings=services.mappings(), file_error=file_error
    ), status


def allow_large_exports():
    """The export upload may be larger than any other form; set before CSRF protection reads the form.

    A body announced as larger than the limit is not read at all: the page says why, once the
    upload page's own access rule has run after the redirect.
    """
    if request.endpoint != "surveys.index" or request.method != "POST":
        return None
    limit = MAX_BYTES + UPLOAD_OVERHEAD
    if request.content_length is not None and request.content_length > limit:
        flash(too_large_message(), "danger")
        return redirect(url_for("surveys.index"), 303)
    request.max_content_length = limit
    return None


@bp.route("/moderation/surveys", methods=["GET", "POST"])
@policy.roles(*policy.SURVEY_IMPORTERS)
def index():
    """The imports so far, the saved mappings, and the upload of a new export (checked, not imported)."""
    if request.method == "POST":
        try:
            request.files  # noqa: B018  (a body sent without its length is measured here)
        except RequestEntityTooLarge:
            return _render_index(UploadForm(formdata=None), 413, too_large_message())
    form = _upload_form()
    if form.validate_on_submit():
        mapping = db.session.get(SurveyMapping, form.mapping_id.data or 0)
        if mapping is None:
            form.mapping_id.errors = [_("Choose a saved mapping, or save one first.")]
        else:
            with form.file.data.stream as stream:  # a large file is spooled to disk: close it at once
                content = stream.read()
            upload = services.store_upload(content, form.file.data.filename or "", mapping, _me())
            db.session.commit()
            return redirect(url_for("surveys.check", token=upload.token))
    if not form.mapping_id.choices and request.method == "GET":
        flash(_("Save the column mapping of your survey vendor first."), "info")
    return _render_index(form, 422 if form.errors else 200)


def _mapping_form(mapping: SurveyMapping | None):
    form = MappingForm(obj=mapping) if request.method == "GET" else MappingForm()
    if form.validate_on_submit():
        try:
            saved = services.save_mapping(form.data, by=_me(), mapping=mapping)
        except InvalidInput as refused:
            db.session.rollback()
            for name, messages in refused.fields.items():
                form[name].errors = list(messages)
        else:
            db.session.commit()
            flash(_("Mapping %(name)s saved.", name=saved.name), "success")
            return redirect(url_for("surveys.index"))
    return render_template("surveys/mapping.html", form=form, mapping=mapping), 422 if form.errors else 200


@bp.route("/moderation/surveys/mappings/new", methods=["GET", "POST"])
@policy.roles(*policy.SURVEY_IMPORTERS)
def new_mapping():
    return _mapping_form(None)


@bp.route("/moderation/surveys/mappings/<int:mapping_id>", methods=["GET", "POST"])
@policy.roles(*policy.SURVEY_IMPORTERS)
def edit_mapping(mapping_id: int):
    return _mapping_form(db.session.get(SurveyMapping, mapping_id) or abort(404))


def _upload_or_404(token: str, *, for_apply: bool = False):
    return services.find_upload(token, _me(), for_apply=for_apply) or abort(404)


def _departments() -> list[Department]:
    return list(db.session.scalars(sa.select(Department).where(Department.active.is_(True)).order_by(Department.name)))


def _render_check(upload, plan, status: int = 200):
    return render_template(
        "surveys/check.html",
        upload=upload,
        plan=plan,
        shown=importing.SHOWN_PROBLEMS,
        departments=_departments(),
        form=ActionForm(formdata=None),
    ), status


@bp.route("/moderation/surveys/check/<token>")
@policy.roles(*policy.SURVEY_IMPORTERS)
def check(token: str):
    """The dry run: every row checked, every problem listed with its line; nothing written."""
    upload = _upload_or_404(token)
    plan = importing.plan_import(upload.content, upload.filename, upload.mapping)
    return _render_check(upload, plan, 200)


@bp.route("/moderation/surveys/check/<token>/codes", methods=["POST"])
@policy.roles(*policy.SURVEY_IMPORTERS)
def save_codes(token: str):
    """Remember the departments chosen for the file's unknown unit codes, then check the file again."""
    upload = _upload_or_404(token)
    if not ActionForm().validate_on_submit():
        abort(400)
    chosen = {}
    for key, value in request.form.items():
        if key.startswith("code:") and value.strip():
            try:
                chosen[key.removeprefix("code:")] = int(value)
            except ValueError:
                chosen[key.removeprefix("code:")] = 0
    try:
        count = services.remember_unit_codes(upload.mapping, chosen, by=_me())
    except InvalidInput as refused:
        db.session.rollback()
        flash(" ".join(m for ms in refused.fields.values() for m in ms), "danger")
    else:
        db.session.commit()
        flash(ngettext("%(num)d unit code remembered.", "%(num)d unit codes remembered.", count), "success")
    return redirect(url_for("surveys.check", token=token))


@bp.route("/moderation/surveys/check/<token>/import", methods=["POST"])
@policy.roles(*policy.SURVEY_IMPORTERS)
def apply(token: str):
    """Checks the file again and imports it only if nothing is wrong: all of it or none."""
    upload = _upload_or_404(token, for_apply=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    plan = importing.plan_import(upload.content, upload.filename, upload.mapping)
    if not plan.ok:
        flash(_("The file has problems, so nothing was imported."), "danger")
        return _render_check(upload, plan, 422)
    batch = importing.apply_plan(plan, _me())
    db.session.delete(upload)
    db.session.commit()
    if batch is None:
        flash(_("Nothing new to import: the file's comments are all imported already."), "info")
        return redirect(url_for("surveys.index"))
    flash(
        _(
            "Imported %(added)d comments; %(already)d were already imported.",
            added=batch.comments_added,
            already=batch.already_imported,
        ),
        "success",
    )
    return redirect(url_for("surveys.batch", import_id=batch.id))


def _batch_or_404(import_id: int) -> SurveyImport:
    return db.session.get(SurveyImport, import_id) or abort(404)


def _standards() -> list[Standard]:
    return list(db.session.scalars(sa.select(Standard).where(Standard.active.is_(True)).order_by(Standard.position)))


def _render_batch(batch: SurveyImport, bulk: BulkForm | None = None, status: int = 200):
    form = BatchFilterForm(request.args)
    units = services.batch_units(batch)
    form.unit.choices = [SelectChoice("", _("Any unit"))] + [SelectChoice(str(u.id), u.name) for u in units]
    filters = form.filters()
    bulk = bulk or BulkForm(formdata=None)
    locale = str(get_locale())
    bulk.standard_keys.choices = [SelectChoice(s.key, s.translated("name", locale)) for s in _standards()]
    page = None
    if filters is not None:
        page = db.paginate(services.batch_statement(batch, filters), per_page=PER_PAGE, error_out=False)
    else:
        status = 422
    return render_template(
        "surveys/batch.html",
        batch=batch,
        form=form,
        bulk=bulk,
        page=page,
        counts=services.status_counts(batch),
        valence_labels=VALENCE_LABELS,
        status_labels=STATUS_LABELS,
    ), status


@bp.route("/moderation/surveys/<int:import_id>")
@policy.roles(*policy.SURVEY_IMPORTERS)
@reads_only
def batch(import_id: int):
    return _render_batch(_batch_or_404(import_id))


@bp.route("/moderation/surveys/<int:import_id>/decide", methods=["POST"])
@policy.roles(*policy.SURVEY_IMPORTERS)
def decide(import_id: int):
    """Approve, send to managers or discard the selected comments: all of them, or none with the reason."""
    batch = _batch_or_404(import_id)
    bulk = BulkForm()
    action = request.form.get("action", "")
    if not bulk.validate_on_submit() or action not in {"approve", "send", "discard"}:
        return _render_batch(batch, bulk, 400)
    ids = list(bulk.comment_ids.data or [])
    try:
        if action == "approve":
            count = len(services.approve(batch, ids, list(bulk.standard_keys.data or []), _me()))
            message = ngettext(
                "%(num)d compliment approved as a recognition.", "%(num)d compliments approved as recognitions.", count
            )
        elif action == "send":
            count = services.send_to_managers(batch, ids, _me())
            message = ngettext(
                "%(num)d comment sent to the unit's managers.", "%(num)d comments sent to the units' managers.", count
            )
        else:
            count = services.discard(batch, ids, _me())
            message = ngettext("%(num)d comment discarded.", "%(num)d comments discarded.", count)
    except InvalidInput as refused:
        db.session.rollback()
        for name, messages in refused.fields.items():
            bulk[name].errors = list(messages)
        return _render_batch(batch, bulk, 422)
    db.session.commit()
    flash(message, "success")
    kept = {name: value for name, value in request.args.items() if name in BatchFilterForm.FILTERS}
    return redirect(url_for("surveys.batch", import_id=batch.id, **kept))


@bp.route("/surveys/what-patients-said")
@policy.roles(*policy.SURVEY_READERS)
@reads_only
def said():
    """Survey comments sent to the reader's units: what to improve, in the patients' (redacted) words."""
    page = db.paginate(services.said_statement(policy.survey_unit_ids(_me())), per_page=PER_PAGE, error_out=False)
    return render_template("surveys/said.html", page=page, said_text=services.said_text)
