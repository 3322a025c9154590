"""Schemathesis hooks for the API run: which refusals of schema-valid requests are sound, and why.

Loaded by the CLI through ``SCHEMATHESIS_HOOKS``. The document states every rule a request can be
checked against on its own (lengths, patterns, vocabularies such as the standards and departments).
What it cannot state is whether the caller may name a record (a department outside a manager's
scope), whether a record exists that is not listed (people are data), or what was sent
before (an ``Idempotency-Key`` already used for another request, the daily recognition limit), or a
relation between two values (``since`` after ``until``). Those refusals are a 422 naming the field.

``positive_data_acceptance`` therefore also takes a 422 on the operations below (``schemathesis.toml``),
and the check here makes sure such a 422 names only those fields: a schema-valid request refused for
any other reason still fails the run.
"""

from __future__ import annotations

import schemathesis

KEY = "Idempotency-Key"
# Operation → the fields whose refusal depends on stored data, earlier requests, or another field.
REFUSED_FOR_DATA = {
    "GET /api/v1/people": {"department"},
    "GET /api/v1/recognitions": {"department", "since"},  # since on or before until
    "GET /api/v1/dashboard/summary": {"department", "since"},
    # recipients: people are data (and the caller may not thank themselves); behaviors: each must belong
    # to one of the standards chosen; form: the daily limit counts what was given today.
    "POST /api/v1/recognitions": {"recipients", "unit", "behaviors", "form", KEY},
    "POST /api/v1/feedback": {KEY},  # the places patients come to are listed in the document
    # url: whether the host is public is known only once its name has been resolved.
    "POST /api/v1/webhooks": {"url", KEY},
    # The programme's cycle, units, criteria and the nominee are data; relation is asked of the public only.
    "POST /api/v1/awards/{slug}/nominations": {
        "programme",
        "unit_slug",
        "team_slug",
        "criteria",
        "nominee_name",
        "relation",
        "consent",
        KEY,
    },
}


def _score_field(name: str) -> bool:
    return name in {"scores", "comments", "reason"} or name.startswith(("score_", "comment_"))


@schemathesis.check
def refused_only_for_data(ctx, response, case):
    """A schema-valid request answered 422 names only fields that depend on stored data."""
    meta = case.meta
    if response.status_code != 422 or meta is None or not meta.generation.mode.is_positive:
        return None
    try:
        fields = set((response.json().get("error") or {}).get("fields") or {})
    except ValueError:
        fields = set()
    label = case.operation.label
    if label == "POST /api/v1/judging/assignments/{assignment_id}/score":
        allowed = fields if all(_score_field(name) for name in fields) else set()  # criteria are data
    else:
        allowed = REFUSED_FOR_DATA.get(label, set())
    if not fields or not fields <= allowed:
        raise AssertionError(
            f"A schema-valid request was refused for {sorted(fields - allowed) or 'no named field'}: "
            "the document should state that rule"
        )
    return None
