"""Follows: parsing /follow and /unfollow, the state migration, and alerts for a new
transcript through the real Application against the fake Bot API."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import pytest
import sqlite_utils
from click.testing import CliRunner
from conftest import SEEDS, seed
from fakebot import FakeBotApi
from sqlite_utils.migrations import Migrations

from bot import store
from bot.cli import main
from bot.config import Settings
from bot.follows import MAX_FOLLOWS_PER_CHAT, FollowError, Follows, Request
from bot.ingest import ingest
from bot.replies import Replier
from bot.search import Searcher
from bot.store import migrations
from bot.telegram.app import build_application

PUTIN = "Vladimir Putin"
# The seed added while the bot runs: Astana, 4 July 2024 (Ukraine, never the Arctic).
NEW = "001"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The seeds except the one that arrives later."""
    path = tmp_path / "quotes.db"
    db = store.open_db(path)
    ingest(db, [p for p in sorted(SEEDS.glob("*.txt")) if not p.name.startswith(NEW)], workers=1)
    db.close()
    return path


def add_new_seed(corpus: Path) -> None:
    db = store.open_db(corpus)
    report = ingest(db, [seed(NEW)], workers=1)
    db.close()
    assert report.answers > 0


@pytest.fixture
def service(corpus: Path, tmp_path: Path) -> Follows:
    return Follows.open(Searcher(corpus), tmp_path / "state.db")


def test_parse_requests(service: Follows):
    assert service.parse("putin nato") == Request(PUTIN, "nato")
    assert service.parse("Vladimir Putin on the Arctic") == Request(PUTIN, "the arctic")
    assert service.parse("putin") == Request(PUTIN, "")
    # a first name, as search takes it when asked for someone's words ("karine on ...")
    assert service.parse("vladimir nato") == Request(PUTIN, "nato")
    # ... and a name misspelled, as search reads it ("/follow putn nato" knew nobody)
    assert service.parse("putn nato") == Request(PUTIN, "nato")
    for text, message in [("", "Whom"), ("nato putin", "nobody by that name"), ("zzz", "nobody")]:
        with pytest.raises(FollowError, match=message):
            service.parse(text)


def test_follow_list_and_unfollow(service: Follows):
    assert "follows nobody yet" in service.listing(5)
    assert "Following Vladimir Putin on nato" in service.follow(5, Request(PUTIN, "nato"))
    assert "already follows" in service.follow(5, Request(PUTIN, "nato"))
    service.follow(5, Request(PUTIN, "arctic"))
    service.follow(5, Request(PUTIN, ""))
    listing = service.listing(5)
    assert "1. Vladimir Putin on nato" in listing and "3. Vladimir Putin (anything)" in listing
    assert service.listing(6).startswith("This chat follows nobody")  # chats are apart
    assert "(or /unfollow putin)" in listing
    service.follow(8, Request("Jen Psaki", "covid tests"))  # the hint names who is followed
    assert "(or /unfollow psaki)" in service.listing(8)
    assert "no follow 9" in service.unfollow(5, "9")
    assert service.unfollow(5, "2") == "No longer following Vladimir Putin on arctic."
    assert service.unfollow(5, "putin nato") == "No longer following Vladimir Putin on nato."
    assert service.unfollow(5, "putin") == "No longer following Vladimir Putin (anything)."
    assert service.unfollow(5, "putin") == "This chat follows nobody."
    for n in range(MAX_FOLLOWS_PER_CHAT):
        service.follow(7, Request(PUTIN, f"topic{n}"))
    assert "already follows 20" in service.follow(7, Request(PUTIN, "one more"))
    # "all" ends every one (a new user's "/unfollow all" was asked "Which one?")
    assert (
        service.unfollow(7, "all") == f"No longer following anyone ({MAX_FOLLOWS_PER_CHAT} ended)."
    )
    assert service.unfollow(7, "all") == "This chat follows nobody."


def test_the_migration_applies_to_a_state_file_made_before_it(tmp_path: Path):
    path = tmp_path / "state.db"
    before = Migrations("quotebot-state")  # what quotebot registered before follows
    before()(migrations.m001_subscriptions_seen)
    db = sqlite_utils.Database(path)
    before.apply(db)
    db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO subscriptions VALUES (5, '09:00', 'UTC', '2024-01-01T00:00:00')")
    db.conn.commit()
    db.close()
    state = store.State.open(path)
    assert state.subscription(5) == (5, "09:00", "UTC")
    assert state.add_follow(5, PUTIN, "nato", "")
    assert state.follows(5) == [(1, 5, PUTIN, "nato", "")]
    assert state.db.execute("PRAGMA user_version").fetchone()[0] == 2
    state.close()


def test_a_round_matches_only_what_arrived_after_the_follow(corpus: Path, service: Follows):
    service.follow(1, Request(PUTIN, "ukraine"))
    service.follow(2, Request(PUTIN, "arctic"))
    service.follow(3, Request(PUTIN, ""))
    assert service.round().alerts == []  # what was there before the follows is old
    service.finish(service.round())
    add_new_seed(corpus)
    service.searcher.refresh()
    service.follow(4, Request(PUTIN, "ukraine"))  # after the transcript arrived: not new
    done = service.round()
    by_chat = {a.chat_id: a for a in done.alerts}
    assert set(by_chat) == {1, 3}
    assert all("ukraine" in q.excerpt.lower() for q in by_chat[1].quotes)
    assert len(by_chat[3].quotes) > len(by_chat[1].quotes) > 1  # grouped: one alert a chat
    reply = by_chat[1].reply()
    assert len(reply.buttons) == len(by_chat[1].quotes) and "Astana" in reply.html
    assert all(len(b.data.encode()) <= 64 for b in reply.buttons)
    assert service.claim(by_chat[1]) is not None and service.claim(by_chat[1]) is None
    service.finish(done)
    assert service.round().alerts == []


