-- Captions made in the background (issue 14, wiring): one job per recording and language, run only while no
-- session is on air, resumable after a restart or after making way for a live session (the checkpoint holds
-- what was heard up to the last finished piece). And whether a track went out unreviewed (`--unreviewed`),
-- which the session report says. (Number 0011: renumber at merge if it is taken.)
CREATE TABLE caption_jobs (
    entry_id INTEGER NOT NULL REFERENCES archive_entries(id),
    lang TEXT NOT NULL,                    -- 'nl' or 'ar'
    state TEXT NOT NULL,                   -- queued | running | done | failed
    detail TEXT NOT NULL DEFAULT '',       -- Dutch, one line: why it waits or failed, or what it made
    progress REAL NOT NULL DEFAULT 0,      -- 0..1 of the recording heard
    eta REAL,                              -- seconds left, as last estimated
    checkpoint TEXT,                       -- JSON: heard until (s), the sound's length, the segments so far
    attempts INTEGER NOT NULL DEFAULT 0,   -- runs that never ended (a job that keeps crashing the panel stops at 3)
    queued_at REAL NOT NULL,
    started_at REAL,
    finished_at REAL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (entry_id, lang)
);
CREATE INDEX caption_jobs_state ON caption_jobs (state, queued_at);

ALTER TABLE caption_tracks ADD COLUMN published_reviewed INTEGER;  -- 1 reviewed, 0 sent with --unreviewed
