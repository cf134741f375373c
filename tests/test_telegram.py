"""The real Application against a fake Bot API server on 127.0.0.1, end to end."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import shutil
import socket
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from fakebot import BOT_USER, FakeBotApi
from telegram import Message, Update

from bot import store
from bot.chat import chat
from bot.config import Settings
from bot.replies import BROKEN_LINK, EXPIRED, GONE, Replier
from bot.telegram import handlers
from bot.telegram.app import RedactToken, build_application, webhook_options

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    """The admission clock: real time plus whatever a test skips ahead."""

    def __init__(self) -> None:
        self.skipped = 0.0

    def __call__(self) -> float:
        return time.monotonic() + self.skipped

    def advance(self, seconds: float) -> None:
        self.skipped += seconds


@pytest.fixture
def replier(seeded_db: Path) -> Replier:
    return Replier.from_db(store.open_db(seeded_db, create=False))


@pytest.fixture
def clock(monkeypatch) -> Clock:
    moved = Clock()
    monkeypatch.setattr(handlers, "clock", moved)
    return moved


@pytest.fixture
async def running(fake: FakeBotApi, replier: Replier, clock: Clock):
    settings = Settings(token=fake.token, base_url=fake.base_url)
    app = build_application(settings, replier)
    async with app:
        await app.post_init(app)  # as run_polling() does between initialize() and start()
        await app.start()
        await app.updater.start_polling(poll_interval=0.0, timeout=1)
        yield app
        await app.updater.stop()
        await app.stop()


async def test_private_message_gets_quote_with_buttons(fake: FakeBotApi, running):
    assert running.job_queue.get_jobs_by_name("refresh")  # ingests while running are seen
    commands = await fake.wait_for("setMyCommands")
    assert {c["command"] for c in commands[0]["commands"]} >= {"quote", "random", "help", "about"}
    fake.message("nagorno karabah is a tragdy")
    sent = (await fake.wait_for("sendMessage"))[0]
    assert sent["chat_id"] == 7
    assert sent["parse_mode"] == "HTML"
    assert sent["text"].startswith("<blockquote>It is a tragedy")
    assert "— <b>Vladimir Putin</b>" in sent["text"]
    buttons = [b for row in sent["reply_markup"]["inline_keyboard"] for b in row]
    assert {b["text"] for b in buttons} >= {"The question", "Full answer", "Cite", "Share", "Card"}
    assert all(len(b["callback_data"].encode()) <= 64 for b in buttons if "callback_data" in b)


async def test_many_chats_at_once_each_get_their_own_answer(fake: FakeBotApi, running):
    asks = {
        101: ("nagorno karabah is a tragdy", "It is a tragedy"),
        102: ("i didnt get to see new yrok at all", "I didn’t get to see New York"),
        103: ("lev tolstoi said there is no hapiness in life", "Lev Tolstoy"),
        104: ("nato established during the cold war", "NATO was established"),
    }
    for _ in range(5):  # twenty updates in one getUpdates batch, handled concurrently
        for chat_id, (text, _) in asks.items():
            fake.message(text, chat_id=chat_id, user_id=chat_id)
    sent = await fake.wait_for("sendMessage", 20)
    assert len(sent) == 20
    for message in sent:
        assert asks[message["chat_id"]][1] in message["text"]


async def test_webhook_takes_updates_with_the_secret_only(fake: FakeBotApi, replier: Replier):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = Settings(
        token=fake.token,
        base_url=fake.base_url + "/bot",  # given with the path's /bot, as some docs do
        webhook_url="https://quotes.example/",
        webhook_secret="s3cret-Token_1",
        port=port,
    )
    options = {**webhook_options(settings), "listen": "127.0.0.1"}
    app = build_application(settings, replier)
    async with app:
        await app.start()
        await app.updater.start_webhook(**options)
        try:
            told = (await fake.wait_for("setWebhook"))[0]
            assert told["url"] == "https://quotes.example/telegram"
            assert told["secret_token"] == "s3cret-Token_1"
            url = f"http://127.0.0.1:{port}/telegram"
            update = fake.message("nagorno karabah is a tragdy")
            async with aiohttp.ClientSession() as http:
                wrong = {"X-Telegram-Bot-Api-Secret-Token": "guess"}
                async with http.post(url, json=update, headers=wrong) as refused:
                    assert refused.status == 403
                right = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
                async with http.post(url, json=update, headers=right) as taken:
                    assert taken.status == 200
            sent = await fake.wait_for("sendMessage")
            assert len(sent) == 1 and sent[0]["text"].startswith("<blockquote>It is a tragedy")
        finally:
            await app.updater.stop()
            await app.stop()


async def test_buttons_walk_hits_show_question_and_full_answer(fake: FakeBotApi, running):
    fake.message("drug trafficking")
    first = (await fake.wait_for("sendMessage"))[0]
    keyboard = {
        b["text"].split(" (")[0]: b.get("callback_data")
        for row in first["reply_markup"]["inline_keyboard"]
        for b in row
    }
    bot_message = {
        "message_id": 555,
        "date": 0,
        "chat": {"id": 7, "type": "private", "first_name": "Ann"},
        "from": BOT_USER,
        "text": "x",
    }
    fake.callback(keyboard["Another match"], bot_message)
    edit = (await fake.wait_for("editMessageText"))[0]
    assert edit["text"] != first["text"] and edit["text"].startswith("<blockquote>")
    assert edit["message_id"] == 555
    await fake.wait_for("answerCallbackQuery")
    fake.callback(keyboard["The question"], bot_message)
    question = (await fake.wait_for("sendMessage", 2))[1]
    assert "asked:" in question["text"]
    fake.callback(keyboard["Full answer"], bot_message)
    full = (await fake.wait_for("sendMessage", 3))[2]
    assert "<blockquote expandable>" in full["text"] and len(full["text"]) <= 4096
    assert len(fake.sent("answerCallbackQuery")) == 3


async def test_commands_and_deep_link(fake: FakeBotApi, running, replier: Replier):
    fake.message("/help")
    help_text = (await fake.wait_for("sendMessage"))[0]["text"]
    for command in ("/quote", "/random", "/about", "/daily", "@quote_test_bot"):
        assert command in help_text
    fake.message("/about")
    about = (await fake.wait_for("sendMessage", 2))[1]["text"]
    assert "5 sources" in about and "76 quotable answers" in about
    hit = replier.searcher.search("nato established during the cold war")[0]
    fake.message(f"/start q{hit.id}")
    linked = (await fake.wait_for("sendMessage", 3))[2]["text"]
    assert "NATO was established during the Cold War" in linked
    fake.message("/random")
    assert "Vladimir Putin" in (await fake.wait_for("sendMessage", 4))[3]["text"]
    fake.message("zzzz qqqq wwww")
    assert "Nothing close" in (await fake.wait_for("sendMessage", 5))[4]["text"]
    # /verify checks a line however short; with none, it says how to ask
    fake.message("/verify the taliban are our allies")
    verdict = (await fake.wait_for("sendMessage", 6))[5]["text"]
    assert "Close" in verdict and "of course" in verdict
    fake.message("/verify")
    assert "Give me the line to check" in (await fake.wait_for("sendMessage", 7))[6]["text"]


async def test_group_answers_only_when_addressed(fake: FakeBotApi, running, clock: Clock):
    group = -100
    fake.message("ordinary chatter about nato and the cold war", chat_id=group, kind="group")
    fake.message("/quote nato cold war", chat_id=group, kind="group", user_id=8)
    sent = await fake.wait_for("sendMessage")
    assert len(sent) == 1 and "NATO" in sent[0]["text"] and sent[0]["chat_id"] == group
    assert sent[0]["reply_parameters"]["message_id"]
    # within the cool-down a second request is ignored, /help as much as /random
    fake.message("/random", chat_id=group, kind="group", user_id=9)
    fake.message("/help", chat_id=group, kind="group", user_id=9)
    fake.message("/help", chat_id=7)  # a private chat is not the group's cool-down
    await fake.wait_for("sendMessage", 1, chat_id=7)
    clock.advance(handlers.GROUP_COOLDOWN)
    fake.message("@quote_test_bot happiness health prosperity", chat_id=group, kind="group")
    mention = (await fake.wait_for("sendMessage", 2, chat_id=group))[1]
    assert "happiness, health, and prosperity" in mention["text"]
    assert len(fake.sent(chat_id=group)) == 2  # /random and /help in the cool-down got nothing
    clock.advance(handlers.GROUP_COOLDOWN)
    bot_message = {
        "message_id": 9,
        "date": 0,
        "chat": {"id": group, "type": "group", "title": "g"},
        "from": BOT_USER,
        "text": "q",
    }
    fake.message("lev tolstoy happiness", chat_id=group, kind="group", reply_to=bot_message)
    reply = (await fake.wait_for("sendMessage", 3, chat_id=group))[2]
    assert "Tolstoy" in reply["text"]


async def test_inline_mode_pages_and_random(fake: FakeBotApi, running):
    fake.inline("russia")
    answer = (await fake.wait_for("answerInlineQuery"))[0]
    results = answer["results"]
    assert 1 <= len(results) <= 10
    assert str(answer["next_offset"]) == "10"
    assert answer["cache_time"] == 300
    first = results[0]
    assert first["type"] == "article" and len(first["title"]) <= 100
    assert first["input_message_content"]["parse_mode"] == "HTML"
    fake.inline("russia", offset="10")
    page2 = (await fake.wait_for("answerInlineQuery", 2))[1]
    assert not {r["id"] for r in page2["results"]} & {r["id"] for r in results}
    fake.inline("")
    random_picks = (await fake.wait_for("answerInlineQuery", 3))[2]
    assert random_picks["results"] and random_picks["cache_time"] < 300
    fake.inline("relations with the unit")  # still typing "united"
    typing = (await fake.wait_for("answerInlineQuery", 4))[3]
    text = typing["results"][0]["input_message_content"]["message_text"]
    assert "the relations between Russia and the United States are at a fairly low level" in text


async def test_hostile_input_gets_calm_replies(fake: FakeBotApi, running):
    hostile = [
        "<b>bold</b> <script>alert(1)</script> & </blockquote>",
        'tragedy" OR "x NEAR(',
        "'; DROP TABLE turns; --",
        "🤡" * 2048,
        "   ",
    ]
    for i, text in enumerate(hostile, 1):
        fake.message(text)
        sent = (await fake.wait_for("sendMessage", i))[i - 1]
        assert len(sent["text"]) <= 4096
        assert "<script>" not in sent["text"] and "Traceback" not in sent["text"]
    fake.message("nagorno karabakh tragedy")
    assert "tragedy" in (await fake.wait_for("sendMessage", len(hostile) + 1))[-1]["text"]


async def test_errors_are_logged_and_user_told_briefly(
    fake: FakeBotApi, running, replier, monkeypatch, caplog
):
    def broken(text: str, chat_id: int = 0):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(replier, "search", broken)
    with caplog.at_level(logging.ERROR):
        fake.message("anything")
        sent = (await fake.wait_for("sendMessage"))[0]
    assert "something went wrong" in sent["text"] and "disk on fire" not in sent["text"]
    assert any("disk on fire" in str(r.exc_info) for r in caplog.records if r.exc_info)


def test_token_is_redacted_from_logs(caplog):
    token = "987654:SECRET-abc"
    record = logging.LogRecord(
        "httpx", logging.INFO, "", 0, "POST https://x/bot%s/getMe", (token,), None
    )
    RedactToken(token).filter(record)
    assert token not in record.getMessage() and "<token>" in record.getMessage()
    try:
        raise RuntimeError(f"The token `{token}` was rejected by the server.")
    except RuntimeError:
        failed = logging.LogRecord("telegram", logging.ERROR, "", 0, "aborting", (), sys.exc_info())
    RedactToken(token).filter(failed)
    printed = logging.Formatter().format(failed)
    assert "was rejected" in printed and token not in printed


def test_terminal_chat_answers_as_the_bot(replier: Replier):
    out = io.StringIO()
    chat(replier, io.StringIO("nagorno karabah tragdy\n1\n/about\n/nope\n"), out)
    text = out.getvalue()
    assert "It is a tragedy" in text and "— Vladimir Putin" in text
    assert "[1] The question" in text
    assert "Pavel Zarubin asked:" in text
    assert "76 quotable answers" in text and "Unknown command" in text
    assert "<b>" not in text


def test_terminal_chat_reads_a_command_as_telegram_does(replier: Replier):
    """In any case, and with a bot's name after it ("/About", "/ABOUT@quotebot")."""
    out = io.StringIO()
    chat(replier, io.StringIO("/About\n/ABOUT@quotebot\n"), out)
    assert out.getvalue().count("76 quotable answers") == 2
    assert "Unknown command" not in out.getvalue()


