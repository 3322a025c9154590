"""Hostile input: random text, wrong types, missing fields and invalid UTF-8 on the forms and the API.

Whatever arrives, the answer is never a 500, and a refused request changes nothing that is stored.
Examples are few per property (``max_examples``) so the suite stays fast; hypothesis still mixes
control characters, right-to-left marks, emoji, lone surrogates, markup and very long strings.
"""

from __future__ import annotations

import json
import time

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PersonFactory
from tracker.auth.services import create_token
from tracker.extensions import db
from tracker.feedback import spam
from tracker.models import Feedback, IdempotencyRecord, OutboxMessage, Recognition, RecognitionRecipient, Standard

EXAMPLES = settings(
    max_examples=20,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY = [
    "\u202e",  # right-to-left override
    "\u200f",  # right-to-left mark
    "\u0000",
    "\x07\x1b[31m",
    "\ufeff",
    "\udcff",  # a lone surrogate: no UTF-8 encoding exists
    "👩🏽‍⚕️",
    "مرحبا",
    "谢谢",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    '=HYPERLINK("http://evil.example")',
    "\r\n\t",
    "%s%n{0}",
]


def hostile_text(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(max_size=40),
        st.lists(st.sampled_from(pieces), max_size=6).map("".join),
        st.builds(lambda piece, times: piece * times, st.sampled_from([*pieces, "a"]), st.integers(500, 6_000)),
    )


nasty_text = hostile_text(NASTY)
# A browser cannot send a lone surrogate in a form (it has no UTF-8 form); the API tests cover it.
form_text = hostile_text([piece for piece in NASTY if piece != "\udcff"])
any_json = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), nasty_text),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)
maybe = st.one_of(nasty_text, any_json)

ALLOWED_REFUSALS = {400, 401, 403, 404, 409, 413, 415, 422, 429}


def stored_counts() -> tuple[int, ...]:
    db.session.expire_all()
    models = (Feedback, Recognition, RecognitionRecipient, OutboxMessage, IdempotencyRecord)
    return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in models)


def assert_refused_without_change(response, before) -> None:
    assert response.status_code in ALLOWED_REFUSALS, (response.status_code, response.get_data(as_text=True)[:300])
    assert stored_counts() == before


def json_body(payload) -> bytes:
    return json.dumps(payload, allow_nan=True).encode()


# --- API ---------------------------------------------------------------------------------------


@pytest.fixture
def standard_key(hospital) -> str:
    return db.session.scalars(sa.select(Standard.key).order_by(Standard.position)).first()


@EXAMPLES
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "type": st.one_of(st.sampled_from(["compliment", "suggestion", "concern"]), maybe),
            "message": maybe,
            "staff_names": maybe,
            "unit": st.one_of(st.just("ellison-12"), maybe),
            "language": st.one_of(st.just("es"), maybe),
            "consent_to_share": st.one_of(st.booleans(), maybe),
            "contact_email": maybe,
            "contact_phone": maybe,
        },
    )
)
def test_feedback_api_never_fails_and_refusals_store_nothing(client, hospital, body):
    before = stored_counts()
    response = client.post("/api/v1/feedback", data=json_body(body), content_type="application/json")
    if response.status_code == 201:
        assert stored_counts()[0] == before[0] + 1
    else:
        assert_refused_without_change(response, before)
        assert "error" in response.get_json()


@EXAMPLES
@given(
    body=st.fixed_dictionaries(
        {},
        optional={
            "recipients": st.one_of(st.lists(st.integers(-(2**40), 2**40), max_size=3), maybe),
            "unit": maybe,
            "standards": st.one_of(st.lists(maybe, max_size=3), maybe),
            "behaviors": maybe,
            "message": maybe,
            "visibility": st.one_of(st.sampled_from(["public", "private"]), maybe),
        },
    ),
    use_real_people=st.booleans(),
)
def test_recognition_api_never_fails_and_refusals_store_nothing(
    client, staff, colleague, standard_key, body, use_real_people
):
    if use_real_people:  # also reach the service's own checks, past the schema
        body = {**body, "recipients": [colleague.id], "standards": [standard_key]}
    headers = {"Authorization": f"Bearer {create_token(staff, 'hostile')}"}
    db.session.flush()
    before = stored_counts()
    response = client.post(
        "/api/v1/recognitions", data=json_body(body), content_type="application/json", headers=headers
    )
    if response.status_code == 201:
        assert stored_counts()[1] == before[1] + 1
    else:
        assert_refused_without_change(response, before)


