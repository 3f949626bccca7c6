"""The store on real SQLite and, when DOCFRAUD_TEST_POSTGRES_URL is set, on real PostgreSQL.

Each PostgreSQL test runs in a schema of its own, created for it and dropped after it, so every
test starts from an empty database even when several test processes share the server.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.exc import IntegrityError

from docfraud.errors import ConfigError
from docfraud.store import CaseRecord, PurgeReport, Role, ScanRecord, Store
from docfraud.store.db import Base, ImageRow, alembic_config

POSTGRES_URL = os.environ.get("DOCFRAUD_TEST_POSTGRES_URL", "")
NO_POSTGRES = (
    "DOCFRAUD_TEST_POSTGRES_URL is unset: run `make postgres` and export the URL it prints"
)
BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TABLES = {"api_keys", "images", "scans", "cases", "watchlist"}


class FakeClock:
    """The store's clock in tests: starts at T0 and ticks 1 ms per reading (so order is total)."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        now = self.now
        self.now += timedelta(milliseconds=1)
        return now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def open_store(backend: str, tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    """A migrated store on ``backend`` (generator for fixtures; removes what it created)."""
    schema = None
    admin = None
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'db' / 'docfraud.sqlite3'}"
    else:
        if not POSTGRES_URL:
            pytest.skip(NO_POSTGRES)
        schema = f"test_{uuid.uuid4().hex[:16]}"
        admin = sa.create_engine(POSTGRES_URL)
        with admin.begin() as connection:
            connection.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
        url = (
            sa.make_url(POSTGRES_URL)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
    store = Store(url, tmp_path / "images", clock=clock)
    try:
        store.migrate()
        yield store
    finally:
        store.close()
        if admin is not None:
            with admin.begin() as connection:
                connection.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Store]:
    yield from open_store(request.param, tmp_path, clock)


def image(n: int) -> tuple[bytes, str]:
    data = f"image {n}".encode()
    return data, hashlib.sha256(data).hexdigest()


def add_scan(store: Store, key_id: str, sha256: str, **overrides: Any) -> ScanRecord:
    fields: dict[str, Any] = {
        "station": "gate-1",
        "key_id": key_id,
        "image_sha256": sha256,
        "media_type": "image/jpeg",
        "size_bytes": 7,
        "source_name": "passport.jpg",
        "case_id": None,
        "metadata": {"lane": 3},
        "status": "partial",
        "result": {"findings": [{"code": "MRZ.CHECK_DIGIT.BIRTH_DATE"}], "schema": 1},
        "software_version": "0.1.0",
        "model_version": "glyphs-1",
        "verdict": "suspicious",
        "fraud_score": 0.5,
    }
    fields.update(overrides)
    return store.add_scan(**fields)


@pytest.fixture
def key_id(store: Store) -> str:
    return store.create_key("gate-1", Role.STATION)[0].key_id


def stored_files(store: Store) -> list[Path]:
    return sorted(p for p in store.images_dir.rglob("*") if p.is_file())


# --- migrations ---------------------------------------------------------------------------------


def test_migrate_creates_the_tables_and_is_idempotent(store: Store) -> None:
    store.migrate()  # the fixture migrated once already
    with store.engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        version = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    assert tables == TABLES | {"alembic_version"}
    assert version == "0003"


# Alembic cannot reflect an expression index on SQLite (the stop-list's O/0 key): it says so and
# leaves it out of the comparison; the next test checks that index directly.
UNCOMPARED_EXPRESSION_INDEX = "ignore:.*expression-based index:UserWarning"
UNREFLECTED_EXPRESSION_INDEX = "ignore:Skipped unsupported reflection of expression-based index"


@pytest.mark.filterwarnings(UNCOMPARED_EXPRESSION_INDEX, UNREFLECTED_EXPRESSION_INDEX)
def test_the_migration_creates_exactly_the_models_schema(store: Store) -> None:
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_stop_list_lookups_are_planned_on_the_o_as_0_index(store: Store) -> None:
    index = "ix_watchlist_issuing_state_number_key"
    listing = {
        "sqlite": "SELECT name FROM sqlite_master WHERE type = 'index'",
        "postgresql": "SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()",
    }[store.engine.dialect.name]
    with store.engine.connect() as connection:
        assert index in set(connection.execute(sa.text(listing)).scalars())
    if store.engine.dialect.name != "sqlite":
        return  # PostgreSQL plans by table statistics: a few rows are read by a scan
    statements: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if "FROM watchlist" in statement:
            statements.append((statement, parameters))

    sa.event.listen(store.engine, "before_cursor_execute", record)
    try:
        assert store.find_watchlist("UTO", "X4R7215KO") == []
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", record)
    [(statement, parameters)] = statements
    with store.engine.connect() as connection:
        plan = connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters).all()
    assert any(index in str(row) for row in plan), plan


