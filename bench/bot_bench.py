"""The bot's own time per update, Telegram's network excluded, with all three corpora.

Updates (private messages, commands, group mentions, inline queries) go through the
real Application; its HTTP layer is replaced by one that answers at once and the
30 messages/s pacing of AIORateLimiter is left out, so what is timed is quotebot. Then 200 updates are handled concurrently.
Baseline in the same run: the same updates through an Application whose only handler
replies "ok" (python-telegram-bot's own overhead).
Usage: python bench/bot_bench.py [--corpus-db PATH] [--updates N]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, MessageHandler, filters
from telegram.request import BaseRequest, RequestData

from bench.common import corpus_db, median, percentile
from bench.search_quality import misremembered
from bot import store
from bot.config import Settings
from bot.replies import Replier
from bot.telegram import handlers
from bot.telegram.app import build_application

BOT = {"id": 1, "is_bot": True, "first_name": "Q", "username": "quote_bench_bot"}


class InstantRequest(BaseRequest):
    """Answers every Bot API call at once, like a Telegram with no network."""

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None: ...

    async def shutdown(self) -> None: ...

    async def do_request(self, url, method, request_data: RequestData | None = None, **_):
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if name == "getMe":
            result = BOT
        elif name in ("sendMessage", "editMessageText"):
            result = {
                "message_id": 1,
                "date": 0,
                "chat": {"id": int(params.get("chat_id", 1)), "type": "private"},
                "text": "x",
            }
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()


def updates(queries: list[str], n: int, rng: random.Random) -> list[dict]:
    out = []
    for i in range(n):
        q = rng.choice(queries)
        user = {"id": 10 + i % 50, "is_bot": False, "first_name": "U"}
        kind = i % 5
        if kind == 3:
            out.append(
                {
                    "update_id": i,
                    "inline_query": {"id": str(i), "from": user, "query": q, "offset": ""},
                }
            )
            continue
        chat = (
            {"id": 10 + i % 50, "type": "private"}
            if kind != 2
            else {"id": -1000 - i, "type": "group", "title": "g"}
        )
        text = {0: q, 1: f"/quote {q}", 2: f"@quote_bench_bot {q}", 4: "/random"}[kind]
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        if kind == 2:
            entities.append({"type": "mention", "offset": 0, "length": 16})
        message = {
            "message_id": i,
            "date": 0,
            "chat": chat,
            "from": user,
            "text": text,
            "entities": entities,
        }
        out.append({"update_id": i, "message": message})
    return out


async def timed(app: Application, raw: list[dict]) -> tuple[list[float], int]:
    errors = 0

    async def count_error(update, context):
        nonlocal errors
        errors += 1

    app.add_error_handler(count_error)
    times = []
    for payload in raw:
        update = Update.de_json(payload, app.bot)
        started = time.perf_counter()
        await app.process_update(update)
        times.append(1000 * (time.perf_counter() - started))
    return times, errors


async def concurrent(app: Application, raw: list[dict]) -> tuple[float, int]:
    started = time.perf_counter()
    results = await asyncio.gather(
        *(app.process_update(Update.de_json(p, app.bot)) for p in raw), return_exceptions=True
    )
    return time.perf_counter() - started, sum(isinstance(r, Exception) for r in results)


async def run(db_path: Path, n: int) -> None:
    db = store.open_db(db_path)
    queries = [q for _, q, _, _ in misremembered(db, 200, seed=5)]
    rng = random.Random(1)
    raw = updates(queries, n, rng)
    handlers.GROUP_COOLDOWN = 0.0  # every group update is answered, as in a busy deployment
    settings = Settings(token="1:bench")
    app = build_application(
        settings, Replier.from_db(db), request=InstantRequest(), rate_limited=False
    )
    paced = build_application(settings, Replier.from_db(db), request=InstantRequest())
    baseline = (
        ApplicationBuilder()
        .token("1:bench")
        .request(InstantRequest())
        .get_updates_request(InstantRequest())
        .build()
    )

    async def ok(update, context):
        await context.bot.send_message(update.effective_chat.id, "ok")

    baseline.add_handler(MessageHandler(filters.ALL, ok))
    async with app, baseline, paced:
        warm = [q for _, q, _, _ in misremembered(db, 100, seed=6)]
        await timed(app, updates(warm, 100, random.Random(2)))  # warm-up on other queries
        ours, errors = await timed(app, raw)
        base, _ = await timed(baseline, [r for r in raw if "message" in r])
        burst = updates(queries, 200, rng)
        seconds, failed = await concurrent(app, burst)
        paced_seconds, paced_failed = await concurrent(paced, burst)
    print(
        f"{len(raw)} updates, one at a time (answers in database: {db.execute('SELECT COUNT(*) FROM answers_fts_docsize').fetchone()[0]})"
    )
    print(
        f"  quotebot                         p50 {median(ours):6.2f} ms  p95 {percentile(ours, 95):6.2f} ms  errors {errors}"
    )
    print(
        f"  baseline: handler that says ok   p50 {median(base):6.2f} ms  p95 {percentile(base, 95):6.2f} ms"
    )
    print(f"200 updates at once: {seconds:.2f} s ({200 / seconds:.0f} updates/s), {failed} failed")
    print(
        f"the same through AIORateLimiter (Telegram's 30 messages/s pacing): {paced_seconds:.2f} s,"
        f" {paced_failed} failed"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path)
    parser.add_argument("--updates", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = corpus_db(args.corpus_db, Path(tmp))
        asyncio.run(run(path, args.updates))


if __name__ == "__main__":
    main()
