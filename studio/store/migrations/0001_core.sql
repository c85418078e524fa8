-- Core: the audit log of every control action, and small key/value state.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,            -- unix time
    action TEXT NOT NULL,        -- e.g. 'scenes.switch', 'record.start', 'preflight.override'
    params TEXT NOT NULL,        -- JSON, secrets redacted
    result TEXT NOT NULL         -- 'ok' or the one-line error
);
CREATE INDEX audit_log_action ON audit_log (action, at);

CREATE TABLE kv_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,         -- JSON
    updated_at REAL NOT NULL
);