@EXAMPLES
@given(raw=st.binary(max_size=200), path=st.sampled_from(["/api/v1/feedback", "/api/v1/recognitions"]))
def test_api_survives_bytes_that_are_not_json_or_not_utf8(client, staff, raw, path):
    headers = {"Authorization": f"Bearer {create_token(staff, 'bytes')}"}
    db.session.flush()
    before = stored_counts()
    response = client.post(path, data=b'{"message": "' + raw + b'"}', content_type="application/json", headers=headers)
    assert_refused_without_change(response, before)


@pytest.mark.parametrize("path", ["/api/v1/people?q=%ff%fe", "/api/v1/recognitions?since=%ff&per_page=%00"])
def test_api_queries_with_invalid_utf8(client, staff, path):
    headers = {"Authorization": f"Bearer {create_token(staff, 'query')}"}
    db.session.flush()
    assert client.get(path, headers=headers).status_code in {200, 400, 422}


# --- forms -------------------------------------------------------------------------------------


def started_a_minute_ago(app) -> str:
    with app.test_request_context():
        return spam.issue_started_token(time.time() - 60)


@EXAMPLES
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "type": st.one_of(st.sampled_from(["compliment", "concern"]), form_text),
            "message": form_text,
            "staff_names": form_text,
            "unit_slug": st.one_of(st.just("ellison-12"), form_text),
            "occurred_on": st.one_of(st.just("2024-02-30"), form_text),
            "relation": form_text,
            "contact_email": form_text,
            "contact_phone": form_text,
            "behaviors": form_text,
            "consent_to_share": form_text,
        },
    )
)
def test_public_feedback_form_never_fails(app, client, hospital, fields):
    before = stored_counts()
    data = {"website": "", "started": started_a_minute_ago(app), **fields}
    response = client.post_form("/feedback", data)
    if response.status_code == 302:
        assert stored_counts()[0] == before[0] + 1
    else:
        assert response.status_code in {200, 400, 422}
        assert stored_counts() == before


@EXAMPLES
@given(
    fields=st.fixed_dictionaries(
        {},
        optional={
            "recipients": st.one_of(st.integers().map(str), form_text),
            "unit": form_text,
            "standards": form_text,
            "behaviors": form_text,
            "message": form_text,
            "visibility": st.one_of(st.sampled_from(["public", "private"]), form_text),
            "submission_key": form_text,
        },
    )
)
def test_recognition_form_never_fails(sign_in, staff, fields):
    client = sign_in(staff)
    before = stored_counts()
    response = client.post_form("/recognitions/new", fields)
    if response.status_code == 302:
        assert stored_counts()[1] == before[1] + 1
    else:
        assert response.status_code in {200, 400, 422}
        assert stored_counts() == before


@pytest.mark.parametrize(
    "body",
    [
        b"message=%ff%fe%fd&type=compliment",
        b"message=\xff\xfe&type=\xc3\x28",
        b"email=%ff%00@example.org&password=%ff",
    ],
)
@pytest.mark.parametrize("path", ["/feedback", "/login"])
def test_forms_survive_invalid_utf8(client, hospital, path, body):
    PersonFactory(email="someone@example.org")
    before = stored_counts()
    token = client.csrf_token().encode()
    response = client.post(path, data=body + b"&csrf_token=" + token, content_type="application/x-www-form-urlencoded")
    assert response.status_code in {200, 400, 401, 422}
    assert stored_counts() == before


@pytest.mark.parametrize(
    "path",
    ["/feedback?unit=%00", "/feedback/ellison%0012", "/wall?unit=a%00b", "/units/ellison-12%00/poster"],
)
def test_nul_characters_in_pages_are_refused(sign_in, staff, path):
    client = sign_in(staff)
    assert client.get(path).status_code == 400


def test_nul_characters_in_forms_are_refused(client, hospital):
    before = stored_counts()
    response = client.post_form("/feedback", {"type": "compliment", "message": "Kind\x00nurse", "website": ""})
    assert response.status_code == 400
    assert stored_counts() == before


def test_recognition_form_refuses_an_id_too_large_for_the_database(sign_in, staff):
    client = sign_in(staff)
    before = stored_counts()
    response = client.post_form("/recognitions/new", {"recipients": "9" * 30, "message": "Thanks", "standards": "x"})
    assert response.status_code in {200, 422}
    assert "People must be chosen from the directory" in response.get_data(as_text=True)
    assert stored_counts() == before


@pytest.mark.parametrize(
    "path",
    ["/wall", "/me/recognitions", "/moderation", "/cases", "/admin/audit", "/admin/people", "/recognitions/approvals"],
)
@pytest.mark.parametrize("page", ["99999999999999999999", "-5", "x", "%00"])
def test_list_pages_survive_hostile_page_numbers(sign_in, admin, path, page):
    client = sign_in(admin)
    assert client.get(f"{path}?page={page}&per_page={page}").status_code in {200, 400, 422}
