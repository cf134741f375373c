"""One small callback per interaction; each asks the domain Replier what to say.

Searching is CPU and disk work: it runs in worker threads (``asyncio.to_thread``)
so the event loop keeps taking updates, and SQLite's reads overlap across cores.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from html import escape

from telegram import (
    CopyTextButton,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    SwitchInlineQueryChosenChat,
    Update,
)
from telegram.constants import ChatType
from telegram.error import BadRequest
from telegram.ext import ContextTypes

from ..replies import Button, Replier, Reply

log = logging.getLogger(__name__)

# -- admission: what one chat may cost -------------------------------------------------
# Every update that makes the bot send to a chat passes :func:`admit` first. A chat
# spends one token per answer from a small bucket that refills at a steady pace; with
# no token, or too many of its answers still in flight, the update is dropped quietly.
# Dropping costs nothing, so a flooded chat never holds the Application's concurrent
# update slots with sends waiting in the rate limiter: it costs only itself.
#
# Seconds between two answers in one group chat. Telegram allows 20 messages a minute
# in a group (AIORateLimiter waits out the rest, holding an update slot): one answer per
# 4 s stays under it, so a group's answers never queue.
GROUP_COOLDOWN = 4.0
# Answers a group may have before the cool-down applies: one, as the cool-down intends.
GROUP_BURST = 1
# Seconds between two answers in a private chat once its burst is spent: Telegram asks
# for about one message a second in one chat, with short bursts allowed.
PRIVATE_INTERVAL = 1.0
# Answers a private chat may have at once: a person typing several lines quickly is
# answered in full; a script gets its first ten, then one a second.
PRIVATE_BURST = 10
# Updates of one chat being handled at once, whatever the bucket says: when Telegram is
# slow for a chat (RetryAfter, network), its sends wait, each holding one of the 64
# update slots; one chat may hold at most this many, and its further updates are dropped.
MAX_PENDING_PER_CHAT = 8
# The clock admission reads (seconds, monotonic); tests move it instead of sleeping.
clock: Callable[[], float] = time.monotonic

_BUDGET = "admission"
Callback = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]


@dataclass
class _Budget:
    """One chat's admission state, kept in its chat_data."""

    tokens: float
    updated: float
    pending: int = 0


class Ticket:
    """An admitted update: holds one of its chat's in-flight places until closed."""

    def __init__(self, budget: _Budget | None) -> None:
        self._budget = budget

    def __enter__(self) -> Ticket:
        return self

    def __exit__(self, *_: object) -> None:
        if self._budget is not None:
            self._budget.pending -= 1
            self._budget = None


def _pace(chat_type: str) -> tuple[float, float]:
    """(burst, seconds per answer) for a kind of chat."""
    if chat_type == ChatType.PRIVATE:
        return PRIVATE_BURST, PRIVATE_INTERVAL
    return GROUP_BURST, GROUP_COOLDOWN


def admit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> Ticket | None:
    """A Ticket when the update's chat may be answered now, else None (drop it quietly).

    The one admission rule for every handler that answers in a chat; use it as
    ``with ticket:`` around the work, or decorate the handler with :func:`admitted`.
    Updates without a chat (inline queries) are not counted.
    """
    chat = update.effective_chat
    if chat is None or context.chat_data is None:
        return Ticket(None)
    burst, interval = _pace(chat.type)
    now = clock()
    budget = context.chat_data.get(_BUDGET)
    if budget is None:
        budget = context.chat_data[_BUDGET] = _Budget(tokens=burst, updated=now)
    elif interval <= 0:
        budget.tokens, budget.updated = burst, now
    else:
        budget.tokens = min(burst, budget.tokens + (now - budget.updated) / interval)
        budget.updated = now
    if budget.tokens < 1 or budget.pending >= MAX_PENDING_PER_CHAT:
        return None
    budget.tokens -= 1
    budget.pending += 1
    return Ticket(budget)


def admitted(callback: Callback) -> Callback:
    """Run ``callback`` only for updates :func:`admit` lets through."""

    @functools.wraps(callback)
    async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        ticket = admit(update, context)
        if ticket is None:
            return
        with ticket:
            await callback(update, context)

    return guarded


def replier(context: ContextTypes.DEFAULT_TYPE) -> Replier:
    return context.bot_data["replier"]


