"""API keys: tokens are shown once, only their hash is kept, and nothing malformed gets in."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docfraud.store import ApiKey, Role, Store
from docfraud.store import keys as tokens
from docfraud.store.db import ApiKeyRow
from tests.store.test_db import BACKENDS, FakeClock, open_store

TOKEN_SHAPE = re.compile(r"dfk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}")


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    yield from open_store(request.param, tmp_path, FakeClock())


# --- tokens -------------------------------------------------------------------------------------


def test_a_new_token_parses_back() -> None:
    key_id, secret = tokens.new_key_id(), tokens.new_secret()
    token = tokens.format_token(key_id, secret)
    assert TOKEN_SHAPE.fullmatch(token)
    assert tokens.parse_token(token) == (key_id, secret)


@pytest.mark.parametrize(
    "token",
    [
        "",
        "dfk_",
        "dfk_0123456789ab",
        "dfk_0123456789ab_",
        "dfk_0123456789ab_short",
        "dfk_0123456789AB_" + "s" * 43,  # key ids are lower-case
        "dfk_0123456789a_" + "s" * 43,
        "dfx_0123456789ab_" + "s" * 43,
        "Bearer dfk_0123456789ab_" + "s" * 43,
        "dfk_0123456789ab_" + "s" * 43 + "\n",
        "dfk_0123456789ab_" + "s" * 42 + "=",
        "dfk_0123456789ab_" + "s" * 129,
        "dfk_０１２３４５６７８９ab_" + "s" * 43,  # full-width digits are not hex
    ],
)
def test_malformed_tokens_do_not_parse(token: str) -> None:
    assert tokens.parse_token(token) is None


@given(st.text())
def test_parse_token_never_raises(text: str) -> None:
    parsed = tokens.parse_token(text)
    assert parsed is None or tokens.format_token(*parsed) == text


def test_the_stored_hash_is_the_secrets_sha256() -> None:
    assert tokens.hash_secret("abc") == hashlib.sha256(b"abc").hexdigest()
    assert tokens.secret_matches("abc", hashlib.sha256(b"abc").hexdigest())
    assert not tokens.secret_matches("abd", hashlib.sha256(b"abc").hexdigest())


# --- keys in the store --------------------------------------------------------------------------


def test_a_created_key_authenticates(store: Store) -> None:
    key, token = store.create_key("gate-3", Role.STATION)
    assert TOKEN_SHAPE.fullmatch(token)
    assert token.startswith(f"dfk_{key.key_id}_")
    assert (key.name, key.role, key.revoked_at) == ("gate-3", Role.STATION, None)
    assert store.authenticate(token) == key
    assert store.list_keys() == [key]


def test_only_the_hash_of_the_secret_is_stored(store: Store) -> None:
    key, token = store.create_key("auditor", Role.AUDITOR)
    secret = token.removeprefix(f"dfk_{key.key_id}_")
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(ApiKeyRow.__table__)).one()
    values = [str(v) for v in row]
    assert hashlib.sha256(secret.encode()).hexdigest() in values
    assert not any(secret in v for v in values)


def test_listed_keys_never_carry_a_hash_or_secret(store: Store) -> None:
    key, token = store.create_key("admin", Role.ADMIN)
    secret = token.removeprefix(f"dfk_{key.key_id}_")
    digest = hashlib.sha256(secret.encode()).hexdigest()
    assert {f.name for f in fields(ApiKey)} == {
        "key_id",
        "name",
        "role",
        "created_at",
        "revoked_at",
    }
    for listed in store.list_keys():
        assert digest not in repr(listed) and secret not in repr(listed)


def test_a_wrong_secret_or_unknown_key_id_is_refused(store: Store) -> None:
    key, token = store.create_key("gate-3", Role.STATION)
    other_key, other_token = store.create_key("gate-4", Role.STATION)
    other_secret = other_token[len(f"dfk_{other_key.key_id}_") :]
    assert store.authenticate(f"dfk_{key.key_id}_{other_secret}") is None
    assert store.authenticate(token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    unknown = "0" * 12 if key.key_id != "0" * 12 else "1" * 12
    assert store.authenticate(f"dfk_{unknown}_{other_secret}") is None


def test_an_unknown_key_id_costs_a_hash_comparison_too(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timing must not reveal which key ids exist: both refusals compare a hash."""
    key, token = store.create_key("gate-3", Role.STATION)
    calls: list[tuple[Any, Any]] = []
    compare_digest = hmac.compare_digest

    def spy(a: Any, b: Any) -> bool:
        calls.append((a, b))
        return compare_digest(a, b)

    monkeypatch.setattr(hmac, "compare_digest", spy)
    unknown = "0" * 12 if key.key_id != "0" * 12 else "1" * 12
    assert store.authenticate(f"dfk_{unknown}_" + "s" * 43) is None
    assert store.authenticate(f"dfk_{key.key_id}_" + "s" * 43) is None
    assert len(calls) == 2
    assert calls[0][1] == tokens.DUMMY_SECRET_SHA256


def test_a_revoked_key_no_longer_authenticates(store: Store) -> None:
    key, token = store.create_key("gate-3", Role.STATION)
    kept, kept_token = store.create_key("gate-4", Role.STATION)
    assert store.revoke_key(key.key_id) is True
    assert store.authenticate(token) is None
    assert store.authenticate(kept_token) == kept
    assert store.revoke_key(key.key_id) is False  # already revoked
    assert store.revoke_key("ffffffffffff") is False  # unknown
    (revoked,) = [k for k in store.list_keys() if k.key_id == key.key_id]
    assert revoked.revoked_at is not None and revoked.revoked_at >= revoked.created_at


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_a_key_needs_a_reasonable_name(store: Store, name: str) -> None:
    with pytest.raises(ValueError):
        store.create_key(name, Role.STATION)


def test_a_key_needs_a_known_role(store: Store) -> None:
    with pytest.raises(ValueError):
        store.create_key("gate-3", "superuser")  # type: ignore[arg-type]
    assert store.create_key("gate-3", "auditor")[0].role is Role.AUDITOR  # type: ignore[arg-type]


near_tokens = st.builds(
    lambda key_id, secret: f"dfk_{key_id}_{secret}",
    st.text(alphabet="0123456789abcdef", min_size=12, max_size=12),
    st.text(
        alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-",
        min_size=16,
        max_size=64,
    ),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(token=st.one_of(st.text(), near_tokens, st.text().map(lambda t: "dfk_" + t)))
def test_authenticate_never_raises_on_arbitrary_text(store: Store, token: str) -> None:
    assert store.authenticate(token) is None
