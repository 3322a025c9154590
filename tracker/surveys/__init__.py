"""Patient-survey comments in bulk: vendors' exports imported, staff named in them found, reviewed in bulk.

``reading`` opens the file, ``importing`` checks every row (the dry run) and adds the new comments,
``mentions`` finds the staff a comment names, ``classify`` splits mixed comments, ``services`` holds
mappings and the bulk review; ``commands`` is ``flask --app tracker surveys …``.
"""

from flask import Blueprint

bp = Blueprint("surveys", __name__)

from tracker.surveys import views  # noqa: E402  (routes register on import)


@bp.record_once
def _first_before_request(state) -> None:
    """The upload's size limit must be raised before the CSRF check, the app's first hook, reads the form."""
    state.app.before_request_funcs.setdefault(None, []).insert(0, views.allow_large_exports)
