"""Caption tracks in SQLite (studio/store/captions.py): save, read back, published state, word search."""

from __future__ import annotations

from studio.domain.caption_track import make_track
from studio.domain.captions import Word, layout_cues
from studio.store import captions as repo


def _entry(store, path="/opnames/a.mkv", lang="nl"):
    from studio.store import archive

    source = archive.Source(seq=0, path=path, size=1, sha256="0" * 64, duration=60.0)
    return archive.add_entry(store, session_id=None, session_date="2026-11-24", topic="fietsen", lang=lang,
                             title="Wijkspreekuur", sources=[source], truncated=False, record_started_at=None).id


def _track(lang="nl"):
    words = [Word("Goedenavond", 0.5, 1.0, 0.9), Word("in", 1.0, 1.2, 0.3), Word("Heerlen.", 1.2, 1.8, 0.9),
             Word("Gebruik", 5.0, 5.4, 0.9), Word("twee", 5.4, 5.6, 0.9), Word("sloten.", 5.6, 6.2, 0.9),
             Word("Caféhouder", 9.0, 9.8, 0.9), Word("وصل.", 9.8, 10.4, 0.9)]
    return make_track(layout_cues(words, lang), lang, model="base")


def test_save_read_back_and_replace(store):
    entry = _entry(store)
    track = _track()
    repo.save_track(store, entry, track)
    assert repo.get_track(store, entry, "nl") == track
    assert repo.get_track(store, entry, "ar") is None
    reviewed = track.edit(0, "Goedenavond in Heerlen!").mark_reviewed()
    repo.save_track(store, entry, reviewed)
    assert repo.tracks(store, entry) == [reviewed]
    row = store.query_one("SELECT reviewed, model FROM caption_tracks WHERE entry_id = ?", (entry,))
    assert tuple(row) == (1, "base")


def test_published_state(store):
    entry = _entry(store)
    repo.save_track(store, entry, _track())
    assert repo.published(store, entry, "nl") is None
    repo.mark_published(store, entry, "nl", "AUieDaXYZ", "abc123")
    got = repo.published(store, entry, "nl")
    assert got is not None and (got.caption_id, got.sha256) == ("AUieDaXYZ", "abc123") and got.at > 0


def test_search_finds_words_in_time_order_and_treats_input_as_words(store):
    first, second = _entry(store), _entry(store, "/opnames/b.mkv")
    repo.save_track(store, first, _track())
    repo.save_track(store, second, _track())
    hits = repo.search(store, "heerlen")
    assert [(h.entry_id, h.start) for h in hits] == [(first, 0.5), (second, 0.5)]
    assert [h.text for h in repo.search(store, "SLOTEN twee", entry_id=second)] == ["Gebruik twee sloten."]
    assert repo.search(store, "cafehouder")  # diacritics folded
    assert repo.search(store, 'sloten" OR "x') == [] and repo.search(store, "NEAR(") == []  # no FTS syntax
    assert repo.search(store, "   ") == []
    repo.save_track(store, first, _track().remove(0))  # replacing a track replaces its search rows
    assert [h.entry_id for h in repo.search(store, "heerlen")] == [second]
