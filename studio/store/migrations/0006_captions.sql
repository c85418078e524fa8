-- Captions (issue 14): one reviewable track per recording and language, what was published of it, and its
-- words for search. The track itself is studio.domain.caption_track.CaptionTrack.to_dict() as JSON: cues with
-- times, what to check first, edits, the reviewed flag. (Number 0006: renumber at merge if it is taken.)
CREATE TABLE caption_tracks (
    entry_id INTEGER NOT NULL REFERENCES archive_entries(id),
    lang TEXT NOT NULL,                -- 'nl' or 'ar'
    track TEXT NOT NULL,               -- JSON, CaptionTrack.to_dict()
    reviewed INTEGER NOT NULL DEFAULT 0,   -- copy of track.reviewed, for queries
    model TEXT NOT NULL DEFAULT '',    -- the speech model that heard it
    youtube_caption_id TEXT,           -- the track on YouTube once published
    published_sha256 TEXT,             -- of the file sent then: a rerun updates only what changed
    published_at REAL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (entry_id, lang)
);

-- Full-text search over what was said (`studio archive show ID`): one row per cue, diacritics folded.
CREATE VIRTUAL TABLE caption_search USING fts5(
    text, entry_id UNINDEXED, lang UNINDEXED, start UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
);
