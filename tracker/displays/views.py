"""Display link pages for a unit's managers, and the TV display a link opens. Thin: policy, services, render."""

from __future__ import annotations

from flask import abort, after_this_request, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.awards.decisions import wall_honourees
from tracker.database import reads_only
from tracker.displays import bp, services
from tracker.displays.forms import NewDisplayLinkForm, RevokeDisplayLinkForm
from tracker.extensions import db
from tracker.models import Department, DisplayLink
from tracker.recognitions.queries import display_stories
from tracker.validation import InvalidInput


def managed_unit_or_404(slug: str) -> Department:
    """The unit, if the signed-in person may keep its display links; otherwise 404, as for no unit at all."""
    unit = services.unit_by_slug(slug)
    if unit is None or not policy.may_manage_display_links(current_user, unit):
        abort(404)
    return unit


def link_or_404(unit: Department, link_id: int) -> DisplayLink:
    link = services.link_of(unit, link_id)
    if link is None:
        abort(404)
    return link


def _page(unit: Department, form: NewDisplayLinkForm, *, new_url: str | None = None, status: int = 200):
    return (
        render_template(
            "displays/index.html",
            unit=unit,
            form=form,
            links=services.links_of(unit),
            new_url=new_url,
            new_code=services.qr_code_data_uri(new_url, unit.name) if new_url else None,
            revoke_form=RevokeDisplayLinkForm(),
        ),
        status,
    )


@bp.get("/units/<slug>/display-links")
@policy.roles(*policy.DISPLAY_LINK_KEEPERS)
def index(slug: str):
    return _page(managed_unit_or_404(slug), NewDisplayLinkForm())


@bp.post("/units/<slug>/display-links")
@policy.roles(*policy.DISPLAY_LINK_KEEPERS)
def create(slug: str):
    unit = managed_unit_or_404(slug)
    form = NewDisplayLinkForm()
    if not form.validate_on_submit():
        return _page(unit, form, status=400)
    try:
        _link, token = services.create_link(unit, form.label.data, current_user._get_current_object())
    except InvalidInput as error:
        form.label.errors = list(error.fields.get("label", [error.message]))
        return _page(unit, form, status=400)
    db.session.commit()
    # Rendered, not redirected: the token must never pass through the (signed, readable) session cookie.
    return _page(unit, NewDisplayLinkForm(formdata=None), new_url=services.display_url(token))


@bp.get("/units/<slug>/display-links/<int:link_id>/revoke")
@policy.roles(*policy.DISPLAY_LINK_KEEPERS)
def confirm_revoke(slug: str, link_id: int):
    unit = managed_unit_or_404(slug)
    link = link_or_404(unit, link_id)
    if link.revoked_at is not None:
        return redirect(url_for("displays.index", slug=unit.slug))
    return render_template("displays/revoke.html", unit=unit, link=link, form=RevokeDisplayLinkForm())


@bp.post("/units/<slug>/display-links/<int:link_id>/revoke")
@policy.roles(*policy.DISPLAY_LINK_KEEPERS)
def revoke(slug: str, link_id: int):
    unit = managed_unit_or_404(slug)
    link = link_or_404(unit, link_id)
    if not RevokeDisplayLinkForm().validate_on_submit():
        abort(400)
    services.revoke_link(link, current_user._get_current_object())
    db.session.commit()
    flash(
        _(
            "The display link “%(label)s” was revoked. Its screen stops showing recognitions at its next reload.",
            label=link.label,
        ),
        "success",
    )
    return redirect(url_for("displays.index", slug=unit.slug))


@bp.get("/display/<token>")
@policy.public
@reads_only
def kiosk(token: str):
    """One unit's TV display, opened by its link alone: no session, no sign-in, no way to any other page.

    An unknown, malformed or revoked token, or a closed unit, is the same 404.
    """

    @after_this_request
    def keep_the_token_to_itself(response):
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        return response

    link = services.live_link(token)
    if link is None:
        # The same page for every token that opens nothing, plain: no menu, no form, so no session cookie.
        return render_template("displays/not_found.html", plain_page=True), 404
    services.note_use(link)
    unit = link.department
    return render_template(
        "recognitions/display.html", unit=unit, stories=display_stories(unit), honourees=wall_honourees(unit)
    )


@bp.app_context_processor
def _display_links_url() -> dict:
    return {"display_links_url": display_links_url}


def display_links_url(slug: str) -> str | None:
    """The unit's display link page, only for whoever may keep its links (the wall and admin pages link it)."""
    if not current_user.is_authenticated:
        return None
    unit = services.unit_by_slug(slug)
    if unit is None or not policy.may_manage_display_links(current_user, unit):
        return None
    return url_for("displays.index", slug=unit.slug)
