"""One HTTP POST to a checked address: pinned to the addresses that were checked, no redirects followed."""

from __future__ import annotations

from dataclasses import dataclass

import urllib3
from flask import current_app

from tracker.integrations.addresses import CheckedAddress

MAX_ANSWER_BYTES = 16 * 1024
USER_AGENT = "icare-tracker-integrations/1"


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str


class TransportError(Exception):
    """No HTTP answer: the connection failed or timed out. Always worth retrying."""


def _pool(address: CheckedAddress, ip: str, timeout: urllib3.Timeout):
    if address.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            ip,
            address.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=current_app.config.get("WEBHOOKS_CA_BUNDLE") or None,
            server_hostname=address.host,
            assert_hostname=address.host,
        )
    return urllib3.HTTPConnectionPool(ip, address.port, timeout=timeout, retries=False, maxsize=1)


def post(address: CheckedAddress, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` as JSON; tries each checked address in turn until one answers."""
    seconds = float(current_app.config.get("WEBHOOKS_TIMEOUT_SECONDS", 10))
    timeout = urllib3.Timeout(connect=min(seconds, 5.0), read=seconds)
    default_port = 443 if address.scheme == "https" else 80
    host_header = address.host if address.port == default_port else f"{address.host}:{address.port}"
    if ":" in address.host:  # an IPv6 literal
        host_header = f"[{address.host}]" if address.port == default_port else f"[{address.host}]:{address.port}"
    request_headers = {
        "Host": host_header,
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        **headers,
    }
    last_error: Exception | None = None
    for ip in address.addresses:
        pool = _pool(address, str(ip), timeout)
        try:
            response = pool.urlopen(
                "POST",
                address.target,
                body=body,
                headers=request_headers,
                redirect=False,
                retries=False,
                assert_same_host=False,
                preload_content=False,
            )
            try:
                raw = response.read(MAX_ANSWER_BYTES)
            finally:
                response.release_conn()
            return Answer(
                status=response.status,
                headers={key.lower(): value for key, value in response.headers.items()},
                text=raw.decode("utf-8", "replace"),
            )
        except urllib3.exceptions.TimeoutError:
            raise TransportError(f"no answer within {seconds:g} seconds") from None
        except urllib3.exceptions.HTTPError as error:
            last_error = error
        finally:
            pool.close()
    reason = getattr(last_error, "reason", None) or last_error
    raise TransportError(f"could not connect: {type(reason).__name__}")
