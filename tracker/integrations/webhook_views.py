"""Webhook endpoint pages for administrators: add one (its secret shown once), the delivery log."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker import policy
from tracker.admin.helpers import get_or_404, show_errors
from tracker.extensions import db
from tracker.integrations import bp, services
from tracker.integrations.forms import ActionForm, EndpointForm
from tracker.models import WebhookEndpoint
from tracker.validation import InvalidInput


@bp.route("/webhooks", methods=["GET", "POST"])
@policy.roles(*policy.WEBHOOK_KEEPERS)
def webhooks_index():
    form = EndpointForm()
    if form.validate_on_submit():
        try:
            endpoint, secret = services.add_endpoint(
                form.url.data, form.events.data, by=current_user, description=form.description.data
            )
        except InvalidInput as error:
            show_errors(form, error)
        else:
            db.session.commit()
            return render_template("integrations/webhook_created.html", endpoint=endpoint, secret=secret), 201
    endpoints = db.session.scalars(sa.select(WebhookEndpoint).order_by(WebhookEndpoint.id)).all()
    return render_template("integrations/webhooks.html", endpoints=endpoints, form=form), 422 if form.errors else 200


@bp.get("/webhooks/<int:endpoint_id>")
@policy.roles(*policy.WEBHOOK_KEEPERS)
def webhook_detail(endpoint_id: int):
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    return render_template(
        "integrations/webhook.html",
        endpoint=endpoint,
        action_form=ActionForm(),
        deliveries=services.recent_deliveries(endpoint),
        counts=services.delivery_counts(endpoint),
        may_replay=services.may_replay,
        status_labels=services.DELIVERY_STATUS_LABELS,
    )


def _act(endpoint_id: int, action) -> WebhookEndpoint | None:
    endpoint = get_or_404(WebhookEndpoint, endpoint_id)
    if not ActionForm().validate_on_submit():
        return endpoint
    action(endpoint)
    db.session.commit()
    return endpoint


@bp.post("/webhooks/<int:endpoint_id>/test")
@policy.roles(*policy.WEBHOOK_KEEPERS)
def webhook_test(endpoint_id: int):
    _act(endpoint_id, lambda endpoint: services.send_test(endpoint, by=current_user))
    flash(_("A test message is queued; it goes out with the next outbox run."), "success")
    return redirect(url_for("integrations.webhook_detail", endpoint_id=endpoint_id))


@bp.post("/webhooks/<int:endpoint_id>/pause")
@policy.roles(*policy.WEBHOOK_KEEPERS)
def webhook_pause(endpoint_id: int):
    _act(endpoint_id, lambda endpoint: services.set_paused(endpoint, True, by=current_user))
    flash(_("Paused. Events wait until you resume."), "success")
    return redirect(url_for("integrations.webhook_detail", endpoint_id=endpoint_id))


@bp.post("/webhooks/<int:endpoint_id>/resume")
@policy.roles(*policy.WEBHOOK_KEEPERS)
def webhook_resume(endpoint_id: int):
    _act(endpoint_id, lambda endpoint: services.set_paused(endpoint, False, by=current_user))
    flash(_("Resumed. Waiting events go out with the next outbox run."), "success")
    return redirect(url_for("integrations.webhook_detail", endpoint_id=endpoint_id))


@bp.post("/webhooks/<int:endpoint_id>/remove")
@policy.roles(*policy.WEBHOOK_KEEPERS)
def webhook_remove(endpoint_id: int):
    _act(endpoint_id, lambda endpoint: services.remove(endpoint, by=current_user))
    flash(_("Endpoint removed."), "success")
    return redirect(url_for("integrations.webhooks_index"))
