"""Safe retries: a request sent again with the same ``Idempotency-Key`` gets the first answer back.

Keys belong to a scope (one token, one signed-in person, or one address), live for a day, and are
tied to the request they first came with: the same key with a different body is refused (422).
The first answer is stored in the same transaction as the record it created, so a crash can never
leave one without the other; a concurrent duplicate loses the race on the unique key and replays.
"""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

import sqlalchemy as sa
from flask import Response, current_app, request
from sqlalchemy.exc import IntegrityError

from tracker.api import idempotency_scope
from tracker.errors import json_error
from tracker.extensions import db
from tracker.models import IdempotencyRecord, utcnow

KEY_LIFETIME = timedelta(hours=24)
REPLAYED_HEADER = "Idempotent-Replayed"


class Retry:
    """One request's idempotency state: the stored answer to replay, or how to store a new one."""

    def __init__(self, key: str | None):
        self.key = key
        self.scope = idempotency_scope()
        body = json.dumps(request.get_json(silent=True), sort_keys=True, separators=(",", ":"))
        self.request_hash = hashlib.sha256(f"{request.method} {request.path} {body}".encode()).hexdigest()

    @property
    def submission_key(self) -> str | None:
        """A short, scope-bound key for the services' own duplicate check."""
        if not self.key:
            return None
        return "api-" + hashlib.sha256(f"{self.scope}\n{self.key}".encode()).hexdigest()[:48]

    def _stored(self) -> IdempotencyRecord | None:
        return db.session.scalar(
            sa.select(IdempotencyRecord).where(IdempotencyRecord.scope == self.scope, IdempotencyRecord.key == self.key)
        )

    def earlier_answer(self) -> Response | None:
        """The stored answer for this key, a refusal when the key came with another request, or ``None``."""
        if not self.key:
            return None
        record = self._stored()
        if record is None:
            return None
        if record.created_at < utcnow() - KEY_LIFETIME:
            db.session.delete(record)
            db.session.flush()
            return None
        return self._answer(record)

    def _answer(self, record: IdempotencyRecord) -> Response:
        if record.request_hash != self.request_hash:
            return json_error(
                422,
                "This Idempotency-Key was already used for a different request.",
                {"Idempotency-Key": ["Use a new key for a new request."]},
            )
        response = current_app.response_class(record.response_body, record.status_code, mimetype="application/json")
        response.headers[REPLAYED_HEADER] = "true"
        return response

    def commit(self, status: int, payload: dict, headers: dict | None = None) -> Response:
        """Commit the work with its answer remembered under the key, and return that answer."""
        body = json.dumps(payload)
        if self.key:
            db.session.add(
                IdempotencyRecord(
                    scope=self.scope,
                    key=self.key,
                    request_hash=self.request_hash,
                    status_code=status,
                    response_body=body,
                )
            )
        try:
            db.session.commit()
        except IntegrityError:
            # The same key arrived twice at once and the other request committed first.
            db.session.rollback()
            record = self._stored() if self.key else None
            if record is None:
                raise
            return self._answer(record)
        response = current_app.response_class(body, status, mimetype="application/json")
        for name, value in (headers or {}).items():
            response.headers[name] = value
        return response
