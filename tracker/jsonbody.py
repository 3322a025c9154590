"""One bounded JSON parse for every request body: a depth limit before decoding, a size limit while reading.

Python's JSON decoder recurses once per nested array or object, so a small body of a thousand
``[`` would exhaust the interpreter's stack (a ``RecursionError``, not a ``ValueError``) instead
of being refused. Every body the app decodes goes through :class:`BoundedJSONProvider` (Flask's
``request.get_json`` uses ``app.json``), which counts the nesting first, without recursion, and
refuses anything deeper than ``JSON_MAX_DEPTH``. The size is bounded by ``MAX_CONTENT_LENGTH``
(``API_MAX_CONTENT_LENGTH`` for the API), which Werkzeug enforces while reading the body (413).
"""

from __future__ import annotations

import re
import typing as t
from datetime import date, datetime

from flask import Request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest

DEFAULT_MAX_DEPTH = 32

# A JSON string (with its escapes), so brackets inside text are not counted; then the brackets.
_STRING = r'"(?:[^"\\]|\\.)*"'
_TOKENS_TEXT = re.compile(_STRING + r"|[\[\]{}]", re.DOTALL)
_TOKENS_BYTES = re.compile(_STRING.encode() + rb"|[\[\]{}]", re.DOTALL)
_OPENERS = frozenset(("[", "{", b"[", b"{"))
_CLOSERS = frozenset(("]", "}", b"]", b"}"))


class TooDeep(ValueError):
    """The document nests arrays and objects deeper than allowed."""

    def __init__(self, limit: int):
        super().__init__(f"JSON nested deeper than {limit} levels")
        self.limit = limit


class BodyTooDeep(BadRequest):
    """A request body refused for its nesting (400), told apart from one that is not JSON at all."""

    def __init__(self, limit: int):
        super().__init__(f"The body nests arrays and objects deeper than {limit} levels.")
        self.limit = limit


def check_depth(document: str | bytes | bytearray, limit: int) -> None:
    """Raise :class:`TooDeep` when ``document`` nests deeper than ``limit``; never recurses."""
    pattern = _TOKENS_BYTES if isinstance(document, bytes | bytearray) else _TOKENS_TEXT
    depth = 0
    for match in pattern.finditer(document):
        token = match.group()
        if token in _OPENERS:
            depth += 1
            if depth > limit:
                raise TooDeep(limit)
        elif token in _CLOSERS:
            depth -= 1


def _iso_dates(value: t.Any) -> t.Any:
    """Dates and times as ISO 8601, as the API document declares them (Flask alone writes RFC 822)."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return _flask_default(value)


_flask_default = DefaultJSONProvider.default


class BoundedJSONProvider(DefaultJSONProvider):
    """Flask's JSON provider, with the nesting of everything it decodes bounded and dates in ISO 8601."""

    default = staticmethod(_iso_dates)

    def loads(self, s: str | bytes, **kwargs: t.Any) -> t.Any:
        check_depth(s, int(self._app.config.get("JSON_MAX_DEPTH", DEFAULT_MAX_DEPTH)))
        return super().loads(s, **kwargs)


class BoundedRequest(Request):
    """Flask's request, whose JSON refusal says when the body was refused for its depth."""

    def on_json_loading_failed(self, e: ValueError | None) -> t.Any:
        if isinstance(e, TooDeep):
            raise BodyTooDeep(e.limit) from e
        return super().on_json_loading_failed(e)
