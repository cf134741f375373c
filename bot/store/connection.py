"""Opening quotebot's SQLite files: WAL, waiting for a busy writer, migrations, read-only.

Every transaction that will write takes the write lock up front (``BEGIN IMMEDIATE``)
and waits for another writer with a busy timeout, so two writers queue instead of
failing half-way through with "database is locked".
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

log = logging.getLogger(__name__)

# How long a writer waits for another writer (another ingest, the bot's chat state)
# before giving up: an ingest's transaction (a batch of files) lasts about 2 s, a
# whole ingest of the corpora under a minute, so half a minute covers any one
# transaction.
WRITE_WAIT_MS = 30_000
# How long a reader waits while a writer commits.
READ_WAIT_MS = 10_000


class DatabaseError(Exception):
    """A database file cannot be used; the message says why and what to do."""


def registered_names(migrations: Migrations) -> list[str]:
    return [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))]


def begin(db: sqlite_utils.Database) -> None:
    """Start a write transaction holding the write lock (waiting for another writer)."""
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise DatabaseError(
                "the database is busy: another process has been writing to it for over"
                f" {WRITE_WAIT_MS // 1000} s (another ingest?); try again when it is done"
            ) from exc
        raise


@contextmanager
def writing(db: sqlite_utils.Database) -> Iterator[sqlite_utils.Database]:
    """One write transaction that holds the write lock from its first statement."""
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    begin(db)
    try:
        yield db
    except BaseException:
        if db.conn.in_transaction:
            db.conn.rollback()
        raise
    else:
        db.conn.commit()


def open_writable(
    path: Path,
    migrations: Migrations,
    what: str,
    *,
    create: bool = True,
    on_migrate: Callable[[str], None] | None = None,
) -> sqlite_utils.Database:
    """Open ``path`` for writing in WAL mode and bring its schema up to date."""
    if not create and not path.exists():
        raise DatabaseError(f"no {what} at {path}; run 'quotebot ingest' first")
    if not path.exists():
        on_migrate = None  # a new file is made at this schema: nothing to announce
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite_utils.Database(path)
        db.execute(f"PRAGMA busy_timeout = {WRITE_WAIT_MS}")
        if db.journal_mode != "wal":
            db.enable_wal()
        db.execute("PRAGMA synchronous = NORMAL")
    except (sqlite3.Error, OSError) as exc:
        raise DatabaseError(f"cannot open {what} {path}: {exc}") from exc
    try:
        migrate(db, migrations, what, on_migrate)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise DatabaseError(f"cannot open {what} {path}: {exc}") from exc
    return db


def migrate(
    db: sqlite_utils.Database,
    migrations: Migrations,
    what: str,
    on_migrate: Callable[[str], None] | None = None,
) -> list[str]:
    """Apply the pending migrations in one write transaction; the names applied.

    A database that has migrations this quotebot does not know is from a newer
    version and is refused rather than half understood.
    """
    registered = registered_names(migrations)
    version = db.execute("PRAGMA user_version").fetchone()[0]
    applied = [m.name for m in migrations.applied(db)]
    unknown = [name for name in applied if name not in registered]
    if unknown or version > len(registered):
        raise DatabaseError(
            f"this {what} was made by a newer quotebot (schema {max(version, len(applied))},"
            f" this one knows {len(registered)}); upgrade quotebot"
        )
    pending = [m.name for m in migrations.pending(db)]
    if not pending and version == len(registered):
        return []
    with writing(db):
        pending = [m.name for m in migrations.pending(db)]  # another process may have won
        for name in pending:
            message = f"{what}: applying migration {name}"
            log.info(message)
            if on_migrate:
                on_migrate(message)
        migrations.apply(db)
        db.execute(f"PRAGMA user_version = {len(registered)}")
    return pending


def needs_migration(path: Path, migrations: Migrations) -> list[str]:
    """The migrations a database file still lacks (read-only: nothing is written)."""
    conn = connect_readonly(path)
    try:
        return [m.name for m in migrations.pending(sqlite_utils.Database(conn))]
    finally:
        conn.close()


def connect_readonly(path: str | Path) -> sqlite3.Connection:
    """A connection that can never write, for searching (one per thread).

    A database on a read-only disk, where SQLite cannot create its shared-memory
    file, is opened as immutable: nobody can be changing it there.
    """
    path = Path(path)
    if not path.exists():
        raise DatabaseError(f"no database at {path}; run 'quotebot ingest' first")
    uri = path.resolve().as_uri()
    last: sqlite3.Error | None = None
    for mode in ("mode=ro", "immutable=1"):
        try:
            conn = sqlite3.connect(f"{uri}?{mode}", uri=True, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {READ_WAIT_MS}")
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.OperationalError as exc:  # e.g. no -shm file on a read-only disk
            last = exc
            continue
        except sqlite3.DatabaseError as exc:
            raise DatabaseError(f"cannot open database {path}: {exc}") from exc
        conn.execute("PRAGMA query_only = 1")
        return conn
    raise DatabaseError(f"cannot open database {path}: {last}")


def file_of(db: sqlite_utils.Database | sqlite3.Connection) -> Path:
    """The file an open database reads."""
    return Path(db.execute("PRAGMA database_list").fetchone()[2])
