-- The archive catalogue: one entry per recording (the original is evidence: never deleted while needed),
-- its processed file, the publish steps taken, the resumable upload in progress, and the show's marks.
CREATE TABLE archive_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT,                 -- e.g. '2026-11-24-nl' (show_sessions), NULL for a stray recording
    session_date TEXT NOT NULL,      -- local date 'YYYY-MM-DD'
    topic TEXT NOT NULL DEFAULT '',
    lang TEXT NOT NULL DEFAULT 'nl', -- 'nl' or 'ar'
    title TEXT NOT NULL DEFAULT '',
    original_path TEXT NOT NULL UNIQUE,  -- the first source file; the sidecar JSON is <original_path>.json
    duration REAL NOT NULL DEFAULT 0,    -- readable seconds of the sources
    size INTEGER NOT NULL DEFAULT 0,     -- bytes of all sources
    sha256 TEXT NOT NULL DEFAULT '',     -- of the first source (each source has its own below)
    truncated INTEGER NOT NULL DEFAULT 0,  -- the container said more than could be read (OBS was killed)
    record_started_at REAL,          -- unix time the recording started (marks are relative to it)
    state TEXT NOT NULL,             -- archived | processing | processed | publishing | published | failed
    error TEXT NOT NULL DEFAULT '',  -- last one-line error
    processed_path TEXT,
    processed_sha256 TEXT,
    processed_size INTEGER,
    processed_duration REAL,
    trim_start REAL,                 -- seconds cut from the start of the original (pre-show)
    trim_end REAL,                   -- where the processed file ends in the original
    thumbnail_path TEXT,
    video_id TEXT,                   -- YouTube video, once known
    publish_mode TEXT,               -- update | upload
    published_at REAL,
    original_pruned_at REAL,
    processed_pruned_at REAL,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);
CREATE INDEX archive_entries_session ON archive_entries (session_id);

CREATE TABLE archive_sources (
    entry_id INTEGER NOT NULL REFERENCES archive_entries (id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,            -- order of split files
    path TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    duration REAL NOT NULL,
    PRIMARY KEY (entry_id, seq)
);

-- Each publish step, written when it is done: a rerun skips what is done and finishes the rest.
CREATE TABLE archive_publish_steps (
    entry_id INTEGER NOT NULL REFERENCES archive_entries (id) ON DELETE CASCADE,
    step TEXT NOT NULL,              -- upload, metadata, thumbnail, playlist
    detail TEXT NOT NULL DEFAULT '', -- JSON
    done_at REAL NOT NULL,
    PRIMARY KEY (entry_id, step)
);

-- A resumable upload survives a restart of the panel or the PC: the session URI and the confirmed bytes.
CREATE TABLE archive_uploads (
    entry_id INTEGER PRIMARY KEY REFERENCES archive_entries (id) ON DELETE CASCADE,
    file_path TEXT NOT NULL,
    file_size INTEGER NOT NULL,
    file_sha256 TEXT NOT NULL,
    session_uri TEXT NOT NULL,       -- grants upload rights: never logged or shown
    confirmed INTEGER NOT NULL DEFAULT 0,  -- bytes YouTube confirmed
    video_id TEXT,
    started_at REAL NOT NULL,
    updated_at REAL NOT NULL
);

-- Scene switches (and other marks) during a session, in unix time; chapters and the pre-show cut use them.
CREATE TABLE archive_marks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL,
    at REAL NOT NULL,
    kind TEXT NOT NULL,              -- scene, stream, incident
    name TEXT NOT NULL,              -- scene name, or what happened
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX archive_marks_session ON archive_marks (session_id, at);
