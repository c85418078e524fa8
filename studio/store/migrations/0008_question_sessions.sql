-- Questions belong to a session (issue 13): the Arabic session's queue is its own, and the session report
-- counts what was asked in that session instead of guessing by time.
--   questions.session_id      the show session ('2026-12-01-ar'); NULL when none could be found
--   questions.session_source  how it was found: 'live' (stored as it came in), 'chat' (this migration: the
--                             broadcast whose live chat it came from), 'window' (this migration: the time
--                             window of a session, for questions added by hand or from an unknown chat),
--                             'unknown' (this migration: neither)
--   questions.replied_at/reply the moderator's answer in the chat (a canned reply, e.g. '112/ar'): an urgent
--                             question counts as handled from then on
--   chat_position.session_id  the session a live chat belongs to (set when the intake starts)
ALTER TABLE questions ADD COLUMN session_id TEXT;
ALTER TABLE questions ADD COLUMN session_source TEXT NOT NULL DEFAULT 'live';
ALTER TABLE questions ADD COLUMN replied_at REAL;
ALTER TABLE questions ADD COLUMN reply TEXT NOT NULL DEFAULT '';
ALTER TABLE chat_position ADD COLUMN session_id TEXT;

-- 1. From the live chat: the broadcast the studio made for a session knows its chat.
UPDATE questions SET session_id = (
        SELECT b.session_key FROM youtube_broadcasts b
        WHERE b.live_chat_id = questions.live_chat_id AND b.live_chat_id != ''
        ORDER BY b.updated_at DESC LIMIT 1),
    session_source = 'chat'
WHERE live_chat_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM youtube_broadcasts b WHERE b.live_chat_id = questions.live_chat_id AND b.live_chat_id != '');

UPDATE chat_position SET session_id = (
    SELECT b.session_key FROM youtube_broadcasts b
    WHERE b.live_chat_id = chat_position.live_chat_id ORDER BY b.updated_at DESC LIMIT 1);

-- 2. Failing that, the time window: from when the session's first step was taken (its start time when it
-- has none) to when its broadcast ended (an hour after the start when unknown), widened by two hours on
-- either side for questions sent in advance or afterwards. A question inside a session's own window goes to
-- that session; otherwise to the nearest window.
CREATE TEMP TABLE session_windows AS
SELECT s.session_id AS session_id,
       COALESCE((SELECT MIN(t.at) FROM show_steps t WHERE t.session_id = s.session_id),
                CAST(strftime('%s', s.starts_at) AS REAL)) AS opened,
       COALESCE((SELECT MAX(t.at) FROM show_steps t WHERE t.session_id = s.session_id
                 AND t.step IN ('end_broadcast', 'stop_record', 'archive', 'done')),
                CAST(strftime('%s', s.starts_at) AS REAL) + 3600) AS closed
FROM show_sessions s WHERE strftime('%s', s.starts_at) IS NOT NULL;

CREATE TEMP TABLE session_candidates AS
SELECT q.id AS question_id, w.session_id AS session_id,
       CASE WHEN q.received_at BETWEEN w.opened AND w.closed THEN 0 ELSE 1 END AS outside,
       MIN(ABS(q.received_at - w.opened), ABS(q.received_at - w.closed)) AS distance
FROM questions q JOIN session_windows w ON q.received_at BETWEEN w.opened - 7200 AND w.closed + 7200
WHERE q.session_id IS NULL;

UPDATE questions SET session_id = (
        SELECT c.session_id FROM session_candidates c WHERE c.question_id = questions.id
        ORDER BY c.outside, c.distance LIMIT 1),
    session_source = 'window'
WHERE session_id IS NULL AND id IN (SELECT question_id FROM session_candidates);

DROP TABLE session_candidates;
DROP TABLE session_windows;

-- Older questions no session could be found for: said so, never guessed.
UPDATE questions SET session_source = 'unknown' WHERE session_id IS NULL;

-- A session's queue, and the views' "what changed since" (events by id) stay cheap with 10,000 questions.
CREATE INDEX questions_session ON questions (session_id, state);
CREATE INDEX questions_live_chat ON questions (live_chat_id);
