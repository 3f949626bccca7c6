"""The service's persistent store: API keys, scans, cases, the images they were made from, and
the stop-list of lost, stolen and known-fraudulent documents.

SQLite in the data folder by default; PostgreSQL when ``DOCFRAUD_DATABASE_URL`` names one. The
schema is created and upgraded by Alembic (:meth:`Store.migrate`), never by ``create_all``, so a
database made by one version upgrades in place under the next.

The service calls the store from a thread pool: every method opens its own session and
transaction, and the store holds no other mutable state. On SQLite, transactions that write start
with ``BEGIN IMMEDIATE``: a deferred transaction that reads and then writes fails at once with
"database is locked" when another connection wrote in between, instead of waiting.

Everything returned is a frozen record (:class:`ApiKey`, :class:`ScanRecord`, :class:`CaseRecord`,
:class:`WatchlistEntry`) detached from the database, and every datetime is timezone-aware UTC.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    Dialect,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    literal_column,
    select,
    text,
    update,
)
from sqlalchemy.engine import URL, Connection, CursorResult, Result, make_url
from sqlalchemy.exc import ArgumentError, IntegrityError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column
from sqlalchemy.pool import StaticPool
from sqlalchemy.types import TypeDecorator

from docfraud.errors import CONFIG_INVALID, ConfigError
from docfraud.store import images, keys
from docfraud.store.numbers import O_AS_ZERO

if TYPE_CHECKING:
    from docfraud.config import Settings

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_TIMEOUT_MS = 5000
"""How long a SQLite writer waits for another's lock before failing (ms)."""
SCAN_STATUSES = frozenset({"partial", "complete", "failed"})
"""``partial``: MRZ and its checks, the visual zone still to be read; ``complete``: everything;
``failed``: the analysis raised (the result holds the error)."""
KEY_NAME_MAX_CHARS = 200
POSTGRES_CONNECT_TIMEOUT_S = 10
"""Seconds, unless the URL sets ``connect_timeout``: a dead server fails a ping, not hangs."""

_WRITE_OPTION = "docfraud_write"
_MIGRATION_LOCK_KEY = 0x646F6366  # "docf": pg_advisory_xact_lock key serialising migrate()
_WATCHLIST_LOCK_KEY = 0x646F6377  # "docw": serialises stop-list imports on PostgreSQL
_WATCHLIST_CHUNK = 500
"""Stop-list rows written per round trip (well under SQLite's bound-parameter limit)."""

WATCHLIST_STATUSES = frozenset(
    {"lost", "stolen", "stolen_blank", "revoked", "invalidated", "fraudulent"}
)
"""Why a document is on a stop-list: ``lost`` or ``stolen`` by its holder, ``stolen_blank`` (a
blank booklet or card stolen before personalisation, as Interpol's SLTD records them),
``revoked`` or ``invalidated`` by the issuer, ``fraudulent`` (known forged or fraudulently
obtained). Checked in code, not by the database, so a later version can add one without a
migration."""
WATCHLIST_STATE_CHARS = 3
WATCHLIST_NUMBER_MAX_CHARS = 40
WATCHLIST_SOURCE_MAX_CHARS = 100
WATCHLIST_HASH_MAX_CHARS = 128


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Role(StrEnum):
    """What an API key may do (the service maps roles to routes)."""

    STATION = "station"
    """A scanning station: submits documents and sees its own scans only."""
    AUDITOR = "auditor"
    """Reads every station's scans and cases."""
    ADMIN = "admin"
    """Manages keys and retention."""


@dataclass(frozen=True, slots=True)
class ApiKey:
    """An API key as listed: never its secret nor the secret's hash."""

    key_id: str
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None


