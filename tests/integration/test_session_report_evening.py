"""A scripted evening, then `studio report`: the counts are the evening's (issue 13.3).

Viewers ask in the live chat (posted to the YouTube emulator; the studio's chat intake reads it), the moderator
works through the use cases: two questions shortlisted, aired on the real OBS and answered, a duplicate merged,
one forwarded to a colleague with a note, one rejected, two urgent ones answered in the chat with the canned
112 reply (in the session's language, by default). Meanwhile the Arabic session's chat has a question of its
own. The report of the Dutch session counts exactly that evening, in Dutch prose and in CSV.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import pytest

from studio.cli import main
from studio.domain.questions import State
from studio.store import session as sessions
from studio.usecases import moderation, onair
from studio.usecases.context import Studio
from tests.integration.test_onair import setup_scenes
from tests.waiting import wait_until

pytestmark = pytest.mark.obs

NL, AR = "2026-12-01-nl", "2026-12-01-ar"
QUESTIONS = {
    "fiets": "Hoe beveilig ik mijn fiets het best? Bel me op 06-12345678",
    "inbraak": "Wat moet ik doen na een inbraak in mijn schuur?",
    "schade": "Mijn buurman heeft mijn schutting vernield, wie betaalt dat?",
    "spoed1": "Spoed: er wordt nu ingebroken bij mijn buren!",
    "spoed2": "Help, ik word nu bedreigd door een man met een mes",
    "spam": "[klik hier](http://x.example) **gratis** | <b>prijs</b>",
    "dubbel": "Hoe beveilig ik mijn fiets het best?",
}


@pytest.fixture
def ctx(obs_settings, youtube_settings, obs_raw, monkeypatch):
    monkeypatch.setenv("STUDIO_DATA_DIR", str(obs_settings.data_dir))  # `studio report` reads the same store
    c = Studio(obs_settings)
    setup_scenes(c, obs_raw)
    yield c
    c.close()


def test_report_counts_the_scripted_evening(ctx, emulator, tmp_path, capsys):
    start = datetime.now().astimezone()
    for sid, lang, at in ((NL, "nl", start), (AR, "ar", start + timedelta(hours=1))):
        sessions.ensure_session(ctx.store, sid, lang, "inbraak", at.isoformat(), True, "preflight")
    yt = ctx.youtube.broadcasts
    nl = yt.create("inbraak", "nl", start + timedelta(minutes=5), session_key=NL)
    ar = yt.create("inbraak", "ar", start + timedelta(hours=1), session_key=AR)
    nl_chat = yt.status(nl.broadcast_id, with_health=False).live_chat_id
    ar_chat = yt.status(ar.broadcast_id, with_health=False).live_chat_id
    sessions.update_session(ctx.store, NL, broadcast_id=nl.broadcast_id, live_since=start.timestamp())
    emulator.control.set_polling_interval(100)

    emulator.control.post_chat(ar_chat, "كيف أحمي دراجتي؟", author="مشاهد")  # the Arabic session's own
    for n, text in enumerate(QUESTIONS.values()):
        emulator.control.post_chat(nl_chat, text, author=f"Kijker {n}", channel_id=f"UC{n}")
    ctx.chat.start(nl_chat, budget_units=100_000)  # the session comes from the broadcast that owns the chat
    book = ctx.questions
    wait_until(lambda: len(book.queue(session_id=NL)) == len(QUESTIONS), "the Dutch questions in the queue", 30)
    by_text = {q.text: q for q in book.queue(session_id=NL)}
    q = {key: by_text[text] for key, text in QUESTIONS.items()}
    assert all(x.session_id == NL for x in q.values())
    assert q["spoed1"].urgent and q["spoed2"].urgent and not q["fiets"].urgent

    moderation.merge(ctx, q["fiets"].id, q["dubbel"].id)
    for key in ("fiets", "inbraak"):  # s on what the preview shows: chosen and approved in that form
        moderation.shortlist(ctx, q[key].id, onair.preview(ctx, ctx.questions.get(q[key].id), wait=30.0).digest)
    for key in ("fiets", "inbraak"):
        aired = onair.put_on_air(ctx, q[key].id)  # the real OBS shows the card as approved
        assert "06-12345678" not in aired.aired
        wait_until(lambda: ctx.obs.snapshot.program_scene == "Vraag in beeld", "the question scene")
        onair.take_off_air(ctx, answered=True)
    moderation.forward(ctx, q["schade"].id, "Wijkagent Heerlen-Noord, graag terugbellen")
    moderation.reject(ctx, q["spam"].id)
    for key in ("spoed1", "spoed2"):  # the 112 reply, in the session's language without being told
        assert moderation.post_canned_reply(ctx, 0, question_id=q[key].id) == "Bij spoed altijd 112 bellen."
        assert not book.get(q[key].id).needs_attention
    with emulator.world.lock:
        posted = [m["snippet"].get("textMessageDetails", {}).get("messageText")
                  for m in emulator.world.chats[nl_chat].messages]
    assert posted.count("Bij spoed altijd 112 bellen.") == 2
    ctx.chat.start(ar_chat, budget_units=100_000)  # the Arabic session: its chat, its queue
    wait_until(lambda: any(x.lang == "ar" for x in book.queue(session_id=AR)), "the Arabic question", 30)
    assert {x.session_id for x in book.queue(session_id=AR) if x.lang == "ar"} == {AR}
    assert not any(x.lang == "ar" for x in book.queue(session_id=NL))
    ctx.chat.stop()

    assert main(["report", NL, "--out", str(tmp_path)]) == 0
    capsys.readouterr()
    md = (tmp_path / f"verslag-{NL}.md").read_text(encoding="utf-8")
    assert "Er zijn 6 vragen gesteld (7 berichten: dubbele vragen zijn samengevoegd)" in md
    assert "2 werden gekozen voor het scherm en 2 kwamen in beeld" in md
    assert ("Beantwoord: 2; doorgestuurd naar een collega (met notitie): 1; geparkeerd: 0; afgewezen: 1; "
            "nog open: 2.") in md
    assert ("2 vragen waren dringend. Zo zijn ze afgehandeld: 2 met standaardantwoord 1 "
            "(\u201cBij spoed altijd 112 bellen.\u201d) in de chat; elke dringende vraag kreeg een reactie.") in md
    assert "Notitie: Wijkagent Heerlen-Noord, graag terugbellen" in md
    assert "كيف" not in md  # the Arabic session's question is its own
    assert "06-12345678" not in md  # scrubbed again
    assert "\\[klik hier\\](\\[link\\]) \\*\\*gratis\\*\\* \\| \\<b\\>prijs\\</b\\>" in md  # inert
    assert "\\-" not in md and "(published)" not in md and "(archived)" not in md  # no stray escapes, no English
    assert "dinsdag 1 december 2026" in md or "Het spreekuur op " in md

    rows = list(csv.DictReader(io.StringIO((tmp_path / f"verslag-{NL}.csv").read_text(encoding="utf-8"))))
    assert len(rows) == 6
    assert sum(r["gekozen"] == "ja" for r in rows) == 2
    assert sum(r["in_beeld"] != "" for r in rows) == 2
    assert all(int(r["seconden_in_beeld"]) >= 0 for r in rows)
    assert sorted(r["status"] for r in rows) == ["afgewezen", "beantwoord", "beantwoord", "doorgestuurd",
                                                 "nieuw", "nieuw"]
    assert sorted((r["dringend"], r["antwoord_in_chat"]) for r in rows if r["dringend"] == "ja") == [
        ("ja", "1"), ("ja", "1")]
    aired_row = next(r for r in rows if r["aantal"] == "2")
    assert aired_row["status"] == "beantwoord" and aired_row["in_beeld"]
    assert book.get(q["fiets"].id).state is State.ANSWERED
