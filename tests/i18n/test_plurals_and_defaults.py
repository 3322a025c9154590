"""Counts read with the right plural, and the award scale's suggested labels come in the reader's language."""

from flask import render_template_string
from flask_babel import force_locale

GROUPS = "{{ ngettext('%(num)s group shown', '%(num)s groups shown', shown) }}"


def test_one_group_is_a_group_in_every_language(app):
    with app.test_request_context():
        for locale, one, two in (
            ("en", "1 group shown", "2 groups shown"),
            ("es", "Se muestra 1 grupo", "Se muestran 2 grupos"),
        ):
            with force_locale(locale):
                assert render_template_string(GROUPS, shown=1) == one
                assert render_template_string(GROUPS, shown=2) == two


def test_the_suggested_scale_labels_are_in_the_coordinator_s_language(app):
    from tracker.awards.forms import CriterionForm  # after the app: the awards package is imported through it

    with app.test_request_context(), force_locale("es"):
        form = CriterionForm(meta={"csrf": False})
        assert [form[f"label_{n}"].data for n in range(1, 6)] == [
            "No se observa",
            "Un poco",
            "Claramente",
            "Con fuerza",
            "De forma excepcional",
        ]


def test_counts_in_tables_are_written_as_the_reader_s_language_writes_numbers(app):
    with app.test_request_context():
        for locale, written in (("en", "12,345"), ("es", "12.345"), ("pt", "12.345")):
            with force_locale(locale):
                assert render_template_string("{{ 12345|numberformat }}") == written
