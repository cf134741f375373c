"""Inline mode: ``@bot words`` in any chat offers quotes to send.

What to offer is the Replier's business; this only makes its results Telegram articles.
"""

from __future__ import annotations

import asyncio

from telegram import InlineQueryResultArticle, InputTextMessageContent, Update
from telegram.ext import ContextTypes

from ..replies import InlineResult
from .handlers import replier

# Seconds Telegram may serve the same answer again for the same query: search results
# change only when the corpus does.
CACHE_SECONDS = 300
# Random picks for an empty query are meant to change: a short cache only.
RANDOM_CACHE_SECONDS = 30


def _article(result: InlineResult) -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result.id,
        title=result.title,
        description=result.description,
        input_message_content=InputTextMessageContent(result.html),
    )


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer one inline query with a page of results (searching in a worker thread)."""
    query = update.inline_query
    if query is None:
        return
    page = await asyncio.to_thread(replier(context).inline, query.query, query.offset or "")
    await query.answer(
        [_article(r) for r in page.results],
        next_offset=page.next_offset,
        cache_time=RANDOM_CACHE_SECONDS if page.random else CACHE_SECONDS,
    )
