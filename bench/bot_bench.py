"""The bot's own time per update, Telegram's network excluded, with all three corpora.

Updates (private messages, commands, group mentions, inline queries) go through the
real Application; its HTTP layer is replaced by one that answers at once and the
30 messages/s pacing of AIORateLimiter is left out, so what is timed is quotebot.
Baseline in the same run: the same updates through an Application whose only handler
replies "ok" (python-telegram-bot's own overhead).
Then load through the update queue, as polling feeds it: 200 updates at once, and a
steady 200 updates a second for 5 seconds (handled concurrently; if quotebot could not
keep up, the time from arrival to done would grow through the run).
Usage: python -m bench.bot_bench [--corpus-db PATH] [--updates N] [--rate R] [--seconds S]
       [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, MessageHandler, TypeHandler, filters
from telegram.request import BaseRequest, RequestData

from bench.common import corpus_db, median, percentile
from bench.querysets import misremembered
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


async def timed(app: Application, raw: list[dict]) -> list[float]:
    """Milliseconds per update, one update at a time."""
    times = []
    for payload in raw:
        update = Update.de_json(payload, app.bot)
        started = time.perf_counter()
        await app.process_update(update)
        times.append(1000 * (time.perf_counter() - started))
    return times


async def through_queue(app: Application, raw: list[dict], rate: float | None) -> Load:
    """Feed updates to the running Application's queue, as polling does.

    ``rate`` updates a second (None: all at once); returns when every update has been
    handled, with each update's time from arrival to done.
    """
    arrived: dict[int, float] = {}
    finished: dict[int, float] = {}
    all_done = asyncio.Event()

    async def mark_done(update: Update, context) -> None:
        finished[update.update_id] = time.perf_counter()
        if len(finished) == len(raw):
            all_done.set()

    marker = TypeHandler(Update, mark_done)
    app.add_handler(marker, group=1)  # runs after quotebot's own handler for the update
    await app.start()
    began = time.perf_counter()
    for i, payload in enumerate(raw):
        if rate:
            await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
        update = Update.de_json(payload, app.bot)
        arrived[update.update_id] = time.perf_counter()
        await app.update_queue.put(update)
    offered = time.perf_counter() - began
    await asyncio.wait_for(all_done.wait(), timeout=300)
    seconds = time.perf_counter() - began
    await app.stop()
    app.remove_handler(marker, group=1)
    latency = [1000 * (finished[u] - arrived[u]) for u in arrived]
    return Load(len(raw), offered, seconds, latency)


def timing(ms: list[float], digits: int = 2) -> dict[str, float]:
    return {"p50_ms": round(median(ms), digits), "p95_ms": round(percentile(ms, 95), digits)}


@dataclass
class Load:
    updates: int
    offered_seconds: float
    seconds: float
    latency_ms: list[float]

    def figures(self) -> dict[str, float | int]:
        return {
            "updates": self.updates,
            "offered_seconds": round(self.offered_seconds, 2),
            "seconds": round(self.seconds, 2),
            **timing(self.latency_ms, 0),
        }

    def line(self) -> str:
        return (
            f"{self.updates} updates offered in {self.offered_seconds:.2f} s, all handled in"
            f" {self.seconds:.2f} s ({self.updates / self.seconds:.0f} updates/s); time from"
            f" arrival to done: p50 {median(self.latency_ms):.0f} ms,"
            f" p95 {percentile(self.latency_ms, 95):.0f} ms"
        )


async def run(db_path: Path, n: int, rate: float, seconds: float, as_json: bool = False) -> None:
    db = store.open_db(db_path)
    queries = [q.query for q in misremembered(db, 200, seed=5)]
    rng = random.Random(1)
    raw = updates(queries, n, rng)
    # every update is answered, as in a busy deployment of many chats: the per-chat limits
    # (bench/flood_bench.py measures those) would drop the bench's repeat askers
    handlers.GROUP_COOLDOWN = 0.0
    handlers.PRIVATE_INTERVAL = 0.0
    settings = Settings(token="1:bench")
    replier = Replier.from_db(db)
    app = build_application(settings, replier, request=InstantRequest(), rate_limited=False)
    paced = build_application(settings, replier, request=InstantRequest())
    baseline = (
        ApplicationBuilder()
        .token("1:bench")
        .request(InstantRequest())
        .get_updates_request(InstantRequest())
        .build()
    )
    errors = 0

    async def count_error(update, context):
        nonlocal errors
        errors += 1

    app.add_error_handler(count_error)
    paced.add_error_handler(count_error)

    async def ok(update, context):
        await context.bot.send_message(update.effective_chat.id, "ok")

    baseline.add_handler(MessageHandler(filters.ALL, ok))
    async with app, baseline, paced:
        warm = [q.query for q in misremembered(db, 100, seed=6)]
        await timed(app, updates(warm, 100, random.Random(2)))  # warm-up on other queries
        ours = await timed(app, raw)
        base = await timed(baseline, [r for r in raw if "message" in r])
        burst = await through_queue(app, updates(queries, 200, rng), rate=None)
        steady = await through_queue(app, updates(queries, int(rate * seconds), rng), rate=rate)
        paced_burst = await through_queue(paced, updates(queries, 200, rng), rate=None)
    answers = db.execute("SELECT COUNT(*) FROM answers_fts_docsize").fetchone()[0]
    if as_json:
        result = {
            "updates": len(raw),
            "answers": answers,
            "quotebot": timing(ours),
            "baseline_ok_handler": timing(base),
            "all_at_once": burst.figures(),
            "steady": {"rate_per_second": rate, **steady.figures()},
            "all_at_once_rate_limited": paced_burst.figures(),
            "errors": errors,
        }
        print(json.dumps(result))
        return
    print(f"{len(raw)} updates, one at a time (answers in database: {answers})")
    print(
        f"  quotebot                         p50 {median(ours):6.2f} ms  p95 {percentile(ours, 95):6.2f} ms"
    )
    print(
        f"  baseline: handler that says ok   p50 {median(base):6.2f} ms  p95 {percentile(base, 95):6.2f} ms"
    )
    print(f"all at once: {burst.line()}")
    print(f"steady {rate:.0f} a second for {seconds:.0f} s: {steady.line()}")
    print(f"all at once through AIORateLimiter (30 messages/s pacing): {paced_burst.line()}")
    print(f"errors: {errors}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--corpus-db", type=Path)
    parser.add_argument("--updates", type=int, default=500)
    parser.add_argument("--rate", type=float, default=200, help="updates a second, steady")
    parser.add_argument("--seconds", type=float, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = corpus_db(args.corpus_db, Path(tmp))
        asyncio.run(run(path, args.updates, args.rate, args.seconds, args.json))


if __name__ == "__main__":
    main()
