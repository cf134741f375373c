"""Daily quotes: the domain rules, and the real Application against the fake Bot API."""

from __future__ import annotations

import asyncio
import itertools
import random
import shutil
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SEEDS
from fakebot import FakeBotApi

from bot import daily, store
from bot.chat import TERMINAL_CHAT_ID
from bot.cli import main
from bot.config import Settings
from bot.daily import Dailies
from bot.replies import Replier
from bot.search import Searcher
from bot.telegram import handlers
from bot.telegram.app import build_application
from bot.telegram.daily import post_now


@pytest.fixture
def db_file(seeded_db: Path, tmp_path: Path) -> Path:
    """A private, writable copy of the seeded database."""
    path = tmp_path / "quotes.db"
    shutil.copy(seeded_db, path)
    return path


def test_parse_request():
    assert daily.parse_request([], "UTC") == ("09:00", "UTC")
    assert daily.parse_request(["7:05", "Europe/Berlin"], "UTC") == ("07:05", "Europe/Berlin")
    assert daily.parse_request(["off"], "UTC") is None
    # times as people write them
    for written, meant in [
        (["9am"], "09:00"),
        (["9", "pm"], "21:00"),
        (["9:30pm"], "21:30"),
        (["9", "p.m."], "21:00"),
        (["12am"], "00:00"),
        (["12pm"], "12:00"),
        (["21h30"], "21:30"),
        (["21h"], "21:00"),
        (["7"], "07:00"),
    ]:
        assert daily.parse_request([*written, "Europe/Berlin"], "UTC") == (meant, "Europe/Berlin")
    for wrong in ("13pm", "0am", "9m", "9:75"):
        with pytest.raises(daily.DailyError, match="not a time I understand"):
            daily.parse_request([wrong], "UTC")
    with pytest.raises(daily.DailyError, match=r"HH:MM.*/daily 09:00 Europe/Berlin"):
        daily.parse_request(["25:00"], "UTC")
    with pytest.raises(daily.DailyError, match="not a time zone"):
        daily.parse_request(["09:00", "Mars/Olympus"], "UTC")
    with pytest.raises(daily.DailyError):
        daily.parse_request(["<b>nine</b>"], "UTC")


def test_daily_takes_a_zone_in_any_case_alone_or_after_on():
    """As people type it: "/daily 09:00 europe/london", "/daily Europe/Berlin" (the
    default time there), "/daily on"."""
    assert daily.parse_request(["09:00", "europe/london"], "UTC") == ("09:00", "Europe/London")
    assert daily.parse_request(["Europe/Berlin"], "UTC") == ("09:00", "Europe/Berlin")
    assert daily.parse_request(["on"], "Asia/Tokyo") == ("09:00", "Asia/Tokyo")
    assert daily.parse_request(["on", "18:30", "AMERICA/NEW_YORK"], "UTC") == (
        "18:30",
        "America/New_York",
    )
    with pytest.raises(daily.DailyError, match="not a time I understand"):
        daily.parse_request(["europe"], "UTC")  # a folder of zones is neither
    # written as a zone, alone: told it is no zone, not that it is no time (a new
    # user's "/daily Mars/Olympus" was "not a time I understand")
    with pytest.raises(daily.DailyError, match="“Mars/Olympus” is not a time zone I know"):
        daily.parse_request(["Mars/Olympus"], "UTC")


@pytest.mark.parametrize("zone", ["Europe", "America", "x" * 300, "../../etc/passwd", "Europe/"])
def test_zones_that_are_not_zones(zone: str):
    """A folder of zones, a path, a name too long for the disk: a calm, specific answer."""
    with pytest.raises(daily.DailyError, match="not a time zone I know"):
        daily.parse_request(["09:00", zone], "UTC")


def test_nine_stays_nine_across_daylight_saving():
    sub = daily.Subscription(1, "09:00", "Europe/Berlin")
    before = sub.next_post(datetime(2026, 3, 28, 10, 0, tzinfo=UTC))  # Berlin switches on 29 March
    assert (before.hour, before.minute, before.utcoffset().total_seconds()) == (9, 0, 7200)
    assert before.astimezone(UTC).hour == 7
    winter = sub.next_post(datetime(2026, 3, 27, 10, 0, tzinfo=UTC))
    assert winter.hour == 9 and winter.astimezone(UTC).hour == 8


def service(db_file: Path) -> Dailies:
    return Dailies.open(Replier(Searcher(db_file)))


def test_no_repeats_until_everything_was_seen(db_file: Path):
    dailies = service(db_file)
    conn = store.connect_readonly(db_file)
    total = len(store.answer_ids(conn))
    well = set(store.reads_well_ids(conn))
    rng = random.Random(5)
    picked = []
    for _ in range(total):
        post = dailies.prepare(1, rng)
        dailies.delivered(1, post)
        picked.append(post.answer_id)
    assert len(set(picked)) == total
    assert set(picked[: len(well)]) == well  # the ones that read well alone come first
    again = dailies.next_answer(1, rng)  # history starts over
    assert again in picked
    assert dailies.state.seen(1) == set()


