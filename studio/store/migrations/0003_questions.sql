-- Questions: the moderation queue, its history, when each question aired, and the chat intake's position.
-- Privacy: no author name, channel or picture is stored; author_hash is a salted hash of the channel id,
-- kept only so that a ban in the chat can remove that author's questions.
CREATE TABLE questions (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,            -- chat, social, phone
    text TEXT NOT NULL,              -- the original (sanitised), never overwritten
    edited_text TEXT,                -- the moderator's version, if edited
    lang TEXT NOT NULL,              -- nl, ar
    urgent INTEGER NOT NULL,
    state TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',   -- for the colleague, when forwarded
    count INTEGER NOT NULL DEFAULT 1,
    merged_into TEXT,
    message_id TEXT UNIQUE,          -- chat message id
    author_hash TEXT,
    live_chat_id TEXT,
    received_at REAL NOT NULL,       -- unix time
    updated_at REAL NOT NULL
);
CREATE INDEX questions_state ON questions (state);
CREATE INDEX questions_author ON questions (author_hash);
CREATE INDEX questions_received ON questions (received_at);

CREATE TABLE question_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    at REAL NOT NULL,
    kind TEXT NOT NULL,              -- added, state, edited, merged, unmerged, removed
    from_state TEXT,
    to_state TEXT,
    detail TEXT NOT NULL             -- JSON
);
CREATE INDEX question_events_question ON question_events (question_id, at);

-- One row per time a question was on air; offsets are milliseconds from the recording's start (chapters).
CREATE TABLE question_airings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    started_at REAL NOT NULL,
    ended_at REAL,
    record_start_ms INTEGER,         -- NULL when OBS was not recording
    record_end_ms INTEGER,
    aired_text TEXT NOT NULL         -- exactly what was on screen (scrubbed)
);
CREATE INDEX question_airings_started ON question_airings (started_at);

-- Where the chat intake is in each live chat: restart continues here, neither losing nor repeating.
CREATE TABLE chat_position (
    live_chat_id TEXT PRIMARY KEY,
    page_token TEXT,
    ended INTEGER NOT NULL DEFAULT 0,
    polls INTEGER NOT NULL DEFAULT 0,
    started_at REAL NOT NULL,
    updated_at REAL NOT NULL
);

CREATE TABLE chat_seen (
    message_id TEXT PRIMARY KEY,
    live_chat_id TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE INDEX chat_seen_at ON chat_seen (at);
