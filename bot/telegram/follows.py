"""Follows in Telegram: /follow, /unfollow, and posting alerts after each corpus change.

The rules live in :class:`bot.follows.Follows`; this module translates updates into
its calls (in worker threads: they read and write SQLite) and sends its alerts
through :func:`bot.telegram.daily.send_with_care`, the daily post's delivery path.
The running bot's refresh job and ``post-alerts`` share :func:`post_alerts`.
"""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, ChatMember, ChatMemberUpdated, Update
from telegram.ext import Application, ContextTypes

from ..follows import NOT_ADMIN, FollowError, Follows
from .daily import may_change, send_with_care
from .handlers import admitted, say

log = logging.getLogger(__name__)


def follows(context: ContextTypes.DEFAULT_TYPE) -> Follows:
    return context.bot_data["follows"]


@admitted
async def follow_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/follow lists; /follow person [topic] subscribes (administrators only in groups)."""
    chat = update.effective_chat
    service = follows(context)
    text = " ".join(context.args or [])
    if not text.strip():
        listing = await asyncio.to_thread(service.listing, chat.id)
        await say(update, context, listing)
        return
    try:
        request = service.parse(text)
    except FollowError as exc:
        await say(update, context, str(exc))
        return
    if not await may_change(update, context):
        await say(update, context, NOT_ADMIN)
        return
    answer = await asyncio.to_thread(service.follow, chat.id, request)
    await say(update, context, answer)


@admitted
async def unfollow_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/unfollow n or /unfollow person [topic] (administrators only in groups)."""
    chat = update.effective_chat
    service = follows(context)
    text = " ".join(context.args or [])
    if not text.strip():
        listing = await asyncio.to_thread(service.listing, chat.id)
        await say(update, context, "Which one? " + listing)
        return
    if not await may_change(update, context):
        await say(update, context, NOT_ADMIN)
        return
    answer = await asyncio.to_thread(service.unfollow, chat.id, text)
    await say(update, context, answer)


async def membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Removed from a group (or blocked in private): the chat's follows end."""
    change: ChatMemberUpdated = update.my_chat_member
    if change.new_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED):
        ended = await asyncio.to_thread(follows(context).ended, change.chat.id)
        if ended:
            log.info("removed from chat %s: %s follow(s) ended", change.chat.id, ended)


async def post_alerts(bot: Bot, service: Follows) -> dict[str, int]:
    """Match what the corpus added against every follow and send each chat its alerts,
    once: how many alerts were "sent", "dropped" (chat gone) and "failed".

    Quotes are recorded as sent before sending (so two processes never both send
    one) and released again when the message does not arrive; a source whose alert
    failed is matched again next round.
    """
    done = await asyncio.to_thread(service.round)
    counts = {"sent": 0, "dropped": 0, "failed": 0}
    gone_chats: set[int] = set()
    retry: set[str] = set()
    for alert in done.alerts:
        if alert.chat_id in gone_chats:
            continue
        claimed = await asyncio.to_thread(service.claim, alert)
        if claimed is None:
            continue

        async def gone(target: int) -> None:
            ended = await asyncio.to_thread(service.ended, target)
            log.info("chat %s blocked, removed or gone: %s follow(s) ended", target, ended)
            gone_chats.add(target)

        async def moved(old_id: int, new_id: int) -> None:
            log.info("chat %s moved to %s: its follows move too", old_id, new_id)
            await asyncio.to_thread(service.moved, old_id, new_id)

        status, target = await send_with_care(
            bot, alert.chat_id, claimed.reply(), gone=gone, moved=moved, what="alert"
        )
        counts[status] += 1
        if status == "failed":
            await asyncio.to_thread(service.release, claimed, target)
            retry.add(alert.source["sha256"])
    await asyncio.to_thread(service.finish, done, retry)
    if done.alerts:
        log.info("alerts: %s", counts)
    return counts


async def alerts_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await post_alerts(context.bot, follows(context))


async def post_now(app: Application) -> dict[str, int]:
    """One round of alerts, then stop: ``post-alerts``."""
    async with app:
        return await post_alerts(app.bot, app.bot_data["follows"])