def test_chat_state_lives_beside_the_corpus_not_in_it(db_file: Path):
    dailies = service(db_file)
    dailies.change(5, ("09:00", "UTC"))
    assert (db_file.parent / "state.db").exists()
    tables = {
        r[0]
        for r in store.connect_readonly(db_file).execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'"
        )
    }
    assert "subscriptions" not in tables and "seen" not in tables


def test_rebuilding_the_corpus_keeps_subscriptions(db_file: Path, tmp_path: Path):
    """A new corpus put in place under a running service: no subscription lost, and the
    searcher sees the new corpus."""
    dailies = service(db_file)
    dailies.change(5, ("07:00", "Europe/Berlin"))
    searcher = dailies.replier.searcher
    before = searcher.answers
    result = CliRunner().invoke(
        main,
        ["ingest", "--rebuild", "--db", str(db_file), str(next(SEEDS.glob("001_*.txt")))],
    )
    assert result.exit_code == 0, result.output
    assert "replaced" in result.output
    assert searcher.refresh() and searcher.answers < before
    assert dailies.get(5) == daily.Subscription(5, "07:00", "Europe/Berlin")
    assert searcher.search("the sco is a usefull organisaton")
    assert not list(tmp_path.glob("*.new*"))


def test_terminal_chat_answers_daily_like_the_bot(db_file: Path, tmp_path: Path, monkeypatch):
    """/daily in ``quotebot chat``: shown, subscribed and stopped in the chat state file
    the bot uses (QUOTEBOT_STATE_DB), with the same answers; nothing is posted."""
    state = tmp_path / "state" / "chat.db"
    monkeypatch.setenv("QUOTEBOT_STATE_DB", str(state))
    lines = "/daily\n/daily 07:30 Europe/Berlin\n/daily 25:00\n/daily\n"
    result = CliRunner().invoke(main, ["chat", "--db", str(db_file)], input=lines)
    assert result.exit_code == 0, result.output
    assert "No daily quote here yet" in result.output
    assert result.output.count("every day at 07:30 (Europe/Berlin)") == 2  # set, then shown
    assert "“25:00” is not a time I understand" in result.output
    kept = Dailies.open(Replier(Searcher(db_file)), state)
    assert kept.get(TERMINAL_CHAT_ID) == daily.Subscription(0, "07:30", "Europe/Berlin")
    assert not (db_file.parent / "state.db").exists()  # the configured file, not the default
    result = CliRunner().invoke(main, ["chat", "--db", str(db_file)], input="/daily off\n")
    assert "Daily quotes stopped." in result.output
    assert kept.get(TERMINAL_CHAT_ID) is None


async def start_app(fake: FakeBotApi, db_file: Path):
    settings = Settings(token=fake.token, base_url=fake.base_url, timezone="Europe/Berlin")
    app = build_application(settings, Replier(Searcher(db_file)))
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    return app


async def stop_app(app) -> None:
    await app.updater.stop()
    await app.stop()
    await app.shutdown()


async def test_subscribe_restart_post_and_stop(fake: FakeBotApi, db_file: Path):
    app = await start_app(fake, db_file)
    try:
        fake.message("/daily 08:30 Europe/Berlin")
        reply = (await fake.wait_for("sendMessage"))[0]["text"]
        assert "every day at 08:30 (Europe/Berlin)" in reply
        jobs = app.job_queue.get_jobs_by_name("daily:7")
        assert len(jobs) == 1
        fake.message("/daily 25:99")
        assert "/daily 09:00 Europe/Berlin" in (await fake.wait_for("sendMessage", 2))[1]["text"]
        fake.message("/daily 10:00 Nowhere/Land")
        assert "not a time zone" in (await fake.wait_for("sendMessage", 3))[2]["text"]
        fake.message("/daily 07:15")  # default zone from QUOTEBOT_TZ
        assert "07:15 (Europe/Berlin)" in (await fake.wait_for("sendMessage", 4))[3]["text"]
        assert len(app.job_queue.get_jobs_by_name("daily:7")) == 1
    finally:
        await stop_app(app)

    app = await start_app(fake, db_file)  # a restart: the job comes back, once
    try:
        jobs = app.job_queue.get_jobs_by_name("daily:7")
        assert len(jobs) == 1
        next_run = jobs[0].next_t
        assert (next_run.hour, next_run.minute) == (7, 15)
        assert str(next_run.tzinfo) == "Europe/Berlin"
        before = len(fake.sent())
        await jobs[0].run(app)  # the clock reaches 07:15
        posted = fake.sent()[before]
        assert posted["chat_id"] == 7 and posted["text"].startswith("<blockquote>")
        dailies = app.bot_data["dailies"]
        assert len(dailies.state.seen(7)) == 1
        fake.message("/daily")
        shown = (await fake.wait_for("sendMessage", before + 2))[-1]["text"]
        assert "07:15" in shown and "Next:" in shown
        fake.message("/daily off")
        assert "stopped" in (await fake.wait_for("sendMessage", before + 3))[-1]["text"]
        assert dailies.get(7) is None and not app.job_queue.get_jobs_by_name("daily:7")
    finally:
        await stop_app(app)