@pytest.mark.filterwarnings(UNCOMPARED_EXPRESSION_INDEX, UNREFLECTED_EXPRESSION_INDEX)
def test_the_schema_comparison_would_see_a_difference(store: Store) -> None:
    """Guards the test above: a column the migration lacks is reported."""
    changed = sa.MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(changed)
    changed.tables["scans"].append_column(sa.Column("extra", sa.Integer))
    with store.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        diff = compare_metadata(context, changed)
    assert [(op[0], op[2], op[3].name) for op in diff] == [("add_column", "scans", "extra")]


def test_the_migration_downgrades_and_upgrades_again(store: Store) -> None:
    config = alembic_config()
    with store.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
        assert set(sa.inspect(connection).get_table_names()) == {"alembic_version"}
    store.migrate()
    with store.engine.connect() as connection:
        assert set(sa.inspect(connection).get_table_names()) == TABLES | {"alembic_version"}


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'a' / 'b' / 'db.sqlite3'}", tmp_path / "images")
    store.migrate()  # the missing folders were created
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    store.close()


def test_in_memory_sqlite_is_one_database_for_every_thread(tmp_path: Path) -> None:
    store = Store("sqlite://", tmp_path / "images")
    store.migrate()
    with ThreadPoolExecutor(2) as pool:
        keys = list(pool.map(lambda n: store.create_key(f"k{n}", Role.ADMIN)[0], range(4)))
    assert {k.key_id for k in store.list_keys()} == {k.key_id for k in keys}


def test_from_settings_puts_database_and_images_in_the_data_dir(tmp_path: Path) -> None:
    from docfraud.config import Settings

    store = Store.from_settings(Settings(data_dir=tmp_path / "data", database_url=None))
    store.migrate()
    assert store.images_dir == tmp_path / "data" / "images"
    assert (tmp_path / "data" / "docfraud.sqlite3").is_file()
    assert store.ping()
    store.close()


def test_ping(store: Store, tmp_path: Path) -> None:
    assert store.ping()
    down = Store("postgresql+psycopg://nobody:secret@127.0.0.1:9/nothing", tmp_path / "images")
    assert down.ping() is False


@pytest.mark.parametrize(
    "url", ["not a url", "postgresql+nosuchdriver://docfraud:hunter2@127.0.0.1/db"]
)
def test_an_unusable_url_is_a_config_error_that_hides_the_password(
    url: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError) as caught:
        Store(url, tmp_path / "images")
    assert caught.value.code == "CONFIG.INVALID"
    assert "hunter2" not in str(caught.value)
    assert caught.value.__cause__ is None and caught.value.__suppress_context__