def test_terminal_chat_number_without_a_button_says_so(replier: Replier):
    out = io.StringIO()
    chat(replier, io.StringIO("7\nnagorno karabah tragdy\n9\n"), out)
    text = out.getvalue()
    assert "There is no button 7: the last answer has none." in text
    assert "There is no button 9: type 1 to " in text
    assert text.count("— Vladimir Putin") == 1  # neither number was searched


def test_group_text_meant_for_the_bot_is_told_apart():
    def message(text: str, replied_to: dict | None = None) -> Message:
        payload = {
            "message_id": 1,
            "date": 0,
            "chat": {"id": -5, "type": "group", "title": "g"},
            "text": text,
        }
        if "@" in text:
            start = text.index("@")
            length = len(text[start:].split()[0])
            payload["entities"] = [{"type": "mention", "offset": start, "length": length}]
        if replied_to:
            payload["reply_to_message"] = {
                "message_id": 0,
                "date": 0,
                "chat": payload["chat"],
                "from": replied_to,
                "text": "an earlier quote",
            }
        return Message.de_json(payload, None)

    name = BOT_USER["username"]
    assert (
        handlers._addressed_text(message(f"@{name} drug trafficking"), name) == "drug trafficking"
    )
    assert handlers._addressed_text(message(f"so @{name.upper()} nato"), name) == "so nato"
    assert handlers._addressed_text(message("more please", BOT_USER), name) == "more please"
    someone = {"id": 9, "is_bot": False, "first_name": "Bo", "username": "bo"}
    assert handlers._addressed_text(message("more please", someone), name) is None
    assert handlers._addressed_text(message("@someone_else nato"), name) is None
    assert handlers._addressed_text(message("just chatting about nato"), name) is None


