"""Inline mode: ``@bot words`` in any chat offers quotes to send."""

from __future__ import annotations

import asyncio

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from ..render import hit_html, source_line
from ..search import Hit
from .handlers import replier

PAGE = 10
MAX_RESULTS = 50
CACHE_SECONDS = 300
RANDOM_CACHE_SECONDS = 30


def _article(hit: Hit) -> InlineQueryResultArticle:
    title = hit.quote if len(hit.quote) <= 100 else hit.quote[:99].rsplit(" ", 1)[0] + "…"
    return InlineQueryResultArticle(
        id=str(hit.id),
        title=title,
        description=f"{hit.speaker}, {source_line(hit)}",
        input_message_content=InputTextMessageContent(hit_html(hit)),
    )


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.inline_query
    searcher = replier(context).searcher
    text = query.query.strip()
    if not text:
        drawn = await asyncio.to_thread(lambda: [searcher.random() for _ in range(PAGE)])
        picks = {h.id: h for h in drawn if h}
        await query.answer([_article(h) for h in picks.values()], cache_time=RANDOM_CACHE_SECONDS)
        return
    try:
        offset = max(0, int(query.offset or 0))
    except ValueError:
        offset = 0
    # the query arrives as it is typed: its last word may be unfinished
    limit = min(MAX_RESULTS, offset + PAGE + 1)
    hits = await asyncio.to_thread(searcher.search, query.query, limit, True)
    page = hits[offset : offset + PAGE]
    more = len(hits) > offset + PAGE and offset + PAGE < MAX_RESULTS
    await query.answer(
        [_article(h) for h in page],
        next_offset=str(offset + PAGE) if more else "",
        cache_time=CACHE_SECONDS,
    )
