"""Timelines in Telegram: /timeline, plain text that asks for one, and its page buttons.

The rules live in :class:`bot.timeline.Timelines`; this module only translates.
Building a timeline searches SQLite, so it runs in a worker thread. Recognising a
timeline in plain text reads only what search holds in memory (the people it knows),
so it is a message filter: text that is not a timeline goes on to ordinary search.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Message, Update
from telegram.ext import ContextTypes, filters

from ..timeline import CALLBACK, Timelines
from .handlers import admitted, send, show_button_reply

log = logging.getLogger(__name__)
PATTERN = rf"^{CALLBACK}:"


def timelines(context: ContextTypes.DEFAULT_TYPE) -> Timelines:
    return context.bot_data["timelines"]


class AsksForTimeline(filters.MessageFilter):
    """Text such as "putin on nato over the years" (a person the corpus knows, a topic
    and a timeline phrase)."""

    def __init__(self, service: Timelines) -> None:
        super().__init__(name="AsksForTimeline")
        self.service = service

    def filter(self, message: Message) -> bool:
        return bool(message.text) and self.service.recognise(message.text) is not None


def _chat_id(update: Update) -> int:
    return update.effective_chat.id if update.effective_chat else 0


@admitted
async def timeline_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/timeline person topic [from:YYYY] [to:YYYY-MM]: the first page."""
    text = " ".join(context.args or [])
    reply = await asyncio.to_thread(timelines(context).reply, text, _chat_id(update))
    await send(update, context, reply)


@admitted
async def timeline_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Plain text that :class:`AsksForTimeline` recognised."""
    service = timelines(context)
    text = update.effective_message.text if update.effective_message else ""
    request = service.recognise(text or "")
    if request is None:  # the corpus changed between the filter and here
        reply = await asyncio.to_thread(context.bot_data["replier"].search, text, _chat_id(update))
    else:
        reply = await asyncio.to_thread(service.first_page, request, _chat_id(update))
    await send(update, context, reply)


@admitted
async def timeline_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A page button: the page replaces the one shown."""
    query = update.callback_query
    await query.answer()
    reply, in_place = await asyncio.to_thread(
        timelines(context).button, query.data or "", _chat_id(update)
    )
    await show_button_reply(update, context, reply, in_place)
