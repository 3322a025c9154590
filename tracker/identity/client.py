"""The Authlib client for the hospital's provider: discovery, PKCE, state, nonce and ID token checks.

Authlib keeps ``state``, ``nonce`` and the PKCE verifier in the session and removes them when the
provider answers, so a replayed answer finds nothing; it checks the ID token's signature against
the provider's published keys (fetched again when a token names an unknown key, which is how a
rotated key is picked up), and its ``iss``, ``aud``, ``exp`` and ``nonce``.
"""

from __future__ import annotations

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app
from joserfc.errors import JoseError

NAME = "hospital"

# Everything a failed exchange can raise: the provider's refusal, a bad or replayed answer, a bad ID
# token, and a provider that is down, slow or answers nonsense.
SIGN_IN_FAILURES = (OAuthError, JoseError, requests.RequestException, ValueError, KeyError, TypeError)


def init_app(app: Flask) -> None:
    """Register the provider when an issuer is configured; each app keeps its own client and metadata."""
    if not app.config["OIDC_ISSUER"]:
        return
    oauth = OAuth(app)
    issuer = app.config["OIDC_ISSUER"].rstrip("/")
    oauth.register(
        NAME,
        client_id=app.config["OIDC_CLIENT_ID"],
        client_secret=app.config["OIDC_CLIENT_SECRET"],
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={
            "scope": app.config["OIDC_SCOPES"],
            "code_challenge_method": "S256",
            "default_timeout": float(app.config["OIDC_TIMEOUT_SECONDS"]),
        },
    )
    app.extensions["tracker_oidc"] = oauth


def enabled() -> bool:
    return "tracker_oidc" in current_app.extensions


def provider():
    """The registered provider client; only call when :func:`enabled`."""
    return current_app.extensions["tracker_oidc"].create_client(NAME)


def with_userinfo(token: dict, claims: dict) -> dict:
    """The ID token's claims, completed from the provider's UserInfo endpoint when it has one.

    A provider that follows OpenID Connect to the letter returns the claims that the ``email`` and
    ``profile`` scopes ask for from UserInfo only, and puts little more than ``sub`` in the ID token
    of the code flow; Entra ID and Okta put them in both. UserInfo's answer counts only when its
    ``sub`` is the ID token's, and never replaces a claim that the signed ID token carries.
    """
    client = provider()
    if not client.load_server_metadata().get("userinfo_endpoint") or not token.get("access_token"):
        return dict(claims)
    userinfo = client.userinfo(token=token)
    if userinfo.get("sub") != claims.get("sub"):
        raise ValueError("the UserInfo answer is for another subject")
    return {**userinfo, **claims}


def end_session_endpoint() -> str | None:
    """The provider's logout endpoint when it advertises one (RP-initiated logout); ``None`` if down."""
    try:
        return provider().load_server_metadata().get("end_session_endpoint")
    except SIGN_IN_FAILURES:
        return None
