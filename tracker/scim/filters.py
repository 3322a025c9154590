"""The SCIM filters a directory sends to find a resource (``userName eq "…"``), and pagination."""

from __future__ import annotations

import re
from collections.abc import Callable

import sqlalchemy as sa
from flask import request
from scim2_models import InvalidFilterException

from tracker.scim.discovery import MAX_RESULTS

EQUALS = re.compile(r'^\s*([A-Za-z][\w.:]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


def parse_filter(text: str | None, statement: sa.Select, known: dict[str, Callable]) -> sa.Select:
    """``statement`` narrowed by an ``attribute eq "value"`` filter; an ``invalidFilter`` error otherwise."""
    if not text:
        return statement
    found = EQUALS.match(text)
    if found is None:
        raise InvalidFilterException(filter=text)
    attribute = found.group(1).lower().rsplit(":", 1)[-1]
    condition = known.get(attribute)
    if condition is None:
        raise InvalidFilterException(filter=text)
    value = re.sub(r"\\(.)", r"\1", found.group(2))
    return statement.where(condition(value))


def page_arguments() -> tuple[int, int]:
    """``startIndex`` (1-based) and ``count`` (at most the advertised maximum), forgiving as RFC 7644 asks."""

    def number(name: str, default: int) -> int:
        try:
            return int(request.args.get(name, default))
        except ValueError:
            return default

    start = max(1, number("startIndex", 1))
    count = min(max(0, number("count", 100)), MAX_RESULTS)
    return start, count
