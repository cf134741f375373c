"""Wiring: the Application, its handlers and its lifecycle, in one place."""

from __future__ import annotations

import asyncio
import logging
import secrets
from typing import Any
from zoneinfo import ZoneInfo

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from ..config import Settings, api_root
from ..daily import Dailies
from ..follows import Follows
from ..replies import COMMANDS, Replier
from ..timeline import Timelines
from . import daily, follows, handlers, inline, timeline

log = logging.getLogger(__name__)
# How often the bot looks for transcripts ingested while it runs.
REFRESH_SECONDS = 60
# Updates handled at once: searches wait on worker threads, not on each other.
CONCURRENT_UPDATES = 64


class RedactToken(logging.Filter):
    """Replaces the bot token wherever it appears in a log record."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "<token>")
                record.args = None
            # exceptions carry the token too (PTB's InvalidToken names it): format the
            # traceback here, redacted, so the handler prints this text instead
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = record.exc_text.replace(self.token, "<token>")
            if record.stack_info:
                record.stack_info = record.stack_info.replace(self.token, "<token>")
        return True


def configure_logging(token: str | None, level: int = logging.INFO) -> None:
    """Logs to stderr, httpx request lines (which hold the token) kept out."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=level)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    if token:
        for handler in logging.getLogger().handlers:
            handler.addFilter(RedactToken(token))


async def _post_init(app: Application) -> None:
    await app.bot.set_my_commands([BotCommand(name, text) for name, text in COMMANDS])
    replier: Replier = app.bot_data["replier"]
    replier.bot_name = app.bot.first_name or replier.bot_name
    replier.bot_username = app.bot.username  # deep links back to a quote use it
    restored = await daily.restore(app)
    log.info("restored %s daily subscription(s)", restored)
    if app.job_queue is not None:
        app.job_queue.run_repeating(
            _refresh, interval=REFRESH_SECONDS, first=REFRESH_SECONDS, name="refresh"
        )


async def _refresh(context: ContextTypes.DEFAULT_TYPE) -> None:
    """Pick up transcripts ingested while the bot runs (new words, new statistics), then
    post the alerts their answers raise (a round costs one read when nothing is new)."""
    replier: Replier = context.bot_data["replier"]
    if await asyncio.to_thread(replier.searcher.refresh):
        log.info("the corpus changed: search reloaded its vocabulary")
    await follows.post_alerts(context.bot, context.bot_data["follows"])


def build_application(
    settings: Settings,
    replier: Replier,
    request: BaseRequest | None = None,
    rate_limited: bool = True,
    dailies: Dailies | None = None,
    timelines: Timelines | None = None,
    follow_service: Follows | None = None,
) -> Application:
    """The configured Application; nothing touches the network until it starts.

    ``request`` replaces the HTTP layer, and ``rate_limited=False`` drops Telegram's
    30 messages a second pacing: benchmarks use both to time the bot alone.
    ``dailies`` defaults to the service over the configured chat state file;
    ``timelines`` to one over the replier's searcher; ``follow_service`` to one over
    the same chat state file as ``dailies``.
    """
    if not settings.token:
        raise ValueError("a Telegram bot token is needed (TELEGRAM_BOT_TOKEN)")
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .defaults(
            Defaults(
                parse_mode=ParseMode.HTML,
                link_preview_options=LinkPreviewOptions(is_disabled=True),
                tzinfo=ZoneInfo(settings.timezone),
            )
        )
        .post_init(_post_init)
        .concurrent_updates(CONCURRENT_UPDATES)
    )
    if rate_limited:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=3))
    if request is not None:
        builder = builder.request(request).get_updates_request(request)
    base = api_root(settings.base_url)
    if base:
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    app = builder.build()
    app.bot_data["replier"] = replier
    app.bot_data["dailies"] = dailies or Dailies.open(
        replier, settings.state_path, settings.timezone
    )
    app.bot_data["timelines"] = timelines or Timelines(replier.searcher)
    app.bot_data["follows"] = follow_service or Follows(
        app.bot_data["dailies"].state, replier.searcher
    )
    add_handlers(app)
    return app


def add_handlers(app: Application) -> None:
    """Every handler, each for new messages only: an edited message is not answered
    again (a second reply per edit would let anyone flood a chat by editing, and the
    first answer stays right for what was asked)."""
    new = filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("start", handlers.start, new))
    app.add_handler(CommandHandler("help", handlers.help_command, new))
    app.add_handler(CommandHandler("about", handlers.about, new))
    app.add_handler(CommandHandler("random", handlers.random_quote, new))
    app.add_handler(CommandHandler("quote", handlers.quote, new))
    app.add_handler(CommandHandler("verify", handlers.verify_line, new))
    app.add_handler(CommandHandler("daily", daily.daily_command, new))
    app.add_handler(CommandHandler("timeline", timeline.timeline_command, new))
    app.add_handler(CommandHandler("follow", follows.follow_command, new))
    app.add_handler(CommandHandler("unfollow", follows.unfollow_command, new))
    # a second group: daily's membership handler in the first ends the subscription
    app.add_handler(ChatMemberHandler(follows.membership, ChatMemberHandler.MY_CHAT_MEMBER), 1)
    app.add_handler(ChatMemberHandler(daily.membership, ChatMemberHandler.MY_CHAT_MEMBER))
    app.add_handler(
        MessageHandler(
            new
            & filters.TEXT
            & ~filters.COMMAND
            & filters.ChatType.PRIVATE
            & timeline.AsksForTimeline(app.bot_data["timelines"]),
            timeline.timeline_text,
        )
    )
    app.add_handler(
        MessageHandler(
            new & filters.TEXT & ~filters.COMMAND & filters.ChatType.PRIVATE,
            handlers.private_text,
        )
    )
    app.add_handler(
        MessageHandler(
            new & filters.TEXT & ~filters.COMMAND & filters.ChatType.GROUPS, handlers.group_text
        )
    )
    app.add_handler(CallbackQueryHandler(timeline.timeline_button, pattern=timeline.PATTERN))
    app.add_handler(CallbackQueryHandler(handlers.button))
    app.add_handler(InlineQueryHandler(inline.inline_query))
    app.add_error_handler(handlers.on_error)


WEBHOOK_PATH = "telegram"


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Where the webhook listens and what Telegram is told, with a secret token always:
    requests without it are refused, so nobody else can post updates to the bot."""
    if not settings.webhook_url:
        raise ValueError("a webhook needs a public URL (WEBHOOK_URL)")
    return {
        "listen": "0.0.0.0",
        "port": settings.port,
        "url_path": WEBHOOK_PATH,
        "webhook_url": f"{settings.webhook_url.rstrip('/')}/{WEBHOOK_PATH}",
        "secret_token": settings.webhook_secret or secrets.token_urlsafe(32),
        "allowed_updates": Update.ALL_TYPES,
    }


def run(settings: Settings, replier: Replier) -> None:
    """Run until stopped: long polling, or a webhook when WEBHOOK_URL is set."""
    app = build_application(settings, replier)
    if settings.webhook_url:
        log.info("starting webhook on port %s", settings.port)
        app.run_webhook(**webhook_options(settings))
    else:
        log.info("starting long polling")
        app.run_polling(allowed_updates=Update.ALL_TYPES)
