-- The show flow (studio/session.py): one row per session of an evening, and every step, written BEFORE the
-- step is taken, so a restart of the panel or the PC reopens on the right step of the right session.
CREATE TABLE show_sessions (
    session_id TEXT PRIMARY KEY,     -- e.g. '2026-11-24-nl'
    lang TEXT NOT NULL,              -- 'nl' or 'ar'
    topic TEXT NOT NULL,
    starts_at TEXT NOT NULL,         -- ISO 8601 with offset (Europe/Amsterdam)
    rehearsal INTEGER NOT NULL DEFAULT 0,
    broadcast_id TEXT,               -- once the broadcast exists
    step TEXT NOT NULL,              -- the current step id
    status TEXT NOT NULL,            -- pending | running | done | failed | waiting
    detail TEXT NOT NULL DEFAULT '', -- last message for the step, Dutch, one line
    live_since REAL,                 -- unix time the broadcast went live
    record_started_at REAL,          -- unix time OBS confirmed the recording
    record_path TEXT,
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL
);

CREATE TABLE show_steps (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id TEXT NOT NULL REFERENCES show_sessions(session_id),
    step TEXT NOT NULL,
    status TEXT NOT NULL,            -- running | done | failed | skipped
    detail TEXT NOT NULL DEFAULT '',
    at REAL NOT NULL
);
CREATE INDEX show_steps_session ON show_steps (session_id, id);