def _button(button: Button) -> InlineKeyboardButton:
    if button.copy_text is not None:
        return InlineKeyboardButton(button.text, copy_text=CopyTextButton(button.copy_text))
    if button.share_query is not None:
        chosen = SwitchInlineQueryChosenChat(
            query=button.share_query,
            allow_user_chats=True,
            allow_bot_chats=True,
            allow_group_chats=True,
            allow_channel_chats=True,
        )
        return InlineKeyboardButton(button.text, switch_inline_query_chosen_chat=chosen)
    return InlineKeyboardButton(button.text, callback_data=button.data)


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    rows: list[list[InlineKeyboardButton]] = []
    for b in reply.buttons:
        if b.same_row and rows:
            rows[-1].append(_button(b))
        else:
            rows.append([_button(b)])
    return InlineKeyboardMarkup(rows)


# Card pictures' Telegram file ids remembered (answer id -> the latest card's file id),
# so inline mode can offer a card that was sent once; an entry is about 100 bytes.
REMEMBERED_CARDS = 5000
_CARDS = "card_files"


def card_file(context: ContextTypes.DEFAULT_TYPE, answer_id: int) -> str | None:
    """The file id of the card of ``answer_id``, when the bot has sent it before."""
    return context.bot_data.get(_CARDS, {}).get(answer_id)


def _remember_card(context: ContextTypes.DEFAULT_TYPE, answer_id: int, sent: Message) -> None:
    if not sent.photo:
        return
    cards: dict[int, str] = context.bot_data.setdefault(_CARDS, {})
    cards.pop(answer_id, None)
    cards[answer_id] = sent.photo[-1].file_id  # the largest size
    while len(cards) > REMEMBERED_CARDS:
        cards.pop(next(iter(cards)))


async def send(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply) -> Message | None:
    """Send a reply (and its follow-up messages) to the chat of ``update``: a photo
    with its caption when the reply is a card."""
    chat = update.effective_chat
    if chat is None:
        return None
    message = update.effective_message
    in_group = chat.type != ChatType.PRIVATE
    reply_to = message.message_id if (in_group and message) else None
    if reply.photo is not None:
        sent = await context.bot.send_photo(
            chat.id,
            reply.photo.png,
            caption=reply.html,
            reply_markup=keyboard(reply),
            reply_to_message_id=reply_to,
        )
        _remember_card(context, reply.photo.answer_id, sent)
    else:
        sent = await context.bot.send_message(
            chat.id, reply.html, reply_markup=keyboard(reply), reply_to_message_id=reply_to
        )
    for extra in reply.extra:
        await context.bot.send_message(chat.id, extra)
    return sent


def _chat_id(update: Update) -> int:
    return update.effective_chat.id if update.effective_chat else 0


@admitted
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    payload = context.args[0] if context.args else ""
    await send(update, context, await asyncio.to_thread(replier(context).start, payload))


@admitted
async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, context, replier(context).help(context.bot.username))


@admitted
async def about(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(update, context, await asyncio.to_thread(replier(context).about))


@admitted
async def random_quote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    who = " ".join(context.args or [])
    await send(update, context, await asyncio.to_thread(replier(context).random, who))


@admitted
async def quote(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    words = " ".join(context.args or [])
    if not words:
        await send(
            update,
            context,
            Reply("Tell me what to look for: <code>/quote words you remember</code>"),
        )
        return
    reply = await asyncio.to_thread(replier(context).search, words, _chat_id(update))
    await send(update, context, reply)


@admitted
async def verify_line(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    reply = await asyncio.to_thread(replier(context).check, " ".join(context.args or []))
    await send(update, context, reply)


@admitted
async def private_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    text = update.effective_message.text if update.effective_message else ""
    reply = await asyncio.to_thread(replier(context).search, text or "", _chat_id(update))
    await send(update, context, reply)


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
    if text is None:  # chatter not meant for the bot costs the group nothing
        return
    ticket = admit(update, context)
    if ticket is None:
        return
    with ticket:
        reply = await asyncio.to_thread(replier(context).search, text, _chat_id(update))
        await send(update, context, reply)


@admitted
async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    reply, in_place = await asyncio.to_thread(
        replier(context).button, query.data or "", _chat_id(update)
    )
    await show_button_reply(update, context, reply, in_place)


async def say(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    """Plain text (escaped here) to the chat of ``update``."""
    await send(update, context, Reply(escape(text, quote=False)))


async def show_button_reply(
    update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply | None, in_place: bool
) -> None:
    """A button's reply: the message it sits under, edited in place, or a new one."""
    query = update.callback_query
    if reply is None:
        return
    if in_place and query is not None and query.message is not None:
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