@dataclass(frozen=True, slots=True)
class ScanRecord:
    """One stored scan: who sent which image, and the analysis result (the full report JSON)."""

    scan_id: str
    created_at: datetime
    station: str
    key_id: str
    image_sha256: str
    media_type: str | None
    size_bytes: int
    source_name: str
    case_id: str | None
    metadata: dict[str, Any]
    status: str
    """``partial``, ``complete`` or ``failed`` (:data:`SCAN_STATUSES`)."""
    verdict: str | None
    fraud_score: float | None
    software_version: str
    model_version: str
    result: dict[str, Any]
    duplicate_of: str | None
    """The earliest earlier scan of the same image by the same station (it may since have been
    purged); None when this station never sent the image before. Other stations' scans never
    count, so a station cannot learn what another one scanned."""


@dataclass(frozen=True, slots=True)
class CaseRecord:
    """A case: several scans checked together, and the case-level result."""

    case_id: str
    created_at: datetime
    station: str
    key_id: str
    scan_ids: tuple[str, ...]
    result: dict[str, Any]


@dataclass(frozen=True, slots=True)
class WatchlistEntry:
    """One document on a stop-list.

    ``issuing_state`` and ``document_number`` are normalised as the MRZ parser gives them (upper
    case, no spaces, no ``<``: Germany is ``D``), so a lookup compares them as they are.
    """

    issuing_state: str
    document_number: str
    status: str
    """One of :data:`WATCHLIST_STATUSES`."""
    source: str
    """The list's name (``national-sltd``, the imported file's name …)."""
    portrait_hash: str | None = None
    """Lower-case hex digest of the holder's portrait, when the list carries one."""
    note: str | None = None
    listed_on: date | None = None
    imported_at: datetime | None = None
    """When the store last wrote the entry (UTC); None for entries from an operator's adapter."""


@dataclass(frozen=True, slots=True)
class WatchlistCounts:
    """What :meth:`Store.upsert_watchlist` wrote."""

    inserted: int
    updated: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class PurgeReport:
    """What :meth:`Store.purge` deleted."""

    scans: int
    cases: int
    images: int
    bytes_freed: int
    """Sizes of the image files removed (bytes)."""


# --- schema -------------------------------------------------------------------------------------


class UtcDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every backend.

    PostgreSQL keeps ``timestamptz``; SQLite has no time zones, so the value is stored as naive
    UTC and made aware again when read. Naive datetimes are refused: their zone is a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime: the store needs timezone-aware datetimes")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
"""Constraint names fixed here, not left to each backend, so migrations can name what they alter."""


