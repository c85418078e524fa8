-- Resilience (issue 12): what a restarted panel, or a panel whose OBS crashed, needs to carry on.

-- The parts of a session's recording. Normally one; an OBS that crashed mid-show leaves part 1 (the file it
-- was writing) and the studio starts part 2 when OBS is back. The archive step catalogues them in order.
CREATE TABLE show_record_parts (
    session_id TEXT NOT NULL REFERENCES show_sessions(session_id),
    seq INTEGER NOT NULL,            -- 1, 2, ...
    started_at REAL NOT NULL,        -- unix time OBS confirmed this part's recording
    path TEXT,                       -- the finished file, once known
    PRIMARY KEY (session_id, seq)
);

-- What the show looked like in OBS while it was connected (program scene, mutes), per session: after a crash
-- OBS comes back on its start scene and unmuted; this says what to put back.
CREATE TABLE show_obs_state (
    session_id TEXT PRIMARY KEY REFERENCES show_sessions(session_id),
    program_scene TEXT,
    mutes TEXT NOT NULL DEFAULT '{}', -- JSON: input name -> muted
    updated_at REAL NOT NULL
);

-- The rehearsal's scripted audience: how much of its script it posted into each live chat, so that a
-- restarted panel carries on with the next message instead of posting the whole script again.
CREATE TABLE rehearsal_posts (
    live_chat_id TEXT PRIMARY KEY,
    posted INTEGER NOT NULL,         -- messages of the script posted (or being posted)
    updated_at REAL NOT NULL
);

-- A recording whose checksum is already in the archive is refused: found by its sha256.
CREATE INDEX archive_sources_sha256 ON archive_sources (sha256);