def test_import_docfraud_does_not_load_the_store() -> None:
    code = (
        "import sys, docfraud; print('sqlalchemy' in sys.modules, 'docfraud.store' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.split() == ["False", "False"]


# --- images -------------------------------------------------------------------------------------


def test_an_image_put_twice_is_stored_once(store: Store, clock: FakeClock) -> None:
    data, sha256 = image(1)
    assert store.put_image(data, sha256, "image/jpeg") is True
    first = stored_files(store)
    clock.advance(timedelta(days=1))
    assert store.put_image(data, sha256, "image/jpeg") is False
    assert stored_files(store) == first
    assert first == [store.images_dir / sha256[:2] / sha256[2:4] / sha256]
    assert store.read_image(sha256) == data
    with store.engine.connect() as connection:
        row = connection.execute(sa.select(ImageRow.first_seen, ImageRow.last_seen)).one()
    assert row.last_seen - row.first_seen > timedelta(hours=23)  # seen again, moved


def test_an_existing_image_is_not_rewritten(store: Store) -> None:
    data, sha256 = image(1)
    store.put_image(data, sha256, None)
    (path,) = stored_files(store)
    inode = path.stat().st_ino
    store.put_image(data, sha256, None)
    assert path.stat().st_ino == inode


def test_a_missing_image_file_is_restored(store: Store) -> None:
    data, sha256 = image(1)
    store.put_image(data, sha256, None)
    (path,) = stored_files(store)
    path.unlink()
    assert store.read_image(sha256) is None
    assert store.put_image(data, sha256, None) is False
    assert store.read_image(sha256) == data


def test_put_image_checks_the_hash(store: Store) -> None:
    data, sha256 = image(1)
    with pytest.raises(ValueError):
        store.put_image(b"other bytes", sha256, None)
    with pytest.raises(ValueError):
        store.put_image(data, sha256.upper(), None)
    assert stored_files(store) == []


@pytest.mark.parametrize("sha256", ["", "../../etc/passwd", "0" * 63, "0" * 64])
def test_read_image_of_malformed_or_unknown_hash_is_none(store: Store, sha256: str) -> None:
    assert store.read_image(sha256) is None


# --- scans and cases ----------------------------------------------------------------------------


def test_a_scan_round_trips(store: Store, key_id: str) -> None:
    data, sha256 = image(1)
    store.put_image(data, sha256, "image/jpeg")
    added = add_scan(store, key_id, sha256, case_id="c1", metadata={"lane": 3, "é": [1, None]})
    assert len(added.scan_id) == 32
    assert added.created_at == T0 + timedelta(milliseconds=2)  # key, then image, then scan
    assert added.duplicate_of is None
    got = store.get_scan(added.scan_id)
    assert got == added
    assert got.metadata == {"lane": 3, "é": [1, None]}
    assert got.result["findings"][0]["code"] == "MRZ.CHECK_DIGIT.BIRTH_DATE"
    assert store.get_scan("0" * 32) is None


def test_set_scan_result_completes_a_scan(store: Store, key_id: str) -> None:
    data, sha256 = image(1)
    store.put_image(data, sha256, None)
    scan = add_scan(store, key_id, sha256)
    full = {"findings": [], "viz": {"surname": "read"}, "schema": 1}
    store.set_scan_result(
        scan.scan_id, result=full, status="complete", verdict="genuine", fraud_score=0.01
    )
    got = store.get_scan(scan.scan_id)
    assert got is not None
    assert (got.status, got.verdict, got.fraud_score, got.result) == (
        "complete",
        "genuine",
        0.01,
        full,
    )
    assert got.created_at == scan.created_at
    with pytest.raises(KeyError):
        store.set_scan_result("f" * 32, result={}, status="failed", verdict=None, fraud_score=None)
    with pytest.raises(ValueError):
        store.set_scan_result(
            scan.scan_id, result={}, status="done", verdict=None, fraud_score=None
        )


def test_add_scan_refuses_unknown_status_key_and_image(store: Store, key_id: str) -> None:
    data, sha256 = image(1)
    store.put_image(data, sha256, None)
    with pytest.raises(ValueError):
        add_scan(store, key_id, sha256, status="ok")
    with pytest.raises(IntegrityError):
        add_scan(store, "000000000000", sha256)
    with pytest.raises(IntegrityError):
        add_scan(store, key_id, image(2)[1])
    assert store.list_scans() == []


def test_duplicate_of_names_the_same_stations_first_scan_only(store: Store, key_id: str) -> None:
    data, sha256 = image(1)
    store.put_image(data, sha256, None)
    first = add_scan(store, key_id, sha256, station="gate-1")
    elsewhere = add_scan(store, key_id, sha256, station="gate-2")
    again = add_scan(store, key_id, sha256, station="gate-1")
    third = add_scan(store, key_id, sha256, station="gate-1")
    assert first.duplicate_of is None
    assert elsewhere.duplicate_of is None  # gate-2 must not learn that gate-1 saw it
    assert again.duplicate_of == first.scan_id
    assert third.duplicate_of == first.scan_id
    data2, sha2 = image(2)
    store.put_image(data2, sha2, None)
    assert add_scan(store, key_id, sha2, station="gate-1").duplicate_of is None


def test_list_scans_newest_first_by_station(store: Store, key_id: str) -> None:
    data, sha256 = image(1)
    store.put_image(data, sha256, None)
    scans = [add_scan(store, key_id, sha256, station=f"gate-{n % 2}") for n in range(5)]
    newest_first = [s.scan_id for s in reversed(scans)]
    assert [s.scan_id for s in store.list_scans()] == newest_first
    assert [s.scan_id for s in store.list_scans(station="gate-0")] == newest_first[::2]
    assert [s.scan_id for s in store.list_scans(station="gate-1")] == newest_first[1::2]
    assert store.list_scans(station="gate-9") == []
    assert [s.scan_id for s in store.list_scans(limit=2, offset=1)] == newest_first[1:3]
    with pytest.raises(ValueError):
        store.list_scans(limit=-1)


def test_a_case_round_trips(store: Store, key_id: str) -> None:
    data, sha256 = image(1)
    store.put_image(data, sha256, None)
    ids = [add_scan(store, key_id, sha256, case_id="case-1").scan_id for _ in range(2)]
    case = store.add_case(
        station="gate-1", key_id=key_id, case_id="case-1", scan_ids=ids, result={"ok": True}
    )
    assert isinstance(case, CaseRecord)
    assert case.scan_ids == tuple(ids)
    assert store.get_case("case-1") == case
    assert store.get_case("case-2") is None
    with pytest.raises(IntegrityError):
        store.add_case(station="gate-1", key_id=key_id, case_id="case-1", scan_ids=[], result={})


def test_datetimes_are_utc_aware(store: Store, key_id: str) -> None:
    data, sha256 = image(1)
    store.put_image(data, sha256, None)
    scan = add_scan(store, key_id, sha256)
    for value in (scan.created_at, store.get_scan(scan.scan_id).created_at):  # type: ignore[union-attr]
        assert value.tzinfo is not None and value.utcoffset() == timedelta(0)
    (key,) = store.list_keys()
    assert key.created_at.utcoffset() == timedelta(0)


def test_concurrent_writers_wait_for_each_other(store: Store, key_id: str) -> None:
    """The service writes from a thread pool: no 'database is locked', no lost row."""

    def scan(n: int) -> str:
        data, sha256 = image(n % 3)
        store.put_image(data, sha256, None)
        return add_scan(store, key_id, sha256, station=f"gate-{n % 2}").scan_id

    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(scan, range(40)))
    assert {s.scan_id for s in store.list_scans(limit=100)} == set(ids)
    assert len(stored_files(store)) == 3


