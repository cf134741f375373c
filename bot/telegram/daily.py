"""Daily quote posts in Telegram: /daily, the scheduled job, and delivery's failure modes.

The rules live in :class:`bot.daily.Dailies`; this module translates updates into its
calls (in worker threads: they write SQLite) and its results into messages and jobs.
The JobQueue does not persist jobs, so every subscription is re-created at start-up
under a stable name (one job per chat). ``post-daily`` and the job share
:func:`deliver`; alerts send through its :func:`send_with_care` too.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from telegram import Bot, ChatMember, ChatMemberUpdated, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes, JobQueue

from ..daily import NOT_ADMIN, Dailies, DailyError, Subscription, job_name
from ..replies import Reply
from . import handlers
from .handlers import keyboard, say

log = logging.getLogger(__name__)
RETRIES = 3
# Longest wait (seconds) for one RetryAfter before trying again.
MAX_RETRY_WAIT = 60
ADMINS = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)
# BadRequest messages that mean the chat no longer exists for the bot.
CHAT_GONE = ("chat not found", "chat_id is empty", "group chat was deactivated")


def dailies(context: ContextTypes.DEFAULT_TYPE) -> Dailies:
    return context.bot_data["dailies"]


def schedule(job_queue: JobQueue, sub: Subscription) -> None:
    """(Re)create the chat's job; never two jobs for one chat."""
    for job in job_queue.get_jobs_by_name(sub.job_name):
        job.schedule_removal()
    job_queue.run_daily(post_job, time=sub.local_time(), name=sub.job_name, chat_id=sub.chat_id)


def unschedule(job_queue: JobQueue | None, chat_id: int) -> None:
    if job_queue is None:
        return
    for job in job_queue.get_jobs_by_name(job_name(chat_id)):
        job.schedule_removal()


async def restore(app: Application) -> int:
    """Put every stored subscription back into the JobQueue (at start-up)."""
    subs = await asyncio.to_thread(app.bot_data["dailies"].subscriptions)
    for sub in subs:
        schedule(app.job_queue, sub)
    return len(subs)


async def send_with_care(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    *,
    gone: Callable[[int], Awaitable[None]],
    moved: Callable[[int, int], Awaitable[None]],
    what: str = "post",
) -> tuple[str, int]:
    """Send one unprompted message (a daily quote, an alert) through delivery's failure
    modes: ("sent" | "dropped" | "failed", the chat id it went to).

    Forbidden or a chat that no longer exists calls ``gone`` (its subscriptions end);
    ChatMigrated calls ``moved`` and sends to the new chat id; RetryAfter and network
    errors are retried; any other refusal is "failed".
    """
    target = chat_id
    for attempt in range(RETRIES + 1):
        try:
            await bot.send_message(target, reply.html, reply_markup=keyboard(reply))
        except (Forbidden, BadRequest) as exc:
            if isinstance(exc, BadRequest) and not any(m in str(exc).lower() for m in CHAT_GONE):
                log.warning("%s to %s refused: %s", what, target, exc)
                return "failed", target
            await gone(target)
            return "dropped", target
        except ChatMigrated as exc:
            await moved(target, exc.new_chat_id)
            target = exc.new_chat_id
            continue
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
            await asyncio.sleep(min(seconds, MAX_RETRY_WAIT))
            continue
        except (TimedOut, NetworkError) as exc:
            log.warning("%s to %s failed (attempt %s): %s", what, target, attempt + 1, exc)
            await asyncio.sleep(min(2**attempt, 30) * 0.1)
            continue
        return "sent", target
    return "failed", target


async def deliver(
    bot: Bot, service: Dailies, chat_id: int, job_queue: JobQueue | None = None
) -> str:
    """Post today's quote to one chat: "sent", "dropped" (chat gone), "failed" or "empty".

    Forbidden or a chat that no longer exists ends the subscription; ChatMigrated
    moves it to the new chat id and posts there; RetryAfter and network errors are
    retried; the quote is marked seen only once it has arrived.
    """
    post = await asyncio.to_thread(service.prepare, chat_id)
    if post is None:
        return "empty"

    async def gone(target: int) -> None:
        log.info("chat %s blocked, removed or gone: subscription ended", target)
        await asyncio.to_thread(service.ended, target)
        unschedule(job_queue, target)

    async def moved(old_id: int, new_id: int) -> None:
        log.info("chat %s moved to %s: subscription follows", old_id, new_id)
        sub = await asyncio.to_thread(service.moved, old_id, new_id)
        if job_queue is not None:
            unschedule(job_queue, old_id)
            if sub:
                schedule(job_queue, sub)

    status, target = await send_with_care(
        bot, chat_id, post.reply, gone=gone, moved=moved, what="daily post"
    )
    if status == "sent":
        await asyncio.to_thread(service.delivered, target, post)
    return status


async def post_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    await deliver(context.bot, dailies(context), context.job.chat_id, context.job_queue)


async def may_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    chat = update.effective_chat
    user = update.effective_user
    if chat.type == ChatType.PRIVATE:
        return True
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in ADMINS


@handlers.admitted
async def daily_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/daily shows the setting; /daily HH:MM [Area/City] subscribes; /daily off ends it.

    Under the per-chat admission rule like every command: a group could flood it."""
    chat = update.effective_chat
    service = dailies(context)
    args = context.args or []
    if not args:
        text = await asyncio.to_thread(service.show, chat.id)
        await say(update, context, text)
        return
    try:
        request = service.parse(args)
    except DailyError as exc:
        await say(update, context, str(exc))
        return
    if not await may_change(update, context):
        await say(update, context, NOT_ADMIN)
        return
    change = await asyncio.to_thread(service.change, chat.id, request)
    if change.subscription is None:
        unschedule(context.job_queue, chat.id)
    else:
        schedule(context.job_queue, change.subscription)
    await say(update, context, change.text)


async def membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Removed from a group (or blocked in private): the subscription ends."""
    change: ChatMemberUpdated = update.my_chat_member
    if change.new_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED):
        if await asyncio.to_thread(dailies(context).ended, change.chat.id):
            log.info("removed from chat %s: subscription ended", change.chat.id)
        unschedule(context.job_queue, change.chat.id)


async def post_now(app: Application, chat_id: int | None = None) -> dict[int, str]:
    """Post the daily quote now to every subscribed chat (or one): ``post-daily``."""
    service: Dailies = app.bot_data["dailies"]
    if chat_id is not None:
        chats = [chat_id]
    else:
        chats = [s.chat_id for s in await asyncio.to_thread(service.subscriptions)]
    results = {}
    async with app:
        for chat in chats:
            results[chat] = await deliver(app.bot, service, chat)
    return results
