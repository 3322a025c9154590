from flask import current_app, jsonify, redirect, render_template, request, session, url_for
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from tracker import policy
from tracker.auth.services import is_safe_next
from tracker.extensions import db
from tracker.home import bp, services


@bp.route("/")
@policy.public
def index():
    if not current_user.is_authenticated:
        return render_template("home/welcome.html")
    if policy.is_advisor(current_user):
        return redirect(url_for("awards.judging_index"))
    return render_template("home/index.html", summary=services.summary(current_user))


@bp.route("/healthz")
@policy.public
def healthz():
    """For load balancers and monitors: 200 when a real query succeeds, 503 when it does not.

    Shared rate-limit counting (Redis) being unreachable is reported as ``degraded`` with a 200:
    the app still answers, and each process then counts the limits on its own.
    """
    try:
        db.session.execute(text("SELECT 1")).scalar_one()
    except SQLAlchemyError as error:
        db.session.rollback()
        current_app.logger.error("health check failed: %s", error)
        return jsonify(status="unavailable", database="unreachable"), 503
    rate_limits = services.rate_limit_counting()
    status = "degraded" if rate_limits == services.SHARED_COUNTING_LOST else "ok"
    return jsonify(status=status, database="ok", rate_limits=rate_limits)


@bp.route("/language", methods=["POST"])
@policy.public
def set_language():
    """The language switcher: remembered in the session for every later page."""
    language = request.form.get("lang", "")
    if language in current_app.config["LANGUAGES"]:
        session["lang"] = language
    target = request.form.get("next")
    return redirect(target if is_safe_next(target) else url_for("home.index"))
