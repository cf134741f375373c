"""``quotebot chat``: a terminal conversation that answers exactly as the bot would."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from html import escape
from pathlib import Path
from typing import TextIO

from .daily import Dailies, DailyError
from .follows import FollowError, Follows
from .render import plain_text
from .replies import Button, Replier, Reply, parse_id
from .timeline import CALLBACK as TIMELINE_BUTTON
from .timeline import Timelines

INTRO = (
    "quotebot chat: type words you remember and press Enter. /help lists commands;\n"
    "a number picks a button under the last answer; /quit or Ctrl-D leaves."
)
# The terminal's chat id in the chat state file: Telegram gives no chat the id 0, so a
# subscription made here is never taken for a real chat's (the bot drops it unsent).
TERMINAL_CHAT_ID = 0
# A number up to this picks a button (the most an answer has is a handful); a longer
# one ("2021") is searched for.
MAX_BUTTON_NUMBER = 99


def _save_card(png: bytes, answer_id: int) -> Path:
    """A card picture written to a temporary file: a terminal cannot show pictures."""
    with tempfile.NamedTemporaryFile(
        prefix=f"quotebot-card-{answer_id}-", suffix=".png", delete=False
    ) as file:
        file.write(png)
    return Path(file.name)


def _no_button(number: int, buttons: int) -> Reply:
    """What a number that picks no button gets: which numbers do."""
    if not buttons:
        return Reply(f"There is no button {number}: the last answer has none.")
    choices = "1" if buttons == 1 else f"1 to {buttons}"
    return Reply(f"There is no button {number}: type {choices} to pick one.")


def _press(replier: Replier, button: Button) -> Reply | None:
    """What pressing ``button`` shows in a terminal: the text a copy button would put
    on the clipboard, where a share button would go, or the bot's reply."""
    if button.copy_text is not None:
        return Reply(f"Citation (Telegram copies it to the clipboard):\n{button.copy_text}")
    if button.share_query is not None:
        return Reply(
            "In Telegram this picks a chat and offers the quote there "
            f"(inline query: {button.share_query})."
        )
    reply, _ = replier.button(button.data)
    return reply


def _show(reply: Reply, out: TextIO) -> list[Button]:
    if reply.photo is not None:
        path = _save_card(reply.photo.png, reply.photo.answer_id)
        out.write(f"Card picture written to {path}\n")
    out.write((reply.text or plain_text(reply.html)) + "\n")
    for extra in reply.extra:
        out.write(plain_text(extra) + "\n")
    for i, button in enumerate(reply.buttons, 1):
        out.write(f"  [{i}] {button.text}\n")
    out.write("\n")
    out.flush()
    return list(reply.buttons)


def daily(dailies: Dailies | None, arg: str) -> Reply:
    """/daily as the bot answers it in a private chat (show, subscribe, off); the
    terminal only keeps the setting, it posts nothing."""
    if dailies is None:
        return Reply("Daily quotes are not available here.")
    args = arg.split()
    try:
        if not args:
            text = dailies.show(TERMINAL_CHAT_ID)
        else:
            text = dailies.change(TERMINAL_CHAT_ID, dailies.parse(args)).text
    except DailyError as exc:
        text = str(exc)
    return Reply(escape(text, quote=False))


def follow(follows: Follows | None, arg: str, stop: bool = False) -> Reply:
    """/follow (list, subscribe) and /unfollow as the bot answers them in a private
    chat; the terminal keeps the follows, alerts go to Telegram chats only."""
    if follows is None:
        return Reply("Follows are not available here.")
    if stop:
        text = (
            follows.unfollow(TERMINAL_CHAT_ID, arg)
            if arg.strip()
            else follows.listing(TERMINAL_CHAT_ID)
        )
    elif not arg.strip():
        text = follows.listing(TERMINAL_CHAT_ID)
    else:
        try:
            text = follows.follow(TERMINAL_CHAT_ID, follows.parse(arg))
        except FollowError as exc:
            text = str(exc)
    return Reply(escape(text, quote=False))


def chat(
    replier: Replier,
    lines: TextIO,
    out: TextIO,
    prompt: Callable[[], None] | None = None,
    dailies: Dailies | None = None,
    follows: Follows | None = None,
    timelines: Timelines | None = None,
) -> None:
    """Read lines, reply to each, until end of input or /quit. Follows share the daily
    service's chat state file unless given."""
    out.write(INTRO + "\n\n")
    timelines = timelines or Timelines(replier.searcher)
    if follows is None and dailies is not None:
        follows = Follows(dailies.state, replier.searcher)
    buttons: list[Button] = []
    commands = {
        "/help": lambda _: replier.help(),
        "/about": lambda _: replier.about(),
        "/random": lambda arg: replier.random(arg),
        "/start": lambda arg: replier.start(arg),
        "/quote": lambda arg: replier.search(arg),
        "/verify": lambda arg: replier.check(arg),
        "/daily": lambda arg: daily(dailies, arg),
        "/timeline": lambda arg: timelines.reply(arg, TERMINAL_CHAT_ID),
        "/follow": lambda arg: follow(follows, arg),
        "/unfollow": lambda arg: follow(follows, arg, stop=True),
    }
    while True:
        if prompt:
            prompt()
        line = lines.readline()
        if not line or line.strip() in ("/quit", "/exit"):
            return
        text = line.strip()
        pressed = parse_id(text)
        if pressed is not None and 1 <= pressed <= len(buttons):
            button = buttons[pressed - 1]
            if button.data.startswith(f"{TIMELINE_BUTTON}:"):
                reply, _ = timelines.button(button.data, TERMINAL_CHAT_ID)
            else:
                reply = _press(replier, button)
            if reply is None:
                continue
            if not button.data or not reply.buttons:
                # copy and share leave the answer and its buttons as they are, and so
                # does a reply of no buttons of its own (the question, the full answer):
                # in Telegram it is a new message, and the answer keeps its buttons
                _show(reply, out)
                if buttons:
                    out.write(
                        f"(the buttons 1 to {len(buttons)} still work)\n\n"
                        if len(buttons) > 1
                        else "(the button 1 still works)\n\n"
                    )
                continue
        elif pressed is not None and pressed <= MAX_BUTTON_NUMBER:
            _show(_no_button(pressed, len(buttons)), out)
            continue
        elif text.startswith("/"):
            name, _, arg = text.partition(" ")
            # as Telegram reads a command: in any case, "@bot" after it
            handler = commands.get(name.split("@")[0].lower())
            reply = handler(arg) if handler else Reply("Unknown command. /help lists them.")
        else:
            request = timelines.recognise(text)
            if request is not None:
                reply = timelines.first_page(request, TERMINAL_CHAT_ID)
            else:
                reply = replier.search(text)
        buttons = _show(reply, out)