# --- retention ----------------------------------------------------------------------------------


def test_purge_removes_old_records_and_unreferenced_images(
    store: Store, key_id: str, clock: FakeClock
) -> None:
    old_only, old_sha = image(1)
    shared, shared_sha = image(2)
    store.put_image(old_only, old_sha, None)
    store.put_image(shared, shared_sha, None)
    old_scan = add_scan(store, key_id, old_sha)
    old_shared = add_scan(store, key_id, shared_sha)
    store.add_case(
        station="gate-1", key_id=key_id, case_id="old", scan_ids=[old_scan.scan_id], result={}
    )
    clock.advance(timedelta(days=100))
    recent_only, recent_sha = image(3)
    store.put_image(recent_only, recent_sha, None)
    store.put_image(shared, shared_sha, None)
    recent = add_scan(store, key_id, recent_sha)
    recent_shared = add_scan(store, key_id, shared_sha)
    store.add_case(
        station="gate-1", key_id=key_id, case_id="new", scan_ids=[recent.scan_id], result={}
    )

    report = store.purge(timedelta(days=90))

    assert report == PurgeReport(scans=2, cases=1, images=1, bytes_freed=len(old_only))
    assert store.get_scan(old_scan.scan_id) is None
    assert store.get_scan(old_shared.scan_id) is None
    assert store.get_case("old") is None
    assert store.get_scan(recent.scan_id) == recent
    assert store.get_scan(recent_shared.scan_id) == recent_shared
    assert recent_shared.duplicate_of == old_shared.scan_id  # may name a purged scan
    assert store.get_case("new") is not None
    assert store.read_image(old_sha) is None
    assert store.read_image(shared_sha) == shared
    assert store.read_image(recent_sha) == recent_only
    assert len(stored_files(store)) == 2
    assert store.purge(timedelta(days=90)) == PurgeReport(0, 0, 0, 0)


def test_purge_keeps_a_recent_image_no_scan_references_yet(store: Store, clock: FakeClock) -> None:
    """put_image comes before add_scan: a purge between the two must not take the image."""
    data, sha256 = image(1)
    store.put_image(data, sha256, None)
    assert store.purge(timedelta(days=90)) == PurgeReport(0, 0, 0, 0)
    assert store.read_image(sha256) == data
    later = clock.now + timedelta(days=91)
    assert store.purge(timedelta(days=90), now=later) == PurgeReport(0, 0, 1, len(data))
    assert stored_files(store) == []


def test_purge_refuses_a_naive_now(store: Store) -> None:
    with pytest.raises(ValueError):
        store.purge(timedelta(days=1), now=datetime(2026, 1, 1))


def test_records_are_json_serialisable(store: Store, key_id: str) -> None:
    data, sha256 = image(1)
    store.put_image(data, sha256, None)
    scan = add_scan(store, key_id, sha256)
    json.dumps({"metadata": scan.metadata, "result": scan.result})
