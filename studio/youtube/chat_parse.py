"""Chat messages as YouTube sends them (a list page or a stream message) into questions and removals.

Only the message text (sanitised on entry) and a salted hash of the author's channel id are kept; the
author's name and picture are never looked at beyond this module.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from studio.domain.questions import Question, detect_lang
from studio.domain.sanitize import clean_chat_text
from studio.domain.urgency import is_urgent


@dataclass
class ParsedPage:
    questions: list[Question] = dataclasses.field(default_factory=list)
    seen_ids: list[str] = dataclasses.field(default_factory=list)
    deleted: list[str] = dataclasses.field(default_factory=list)
    banned: list[str] = dataclasses.field(default_factory=list)  # author hashes
    ended: bool = False


def parse_page(items: Iterable[dict[str, Any]], hasher: Callable[[str], str], *, skip_texts: Iterable[str] = (),
               new_id: Callable[[], str]) -> ParsedPage:
    """Turn liveChatMessages into questions and removals. Nothing of the author but a hash is kept."""
    page = ParsedPage()
    skip = {t.strip() for t in skip_texts}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            continue
        mid = item["id"]
        page.seen_ids.append(mid)
        snippet = item.get("snippet") or {}
        author = item.get("authorDetails") or {}
        kind = snippet.get("type")
        if kind == "messageDeletedEvent":
            deleted = (snippet.get("messageDeletedDetails") or {}).get("deletedMessageId")
            if isinstance(deleted, str):
                page.deleted.append(deleted)
        elif kind == "userBannedEvent":
            banned = ((snippet.get("userBannedDetails") or {}).get("bannedUserDetails") or {}).get("channelId")
            if isinstance(banned, str):
                page.banned.append(hasher(banned))
        elif kind == "chatEndedEvent":
            page.ended = True
        elif kind in ("textMessageEvent", "superChatEvent"):
            if author.get("isChatOwner"):
                continue  # the channel's own messages (our canned replies) are not questions
            raw = _message_text(snippet, kind)
            text = clean_chat_text(raw)
            if not text or text.strip() in skip:
                continue
            channel = snippet.get("authorChannelId") or author.get("channelId") or ""
            page.questions.append(Question(
                id=new_id(), text=text, received_at=_published(snippet), lang=detect_lang(text),
                urgent=is_urgent(text), message_id=mid, author_hash=hasher(channel) if channel else None))
    return page


def _message_text(snippet: dict[str, Any], kind: str) -> str:
    if kind == "superChatEvent":
        comment = (snippet.get("superChatDetails") or {}).get("userComment")
        if isinstance(comment, str):
            return comment
    details = (snippet.get("textMessageDetails") or {}).get("messageText")
    if isinstance(details, str):
        return details
    display = snippet.get("displayMessage")
    return display if isinstance(display, str) else ""


def _published(snippet: dict[str, Any]) -> float:
    value = snippet.get("publishedAt")
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp()
        except ValueError:
            pass
    return time.time()