class Base(DeclarativeBase):
    """The store's tables; ``migrations/versions`` must create exactly this schema (tested)."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class ApiKeyRow(Base):
    __tablename__ = "api_keys"

    key_id: Mapped[str] = mapped_column(String(12), primary_key=True)
    name: Mapped[str] = mapped_column(String(KEY_NAME_MAX_CHARS))
    role: Mapped[str] = mapped_column(String(16))
    secret_sha256: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class ImageRow(Base):
    __tablename__ = "images"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    media_type: Mapped[str | None] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    first_seen: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen: Mapped[datetime] = mapped_column(UtcDateTime())


class ScanRow(Base):
    __tablename__ = "scans"
    __table_args__ = (
        Index("ix_scans_created_at", "created_at"),
        Index("ix_scans_image_sha256_station", "image_sha256", "station"),
        Index("ix_scans_case_id", "case_id"),
        Index("ix_scans_station_created_at", "station", "created_at"),
    )

    scan_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    station: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(12), ForeignKey("api_keys.key_id"))
    image_sha256: Mapped[str] = mapped_column(String(64), ForeignKey("images.sha256"))
    media_type: Mapped[str | None] = mapped_column(Text)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    source_name: Mapped[str] = mapped_column(Text)
    case_id: Mapped[str | None] = mapped_column(Text)
    """Not a foreign key: a case row is written after its scans."""
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON)
    status: Mapped[str] = mapped_column(String(16))
    verdict: Mapped[str | None] = mapped_column(String(32))
    fraud_score: Mapped[float | None] = mapped_column(Float)
    software_version: Mapped[str] = mapped_column(Text)
    model_version: Mapped[str] = mapped_column(Text)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    duplicate_of: Mapped[str | None] = mapped_column(String(32))
    """Not a foreign key: the original is purged before its later duplicates."""


class CaseRow(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_created_at", "created_at"),)

    case_id: Mapped[str] = mapped_column(Text, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    station: Mapped[str] = mapped_column(Text)
    key_id: Mapped[str] = mapped_column(String(12), ForeignKey("api_keys.key_id"))
    scan_ids: Mapped[list[str]] = mapped_column(JSON)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)


class WatchlistRow(Base):
    __tablename__ = "watchlist"
    __table_args__ = (
        # Also the index of lookups by (issuing_state, document_number): its leading columns.
        UniqueConstraint("issuing_state", "document_number", "source"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    issuing_state: Mapped[str] = mapped_column(String(WATCHLIST_STATE_CHARS))
    document_number: Mapped[str] = mapped_column(String(WATCHLIST_NUMBER_MAX_CHARS))
    portrait_hash: Mapped[str | None] = mapped_column(String(WATCHLIST_HASH_MAX_CHARS))
    status: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(WATCHLIST_SOURCE_MAX_CHARS))
    note: Mapped[str | None] = mapped_column(Text)
    listed_on: Mapped[date | None] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())


def _watchlist_number_key(number: Any) -> Any:
    """The stored number with O read as 0, as :func:`docfraud.store.numbers.number_key` reads one
    (the literals are inline so that SQLite's planner matches the index's expression)."""
    letter, digit = O_AS_ZERO
    return func.replace(number, literal_column(f"'{letter}'"), literal_column(f"'{digit}'"))


Index(
    "ix_watchlist_issuing_state_number_key",
    WatchlistRow.issuing_state,
    _watchlist_number_key(WatchlistRow.document_number),
)


# --- engine -------------------------------------------------------------------------------------


def create_store_engine(database_url: str) -> Engine:
    """An engine for ``database_url``, set up for use from many threads.

    SQLite gets WAL (readers never wait for the writer), foreign keys (off by default in SQLite),
    a busy timeout, and explicit ``BEGIN`` statements so that transactions, DDL included, behave
    as on PostgreSQL. An in-memory SQLite database is one connection (a :class:`StaticPool`)
    shared by all threads, since each connection would otherwise see its own empty database; the
    :class:`Store` then runs one transaction at a time. The folder of a SQLite file is created
    when missing.

    Raises:
        ConfigError: the URL is malformed or names a driver that is not installed (the message
            leaves the URL out: it may hold a password).
    """
    try:
        return _create_engine(make_url(database_url))
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise ConfigError(
            CONFIG_INVALID, f"the database URL is not usable ({type(error).__name__})"
        ) from None


def _create_engine(url: URL) -> Engine:
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        return create_engine(
            url, pool_pre_ping=True, connect_args={"connect_timeout": POSTGRES_CONNECT_TIMEOUT_S}
        )
    if url.get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    database = url.database or ""
    in_memory = database in ("", ":memory:") or url.query.get("mode") == "memory"
    if in_memory:
        engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    else:
        if not database.startswith("file:"):
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling would skip BEGIN before DDL; _on_begin takes over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
            cursor.execute("PRAGMA foreign_keys = ON")
            if not in_memory:
                cursor.execute("PRAGMA journal_mode = WAL")
                cursor.execute("PRAGMA synchronous = NORMAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        write = connection.get_execution_options().get(_WRITE_OPTION, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def alembic_config() -> Config:
    """Alembic's configuration, built in code: no ``alembic.ini`` is needed at run time."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    return config


# --- store --------------------------------------------------------------------------------------


