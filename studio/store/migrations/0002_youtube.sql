-- YouTube: the quota ledger (one row per API call) and the broadcasts the studio made, with the step
-- of the go-live state machine it reached (written BEFORE each action, so a restart carries on).
CREATE TABLE youtube_quota (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    target TEXT NOT NULL,        -- 'youtube' or 'oefen' (rehearsal: the emulator's quota is not real)
    at REAL NOT NULL,            -- unix time of the call
    day TEXT NOT NULL,           -- quota day: YYYY-MM-DD in Pacific time
    method TEXT NOT NULL,        -- e.g. 'liveBroadcasts.insert'
    units INTEGER NOT NULL,
    ok INTEGER NOT NULL,         -- 1 success, 0 error answer
    reason TEXT NOT NULL         -- YouTube's error reason, '' when ok
);
CREATE INDEX youtube_quota_day ON youtube_quota (target, day);

CREATE TABLE youtube_broadcasts (
    session_key TEXT NOT NULL,   -- e.g. '2026-01-06-nl': one broadcast per session and target
    target TEXT NOT NULL,        -- 'youtube' or 'oefen' (rehearsal against the emulator)
    broadcast_id TEXT,           -- NULL while the insert is in flight
    lang TEXT NOT NULL,
    topic TEXT NOT NULL,
    title TEXT NOT NULL,
    scheduled_start TEXT NOT NULL,  -- ISO 8601 UTC
    step TEXT NOT NULL,          -- our state machine's step (creating, created, bound, starting, testing, going_live, live, ending, complete, failed, lost)
    yt_status TEXT NOT NULL DEFAULT '',   -- lifeCycleStatus as YouTube last reported it
    stream_id TEXT NOT NULL DEFAULT '',
    live_chat_id TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    created_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    PRIMARY KEY (session_key, target)
);
CREATE UNIQUE INDEX youtube_broadcasts_id ON youtube_broadcasts (target, broadcast_id);
