"""One small callback per interaction; each asks the domain Replier what to say.

Searching is CPU and disk work: it runs in worker threads (``asyncio.to_thread``)
so the event loop keeps taking updates, and SQLite's reads overlap across cores.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from ..replies import Replier, Reply

log = logging.getLogger(__name__)
# Seconds between two answers in one group chat.
GROUP_COOLDOWN = 4.0


def replier(context: ContextTypes.DEFAULT_TYPE) -> Replier:
    return context.bot_data["replier"]


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.text, callback_data=b.data)] for b in reply.buttons]
    )


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> Message | None:
    """Send a reply (and its follow-up messages) to the chat of ``update``."""
    chat = update.effective_chat
    if chat is None:
        return None
    message = update.effective_message
    in_group = chat.type != ChatType.PRIVATE
    sent = await context.bot.send_message(
        chat.id,
        reply.html,
        reply_markup=keyboard(reply),
        reply_to_message_id=message.message_id if (in_group and message) else None,
    )
    for extra in reply.extra:
        await context.bot.send_message(chat.id, extra)
    return sent


def _cooling_down(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """True when a group asked too soon after the last answer (flood guard)."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return False
    now = time.monotonic()
    last = context.chat_data.get("last_answer", 0.0) if context.chat_data is not None else 0.0
    if now - last < GROUP_COOLDOWN:
        return True
    if context.chat_data is not None:
        context.chat_data["last_answer"] = now
    return False


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = context.args[0] if context.args else ""
    await send(update, context, await asyncio.to_thread(replier(context).start, payload))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, context, replier(context).help(context.bot.username))


async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, context, await asyncio.to_thread(replier(context).about))


async def random_quote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if _cooling_down(update, context):
        return
    await send(update, context, await asyncio.to_thread(replier(context).random))


async def quote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    words = " ".join(context.args or [])
    if not words:
        await send(
            update,
            context,
            Reply("Tell me what to look for: <code>/quote words you remember</code>"),
        )
        return
    if _cooling_down(update, context):
        return
    await send(update, context, await asyncio.to_thread(replier(context).search, words))


async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = update.effective_message.text if update.effective_message else ""
    await send(update, context, await asyncio.to_thread(replier(context).search, text or ""))


def _addressed_text(message: Message, username: str) -> str | None:
    """The text of a group message meant for the bot, its mention removed; else None."""
    text = message.text or ""
    replied = message.reply_to_message
    if replied and replied.from_user and replied.from_user.username == username:
        return text
    mentions = message.parse_entities([MessageEntity.MENTION])
    if any(value.lstrip("@").lower() == username.lower() for value in mentions.values()):
        return " ".join(re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.I).split())
    return None


async def group_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None:
        return
    text = _addressed_text(message, context.bot.username)
    if text is None or _cooling_down(update, context):
        return
    await send(update, context, await asyncio.to_thread(replier(context).search, text))


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    reply, in_place = await asyncio.to_thread(replier(context).button, query.data or "")
    if reply is None:
        return
    if in_place and query.message is not None:
        try:
            await query.edit_message_text(reply.html, reply_markup=keyboard(reply))
        except BadRequest as exc:  # "message is not modified" after a double tap
            log.info("edit skipped: %s", exc)
        return
    await send(update, context, reply)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the problem; tell the user briefly; never show a traceback in a chat."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        try:
            await context.bot.send_message(
                update.effective_chat.id,
                "Sorry, something went wrong on my side. Please try again.",
            )
        except Exception:  # the chat may be gone; the log already has the story
            log.warning("could not tell the user about the error")