class Store:
    """API keys, scans, cases and their images, in one database and one image folder.

    Args:
        database_url: SQLAlchemy URL (``sqlite:///path`` or ``postgresql+psycopg://…``).
        images_dir: where image files are kept, content-addressed by sha256.
        clock: the current time, timezone-aware (tests pass a fake one to age records).
    """

    def __init__(
        self,
        database_url: str,
        images_dir: Path,
        *,
        clock: Callable[[], datetime] = _utcnow,
    ) -> None:
        self.images_dir = Path(images_dir)
        self._clock = clock
        self._engine = create_store_engine(database_url)
        self._write_engine = self._engine.execution_options(**{_WRITE_OPTION: True})
        # One shared connection (in-memory SQLite) must not run two transactions at once.
        shared = isinstance(self._engine.pool, StaticPool)
        self._one_at_a_time: AbstractContextManager[Any] = (
            threading.RLock() if shared else nullcontext()
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Store:
        """The store the service and the CLI use: the configured database, images in data_dir."""
        return cls(settings.resolved_database_url(), settings.data_dir / "images")

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (for health checks and tests; the store's methods suffice)."""
        return self._engine

    def migrate(self) -> None:
        """Create or upgrade the schema to the latest revision.

        Idempotent and safe at every start: concurrent callers are serialised (SQLite's write
        lock; a PostgreSQL advisory lock), and the upgrade is one transaction.
        """
        config = alembic_config()
        with self._one_at_a_time, self._write_engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")

    def ping(self) -> bool:
        """Whether the database answers (``SELECT 1``); False on any database error."""
        try:
            with self._one_at_a_time, self._engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        except SQLAlchemyError as error:
            logger.warning("database ping failed: %s", type(error).__name__)
            return False
        return True

    def close(self) -> None:
        """Close every pooled connection (the store can still be used; it reconnects)."""
        self._engine.dispose()

    @contextmanager
    def _session(self, *, write: bool = False) -> Iterator[Session]:
        engine = self._write_engine if write else self._engine
        with self._one_at_a_time, Session(engine) as session, session.begin():
            yield session

    def _now(self) -> datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise ValueError("the store's clock must return timezone-aware datetimes")
        return now.astimezone(UTC)

    # --- API keys -------------------------------------------------------------------------------

    def create_key(self, name: str, role: Role) -> tuple[ApiKey, str]:
        """Create a key; its token is returned here and only here.

        Args:
            name: who holds the key (a station or a person's role, e.g. ``"gate-3"``).
            role: what it may do.

        Returns:
            The key and its token, ``dfk_<key_id>_<secret>``. Only the secret's sha256 is stored.

        Raises:
            ValueError: empty or over-long name, or an unknown role.
        """
        role = Role(role)
        name = name.strip()
        if not name or len(name) > KEY_NAME_MAX_CHARS:
            raise ValueError(f"a key name has 1 to {KEY_NAME_MAX_CHARS} characters")
        secret = keys.new_secret()
        for attempt in range(3):
            row = ApiKeyRow(
                key_id=keys.new_key_id(),
                name=name,
                role=role.value,
                secret_sha256=keys.hash_secret(secret),
                created_at=self._now(),
                revoked_at=None,
            )
            try:
                with self._session(write=True) as session:
                    session.add(row)
                    session.flush()
                    key = _api_key(row)
            except IntegrityError:  # a 48-bit key id collided: draw another
                if attempt == 2:
                    raise
                continue
            logger.info("created API key %s (role %s)", key.key_id, key.role)
            return key, keys.format_token(key.key_id, secret)
        raise AssertionError("unreachable")  # pragma: no cover

    def list_keys(self) -> list[ApiKey]:
        """Every key, revoked ones included, oldest first."""
        with self._session() as session:
            query = select(ApiKeyRow).order_by(ApiKeyRow.created_at, ApiKeyRow.key_id)
            return [_api_key(row) for row in session.scalars(query)]

    def revoke_key(self, key_id: str) -> bool:
        """Revoke a key from now on; False when it is unknown or already revoked."""
        with self._session(write=True) as session:
            result = session.execute(
                update(ApiKeyRow)
                .where(ApiKeyRow.key_id == key_id, ApiKeyRow.revoked_at.is_(None))
                .values(revoked_at=self._now())
            )
            revoked = _rowcount(result) == 1
        if revoked:
            logger.info("revoked API key %s", key_id)
        return revoked

    def authenticate(self, token: str) -> ApiKey | None:
        """The live key a token belongs to; None for anything else.

        Never raises on a malformed token. An unknown key id costs the same hash comparison as a
        known one, so response times do not reveal which key ids exist.
        """
        parsed = keys.parse_token(token)
        if parsed is None:
            return None
        with self._session() as session:
            row = session.get(ApiKeyRow, parsed.key_id)
            stored = row.secret_sha256 if row is not None else keys.DUMMY_SECRET_SHA256
            matches = keys.secret_matches(parsed.secret, stored)
            if row is None or not matches or row.revoked_at is not None:
                return None
            return _api_key(row)

    # --- images ---------------------------------------------------------------------------------

    def put_image(self, data: bytes, sha256: str, media_type: str | None) -> bool:
        """Keep an image, once per content.

        Args:
            data: the uploaded bytes, as received.
            sha256: their sha256 (hex); checked, since it names the file.
            media_type: the detected media type, if known.

        Returns:
            True when the image is new; False when it was already stored (its file is then not
            rewritten, only its ``last_seen`` moves, which keeps it from being purged).

        Raises:
            ValueError: ``sha256`` is malformed or is not the hash of ``data``.
        """
        if not images.is_sha256(sha256) or hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError("sha256 is not the lower-case hex digest of the image bytes")
        for attempt in range(2):
            try:
                with self._session(write=True) as session:
                    now = self._now()
                    seen = session.execute(
                        update(ImageRow).where(ImageRow.sha256 == sha256).values(last_seen=now)
                    )
                    is_new = _rowcount(seen) == 0
                    if is_new:
                        session.add(
                            ImageRow(
                                sha256=sha256,
                                media_type=media_type,
                                size_bytes=len(data),
                                first_seen=now,
                                last_seen=now,
                            )
                        )
                        session.flush()
                    # Written inside the transaction, after the row is locked, so that a purge
                    # running at the same time cannot delete the file under a fresh row.
                    path = images.image_path(self.images_dir, sha256)
                    if is_new or not path.is_file():
                        images.write_image(self.images_dir, sha256, data)
            except IntegrityError:  # another thread stored the same image first
                if attempt == 1:
                    raise
                continue
            logger.debug("image %s %s", sha256, "stored" if is_new else "seen again")
            return is_new
        raise AssertionError("unreachable")  # pragma: no cover

    def read_image(self, sha256: str) -> bytes | None:
        """The stored bytes of an image; None when the sha256 is malformed or unknown."""
        return images.read_image(self.images_dir, sha256)

    # --- scans and cases ------------------------------------------------------------------------

    def add_scan(
        self,
        *,
        station: str,
        key_id: str,
        image_sha256: str,
        media_type: str | None,
        size_bytes: int,
        source_name: str,
        case_id: str | None,
        metadata: dict[str, Any],
        status: str,
        result: dict[str, Any],
        software_version: str,
        model_version: str,
        verdict: str | None,
        fraud_score: float | None,
    ) -> ScanRecord:
        """Record a scan of a stored image (:meth:`put_image` first) by an existing key.

        Returns:
            The record, with a new ``scan_id`` and ``duplicate_of`` set when the same station sent
            the same image before.

        Raises:
            ValueError: unknown ``status``.
            sqlalchemy.exc.IntegrityError: unknown ``key_id`` or ``image_sha256``.
        """
        _check_status(status)
        with self._session(write=True) as session:
            first = session.scalar(
                select(ScanRow.scan_id)
                .where(ScanRow.image_sha256 == image_sha256, ScanRow.station == station)
                .order_by(ScanRow.created_at, ScanRow.scan_id)
                .limit(1)
            )
            row = ScanRow(
                scan_id=uuid.uuid4().hex,
                created_at=self._now(),
                station=station,
                key_id=key_id,
                image_sha256=image_sha256,
                media_type=media_type,
                size_bytes=size_bytes,
                source_name=source_name,
                case_id=case_id,
                meta=metadata,
                status=str(status),
                verdict=None if verdict is None else str(verdict),
                fraud_score=fraud_score,
                software_version=software_version,
                model_version=model_version,
                result=result,
                duplicate_of=first,
            )
            session.add(row)
            session.flush()
            record = _scan_record(row)
        logger.debug("scan %s of image %s (%s)", record.scan_id, image_sha256, record.status)
        return record

    def set_scan_result(
        self,
        scan_id: str,
        *,
        result: dict[str, Any],
        status: str,
        verdict: str | None,
        fraud_score: float | None,
        metadata: dict[str, Any] | None = None,
        model_version: str | None = None,
    ) -> None:
        """Replace a scan's result, e.g. when the visual zone was read after the answer
        (``metadata`` and ``model_version`` too when given: an audit's redone row).

        Raises:
            ValueError: unknown ``status``.
            KeyError: no such scan (it may have been purged).
        """
        _check_status(status)
        with self._session(write=True) as session:
            changed = session.execute(
                update(ScanRow)
                .where(ScanRow.scan_id == scan_id)
                .values(
                    result=result,
                    status=str(status),
                    verdict=None if verdict is None else str(verdict),
                    fraud_score=fraud_score,
                    **({} if metadata is None else {"meta": metadata}),
                    **({} if model_version is None else {"model_version": model_version}),
                )
            )
            if _rowcount(changed) != 1:
                raise KeyError(scan_id)

    def get_scan(self, scan_id: str) -> ScanRecord | None:
        """One scan, or None. Callers check that the asking station may see it."""
        with self._session() as session:
            row = session.get(ScanRow, scan_id)
            return None if row is None else _scan_record(row)

    def list_scans(
        self, *, station: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[ScanRecord]:
        """Scans, newest first: one station's, or every station's when ``station`` is None.

        Raises:
            ValueError: negative ``limit`` or ``offset``.
        """
        if limit < 0 or offset < 0:
            raise ValueError("limit and offset must be >= 0")
        query = select(ScanRow)
        if station is not None:
            query = query.where(ScanRow.station == station)
        query = (
            query.order_by(ScanRow.created_at.desc(), ScanRow.scan_id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self._session() as session:
            return [_scan_record(row) for row in session.scalars(query)]

    def add_case(
        self,
        *,
        station: str,
        key_id: str,
        case_id: str,
        scan_ids: Sequence[str],
        result: dict[str, Any],
    ) -> CaseRecord:
        """Record a case over scans already added (their ``case_id`` set to ``case_id``).

        Raises:
            sqlalchemy.exc.IntegrityError: ``case_id`` exists already, or ``key_id`` is unknown.
        """
        with self._session(write=True) as session:
            row = CaseRow(
                case_id=case_id,
                created_at=self._now(),
                station=station,
                key_id=key_id,
                scan_ids=list(scan_ids),
                result=result,
            )
            session.add(row)
            session.flush()
            return _case_record(row)

    def get_case(self, case_id: str) -> CaseRecord | None:
        """One case, or None. Callers check that the asking station may see it."""
        with self._session() as session:
            row = session.get(CaseRow, case_id)
            return None if row is None else _case_record(row)

    # --- stop-list ------------------------------------------------------------------------------

    def upsert_watchlist(self, entries: Iterable[WatchlistEntry]) -> WatchlistCounts:
        """Add stop-list entries, or update those of the same document on the same list.

        One transaction: a failure leaves the list as it was. ``entries`` is consumed in chunks,
        so a large list is never held in memory whole; an entry equal to the stored one is left
        alone (its ``imported_at`` does not move), so importing the same list twice changes
        nothing. Of several entries with the same key, the last wins. Concurrent imports are
        serialised (SQLite's write lock; a PostgreSQL advisory lock).

        Args:
            entries: normalised entries (:mod:`docfraud.store.watchlist` parses and checks them);
                their ``imported_at`` is ignored and set to now.

        Raises:
            ValueError: an entry with an unknown status.
        """
        inserted = updated = unchanged = 0
        with self._session(write=True) as session:
            if session.get_bind().dialect.name == "postgresql":
                session.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _WATCHLIST_LOCK_KEY}
                )
            for chunk in _chunks(entries, _WATCHLIST_CHUNK):
                by_key = {(e.issuing_state, e.document_number, e.source): e for e in chunk}
                for e in by_key.values():
                    _check_watchlist_status(e.status)
                stored = {
                    (row.issuing_state, row.document_number, row.source): row
                    for row in session.scalars(
                        select(WatchlistRow).where(
                            WatchlistRow.document_number.in_({k[1] for k in by_key}),
                            WatchlistRow.source.in_({k[2] for k in by_key}),
                        )
                    )
                }
                now = self._now()
                for key, e in by_key.items():
                    values = {
                        "status": e.status,
                        "portrait_hash": e.portrait_hash,
                        "note": e.note,
                        "listed_on": e.listed_on,
                    }
                    row = stored.get(key)
                    if row is None:
                        session.add(
                            WatchlistRow(
                                issuing_state=e.issuing_state,
                                document_number=e.document_number,
                                source=e.source,
                                imported_at=now,
                                **values,
                            )
                        )
                        inserted += 1
                    elif any(getattr(row, name) != value for name, value in values.items()):
                        for name, value in values.items():
                            setattr(row, name, value)
                        row.imported_at = now
                        updated += 1
                    else:
                        unchanged += 1
                session.flush()
                session.expunge_all()  # keep the session's identity map one chunk small
        logger.info(
            "stop-list: %d entries added, %d updated, %d unchanged", inserted, updated, unchanged
        )
        return WatchlistCounts(inserted=inserted, updated=updated, unchanged=unchanged)

    def find_watchlist(self, issuing_state: str, document_number: str) -> list[WatchlistEntry]:
        """Every stop-list entry of one document, ordered by list.

        Pass the values normalised (upper case, no spaces or ``<``). The letter O and the digit 0
        count as one character, as in link analysis (:func:`docfraud.store.numbers.number_key`):
        a listed ``AO1`` is found for a read ``A01``.
        """
        query = (
            select(WatchlistRow)
            .where(
                WatchlistRow.issuing_state == issuing_state,
                _watchlist_number_key(WatchlistRow.document_number)
                == document_number.replace(*O_AS_ZERO),
            )
            .order_by(WatchlistRow.source)
        )
        with self._session() as session:
            return [_watchlist_entry(row) for row in session.scalars(query)]

    def watchlist_portraits(self) -> list[WatchlistEntry]:
        """Every stop-list entry that carries a portrait hash, ordered by list and document."""
        query = (
            select(WatchlistRow)
            .where(WatchlistRow.portrait_hash.is_not(None))
            .order_by(WatchlistRow.source, WatchlistRow.issuing_state, WatchlistRow.document_number)
        )
        with self._session() as session:
            return [_watchlist_entry(row) for row in session.scalars(query)]

    def watchlist_portraits_version(self) -> tuple[int, datetime | None]:
        """How many entries carry a portrait hash, and when the latest of them was imported or
        changed: what :meth:`watchlist_portraits` returns changes only with one of them (imports
        add and update rows, never delete them)."""
        query = select(func.count(), func.max(WatchlistRow.imported_at)).where(
            WatchlistRow.portrait_hash.is_not(None)
        )
        with self._session() as session:
            count, latest = session.execute(query).one()
        return int(count), latest

    def count_watchlist(self) -> list[tuple[str, str, int]]:
        """(source, status, entries) for every list and status, sorted."""
        query = (
            select(WatchlistRow.source, WatchlistRow.status, func.count())
            .group_by(WatchlistRow.source, WatchlistRow.status)
            .order_by(WatchlistRow.source, WatchlistRow.status)
        )
        with self._session() as session:
            return [(source, status, int(n)) for source, status, n in session.execute(query)]

    # --- retention ------------------------------------------------------------------------------

    def purge(self, older_than: timedelta, now: datetime | None = None) -> PurgeReport:
        """Delete what is older than the retention period.

        Scans and cases created before ``now - older_than`` go first; then every image that no
        remaining scan references and that was last seen before the same cutoff (an image stored
        for a scan still being recorded is recent, so it stays), row and file.

        Args:
            older_than: the retention period.
            now: the reference time, timezone-aware (default: the store's clock).

        Raises:
            ValueError: ``now`` is naive.
        """
        if now is not None and now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        cutoff = (self._now() if now is None else now.astimezone(UTC)) - older_than
        bytes_freed = 0
        with self._session(write=True) as session:
            unsynced = {"synchronize_session": False}  # no ORM objects are loaded to update
            scans = _rowcount(
                session.execute(
                    delete(ScanRow).where(ScanRow.created_at < cutoff), execution_options=unsynced
                )
            )
            cases = _rowcount(
                session.execute(
                    delete(CaseRow).where(CaseRow.created_at < cutoff), execution_options=unsynced
                )
            )
            referenced = select(ScanRow.scan_id).where(ScanRow.image_sha256 == ImageRow.sha256)
            gone = session.execute(
                delete(ImageRow)
                .where(ImageRow.last_seen < cutoff, ~referenced.exists())
                .returning(ImageRow.sha256, ImageRow.size_bytes),
                execution_options=unsynced,
            ).all()
            # Files go inside the transaction, while the rows are locked: a concurrent put_image
            # of the same image waits for the commit, then stores row and file afresh.
            for sha256, size_bytes in gone:
                if images.delete_image(self.images_dir, sha256):
                    bytes_freed += size_bytes
        report = PurgeReport(scans=scans, cases=cases, images=len(gone), bytes_freed=bytes_freed)
        logger.info(
            "purged %d scans, %d cases, %d images (%d bytes) created before %s",
            report.scans,
            report.cases,
            report.images,
            report.bytes_freed,
            cutoff.isoformat(),
        )
        return report


def _rowcount(result: Result[Any]) -> int:
    """Rows matched by an UPDATE or DELETE (Session.execute types every result as plain Result)."""
    return cast(CursorResult[Any], result).rowcount


def _check_status(status: str) -> None:
    if status not in SCAN_STATUSES:
        raise ValueError(f"scan status must be one of {sorted(SCAN_STATUSES)}, not {status!r}")


def _check_watchlist_status(status: str) -> None:
    if status not in WATCHLIST_STATUSES:
        raise ValueError(
            f"stop-list status must be one of {sorted(WATCHLIST_STATUSES)}, not {status!r}"
        )


def _chunks(items: Iterable[WatchlistEntry], size: int) -> Iterator[list[WatchlistEntry]]:
    chunk: list[WatchlistEntry] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _watchlist_entry(row: WatchlistRow) -> WatchlistEntry:
    return WatchlistEntry(
        issuing_state=row.issuing_state,
        document_number=row.document_number,
        status=row.status,
        source=row.source,
        portrait_hash=row.portrait_hash,
        note=row.note,
        listed_on=row.listed_on,
        imported_at=row.imported_at,
    )


def _api_key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        key_id=row.key_id,
        name=row.name,
        role=Role(row.role),
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


def _scan_record(row: ScanRow) -> ScanRecord:
    return ScanRecord(
        scan_id=row.scan_id,
        created_at=row.created_at,
        station=row.station,
        key_id=row.key_id,
        image_sha256=row.image_sha256,
        media_type=row.media_type,
        size_bytes=row.size_bytes,
        source_name=row.source_name,
        case_id=row.case_id,
        metadata=dict(row.meta),
        status=row.status,
        verdict=row.verdict,
        fraud_score=row.fraud_score,
        software_version=row.software_version,
        model_version=row.model_version,
        result=dict(row.result),
        duplicate_of=row.duplicate_of,
    )


def _case_record(row: CaseRow) -> CaseRecord:
    return CaseRecord(
        case_id=row.case_id,
        created_at=row.created_at,
        station=row.station,
        key_id=row.key_id,
        scan_ids=tuple(row.scan_ids),
        result=dict(row.result),
    )
