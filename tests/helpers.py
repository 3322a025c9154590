"""Test helpers: a client that sends CSRF tokens the way a browser does."""

from __future__ import annotations

import contextvars
import re

from flask.globals import _cv_app
from flask.testing import FlaskClient

CSRF_INPUT = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def extract_csrf_token(html: str) -> str:
    match = CSRF_INPUT.search(html)
    assert match, "no csrf_token field on the page"
    return match.group(1) or match.group(2)


class BrowserLikeClient(FlaskClient):
    """CSRF stays on in tests: this client reads the token from a page, like a browser."""

    _csrf_token: str | None = None

    def open(self, *args, **kwargs):
        """Serve each request in its own app context, as a real server would.

        Tests hold an app context for their factories; without this, Flask would reuse it and
        share ``g`` (cached user, CSRF token) and the database session between requests.
        """
        context = contextvars.copy_context()

        def serve():
            _cv_app.set(None)
            return FlaskClient.open(self, *args, **kwargs)

        return context.run(serve)

    def csrf_token(self) -> str:
        if self._csrf_token is None:
            page = self.get("/", follow_redirects=True)  # an advisor's home is their judging page
            self._csrf_token = extract_csrf_token(page.get_data(as_text=True))
        return self._csrf_token

    def post_form(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def sign_in(self, email: str, password: str):
        self._csrf_token = None
        response = self.post_form("/login", {"email": email, "password": password})
        self._csrf_token = None  # the session was renewed at sign-in
        return response

    def sign_out(self):
        response = self.post_form("/logout")
        self._csrf_token = None
        return response
