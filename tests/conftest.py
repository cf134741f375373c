from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fakebot import FakeBotApi

from bot import store
from bot.ingest import ingest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "data" / "transcripts"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def seed(prefix: str) -> Path:
    """The bundled seed transcript whose file name starts with ``prefix``."""
    return next(SEEDS.glob(f"{prefix}_*.txt"))


@pytest.fixture
def seeds_copy(tmp_path: Path) -> Path:
    """A private copy of the seed transcripts a test may change."""
    folder = tmp_path / "transcripts"
    shutil.copytree(SEEDS, folder)
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "quotes.db"


@pytest.fixture(scope="session")
def seeded_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the five seed transcripts, built once for read-only tests."""
    path = tmp_path_factory.mktemp("seeded") / "quotes.db"
    db = store.open_db(path)
    report = ingest(db, [SEEDS], workers=1)
    assert not report.skipped
    db.close()
    return path


@pytest.fixture
async def fake():
    """A fake Telegram Bot API server on 127.0.0.1 for one test."""
    server = FakeBotApi()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="session")
def searcher(seeded_db: Path):
    """Search over the seeded database (read-only)."""
    from bot.search import Searcher

    return Searcher(seeded_db)
