"""One error type for refused input, shared by pages and the API."""

from __future__ import annotations


class InvalidInput(Exception):
    """Input was refused. ``fields`` maps a field name to its messages, ready for a form or JSON.

    Services raise it before writing anything, so a refused submission leaves no trace.
    """

    def __init__(self, fields: dict[str, list[str]], message: str = "Some of the input was not valid."):
        super().__init__(message)
        self.message = message
        self.fields = fields

    @classmethod
    def single(cls, field: str, message: str) -> InvalidInput:
        return cls({field: [message]}, message)
