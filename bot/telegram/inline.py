"""Inline mode: ``@bot words`` in any chat offers quotes to send.

What to offer is the Replier's business; this only makes its results Telegram articles.
"""

from __future__ import annotations

import asyncio

from telegram import (
    InlineQueryResult,
    InlineQueryResultArticle,
    InlineQueryResultCachedPhoto,
    InputTextMessageContent,
    Update,
)
from telegram.ext import ContextTypes

from ..replies import InlinePage, InlineResult
from .handlers import card_file, replier

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


def _results(page: InlinePage, context: ContextTypes.DEFAULT_TYPE) -> list[InlineQueryResult]:
    """The page's articles; for one quote by id (the Share button), its card as well,
    second, once the bot has sent that card somewhere and so holds its file id."""
    results: list[InlineQueryResult] = [_article(r) for r in page.results]
    photo = card_file(context, page.linked) if page.linked is not None else None
    if photo is not None:
        card = InlineQueryResultCachedPhoto(
            id=f"{page.linked}:card", photo_file_id=photo, caption=page.caption
        )
        results.insert(1, card)
    return results


async def inline_query(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer one inline query with a page of results (searching in a worker thread)."""
    query = update.inline_query
    if query is None:
        return
    page = await asyncio.to_thread(replier(context).inline, query.query, query.offset or "")
    # one quote's answer may gain its card at any moment: cached briefly, like random picks
    brief = page.random or page.linked is not None
    await query.answer(
        _results(page, context),
        next_offset=page.next_offset,
        cache_time=RANDOM_CACHE_SECONDS if brief else CACHE_SECONDS,
    )
