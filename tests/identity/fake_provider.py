"""A small OpenID Connect provider on loopback, in the test process, that can be told to misbehave.

It serves discovery, JWKS, an authorization endpoint that answers at once (no login page) and
a token endpoint that checks the code and the PKCE verifier, then returns an ID token built from
``claims`` and the knobs below: signed by another key, with ``alg: none``, without the nonce, for
another audience, expired, or slow. When ``userinfo`` is set it also serves a UserInfo endpoint
answering that JSON to the access token it issued. The end-to-end tests use the real
``oidc-provider`` instead.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

from tests.reliability.harness import free_port

CLIENT_ID = "icare-tracker"
CLIENT_SECRET = "fake-provider-client-secret"  # noqa: S105  (a test value)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class FakeProvider:
    def __init__(self):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.key = RSAKey.generate_key(2048, parameters={"kid": "key-1", "use": "sig", "alg": "RS256"})
        self.published = [self.key]
        self.claims: dict = {}
        self.sign_with: RSAKey | None = None  # another key: a forged token
        self.alg_none = False
        self.drop_nonce = False
        self.fixed_nonce: str | None = None
        self.audience: str | None = None
        self.expires_in = 300
        self.delay = 0.0
        self.end_session = True
        self.userinfo: dict | None = None  # served at /userinfo (and advertised) when set
        self.userinfo_asked = 0
        self.userinfo_refuses = False  # answer 401 to every access token, as for one it revoked
        self.requests: list[dict] = []
        self._codes: dict[str, dict] = {}
        self._access_tokens: set[str] = set()
        self._server = make_server("127.0.0.1", self.port, self._app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()

    def rotate_key(self) -> None:
        """A new signing key with a new kid, published beside (then instead of) the old one."""
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(4), "use": "sig", "alg": "RS256"})
        self.published = [self.key]

    # --- the endpoints ---------------------------------------------------------------------

    def _app(self, environ, start_response):
        request = Request(environ)
        if self.delay:
            time.sleep(self.delay)
        handler = {
            "/.well-known/openid-configuration": self._discovery,
            "/authorize": self._authorize,
            "/token": self._token,
            "/jwks": self._jwks,
            "/userinfo": self._userinfo,
        }.get(request.path)
        response = handler(request) if handler else Response("not found", 404)
        return response(environ, start_response)

    def _json(self, data, status=200):
        return Response(json.dumps(data), status, content_type="application/json")

    def _discovery(self, request):
        document = {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }
        if self.end_session:
            document["end_session_endpoint"] = f"{self.issuer}/logout"
        if self.userinfo is not None:
            document["userinfo_endpoint"] = f"{self.issuer}/userinfo"
        return self._json(document)

    def _jwks(self, request):
        return self._json(KeySet(self.published).as_dict(private=False))

    def _userinfo(self, request):
        self.userinfo_asked += 1
        if self.userinfo is None:
            return Response("not found", 404)
        presented = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if self.userinfo_refuses or presented not in self._access_tokens:
            return self._json({"error": "invalid_token"}, 401)
        return self._json(self.userinfo)

    def _authorize(self, request):
        args = dict(request.args)
        self.requests.append(args)
        code = secrets.token_urlsafe(16)
        self._codes[code] = args
        query = urlencode({"code": code, "state": args.get("state", "")})
        return Response("", 302, headers={"Location": f"{args['redirect_uri']}?{query}"})

    def _token(self, request):
        form = request.form
        asked = self._codes.pop(form.get("code", ""), None)
        if asked is None:
            return self._json({"error": "invalid_grant"}, 400)
        challenge = _b64(hashlib.sha256(form.get("code_verifier", "").encode()).digest())
        if asked.get("code_challenge_method") != "S256" or challenge != asked.get("code_challenge"):
            return self._json({"error": "invalid_grant", "error_description": "PKCE check failed"}, 400)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "aud": self.audience or CLIENT_ID,
            "iat": now,
            "exp": now + self.expires_in,
            "sub": "subject-1",
        }
        nonce = self.fixed_nonce or asked.get("nonce")
        if not self.drop_nonce and nonce:
            claims["nonce"] = nonce
        claims.update(self.claims)
        access_token = secrets.token_urlsafe(16)
        self._access_tokens.add(access_token)
        return self._json({"access_token": access_token, "token_type": "Bearer", "id_token": self._sign(claims)})

    def _sign(self, claims: dict) -> str:
        if self.alg_none:
            header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
            return f"{header}.{_b64(json.dumps(claims).encode())}."
        key = self.sign_with or self.key
        return jwt.encode({"alg": "RS256", "kid": key.kid}, claims, key)
