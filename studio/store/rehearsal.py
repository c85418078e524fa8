"""Repository functions for the rehearsal's scripted audience (table in 0009_resilience.sql)."""

from __future__ import annotations

import time

from studio.store import Store


def posted(store: Store, live_chat_id: str) -> int:
    """How many messages of the script went (or were being sent) into this chat."""
    row = store.query_one("SELECT posted FROM rehearsal_posts WHERE live_chat_id = ?", (live_chat_id,))
    return int(row["posted"]) if row else 0


def set_posted(store: Store, live_chat_id: str, n: int) -> None:
    store.execute(
        "INSERT INTO rehearsal_posts (live_chat_id, posted, updated_at) VALUES (?, ?, ?)"
        " ON CONFLICT(live_chat_id) DO UPDATE SET posted = excluded.posted, updated_at = excluded.updated_at",
        (live_chat_id, n, time.time()))