async def test_a_flooded_group_costs_only_itself(fake: FakeBotApi, running):
    group = -300
    for i in range(120):  # every command under the cool-down, the ones without words too
        command = ("/help", "/about", "/start", "/quote", "/random")[i % 5]
        fake.message(command, chat_id=group, kind="group", user_id=8)
    fake.message("nagorno karabah is a tragdy", chat_id=51, user_id=51)
    private = await fake.wait_for("sendMessage", chat_id=51)
    assert "It is a tragedy" in private[0]["text"]
    fake.message("nato established during the cold war", chat_id=52, user_id=52)
    assert "NATO" in (await fake.wait_for("sendMessage", chat_id=52))[0]["text"]
    assert len(fake.sent(chat_id=group)) == 1  # one answer; the rest dropped, not queued


async def test_a_chat_telegram_is_slow_for_holds_few_update_slots(fake: FakeBotApi, running):
    slow, other = 61, 62
    fake.held.add(slow)
    for _ in range(handlers.MAX_PENDING_PER_CHAT * 10):  # more than the 64 update slots
        fake.message("/help", chat_id=slow, user_id=slow)
    fake.message("drug trafficking", chat_id=other, user_id=other)
    answer = (await fake.wait_for("sendMessage", chat_id=other))[0]
    assert answer["text"].startswith("<blockquote>")
    waiting = fake.sent(chat_id=slow)  # each recorded, none answered yet
    assert 1 <= len(waiting) <= handlers.MAX_PENDING_PER_CHAT
    fake.release()
    fake.message("/about", chat_id=other, user_id=other)
    await fake.wait_for("sendMessage", 2, chat_id=other)
    # the rest were dropped when they came, not queued behind the slow sends
    assert len(fake.sent(chat_id=slow)) <= handlers.MAX_PENDING_PER_CHAT


