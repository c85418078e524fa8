-- The moderator's privacy decisions per question (issue 11): what was masked by hand and which findings were
-- let through, with who and when. Offsets are into the question's text as the moderator saw it; text_digest
-- names that text (a hash, never the text), so decisions made on another version of it are never applied.
-- An edit of the question removes its decisions (their offsets no longer fit). Never the original text here.
CREATE TABLE question_redactions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question_id TEXT NOT NULL REFERENCES questions (id) ON DELETE CASCADE,
    action TEXT NOT NULL,            -- 'mask' (hide a span) or 'restore' (a finding airs as written)
    kind TEXT NOT NULL,              -- the marker's kind: name, address, ... or manual
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    text_digest TEXT NOT NULL,
    who TEXT NOT NULL,
    at REAL NOT NULL,
    UNIQUE (question_id, action, kind, start_offset, end_offset, text_digest)
);
CREATE INDEX question_redactions_question ON question_redactions (question_id);

-- The final text the moderator last saw for a question (its digest), so that a question can be put on air
-- from another screen (the Spreekuur screen's 'v') only if it would air exactly as the moderator saw it.
CREATE TABLE question_approvals (
    question_id TEXT PRIMARY KEY REFERENCES questions (id) ON DELETE CASCADE,
    digest TEXT NOT NULL,
    who TEXT NOT NULL,
    at REAL NOT NULL
);
