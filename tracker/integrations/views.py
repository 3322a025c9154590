"""Channel pages: connect a department's Teams or Slack channel, see how its posts are doing."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.admin.forms import department_choices
from tracker.admin.helpers import get_or_404, show_errors
from tracker.extensions import db
from tracker.integrations import bp, services
from tracker.integrations.forms import ActionForm, ChannelEditForm, ChannelForm, language_choices
from tracker.models import Channel, Department, IntegrationDelivery
from tracker.validation import InvalidInput


@bp.context_processor
def _navigation() -> dict:
    return {"shows_webhooks": current_user.is_authenticated and policy.may_manage_webhooks(current_user)}


def _channel_or_404(channel_id: int) -> Channel:
    channel = get_or_404(Channel, channel_id)
    if not policy.may_manage_channel(current_user, channel):
        abort(404)
    return channel


@bp.route("/channels", methods=["GET", "POST"])
@policy.roles(*policy.CHANNEL_KEEPERS)
def channels_index():
    departments = services.departments_for(current_user)
    form = ChannelForm()
    form.department.choices = department_choices(departments, _("— choose —"))
    form.language.choices = language_choices()
    if form.validate_on_submit():
        try:
            channel = services.connect_channel(
                db.session.get(Department, form.department.data) if form.department.data else None,
                form.kind.data,
                form.url.data,
                by=current_user,
                name=form.name.data,
                language=form.language.data,
                post_recognitions=form.post_recognitions.data,
                post_awards=form.post_awards.data,
                post_weekly_summary=form.post_weekly_summary.data,
            )
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Channel connected. Send a test message to check it."), "success")
            return redirect(url_for("integrations.channel_detail", channel_id=channel.id))
    page = render_template(
        "integrations/channels.html", channels=services.channels_for(current_user), form=form, departments=departments
    )
    return page, 422 if form.errors else 200


@bp.route("/channels/<int:channel_id>", methods=["GET", "POST"])
@policy.roles(*policy.CHANNEL_KEEPERS)
def channel_detail(channel_id: int):
    channel = _channel_or_404(channel_id)
    form = ChannelEditForm(obj=channel)
    form.language.choices = language_choices()
    if form.validate_on_submit():
        try:
            changed = services.update_channel(
                channel,
                by=current_user,
                name=form.name.data,
                language=form.language.data,
                post_recognitions=form.post_recognitions.data,
                post_awards=form.post_awards.data,
                post_weekly_summary=form.post_weekly_summary.data,
                new_url=form.new_url.data,
            )
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            flash(_("Saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("integrations.channel_detail", channel_id=channel.id))
    form.new_url.data = ""
    page = render_template(
        "integrations/channel.html",
        channel=channel,
        form=form,
        action_form=ActionForm(),
        deliveries=services.recent_deliveries(channel),
        counts=services.delivery_counts(channel),
        may_replay=services.may_replay,
        status_labels=services.DELIVERY_STATUS_LABELS,
    )
    return page, 422 if form.errors else 200


@bp.post("/channels/<int:channel_id>/test")
@policy.roles(*policy.CHANNEL_KEEPERS)
def channel_test(channel_id: int):
    channel = _channel_or_404(channel_id)
    if ActionForm().validate_on_submit():
        services.send_test(channel, by=current_user)
        db.session.commit()
        flash(_("A test message is queued; it goes out with the next outbox run."), "success")
    return redirect(url_for("integrations.channel_detail", channel_id=channel.id))


@bp.post("/channels/<int:channel_id>/pause")
@policy.roles(*policy.CHANNEL_KEEPERS)
def channel_pause(channel_id: int):
    channel = _channel_or_404(channel_id)
    if ActionForm().validate_on_submit():
        services.set_paused(channel, True, by=current_user)
        db.session.commit()
        flash(_("Paused. Posts wait until you resume."), "success")
    return redirect(url_for("integrations.channel_detail", channel_id=channel.id))


@bp.post("/channels/<int:channel_id>/resume")
@policy.roles(*policy.CHANNEL_KEEPERS)
def channel_resume(channel_id: int):
    channel = _channel_or_404(channel_id)
    if ActionForm().validate_on_submit():
        services.set_paused(channel, False, by=current_user)
        db.session.commit()
        flash(_("Resumed. Waiting posts go out with the next outbox run."), "success")
    return redirect(url_for("integrations.channel_detail", channel_id=channel.id))


@bp.post("/channels/<int:channel_id>/remove")
@policy.roles(*policy.CHANNEL_KEEPERS)
def channel_remove(channel_id: int):
    channel = _channel_or_404(channel_id)
    if ActionForm().validate_on_submit():
        services.remove(channel, by=current_user)
        db.session.commit()
        flash(_("Channel removed."), "success")
    return redirect(url_for("integrations.channels_index"))


@bp.post("/deliveries/<int:delivery_id>/replay")
@policy.roles(*policy.CHANNEL_KEEPERS)
def delivery_replay(delivery_id: int):
    delivery = get_or_404(IntegrationDelivery, delivery_id)
    if delivery.channel_id is not None:
        if not policy.may_manage_channel(current_user, delivery.channel):
            abort(404)
        back = url_for("integrations.channel_detail", channel_id=delivery.channel_id)
    else:
        if not policy.may_manage_webhooks(current_user):
            abort(404)
        back = url_for("integrations.webhook_detail", endpoint_id=delivery.endpoint_id)
    if ActionForm().validate_on_submit():
        try:
            services.replay(delivery, by=current_user)
        except InvalidInput as error:
            db.session.rollback()
            for messages in error.fields.values():
                for message in messages:
                    flash(message, "danger")
        else:
            db.session.commit()
            flash(_("Queued again; it goes out with the next outbox run."), "success")
    return redirect(back)
