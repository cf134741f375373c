"""Daily quote posts: /daily, the scheduled job, and delivery with its failure modes.

The JobQueue does not persist jobs, so every subscription is re-created at start-up
under a stable name (one job per chat). ``post-daily`` and the job share
:func:`deliver`.
"""

from __future__ import annotations

import asyncio
import logging
from html import escape

from telegram import Bot, ChatMember, ChatMemberUpdated, Update
from telegram.constants import ChatType
from telegram.error import ChatMigrated, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, ContextTypes, JobQueue

from .. import daily
from ..replies import Replier, Reply
from .handlers import keyboard, replier, send

log = logging.getLogger(__name__)
RETRIES = 3
ADMINS = (ChatMember.ADMINISTRATOR, ChatMember.OWNER)


def schedule(job_queue: JobQueue, sub: daily.Subscription) -> None:
    """(Re)create the chat's job; never two jobs for one chat."""
    for job in job_queue.get_jobs_by_name(sub.job_name):
        job.schedule_removal()
    job_queue.run_daily(post_job, time=sub.local_time(), name=sub.job_name, chat_id=sub.chat_id)


def unschedule(job_queue: JobQueue, chat_id: int) -> None:
    for job in job_queue.get_jobs_by_name(daily.job_name(chat_id)):
        job.schedule_removal()


def restore(app: Application) -> int:
    """Put every stored subscription back into the JobQueue (at start-up)."""
    db = app.bot_data["replier"].searcher.db
    subs = daily.all_subscriptions(db)
    for sub in subs:
        schedule(app.job_queue, sub)
    return len(subs)


async def deliver(
    bot: Bot, quotes: Replier, chat_id: int, job_queue: JobQueue | None = None
) -> str:
    """Post today's quote to one chat: "sent", "dropped" (chat gone), "failed" or "empty".

    Forbidden ends the subscription; ChatMigrated moves it to the new chat id and posts
    there; RetryAfter and network errors are retried; the quote is marked seen only
    once it has arrived.
    """
    db = quotes.searcher.db
    answer_id = daily.next_answer(db, chat_id, reads_well=quotes.searcher.reads_well())
    if answer_id is None:
        return "empty"
    reply = quotes.quote(answer_id)
    target = chat_id
    for attempt in range(RETRIES + 1):
        try:
            await bot.send_message(target, reply.html, reply_markup=keyboard(reply))
        except Forbidden:
            log.info("chat %s blocked or removed the bot: subscription ended", target)
            daily.unsubscribe(db, target)
            if job_queue is not None:
                unschedule(job_queue, target)
            return "dropped"
        except ChatMigrated as exc:
            new_id = exc.new_chat_id
            log.info("chat %s moved to %s: subscription follows", target, new_id)
            sub = daily.move_chat(db, target, new_id)
            if job_queue is not None:
                unschedule(job_queue, target)
                if sub:
                    schedule(job_queue, sub)
            target = new_id
            continue
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if hasattr(wait, "total_seconds") else float(wait)
            await asyncio.sleep(min(seconds, 60))
            continue
        except (TimedOut, NetworkError) as exc:
            log.warning("daily post to %s failed (attempt %s): %s", target, attempt + 1, exc)
            await asyncio.sleep(min(2**attempt, 30) * 0.1)
            continue
        daily.mark_seen(db, target, answer_id)
        return "sent"
    return "failed"


async def post_job(context: ContextTypes.DEFAULT_TYPE) -> None:
    job = context.job
    await deliver(context.bot, replier(context), job.chat_id, context.job_queue)


async def _may_change(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    chat = update.effective_chat
    user = update.effective_user
    if chat.type == ChatType.PRIVATE:
        return True
    if user is None:
        return False
    member = await context.bot.get_chat_member(chat.id, user.id)
    return member.status in ADMINS


async def daily_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/daily shows the setting; /daily HH:MM [Area/City] subscribes; /daily off ends it."""
    chat = update.effective_chat
    db = replier(context).searcher.db
    args = context.args or []
    if not args:
        await send(update, context, Reply(escape(daily.describe(daily.get(db, chat.id)))))
        return
    default_tz = context.bot_data.get("timezone", "UTC")
    try:
        request = daily.parse_request(args, default_tz)
    except daily.DailyError as exc:
        await send(update, context, Reply(escape(str(exc))))
        return
    if not await _may_change(update, context):
        await send(
            update,
            context,
            Reply(
                "Sorry, only the group's administrators can change the daily quote. Anyone may look with /daily."
            ),
        )
        return
    if request is None:
        had = daily.unsubscribe(db, chat.id)
        unschedule(context.job_queue, chat.id)
        text = "Daily quotes stopped." if had else "There was no daily quote here to stop."
        await send(update, context, Reply(text))
        return
    sub = daily.subscribe(db, chat.id, *request)
    schedule(context.job_queue, sub)
    await send(update, context, Reply(escape(daily.describe(sub))))


async def membership(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Removed from a group (or blocked in private): the subscription ends."""
    change: ChatMemberUpdated = update.my_chat_member
    if change.new_chat_member.status in (ChatMember.LEFT, ChatMember.BANNED):
        db = replier(context).searcher.db
        if daily.unsubscribe(db, change.chat.id):
            log.info("removed from chat %s: subscription ended", change.chat.id)
        unschedule(context.job_queue, change.chat.id)


async def post_now(app: Application, chat_id: int | None = None) -> dict[int, str]:
    """Post the daily quote now to every subscribed chat (or one): ``post-daily``."""
    db = app.bot_data["replier"].searcher.db
    chats = [chat_id] if chat_id is not None else [s.chat_id for s in daily.all_subscriptions(db)]
    results = {}
    async with app:
        for chat in chats:
            results[chat] = await deliver(app.bot, app.bot_data["replier"], chat)
    return results