async def test_group_admins_only(fake: FakeBotApi, db_file: Path, monkeypatch):
    # /daily is admitted like every command (one answer per cool-down in a group). The
    # admission clock is read once per command: the first two read the same moment (the
    # second is dropped), each later one a cool-down after the one before.
    readings = itertools.chain([0.0], itertools.count(0.0, handlers.GROUP_COOLDOWN))
    monkeypatch.setattr(handlers, "clock", lambda: next(readings))
    app = await start_app(fake, db_file)
    try:
        group = -100
        fake.admins.add((group, 8))
        fake.message("/daily", chat_id=group, kind="group", user_id=9)  # anyone may look
        fake.message("/daily", chat_id=group, kind="group", user_id=9)  # within the cool-down
        assert "No daily quote here yet" in (await fake.wait_for("sendMessage"))[0]["text"]
        fake.message("/daily 09:00", chat_id=group, kind="group", user_id=9)
        refusal = (await fake.wait_for("sendMessage", 2))[1]["text"]
        assert "only the group's administrators" in refusal  # the second look had no answer
        assert fake.sent("getChatMember")[0]["user_id"] == 9
        fake.message("/daily 09:00", chat_id=group, kind="group", user_id=8)
        assert "every day at 09:00" in (await fake.wait_for("sendMessage", 3))[2]["text"]
        dailies = app.bot_data["dailies"]
        assert dailies.get(group) is not None
        fake.my_chat_member(group, "kicked")
        # the handler ends the subscription (in a thread), then unschedules its job:
        # wait for the last step (the first may be seen done before it)
        for _ in range(50):
            if not app.job_queue.get_jobs_by_name(f"daily:{group}"):
                break
            await asyncio.sleep(0.1)
        assert dailies.get(group) is None
        assert not app.job_queue.get_jobs_by_name(f"daily:{group}")
        assert len(fake.sent("sendMessage")) == 3
    finally:
        await stop_app(app)


async def test_blocked_missing_and_migrated_chats(fake: FakeBotApi, db_file: Path):
    app = await start_app(fake, db_file)
    try:
        from bot.telegram.daily import schedule

        dailies = app.bot_data["dailies"]
        for chat in (11, 12, -200):
            schedule(app.job_queue, dailies.change(chat, ("09:00", "UTC")).subscription)
        fake.blocked.add(11)
        fake.missing.add(12)
        fake.migrated[-200] = -100200
        for chat in (11, 12):
            await app.job_queue.get_jobs_by_name(f"daily:{chat}")[0].run(app)
            assert dailies.get(chat) is None and not app.job_queue.get_jobs_by_name(f"daily:{chat}")
        await app.job_queue.get_jobs_by_name("daily:-200")[0].run(app)
        assert dailies.get(-200) is None and dailies.get(-100200) is not None
        assert [m["chat_id"] for m in fake.sent()][-1] == -100200
        assert len(app.job_queue.get_jobs_by_name("daily:-100200")) == 1
    finally:
        await stop_app(app)


async def test_post_now_shares_the_job_path(fake: FakeBotApi, db_file: Path):
    dailies = service(db_file)
    for chat in (21, 22):
        dailies.change(chat, ("09:00", "UTC"))
    settings = Settings(token=fake.token, base_url=fake.base_url)
    app = build_application(settings, dailies.replier, dailies=dailies)
    results = await post_now(app)
    assert results == {21: "sent", 22: "sent"}
    assert {m["chat_id"] for m in fake.sent()} == {21, 22}


def test_post_daily_command(db_file: Path, monkeypatch):
    server = FakeBotApi()
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(server.start(), loop).result(5)
    try:
        dailies = service(db_file)
        dailies.change(31, ("09:00", "UTC"))
        dailies.change(32, ("09:00", "UTC"))
        dailies.state.close()
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", server.token)
        monkeypatch.setenv("TELEGRAM_BASE_URL", server.base_url)
        result = CliRunner().invoke(main, ["post-daily", "--db", str(db_file), "--chat", "32"])
        assert result.exit_code == 0, result.output
        assert "32: sent" in result.output
        assert [m["chat_id"] for m in server.sent()] == [32]
        assert server.token not in result.output
    finally:
        asyncio.run_coroutine_threadsafe(server.stop(), loop).result(5)
        loop.call_soon_threadsafe(loop.stop)
