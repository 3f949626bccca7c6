"""API key tokens: how they are made, parsed and hashed.

A token is ``dfk_<key_id>_<secret>``. The key id (12 hex characters) is public: it names the key
in logs, listings and stored scans. The secret is shown once, when the key is created; the store
keeps only its sha256, so a copy of the database does not let anyone call the service.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from typing import NamedTuple

TOKEN_PREFIX = "dfk_"
KEY_ID_HEX_CHARS = 12
SECRET_BYTES = 32

_TOKEN = re.compile(r"dfk_([0-9a-f]{12})_([A-Za-z0-9_-]{16,128})", re.ASCII)

DUMMY_SECRET_SHA256 = hashlib.sha256(b"docfraud: no such key").hexdigest()
"""Compared against when a token names an unknown key id, so that unknown and known ids take the
same time to reject."""


class ParsedToken(NamedTuple):
    key_id: str
    secret: str


def new_key_id() -> str:
    """A random public key id: 12 lower-case hex characters (48 bits)."""
    return secrets.token_hex(KEY_ID_HEX_CHARS // 2)


def new_secret() -> str:
    """A random secret: 32 bytes, URL-safe base64 (43 characters)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def format_token(key_id: str, secret: str) -> str:
    """The token a client sends: ``dfk_<key_id>_<secret>``.

    >>> format_token("0123456789ab", "s3cr3t-s3cr3t-s3cr3t")
    'dfk_0123456789ab_s3cr3t-s3cr3t-s3cr3t'
    """
    return f"{TOKEN_PREFIX}{key_id}_{secret}"


def parse_token(token: str) -> ParsedToken | None:
    """Split a token into key id and secret; None when it is not shaped like one.

    Never raises, whatever the text: tokens come straight from request headers.

    >>> parse_token("dfk_0123456789ab_s3cr3t-s3cr3t-s3cr3t")
    ParsedToken(key_id='0123456789ab', secret='s3cr3t-s3cr3t-s3cr3t')
    >>> parse_token("Bearer dfk_0123456789ab_x") is None
    True
    """
    match = _TOKEN.fullmatch(token) if isinstance(token, str) else None
    if match is None:
        return None
    return ParsedToken(match.group(1), match.group(2))


def hash_secret(secret: str) -> str:
    """The stored form of a secret: its sha256, 64 hex characters.

    A plain hash suffices (no salt or stretching): the secret is 256 random bits, not a password.
    """
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def secret_matches(secret: str, stored_sha256: str) -> bool:
    """Whether ``secret`` hashes to ``stored_sha256``, in time independent of where they differ."""
    return hmac.compare_digest(hash_secret(secret), stored_sha256)
