"""Forms of the survey pages: they only parse input; the services check the rules."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice

from tracker.forms import Form
from tracker.models import SurveyCommentStatus, Valence
from tracker.surveys.importing import example_date
from tracker.surveys.services import DATE_FORMATS, BatchFilters

VALENCE_LABELS = {
    Valence.POSITIVE: _l("Compliment"),
    Valence.NEGATIVE: _l("To improve"),
    Valence.MIXED: _l("Mixed"),
    Valence.NEUTRAL: _l("Neutral"),
}
STATUS_LABELS = {
    SurveyCommentStatus.PENDING: _l("Waiting"),
    SurveyCommentStatus.APPROVED: _l("Approved as a recognition"),
    SurveyCommentStatus.SENT: _l("Sent to the unit's managers"),
    SurveyCommentStatus.DISCARDED: _l("Discarded"),
}
_YES_NO_ANY = [SelectChoice("", _l("Any")), SelectChoice("yes", _l("Yes")), SelectChoice("no", _l("No"))]


class MappingForm(Form):
    name = StringField(_l("Vendor or mapping name"), render_kw={"maxlength": 80})
    text_column = StringField(_l("Column of the comment"))
    unit_column = StringField(_l("Column of the unit or service code"))
    date_column = StringField(_l("Column of the visit or discharge date"))
    survey_id_column = StringField(_l("Column of the survey id"))
    question_id_column = StringField(_l("Column of the question id"))
    valence_column = StringField(
        _l("Column of the vendor's valence (optional)"),
        description=_l("Positive, negative, mixed or neutral. Leave empty when the file has none."),
    )
    date_format = SelectField(
        _l("How dates are written"),
        choices=[SelectChoice(fmt, example_date(fmt)) for fmt in DATE_FORMATS],
        validate_choice=False,
    )
    wall_allowed = BooleanField(_l("The survey's consent terms allow comments on public walls"))


class UploadForm(Form):
    mapping_id = SelectField(_l("Column mapping"), coerce=int, validate_choice=False)
    file = FileField(
        _l("Survey export (CSV or XLSX)"),
        validators=[FileRequired(_l("Choose the survey export to check."))],
        description=_l("Nothing is imported until you have read the check and confirmed."),
    )


class ActionForm(Form):
    """A one-button form: only the CSRF token."""


class BulkForm(Form):
    comment_ids = SelectMultipleField(_l("Selected comments"), coerce=int, validate_choice=False)
    standard_keys = SelectMultipleField(_l("icare standards of the approved compliments"), validate_choice=False)


class BatchFilterForm(Form):
    """The batch page's GET filters; unknown values are refused by :meth:`filters`."""

    class Meta:
        csrf = False

    FILTERS = ("unit", "valence", "matched", "flagged", "status")
    unit = SelectField(_l("Unit"), validate_choice=False)
    valence = SelectField(
        _l("Valence"),
        choices=[SelectChoice("", _l("Any"))] + [SelectChoice(v.value, label) for v, label in VALENCE_LABELS.items()],
        validate_choice=False,
    )
    matched = SelectField(_l("Staff named and found"), choices=_YES_NO_ANY, validate_choice=False)
    flagged = SelectField(_l("Possible health information"), choices=_YES_NO_ANY, validate_choice=False)
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(s.value, label) for s, label in STATUS_LABELS.items()] + [SelectChoice("all", _l("Any"))],
        validate_choice=False,
    )

    def filters(self) -> BatchFilters | None:
        refused = False
        for field in (self.unit, self.valence, self.matched, self.flagged, self.status):
            if field.data and field.data not in {choice.value for choice in field.choices}:
                field.errors = [_("Please choose from the list.")]
                refused = True
        if refused:
            return None
        status = self.status.data or SurveyCommentStatus.PENDING.value
        return BatchFilters(
            unit_id=int(self.unit.data) if self.unit.data else None,
            valence=Valence(self.valence.data) if self.valence.data else None,
            matched={"yes": True, "no": False}.get(self.matched.data or ""),
            flagged={"yes": True, "no": False}.get(self.flagged.data or ""),
            status=None if status == "all" else SurveyCommentStatus(status),
        )

    @property
    def chosen(self) -> dict[str, str]:
        return {name: value for name, value in self.data.items() if value}
