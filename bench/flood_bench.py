"""A flooded group must cost only itself: private answers with and without a flood.

The real Application (AIORateLimiter, 64 concurrent updates, the update queue as
polling feeds it) with an HTTP layer that answers at once. A steady stream of private
queries from many users runs twice in one process: alone, then with a flood of
commands in one group put into the queue at once just before it. Without per-chat
admission the flood's replies wait in the rate limiter (about 20 messages a minute per
group), each holding one of the 64 update slots, and private answers wait a minute
and more; with it, the group gets its one answer and the private stream keeps its
latency. The check: private p95 under the flood within 2x of the p95 without it.

Usage: python -m bench.flood_bench [--db PATH] [--flood N] [--rate R] [--seconds S] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from telegram import Update
from telegram.ext import Application, TypeHandler

from bench.bot_bench import InstantRequest
from bench.common import ROOT, median, percentile
from bot import store
from bot.config import Settings
from bot.ingest import ingest
from bot.replies import Replier
from bot.telegram.app import build_application

# Commands in the flood, all in one group, all at once (the reported freeze used 120).
FLOOD = 150
# Private queries a second in the steady stream, and for how long (seconds): 100 queries,
# enough for a p95, well under Telegram's 30 messages a second for the whole bot.
RATE = 20.0
SECONDS = 5.0
# Users the private stream comes from, in turn: each asks well under once a second, as
# people do, so only the flood meets the per-chat limits.
USERS = 50
# Private p95 under the flood may be at most this many times the p95 without it.
ALLOWED_RATIO = 2.0
# Seconds to wait for a phase's private answers before calling it stuck.
STUCK_SECONDS = 300.0
GROUP_ID = -1001
QUERIES = [
    "nagorno karabah is a tragdy",
    "nato established during the cold war",
    "lev tolstoi said there is no hapiness in life",
    "drug trafficking",
    "i didnt get to see new yrok at all",
    "relations between russia and the united states",
    "happiness health prosperity",
    "its my birthday not a natonal holiday",
]


class CountingRequest(InstantRequest):
    """Answers at once, and counts the messages sent to each chat."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: Counter[int] = Counter()

    async def do_request(self, url, method, request_data=None, **kwargs):
        if url.endswith("/sendMessage") and request_data is not None:
            self.sent[int(request_data.parameters.get("chat_id", 0))] += 1
        return await super().do_request(url, method, request_data, **kwargs)


def _message(update_id: int, chat: dict[str, Any], user_id: int, text: str) -> dict[str, Any]:
    entities = []
    if text.startswith("/"):
        entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": chat,
            "from": {"id": user_id, "is_bot": False, "first_name": "U"},
            "text": text,
            "entities": entities,
        },
    }


class Stream:
    """Puts updates into the running Application's queue and times the private ones."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.ids = iter(range(1, 10**9))
        self.arrived: dict[int, float] = {}
        self.finished: dict[int, float] = {}
        self.all_done = asyncio.Event()
        self.waiting: set[int] = set()
        app.add_handler(TypeHandler(Update, self._done), group=1)  # after the bot's handler

    async def _done(self, update: Update, context: Any) -> None:
        if update.update_id in self.waiting:
            self.finished[update.update_id] = time.perf_counter()
            self.waiting.discard(update.update_id)
            if not self.waiting:
                self.all_done.set()

    async def put(self, payload: dict[str, Any], timed: bool) -> None:
        update = Update.de_json(payload, self.app.bot)
        if timed:
            self.arrived[update.update_id] = time.perf_counter()
            self.waiting.add(update.update_id)
            self.all_done.clear()
        await self.app.update_queue.put(update)

    async def flood(self, count: int) -> None:
        group = {"id": GROUP_ID, "type": "supergroup", "title": "flooded"}
        for i in range(count):
            await self.put(_message(next(self.ids), group, 9000 + i % 7, "/help"), timed=False)

    async def private(self, rate: float, seconds: float) -> list[float]:
        """A steady stream of private queries; milliseconds from arrival to done each."""
        ids = []
        began = time.perf_counter()
        for i in range(int(rate * seconds)):
            await asyncio.sleep(max(0.0, began + i / rate - time.perf_counter()))
            user = 100 + i % USERS
            update_id = next(self.ids)
            chat = {"id": user, "type": "private", "first_name": "U"}
            await self.put(_message(update_id, chat, user, QUERIES[i % len(QUERIES)]), True)
            ids.append(update_id)
        await asyncio.wait_for(self.all_done.wait(), STUCK_SECONDS)
        return [1000 * (self.finished[u] - self.arrived[u]) for u in ids]


def _seed_db(scratch: Path) -> Path:
    path = scratch / "quotes.db"
    db = store.open_db(path)
    ingest(db, [ROOT / "data" / "transcripts"])
    db.close()
    return path


async def run(db_path: Path, flood: int, rate: float, seconds: float) -> dict[str, Any]:
    request = CountingRequest()
    replier = Replier.from_db(store.open_db(db_path))
    app = build_application(Settings(token="1:bench"), replier, request=request)
    errors = 0

    async def count_error(update: object, context: Any) -> None:
        nonlocal errors
        errors += 1

    app.add_error_handler(count_error)
    async with app:
        stream = Stream(app)
        await app.start()
        await stream.private(rate, 1.0)  # warm-up: threads, caches
        quiet = await stream.private(rate, seconds)
        began = time.perf_counter()
        await stream.flood(flood)
        flooded = await stream.private(rate, seconds)
        flood_seconds = time.perf_counter() - began
        await app.stop()
    p95_quiet, p95_flooded = percentile(quiet, 95), percentile(flooded, 95)
    return {
        "flood_commands": flood,
        "group_answers": request.sent[GROUP_ID],
        "private_queries_each_phase": len(quiet),
        "without_flood_ms": {"p50": median(quiet), "p95": p95_quiet},
        "with_flood_ms": {"p50": median(flooded), "p95": p95_flooded},
        "flood_phase_seconds": flood_seconds,
        "p95_ratio": p95_flooded / p95_quiet if p95_quiet else float("inf"),
        "allowed_ratio": ALLOWED_RATIO,
        "ok": p95_flooded <= ALLOWED_RATIO * p95_quiet and errors == 0,
        "errors": errors,
    }


def _table(result: dict[str, Any]) -> str:
    quiet, flooded = result["without_flood_ms"], result["with_flood_ms"]
    lines = [
        f"private queries: {result['private_queries_each_phase']} a phase at a steady rate;"
        f" flood: {result['flood_commands']} /help in one group at once"
        f" ({result['group_answers']} answered, the rest dropped)",
        "",
        "| private queries | p50 | p95 |",
        "|---|---|---|",
        f"| without the flood | {quiet['p50']:.1f} ms | {quiet['p95']:.1f} ms |",
        f"| with the flood | {flooded['p50']:.1f} ms | {flooded['p95']:.1f} ms |",
        "",
        f"p95 with / without: {result['p95_ratio']:.2f} (allowed {result['allowed_ratio']:.0f}x);"
        f" errors: {result['errors']}; {'OK' if result['ok'] else 'FAILED'}",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, help="corpus (default: built from data/transcripts)")
    parser.add_argument("--flood", type=int, default=FLOOD, help="commands in the flood")
    parser.add_argument("--rate", type=float, default=RATE, help="private queries a second")
    parser.add_argument("--seconds", type=float, default=SECONDS, help="length of each phase")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = args.db or _seed_db(Path(tmp))
        result = asyncio.run(run(db_path, args.flood, args.rate, args.seconds))
    print(json.dumps(result, indent=2) if args.json else _table(result))
    raise SystemExit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
