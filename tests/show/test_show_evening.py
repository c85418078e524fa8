"""A whole evening through the panel, driven by Pilot like an officer would: Dutch at 19:00, then Arabic.

Real OBS (a tone video stands in for camera and microphone), the YouTube emulator with its RTMP ingest
receiving OBS's stream, PyAudio on a PulseAudio null sink with a voice in it. For each session: start
(preflight, scenes, broadcast, slate, recording, stream and test), go live, two viewer questions from the chat
on air (the moderator shortlists them), the guest scene, end (end slate, broadcast complete, recording
finalised and archived); then the next session. Every key the officer presses is counted.
"""

from __future__ import annotations

import pytest

from studio.tui.app import StudioApp
from studio.tui.screens.show import ShowScreen
from studio.usecases.context import Studio
from tests.pilot import wait_until

pytestmark = [pytest.mark.obs, pytest.mark.timeout(600)]
EVENING_WAIT = 90.0  # seconds for one step of a real evening on a busy 2-core machine


def program_scene(obs) -> str:
    client = obs.client()
    try:
        return client.get_current_program_scene().current_program_scene_name
    finally:
        client.disconnect()


class Officer:
    """Presses keys on the panel and counts them."""

    def __init__(self, pilot):
        self.pilot = pilot
        self.keys = 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            self.keys += 1
            await self.pilot.press(key)
            await self.pilot.pause(0.05)


async def two_questions_on_air(pilot, officer, ctx, emulator, obs, bid: str, lang: str) -> None:
    """Two viewers ask in the chat; the moderator (Questions screen) shortlists them; the officer airs each."""
    from studio.domain.questions import State

    chat_id = ctx.youtube.broadcasts.record(bid).live_chat_id
    texts = {"nl": ["Hoe beveilig ik mijn fiets? Bel me op 06-12345678", "Wat moet ik doen na een inbraak?"],
             "ar": ["كيف أحمي دراجتي؟ رقمي 0612345678", "ماذا أفعل بعد السرقة؟"]}[lang]
    for text in texts:
        emulator.control.post_chat(chat_id, text, author="Kijker")
    book = ctx.questions
    await wait_until(pilot, lambda: sum(q.text in texts for q in book.queue()) == 2,
                     f"{lang}: both questions in the queue", timeout=60)
    from studio.usecases import moderation, onair

    for q in book.queue():
        if q.text in texts and q.state is State.NEW:
            # the moderator chooses it in the Questions screen with its preview in view: 'v' airs it as seen
            moderation.shortlist(ctx, q.id, shown=onair.preview(ctx, q, wait=30).digest)
    for _ in texts:
        await officer.press("b")  # in beeld
        await wait_until(pilot, lambda: book.on_air() is not None, "a question on air", timeout=EVENING_WAIT)
        await wait_until(pilot, lambda: program_scene(obs) == "Vraag in beeld", "question scene", timeout=EVENING_WAIT)
        aired = book.airings()[-1].aired_text
        assert "06-12345678" not in aired and "0612345678" not in aired  # nothing personal on air
        await officer.press("k")  # beantwoord
        await wait_until(pilot, lambda: book.on_air() is None, "question answered", timeout=EVENING_WAIT)
    assert sum(q.state is State.ANSWERED for q in book.queue() if q.text in texts) == 2


async def test_whole_evening_dutch_then_arabic(evening_settings, emulator, obs):
    from studio.store import archive as archive_repo

    ctx = Studio(evening_settings)
    app = StudioApp(ctx)
    try:
        async with app.run_test(size=(130, 40)) as pilot:
            officer = Officer(pilot)
            await wait_until(pilot, lambda: isinstance(app.screen, ShowScreen) and app.screen.state is not None,
                             "the Show screen with tonight's first session", timeout=EVENING_WAIT)
            show: ShowScreen = app.screen
            assert [p.lang for p in show.plans] == ["nl", "ar"]
            for n, lang in enumerate(("nl", "ar")):
                assert show.plan is not None and show.plan.lang == lang
                await officer.press("s", "j")  # start, confirm
                await wait_until(pilot, lambda: show.state.step == "live" and show.state.status == "waiting",
                                 f"{lang}: ready to go live", timeout=150)
                assert "druk op  l" in show.next_step_text()[0].lower()
                assert program_scene(obs) == "Starten"
                await officer.press("l", "j")  # live, confirm
                await wait_until(pilot, lambda: show.state.step == "on_air", f"{lang}: live", timeout=EVENING_WAIT)
                assert program_scene(obs) == "Wijkagent"
                bid = show.state.broadcast_id
                assert emulator.control.state()["broadcasts"][bid]["lifeCycleStatus"] == "live"

                await two_questions_on_air(pilot, officer, ctx, emulator, obs, bid, lang)
                await officer.press("3")  # met gast: the show's order, as on the Studio screen
                await wait_until(pilot, lambda: program_scene(obs) == "Wijkagent met gast", "guest scene", timeout=EVENING_WAIT)
                await officer.press("2")
                await wait_until(pilot, lambda: program_scene(obs) == "Wijkagent", "officer scene", timeout=EVENING_WAIT)

                await officer.press("e", "j")  # end, confirm
                await wait_until(pilot, lambda: show.state.finished, f"{lang}: ended and archived", timeout=150)
                assert emulator.control.state()["broadcasts"][bid]["lifeCycleStatus"] == "complete"
                entries = archive_repo.list_entries(ctx.store, show.plan.session_id)
                assert len(entries) == 1 and entries[0].lang == lang
                client = obs.client()
                try:
                    assert not client.get_record_status().output_active
                    assert not client.get_stream_status().output_active
                finally:
                    client.disconnect()
                if n == 0:
                    assert "druk op  n" in show.next_step_text()[0].lower()
                    await officer.press("n")
                    await wait_until(pilot, lambda: show.plan.lang == "ar" and show.state is not None
                                     and show.state.session_id.endswith("-ar"), "the Arabic session", timeout=EVENING_WAIT)
            assert "laatste sessie" in show.next_step_text()[0]
            # two broadcasts in all, one per session; every key the officer pressed
            assert len(emulator.control.state()["broadcasts"]) == 2
            print(f"\nkey presses for the whole evening: {officer.keys}")
            assert officer.keys <= 30
    finally:
        ctx.close()