def test_admission_bounds_each_chat_on_its_own(clock: Clock):
    def update(chat_id: int, kind: str) -> Update:
        chat = {"id": chat_id, "type": kind, "title": "g", "first_name": "A"}
        payload = {"message_id": 1, "date": 0, "chat": chat, "text": "/help"}
        return Update.de_json({"update_id": 1, "message": payload}, None)

    class Context:
        def __init__(self) -> None:
            self.chat_data: dict = {}

    group, private = Context(), Context()
    first = handlers.admit(update(-1, "group"), group)
    assert first is not None and handlers.admit(update(-1, "group"), group) is None
    assert handlers.admit(update(5, "private"), private) is not None  # its own budget
    clock.advance(handlers.GROUP_COOLDOWN)
    with first:  # one in flight, the next admitted after the cool-down
        assert handlers.admit(update(-1, "group"), group) is not None
    tickets = [handlers.admit(update(5, "private"), private) for _ in range(20)]
    admitted = [t for t in tickets if t is not None]
    assert len(admitted) == min(handlers.PRIVATE_BURST, handlers.MAX_PENDING_PER_CHAT) - 1
    clock.advance(handlers.PRIVATE_INTERVAL * handlers.PRIVATE_BURST)
    assert handlers.admit(update(5, "private"), private) is None  # still too many in flight
    for ticket in admitted:
        with ticket:
            pass
    assert handlers.admit(update(5, "private"), private) is not None


