"""Live chat: messages, paging with position tokens, deletions, bans and the end of a chat.

Messages are append-only per chat; a page token encodes a position in that list, so a reader that keeps its
last ``nextPageToken`` (the panel stores it in SQLite) continues exactly where it was, also after a restart.
Deleting a message hides it from later pages and appends a ``messageDeletedEvent``; a ban appends a
``userBannedEvent``. When the broadcast completes (or ``end_chat``), a ``chatEndedEvent`` is appended and every
response carries ``offlineAt``; a reader that has seen everything then gets 403 ``liveChatEnded``.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from studio.youtube.emulator.errors import ApiError
from studio.youtube.emulator.state import Chat, World, etag, new_id, now_iso

DOMAIN = "youtube.liveChat"
MAX_TEXT = 200


def create_chat(world: World, broadcast_id: str) -> Chat:
    chat = Chat(id="Kic" + new_id(40), broadcast_id=broadcast_id)
    world.chats[chat.id] = chat
    return chat


def get_chat(world: World, live_chat_id: str) -> Chat:
    chat = world.chats.get(live_chat_id)
    if chat is None:
        raise ApiError(
            404, "liveChatNotFound", "The live chat that you are trying to retrieve cannot be found.", DOMAIN
        )
    return chat


def encode_token(chat_id: str, position: int) -> str:
    raw = json.dumps({"c": chat_id[-8:], "p": position}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_token(chat: Chat, token: str) -> int:
    try:
        data = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
        position = int(data["p"])
        if data["c"] != chat.id[-8:] or not 0 <= position <= len(chat.messages):
            raise ValueError(token)
    except (ValueError, KeyError, TypeError):
        raise ApiError(
            400, "pageTokenInvalid", "The request specifies an invalid page token.", DOMAIN
        ) from None
    return position


def _author(
    world: World, channel_id: str, name: str, owner: bool = False, moderator: bool = False
) -> dict[str, Any]:
    return {
        "channelId": channel_id,
        "channelUrl": f"http://www.youtube.com/channel/{channel_id}",
        "displayName": name,
        "profileImageUrl": "https://yt3.ggpht.com/emulator/default.jpg",
        "isVerified": False,
        "isChatOwner": owner,
        "isChatSponsor": False,
        "isChatModerator": moderator,
    }


def append(
    world: World, chat: Chat, kind: str, author: dict[str, Any], details: dict[str, Any], display: str
) -> dict[str, Any]:
    message = {
        "kind": "youtube#liveChatMessage",
        "etag": etag(),
        "id": "LCC." + new_id(40),
        "snippet": {
            "type": kind,
            "liveChatId": chat.id,
            "authorChannelId": author["channelId"],
            "publishedAt": now_iso(fraction=True),
            "hasDisplayContent": bool(display),
            "displayMessage": display,
            **details,
        },
        "authorDetails": author,
    }
    with world.lock:
        chat.messages.append(message)
        world.changed.notify_all()  # wakes the open chat streams
    return message


def post_text(
    world: World,
    chat: Chat,
    text: str,
    author_name: str,
    author_channel: str | None = None,
    owner: bool = False,
    kind: str = "textMessageEvent",
) -> dict[str, Any]:
    if chat.ended_at:
        raise ApiError(403, "liveChatEnded", "The live chat is no longer live.", DOMAIN)
    channel = author_channel or ("UC" + new_id(22))
    author = _author(world, channel, author_name, owner=owner)
    if kind == "superChatEvent":
        details = {
            "superChatDetails": {
                "amountMicros": "2000000",
                "currency": "EUR",
                "amountDisplayString": "€2.00",
                "userComment": text,
                "tier": 2,
            }
        }
    else:
        kind = "textMessageEvent"
        details = {"textMessageDetails": {"messageText": text}}
    return append(world, chat, kind, author, details, text)


def delete_message(world: World, message_id: str) -> dict[str, Any]:
    for chat in world.chats.values():
        for message in chat.messages:
            if message["id"] == message_id and message_id not in chat.deleted:
                chat.deleted.add(message_id)
                owner = _author(world, world.config.channel_id, world.config.channel_title, owner=True)
                return append(
                    world,
                    chat,
                    "messageDeletedEvent",
                    owner,
                    {"messageDeletedDetails": {"deletedMessageId": message_id}},
                    "",
                )
    raise ApiError(
        404, "liveChatMessageNotFound", "The message that you are trying to delete cannot be found.", DOMAIN
    )


def ban_author(world: World, channel_id: str, duration_seconds: int | None = None) -> list[dict[str, Any]]:
    """Append a userBannedEvent to every chat the author wrote in (YouTube bans per chat)."""
    events = []
    owner = _author(world, world.config.channel_id, world.config.channel_title, owner=True)
    for chat in world.chats.values():
        names = [
            m["authorDetails"]["displayName"]
            for m in chat.messages
            if m["authorDetails"]["channelId"] == channel_id
        ]
        if not names or chat.ended_at:
            continue
        details: dict[str, Any] = {
            "banType": "temporary" if duration_seconds else "permanent",
            "bannedUserDetails": {
                "channelId": channel_id,
                "channelUrl": f"http://www.youtube.com/channel/{channel_id}",
                "displayName": names[-1],
                "profileImageUrl": "https://yt3.ggpht.com/emulator/default.jpg",
            },
        }
        if duration_seconds:
            details["banDurationSeconds"] = str(duration_seconds)
        events.append(append(world, chat, "userBannedEvent", owner, {"userBannedDetails": details}, ""))
    return events


def end_chat(world: World, chat: Chat) -> None:
    if chat.ended_at:
        return
    owner = _author(world, world.config.channel_id, world.config.channel_title, owner=True)
    append(world, chat, "chatEndedEvent", owner, {}, "")
    chat.ended_at = now_iso(fraction=True)


def list_messages(
    world: World, live_chat_id: str, page_token: str | None, max_results: int | None
) -> dict[str, Any]:
    chat = get_chat(world, live_chat_id)
    limit = max_results if max_results is not None else 500
    if not 200 <= limit <= 2000 and max_results is not None:
        raise ApiError(400, "invalidValue", "maxResults must be between 200 and 2000.", DOMAIN)
    start = decode_token(chat, page_token) if page_token else 0
    if chat.ended_at and start >= len(chat.messages):
        raise ApiError(403, "liveChatEnded", "The live chat is no longer live.", DOMAIN)
    visible: list[dict[str, Any]] = []
    position = start
    while position < len(chat.messages) and len(visible) < limit:
        message = chat.messages[position]
        position += 1
        if message["id"] not in chat.deleted:
            visible.append(message)
    response: dict[str, Any] = {
        "kind": "youtube#liveChatMessageListResponse",
        "etag": etag(),
        "pollingIntervalMillis": world.config.polling_interval_ms,
        "pageInfo": {"totalResults": len(visible), "resultsPerPage": len(visible)},
        "nextPageToken": encode_token(chat.id, position),
        "items": visible,
    }
    if chat.ended_at:
        response["offlineAt"] = chat.ended_at
    return response
