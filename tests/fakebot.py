"""A fake Telegram Bot API server on 127.0.0.1 that speaks the real JSON.

The real python-telegram-bot Application talks to it over HTTP through
``base_url``. Tests push updates (served by long-polling ``getUpdates``) and read
back every call the bot made (uploads, such as sendPhoto's, as their bytes). Methods
it does not implement get Telegram's 400.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from typing import Any

from aiohttp import web

BOT_USER = {
    "id": 4242,
    "is_bot": True,
    "first_name": "Quote Bot",
    "username": "quote_test_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": True,
}
# Seconds a getUpdates with nothing to give waits for an update before answering empty,
# whatever timeout the bot asked for: stopping the Updater waits for the poll in flight,
# so a real long poll would add its whole timeout to every test.
MAX_POLL_WAIT = 0.05


class FakeBotApi:
    def __init__(self, token: str = "123456:TEST-token-abcdef") -> None:
        self.token = token
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.updates: list[dict[str, Any]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(100)
        self._new_update = asyncio.Event()
        self._new_call = asyncio.Event()
        self.admins: set[tuple[int, int]] = set()  # (chat_id, user_id)
        self.blocked: set[int] = set()  # chats where sendMessage is Forbidden
        self.migrated: dict[int, int] = {}  # old chat id -> new supergroup id
        self.missing: set[int] = set()  # chats Telegram no longer knows ("chat not found")
        # chats whose sendMessage is recorded at once but answered only on release():
        # a Telegram that is slow for one chat
        self.held: set[int] = set()
        self._released = asyncio.Event()
        self.runner: web.AppRunner | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        self.release()  # a held request would keep the server from shutting down
        if self.runner:
            await self.runner.cleanup()

    # -- what tests push --------------------------------------------------------
    def _push(self, payload: dict[str, Any]) -> dict[str, Any]:
        update = {"update_id": next(self._update_ids), **payload}
        self.updates.append(update)
        self._new_update.set()
        return update

    @staticmethod
    def user(user_id: int = 7, name: str = "Ann") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": name, "username": name.lower()}

    @staticmethod
    def chat(chat_id: int, kind: str = "private") -> dict[str, Any]:
        chat = {"id": chat_id, "type": kind}
        chat.update({"title": "Test group"} if kind != "private" else {"first_name": "Ann"})
        return chat

    def message(
        self,
        text: str,
        chat_id: int = 7,
        kind: str = "private",
        user_id: int = 7,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id, kind),
            "from": self.user(user_id),
            "text": text,
        }
        entities = []
        if text.startswith("/"):
            entities.append({"type": "bot_command", "offset": 0, "length": len(text.split()[0])})
        mention = f"@{BOT_USER['username']}"
        if mention in text:
            entities.append(
                {"type": "mention", "offset": text.index(mention), "length": len(mention)}
            )
        if entities:
            message["entities"] = entities
        if reply_to:
            message["reply_to_message"] = reply_to
        return self._push({"message": message})

    def edit(self, sent: dict[str, Any], text: str) -> dict[str, Any]:
        """The user edits a message pushed earlier (``sent`` is what message() returned)."""
        message = {**sent["message"], "text": text, "edit_date": int(time.time())}
        message.pop("entities", None)
        return self._push({"edited_message": message})

    def callback(self, data: str, message: dict[str, Any], user_id: int = 7) -> dict[str, Any]:
        return self._push(
            {
                "callback_query": {
                    "id": str(next(self._message_ids)),
                    "from": self.user(user_id),
                    "chat_instance": "ci",
                    "message": message,
                    "data": data,
                }
            }
        )

    def inline(self, query: str, offset: str = "", user_id: int = 7) -> dict[str, Any]:
        return self._push(
            {
                "inline_query": {
                    "id": str(next(self._message_ids)),
                    "from": self.user(user_id),
                    "query": query,
                    "offset": offset,
                }
            }
        )

    def my_chat_member(self, chat_id: int, status: str, kind: str = "group") -> dict[str, Any]:
        def member(s: str) -> dict[str, Any]:
            return {"status": s, "user": BOT_USER, **({"until_date": 0} if s == "kicked" else {})}

        return self._push(
            {
                "my_chat_member": {
                    "chat": self.chat(chat_id, kind),
                    "from": self.user(),
                    "date": int(time.time()),
                    "old_chat_member": member("member"),
                    "new_chat_member": member(status),
                }
            }
        )

    def release(self) -> None:
        """Answer every held sendMessage (and those that arrive later)."""
        self._released.set()

    # -- what tests read --------------------------------------------------------
    def sent(self, method: str = "sendMessage", chat_id: int | None = None) -> list[dict[str, Any]]:
        """The bot's calls of ``method`` (to ``chat_id`` only, when given), in order."""
        return [
            params
            for name, params in self.calls
            if name == method and (chat_id is None or int(params.get("chat_id", 0)) == chat_id)
        ]

    async def wait_for(
        self, method: str, count: int = 1, timeout: float = 10.0, chat_id: int | None = None
    ) -> list[dict[str, Any]]:
        """Wait until the bot has made ``count`` calls of ``method`` (to ``chat_id``, when
        given); return them all."""
        deadline = time.monotonic() + timeout
        while len(self.sent(method, chat_id)) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                made = len(self.sent(method, chat_id))
                raise AssertionError(
                    f"bot made {made} {method} calls, wanted {count}: {self.calls}"
                )
            self._new_call.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_call.wait(), remaining)
        return self.sent(method, chat_id)

    # -- the Bot API --------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post() if request.can_read_body else {}
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):  # an upload (sendPhoto): its bytes
                params[key] = value.file.read()
                continue
            try:
                params[key] = json.loads(value)
            except (TypeError, ValueError):
                params[key] = value
        return params

    def _sent_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        message = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id, "private" if chat_id > 0 else "group"),
            "from": BOT_USER,
            "text": params.get("text", ""),
        }
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _sent_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        """The message a sendPhoto makes: an upload gets a new file id, a file id is
        sent again as it is (Telegram's own photo sizes are not modelled)."""
        message = self._sent_message(params)
        message.pop("text")
        photo = params.get("photo")
        file_id = f"photo-{next(self._message_ids)}" if isinstance(photo, bytes) else str(photo)
        size = {"file_id": file_id, "file_unique_id": f"u{file_id}", "width": 1080, "height": 1080}
        message["photo"] = [size]
        if params.get("caption"):
            message["caption"] = params["caption"]
        return message

    @staticmethod
    def _error(code: int, description: str, **extra: Any) -> web.Response:
        body = {"ok": False, "error_code": code, "description": description}
        if extra:
            body["parameters"] = extra
        return web.json_response(body, status=code)

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._error(401, "Unauthorized")
        method = request.match_info["method"]
        params = await self._params(request)
        if method != "getUpdates":
            self.calls.append((method, params))
            self._new_call.set()
        ok = lambda result: web.json_response({"ok": True, "result": result})  # noqa: E731
        if method == "getMe":
            return ok(BOT_USER)
        if method == "getUpdates":
            offset = int(params.get("offset") or 0)
            # as Telegram does, an offset confirms (and forgets) every earlier update
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
            wait = min(float(params.get("timeout") or 0), MAX_POLL_WAIT)
            pending = [u for u in self.updates if u["update_id"] >= offset]
            if not pending and wait > 0:
                self._new_update.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), wait)
                pending = [u for u in self.updates if u["update_id"] >= offset]
            return ok(pending)
        if method == "sendMessage":
            chat_id = int(params["chat_id"])
            if chat_id in self.blocked:
                return self._error(403, "Forbidden: bot was blocked by the user")
            if chat_id in self.missing:
                return self._error(400, "Bad Request: chat not found")
            if chat_id in self.migrated:
                return self._error(
                    400,
                    "Bad Request: group chat was upgraded to a supergroup chat",
                    migrate_to_chat_id=self.migrated[chat_id],
                )
            if len(params.get("text", "")) > 4096:
                return self._error(400, "Bad Request: message is too long")
            if chat_id in self.held:
                await self._released.wait()
            return ok(self._sent_message(params))
        if method == "editMessageText":
            return ok(self._sent_message(params))
        if method == "sendPhoto":
            return ok(self._sent_photo(params))
        if method == "getChatMember":
            key = (int(params["chat_id"]), int(params["user_id"]))
            status = "administrator" if key in self.admins else "member"
            return ok(
                {
                    "status": status,
                    "user": self.user(int(params["user_id"])),
                    "can_be_edited": False,
                    "is_anonymous": False,
                    "can_manage_chat": True,
                    "can_delete_messages": True,
                    "can_manage_video_chats": True,
                    "can_restrict_members": True,
                    "can_promote_members": False,
                    "can_change_info": True,
                    "can_invite_users": True,
                    "can_post_stories": False,
                    "can_edit_stories": False,
                    "can_delete_stories": False,
                }
                if status == "administrator"
                else {"status": status, "user": self.user(int(params["user_id"]))}
            )
        if method in (
            "answerCallbackQuery",
            "answerInlineQuery",
            "setMyCommands",
            "deleteWebhook",
            "setWebhook",
            "deleteMyCommands",
            "close",
            "logOut",
        ):
            return ok(True)
        return self._error(400, f"Bad Request: method {method} is not implemented here")
