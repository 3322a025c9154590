"""Every JSON body is decoded with bounded nesting and size: hostile bodies get the JSON error shape, never a 500."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.api.conftest import error_fields
from tracker.extensions import db
from tracker.jsonbody import TooDeep, check_depth
from tracker.models import Feedback, Recognition

JSON = {"Content-Type": "application/json"}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("depth", [33, 500, 1000, 100_000])
def test_deeply_nested_feedback_is_refused_without_signing_in(client, hospital, depth):
    body = '{"type": "compliment", "message": ' + nested(depth) + "}"
    response = client.post("/api/v1/feedback", data=body[: 60 * 1024] if depth > 30_000 else body, headers=JSON)
    assert response.status_code == 400
    assert "body" in error_fields(response)
    assert count(Feedback) == 0


@pytest.mark.parametrize("depth", [1000, 20_000])
def test_deeply_nested_recognition_is_refused(client, bearer, staff, depth):
    response = client.post("/api/v1/recognitions", data=nested(depth), headers=JSON | bearer(staff))
    assert response.status_code == 400
    assert "nests" in response.get_json()["error"]["message"]
    assert count(Recognition) == 0


def test_a_bare_nested_array_is_refused_as_too_deep_rather_than_as_not_an_object(client, hospital):
    response = client.post("/api/v1/feedback", data=nested(1000), headers=JSON)
    assert response.status_code == 400
    assert "deeper than 32" in response.get_json()["error"]["message"]


def test_a_body_over_the_size_limit_answers_413_in_the_error_shape(client, hospital):
    body = '{"type": "compliment", "message": "' + "a" * (65 * 1024) + '"}'
    response = client.post("/api/v1/feedback", data=body, headers=JSON)
    assert response.status_code == 413
    assert response.get_json()["error"]["message"]
    assert count(Feedback) == 0


def test_brackets_inside_text_do_not_count_as_nesting(client, hospital):
    message = "[[[[" * 40 + ' quoted \\" [[[ {{{ ' + "]]]]" * 10
    response = client.post("/api/v1/feedback", json={"type": "suggestion", "message": message})
    assert response.status_code == 201
    assert db.session.scalar(sa.select(Feedback.message)) == message


def test_the_depth_check_counts_without_recursion():
    check_depth('{"a": [[{"b": "[[[["}]]]}', 4)
    check_depth(b'{"a": [[{"b": "[[[["}]]]}', 4)
    with pytest.raises(TooDeep):
        check_depth(b'{"a": [[{"b": [1]}]]}', 4)
    with pytest.raises(TooDeep):
        check_depth("[" * 1_000_000, 32)  # far past the interpreter's recursion limit
