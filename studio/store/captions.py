"""Repository functions for caption tracks (tables in 0006_captions.sql, 0011_caption_jobs.sql): the track to
review, what was published of it (and whether it had been reviewed then), and search over the words."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from studio.domain.caption_track import CaptionTrack
from studio.store import Store


@dataclass(frozen=True)
class Published:
    caption_id: str
    sha256: str
    at: float
    reviewed: bool = True  # False: sent with --unreviewed


@dataclass(frozen=True)
class SearchHit:
    entry_id: int
    lang: str
    start: float  # seconds into the recording the captions were made of
    text: str


def save_track(store: Store, entry_id: int, track: CaptionTrack) -> None:
    """Store (or replace) the entry's track for its language and its search rows, in one transaction."""
    now = time.time()
    data = json.dumps(track.to_dict(), ensure_ascii=False)
    with store.transaction() as db:
        db.execute(
            "INSERT INTO caption_tracks (entry_id, lang, track, reviewed, model, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(entry_id, lang) DO UPDATE SET track = excluded.track, "
            "reviewed = excluded.reviewed, model = excluded.model, updated_at = excluded.updated_at",
            (entry_id, track.language, data, int(track.reviewed), track.model, now, now))
        db.execute("DELETE FROM caption_search WHERE entry_id = ? AND lang = ?", (entry_id, track.language))
        db.executemany("INSERT INTO caption_search (text, entry_id, lang, start) VALUES (?, ?, ?, ?)",
                       [(" ".join(c.lines), entry_id, track.language, c.start) for c in track.cues])


def get_track(store: Store, entry_id: int, lang: str) -> CaptionTrack | None:
    row = store.query_one("SELECT track FROM caption_tracks WHERE entry_id = ? AND lang = ?", (entry_id, lang))
    return CaptionTrack.from_dict(json.loads(row["track"])) if row else None


def tracks(store: Store, entry_id: int) -> list[CaptionTrack]:
    rows = store.query("SELECT track FROM caption_tracks WHERE entry_id = ? ORDER BY lang", (entry_id,))
    return [CaptionTrack.from_dict(json.loads(r["track"])) for r in rows]


def mark_published(store: Store, entry_id: int, lang: str, caption_id: str, sha256: str,
                   reviewed: bool = True) -> None:
    store.execute("UPDATE caption_tracks SET youtube_caption_id = ?, published_sha256 = ?, published_at = ?, "
                  "published_reviewed = ? WHERE entry_id = ? AND lang = ?",
                  (caption_id, sha256, time.time(), int(reviewed), entry_id, lang))


def published(store: Store, entry_id: int, lang: str) -> Published | None:
    row = store.query_one("SELECT youtube_caption_id, published_sha256, published_at, published_reviewed "
                          "FROM caption_tracks WHERE entry_id = ? AND lang = ? AND youtube_caption_id IS NOT NULL",
                          (entry_id, lang))
    return Published(row[0], row[1] or "", row[2] or 0.0, row[3] != 0) if row else None


def search(store: Store, words: str, entry_id: int | None = None, limit: int = 50) -> list[SearchHit]:
    """Cues that contain all of ``words`` (any order, case and diacritics ignored), in time order."""
    terms = [w for w in words.split() if w.strip('"')]
    if not terms:
        return []
    query = " ".join('"' + t.replace('"', "") + '"' for t in terms)  # every word literal: no FTS syntax from input
    sql = "SELECT entry_id, lang, start, text FROM caption_search WHERE caption_search MATCH ?"
    args: list[object] = [query]
    if entry_id is not None:
        sql += " AND entry_id = ?"
        args.append(entry_id)
    rows = store.query(sql + " ORDER BY entry_id, CAST(start AS REAL) LIMIT ?", (*args, limit))
    return [SearchHit(int(r[0]), str(r[1]), float(r[2]), str(r[3])) for r in rows]
