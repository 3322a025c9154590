"""Short reference numbers people can read over the phone (no 0/O or 1/I to confuse)."""

from __future__ import annotations

import random
import secrets

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def make_reference(prefix: str, rng: random.Random | None = None, length: int = 7) -> str:
    """``FB-7K3Q9MX``-style references; random enough that guessing one is hopeless."""
    if rng is None:
        body = "".join(secrets.choice(ALPHABET) for _ in range(length))
    else:
        body = "".join(rng.choice(ALPHABET) for _ in range(length))
    return f"{prefix}-{body}"