async def _start(fake: FakeBotApi, corpus: Path, state: Path):
    settings = Settings(token=fake.token, base_url=fake.base_url, state_path=state)
    app = build_application(settings, Replier(Searcher(corpus)))
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    return app


async def _stop(app) -> None:
    await app.updater.stop()
    await app.stop()
    await app.shutdown()


async def _refresh(app) -> None:
    """The clock reaches the refresh job."""
    await app.job_queue.get_jobs_by_name("refresh")[0].run(app)


async def test_a_new_transcript_alerts_the_matching_chats_once(
    fake: FakeBotApi, corpus: Path, tmp_path: Path
):
    state = tmp_path / "state.db"
    app = await _start(fake, corpus, state)
    try:
        requests = {11: "putin ukraine", 12: "putin arctic", 13: "putin", 14: "putin ukraine"}
        for n, (chat, text) in enumerate(requests.items(), 1):
            fake.message(f"/follow {text}", chat_id=chat, user_id=chat)
            assert "Following" in (await fake.wait_for("sendMessage", n))[-1]["text"]
        fake.message("/follow putin", chat_id=-300, kind="group", user_id=15)  # not an admin
        assert "administrators" in (await fake.wait_for("sendMessage", 5))[-1]["text"]
        await _refresh(app)  # nothing new yet
        assert len(fake.sent()) == 5
        fake.blocked.add(14)
        add_new_seed(corpus)  # an ingest while the bot runs
        await _refresh(app)
        alerts = fake.sent()[5:]
        # one message each to the matching chats; the blocked one refused it
        assert sorted(m["chat_id"] for m in alerts) == [11, 13, 14]
        to_11 = next(m for m in alerts if m["chat_id"] == 11)
        assert "New: Vladimir Putin on ukraine" in to_11["text"] and "Astana" in to_11["text"]
        buttons = [b for row in to_11["reply_markup"]["inline_keyboard"] for b in row]
        assert len(buttons) > 1 and all(b["callback_data"].startswith("a:") for b in buttons)
        assert app.bot_data["follows"].list(14) == []  # blocked: its follows ended
        assert len(app.bot_data["follows"].list(11)) == 1
        await _refresh(app)  # the next minute: nothing again
        assert len(fake.sent()) == 8
    finally:
        await _stop(app)
    app = await _start(fake, corpus, state)  # a restart remembers what was sent
    try:
        await _refresh(app)
        assert len(fake.sent()) == 8
    finally:
        await _stop(app)


def test_post_alerts_command(corpus: Path, tmp_path: Path, monkeypatch):
    server = FakeBotApi()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(5)
    try:
        state = tmp_path / "state.db"
        service = Follows.open(Searcher(corpus), state)
        service.follow(21, Request(PUTIN, "ukraine"))
        service.finish(service.round())
        service.state.close()
        add_new_seed(corpus)
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", server.token)
        monkeypatch.setenv("TELEGRAM_BASE_URL", server.base_url)
        monkeypatch.setenv("QUOTEBOT_STATE_DB", str(state))
        first = CliRunner().invoke(main, ["post-alerts", "--db", str(corpus)])
        assert first.exit_code == 0, first.output
        assert "sent: 1" in first.output and server.token not in first.output
        assert [m["chat_id"] for m in server.sent()] == [21]
        again = CliRunner().invoke(main, ["post-alerts", "--db", str(corpus)])
        assert again.exit_code == 0 and "sent: 0" in again.output
        assert len(server.sent()) == 1
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:refused")
        refused = CliRunner().invoke(main, ["post-alerts", "--db", str(corpus)])
        assert refused.exit_code == 1 and "refused the bot token" in refused.output
        assert "1:refused" not in refused.output
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)


def test_the_terminal_chat_answers_timeline_and_follow(corpus: Path, tmp_path: Path):
    """The terminal keeps follows (under chat id 0, never posted to) and pages timelines."""
    import io

    from bot.chat import chat
    from bot.daily import Dailies

    replier = Replier(Searcher(corpus))
    dailies = Dailies.open(replier, tmp_path / "state.db")
    lines = io.StringIO(
        "/follow putin ukraine\n/follow\n/timeline putin united states\n3\n"
        "how has putin's view of sanctions changed\n/unfollow 1\n"
    )
    out = io.StringIO()
    chat(replier, lines, out, dailies=dailies)
    text = out.getvalue()
    assert "Following Vladimir Putin on ukraine" in text
    assert "1. Vladimir Putin on ukraine" in text
    assert "Vladimir Putin on united states" in text and "oldest first" in text
    assert "Vladimir Putin on sanctions" in text
    assert "No longer following Vladimir Putin on ukraine." in text
    service = Follows(dailies.state, replier.searcher)
    service.follow(0, Request(PUTIN, ""))
    add_new_seed(corpus)
    replier.searcher.refresh()
    assert service.round().alerts == []  # the terminal's follows are kept, not posted