async def test_edited_messages_get_no_second_answer(fake: FakeBotApi, running):
    asked = fake.message("nagorno karabah is a tragdy")
    await fake.wait_for("sendMessage")
    edited = fake.edit(asked, "nato established during the cold war")
    command = fake.message("/about")  # not /random: a random quote may name NATO
    fake.edit(command, "/help")
    fake.message("lev tolstoi said there is no hapiness in life")
    sent = await fake.wait_for("sendMessage", 3)
    # updates are handled concurrently: the replies may arrive in any order
    assert any("Lev Tolstoy" in m["text"] for m in sent[1:])
    assert not any("NATO" in m["text"] or "How to use me" in m["text"] for m in sent)
    assert not fake.sent("editMessageText")
    update = Update.de_json(edited, running.bot)
    assert not [h for h in running.handlers[0] if h.check_update(update)]


async def test_another_chat_cannot_page_through_a_search(fake: FakeBotApi, running):
    fake.message("drug trafficking")
    first = (await fake.wait_for("sendMessage"))[0]
    data = first["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert data.startswith("m:")
    elsewhere = {
        "message_id": 556,
        "date": 0,
        "chat": {"id": 8, "type": "private", "first_name": "Bo"},
        "from": BOT_USER,
        "text": "x",
    }
    fake.callback(data, elsewhere, user_id=8)  # button data forged in chat 8
    refused = (await fake.wait_for("sendMessage", chat_id=8))[0]
    assert refused["text"] == EXPIRED
    assert not fake.sent("editMessageText")
    own = {**elsewhere, "chat": {"id": 7, "type": "private", "first_name": "Ann"}}
    fake.callback(data, own)
    assert (await fake.wait_for("editMessageText"))[0]["chat_id"] == 7


async def test_hostile_numbers_get_calm_specific_replies(fake: FakeBotApi, running, caplog):
    bot_message = {
        "message_id": 557,
        "date": 0,
        "chat": {"id": 7, "type": "private", "first_name": "Ann"},
        "from": BOT_USER,
        "text": "x",
    }
    digits = "9" * 20  # beyond SQLite's 64-bit integers
    with caplog.at_level(logging.WARNING):
        fake.message(f"/start q{digits}")
        assert (await fake.wait_for("sendMessage", 1))[0]["text"] == BROKEN_LINK
        fake.message("/start q²")  # str.isdigit() says yes, int() says no
        assert (await fake.wait_for("sendMessage", 2))[1]["text"] == BROKEN_LINK
        fake.callback(f"q:{digits}", bot_message)
        assert (await fake.wait_for("sendMessage", 3))[2]["text"] == GONE
        fake.callback(f"a:{digits}", bot_message)
        assert (await fake.wait_for("sendMessage", 4))[3]["text"] == GONE
        fake.callback(f"m:{digits}:{digits}", bot_message)
        assert (await fake.wait_for("sendMessage", 5))[4]["text"] == EXPIRED
        fake.inline("russia", offset=digits)
        answer = (await fake.wait_for("answerInlineQuery"))[0]
        assert answer["results"] and str(answer["next_offset"]) == "10"  # starts over
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert all("something went wrong" not in m["text"] for m in fake.sent())


def test_base_url_with_or_without_bot_path():
    for given in ("http://127.0.0.1:8081", "http://127.0.0.1:8081/", "http://127.0.0.1:8081/bot/"):
        settings = Settings.from_env({"TELEGRAM_BASE_URL": given})
        assert settings.base_url == "http://127.0.0.1:8081"
    assert Settings.from_env({}).base_url is None


async def test_a_refused_token_is_never_printed(fake: FakeBotApi, seeded_db: Path, tmp_path):
    """Both commands that talk to Telegram: one against a server that rejects the token
    (401), one against a wrong base URL path (404, which PTB takes as a refusal too).
    Each prints a clear message and exits non-zero, the token nowhere."""
    cases = [
        ("run", "777777:WRONG-secret-Token_xyz", fake.base_url),
        ("post-daily", fake.token, fake.base_url + "/nowhere"),
    ]

    async def run(i: int, command: str, token: str, base: str) -> tuple[int, str]:
        folder = tmp_path / str(i)
        folder.mkdir()
        shutil.copy(seeded_db, folder / "quotes.db")
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("TELEGRAM_", "WEBHOOK_", "QUOTEBOT_"))
        }
        env.update(
            TELEGRAM_BOT_TOKEN=token,
            TELEGRAM_BASE_URL=base,
            QUOTEBOT_DB=str(folder / "quotes.db"),
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            command,
            cwd=ROOT,
            env=env,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(process.communicate(), 60)
        return process.returncode, out.decode() + err.decode()

    results = await asyncio.gather(*(run(i, *case) for i, case in enumerate(cases)))
    for (command, token, base), (code, output) in zip(cases, results, strict=True):
        assert code != 0, (command, base, output)
        assert token not in output, (command, base)
        assert "Telegram refused the bot token" in output, (command, base, output)
        assert "Traceback" not in output.split("Error: ")[-1]


async def test_cite_share_and_card_end_to_end(fake: FakeBotApi, running, replier: Replier):
    hit = replier.searcher.get(replier.searcher.answer_ids()[0])
    link = f"t.me/{BOT_USER['username']}?start=q{hit.id}"
    fake.message(f"/start q{hit.id}")
    sent = (await fake.wait_for("sendMessage"))[0]
    rows = sent["reply_markup"]["inline_keyboard"]
    by_text = {b["text"]: b for row in rows for b in row}
    assert [b["text"] for b in rows[-1]] == ["Cite", "Share", "Card"]  # one row
    cite = by_text["Cite"]["copy_text"]["text"]
    assert len(cite) <= 256 and cite.endswith(link) and hit.who in cite
    chosen = by_text["Share"]["switch_inline_query_chosen_chat"]
    assert chosen["query"] == f"q{hit.id}" and chosen["allow_group_chats"]
    assert len(by_text["Card"]["callback_data"].encode()) <= 64

    bot_message = {
        "message_id": 558,
        "date": 0,
        "chat": {"id": 7, "type": "private", "first_name": "Ann"},
        "from": BOT_USER,
        "text": "x",
    }
    fake.callback(by_text["Card"]["callback_data"], bot_message)
    photo = (await fake.wait_for("sendPhoto"))[0]
    assert photo["chat_id"] == 7 and photo["parse_mode"] == "HTML"
    assert photo["photo"].startswith(b"\x89PNG\r\n\x1a\n") and len(photo["photo"]) > 10_000
    assert f'<a href="https://{link}">{link}</a>' in photo["caption"]
    assert f"<b>{hit.who}</b>" in photo["caption"]
    under_card = [b["text"] for row in photo["reply_markup"]["inline_keyboard"] for b in row]
    assert under_card == ["Cite", "Share"]

    fake.inline(f"q{hit.id}")  # what Share opens in the chosen chat
    answer = (await fake.wait_for("answerInlineQuery"))[0]
    results = answer["results"]
    assert results[0]["id"] == str(hit.id) and results[0]["type"] == "article"
    assert all(r["id"].split(":")[0] == str(hit.id) for r in results)  # that quote only
    assert link in results[0]["input_message_content"]["message_text"]
    card = results[1]  # the card sent above, by its file id: no second upload
    assert card["type"] == "photo" and card["photo_file_id"].startswith("photo-")
    assert link in card["caption"] and card["parse_mode"] == "HTML"
    assert [r["id"] for r in results[2:]] == [f"{hit.id}:cite"]
    assert results[2]["input_message_content"]["message_text"].endswith(link)
    assert answer["cache_time"] < 300  # the card may come later: not cached for long


async def test_random_quotes_and_search_answers_can_be_cited_too(fake: FakeBotApi, running):
    fake.message("/random")
    fake.message("nato established during the cold war")
    for sent in await fake.wait_for("sendMessage", 2):
        buttons = [b for row in sent["reply_markup"]["inline_keyboard"] for b in row]
        kinds = {b["text"]: set(b) - {"text"} for b in buttons}
        assert kinds["Cite"] == {"copy_text"} and kinds["Share"] == {
            "switch_inline_query_chosen_chat"
        }
        assert kinds["Card"] == {"callback_data"}
    fake.inline("q1")  # no such quote: an ordinary search, no card
    answer = (await fake.wait_for("answerInlineQuery"))[0]
    assert all(r["type"] == "article" for r in answer["results"])
