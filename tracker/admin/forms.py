"""Forms of the admin pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from tracker.admin import time_zones
from tracker.forms import Form
from tracker.models import Department, Role


def optional_int(value):
    """Select values: '' means none."""
    if value in (None, "", "None"):
        return None
    return int(value)


def department_choices(departments: list[Department], empty_label: str | None = None) -> list[SelectChoice]:
    """Choices indented by depth, so the tree shows in a plain select."""
    choices = [SelectChoice("", empty_label)] if empty_label is not None else []
    for department in departments:
        label = "\u2003" * department.depth + department.name
        if not department.active:
            label += " " + str(_l("(inactive)"))
        choices.append(SelectChoice(department.id, label))
    return choices


STANDARD_DESCRIPTION_MAX = 2000


class DepartmentCreateForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    slug = StringField(
        _l("Short name for links (slug)"),
        validators=[DataRequired(), Length(max=80)],
        description=_l("Lower-case letters, digits and hyphens, e.g. ellison-12. It cannot be changed later."),
    )
    parent = SelectField(_l("Part of"), coerce=optional_int, validate_choice=False)
    patient_facing = BooleanField(_l("Patients and visitors come here"), default=True)


PATIENT_FACING_HINT = _l(
    "Ticked, it is offered under “Where were you?” on the patient feedback form and has a QR poster. "
    "Untick services and offices patients do not visit, such as security or human resources."
)


class DepartmentEditForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    parent = SelectField(_l("Part of"), coerce=optional_int, validate_choice=False)
    active = BooleanField(_l("Active (people can choose it)"))
    patient_facing = BooleanField(_l("Patients and visitors come here"))


class PeopleSearchForm(Form):
    class Meta:
        csrf = False  # a GET search form

    q = StringField(_l("Name, e-mail or employee id"), validators=[Optional(), Length(max=100)])
    department = SelectField(_l("Department"), coerce=optional_int, validate_choice=False)
    status = SelectField(
        _l("Status"),
        choices=[
            SelectChoice("active", _l("Active")),
            SelectChoice("inactive", _l("Inactive")),
            SelectChoice("all", _l("All")),
        ],
        default="active",
    )
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice("", _l("Any role"))] + [SelectChoice(r.value, r.value) for r in Role],
        default="",
    )


class PersonForm(Form):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Length(max=254)])
    job_title = StringField(_l("Job title"), validators=[Optional(), Length(max=200)])
    employee_id = StringField(_l("Employee id"), validators=[Optional(), Length(max=64)])
    department = SelectField(_l("Department"), coerce=optional_int, validate_choice=False)
    roles = SelectMultipleField(_l("Roles"), choices=[SelectChoice(r.value, r.value) for r in Role if r != Role.STAFF])
    managed_departments = SelectMultipleField(
        _l("Manages"),
        coerce=int,
        validate_choice=False,
        description=_l("Managers see the whole subtree. Hold Ctrl (Cmd on a Mac) to choose several."),
    )
    active = BooleanField(_l("Active (may sign in and appears in the directory)"))


class StandardForm(Form):
    key = StringField(
        _l("Key"),
        validators=[Optional(), Length(max=40)],
        description=_l(
            "Used by integrations: lower-case letters, digits and hyphens. Leave blank to derive it from the name. "
            "It cannot be changed later."
        ),
    )
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(
        _l("Short description"),
        validators=[Optional(), Length(max=STANDARD_DESCRIPTION_MAX)],
        render_kw={"data-max": STANDARD_DESCRIPTION_MAX},
    )
    color = StringField(
        _l("Chart colour"),
        validators=[DataRequired(), Length(max=7)],
        description=_l("#rrggbb, e.g. #0072B2; pick from a colour-blind-safe palette (Okabe–Ito)."),
        render_kw={"spellcheck": "false", "autocomplete": "off"},
    )
    position = IntegerField(_l("Order"), validators=[InputRequired()], default=0)
    active = BooleanField(_l("In use (offered on the forms)"), default=True)


class BehaviourForm(Form):
    key = StringField(_l("Key"), validators=[Optional(), Length(max=60)])
    name = StringField(_l("Example behaviour"), validators=[DataRequired(), Length(max=200)])
    patient_prompt = StringField(
        _l("How the patient form asks about it"),
        validators=[Optional(), Length(max=200)],
        description=_l("Plain words, e.g. “They told me their name and what they do”."),
    )
    position = IntegerField(_l("Order"), validators=[InputRequired()], default=0)
    active = BooleanField(_l("In use"), default=True)


class SettingsForm(Form):
    approval_required = BooleanField(_l("Peer recognitions wait for a manager's approval before they are published"))
    daily_recognition_limit = IntegerField(_l("Recognitions one person may give per day"), validators=[InputRequired()])
    case_acknowledge_days = IntegerField(_l("Days to acknowledge a concern"), validators=[InputRequired()])
    case_resolve_days = IntegerField(_l("Days to resolve a concern"), validators=[InputRequired()])
    moderation_overdue_days = IntegerField(
        _l("Days patient feedback may wait for moderation before it is overdue"), validators=[InputRequired()]
    )
    contact_retention_days = IntegerField(_l("Days to keep patients' contact details"), validators=[InputRequired()])
    timezone = SelectField(
        _l("Hospital time zone"),
        choices=time_zones.choices,
        invalid_choice_message=_l("Choose a time zone from the list, like America/New_York."),
    )
    survey_comments_on_walls = BooleanField(
        _l("Survey comments approved as recognitions may appear on public walls, where the survey's terms allow it")
    )
    patient_help_phone = TelField(
        _l("Phone number for help now"),
        default="",
        description=_l(
            "The public feedback form and its confirmation tell patients and families to speak to the nurse "
            "or the unit when it cannot wait, and offer this number. Leave it empty to offer no number."
        ),
    )


class RosterUploadForm(Form):
    file = FileField(
        _l("Roster file (CSV)"),
        validators=[FileRequired(_l("Choose the roster file to check."))],
        description=_l(
            "Columns: employee_id, name, email, job_title, department (slug), optional role, active and language "
            "(en, es, pt, ht or zh_Hans). Nothing changes until you apply the checked file."
        ),
        render_kw={"accept": ".csv,text/csv"},
    )
    deactivate_missing = BooleanField(_l("Deactivate active people who are not in the file"))


class AuditFilterForm(Form):
    class Meta:
        csrf = False  # a GET filter form

    person = StringField(_l("Who (name or e-mail)"), validators=[Optional(), Length(max=100)])
    action = SelectField(_l("Action"), validate_choice=False)
    object_type = SelectField(_l("Record type"), validate_choice=False)
    object_id = StringField(_l("Record id"), validators=[Optional(), Length(max=64)])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("To"), validators=[Optional()])
