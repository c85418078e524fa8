"""The Questions screen's privacy preview and keys with Pilot: highlights, 'm' and 'h', and the loading gate.

The filter is the real one. Without OBS (a free port): what these tests check all happens before OBS, and
a refusal must never get that far. The airing itself against the real OBS: tests/tui/test_done_when_obs.py.
"""

from __future__ import annotations

import json

import pytest
from textual.widgets import DataTable, OptionList, SelectionList, Static

from studio.deid import Scrubber
from studio.domain.questions import Question, Source, State
from studio.tui.app import StudioApp
from studio.tui.widgets.air_preview import ROLE_STYLE
from studio.tui.widgets.redaction_pickers import MaskPicker, RestorePicker
from studio.usecases import redactions
from studio.usecases.context import Studio
from tests.pilot import free_port, wait_until

QUESTION = "mijn broer heeft ruzie met kevin over geld, bel 06-41234567"


def text_of(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def rows(app) -> list[str]:
    table = app.screen.query_one(DataTable)
    return [str(table.get_row_at(i)[-1]) for i in range(table.row_count)]


async def open_questions(app, pilot, n: int) -> None:
    await pilot.press("f4")
    await wait_until(pilot, lambda: app.current_mode == "questions" and app.screen.query(DataTable)
                     and len(rows(app)) == n, "the Questions screen with its queue")


def styled(text_obj, style: str) -> list[str]:
    """The pieces of a rendered Text that carry ``style``."""
    return [text_obj.plain[s.start : s.end] for s in text_obj.spans if str(s.style) == style]


async def test_nothing_is_previewed_or_aired_while_the_filter_loads(settings):
    settings.obs.port = free_port()
    loading = Scrubber()  # real, not loaded yet: as at panel start on a slow machine
    ctx = Studio(settings, scrubber=loading)
    q = ctx.questions.add_manual("Mijn buurman Piet Jansen op de Kampstraat 14a, bel 06-41234567", Source.PHONE)
    app = StudioApp(ctx, stats_interval=5)
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await open_questions(app, pilot, 1)
            await wait_until(pilot, lambda: "privacyfilter wordt geladen" in text_of(app, "#q-aired"), "the gate")
            assert "Piet" not in text_of(app, "#q-aired")
            assert "privacyfilter wordt geladen" in text_of(app, "#q-intake")  # calmly, where the moderator looks
            await pilot.press("b")
            await wait_until(pilot, lambda: any("Niet in beeld gebracht: privacyfilter wordt geladen" in
                                                str(n.message) for n in app._notifications), "the refusal")
            await pilot.press("m")
            await pilot.pause(0.1)
            assert not isinstance(app.screen, MaskPicker)  # nothing to mask on before there is a preview
            assert ctx.questions.get(q.id).state is State.NEW
            assert not list((settings.data_dir / "overlay").glob("*.png"))  # not even a card was made
            loading.start()
            await wait_until(pilot, lambda: "[telefoonnummer]" in text_of(app, "#q-aired"), "the preview once ready")
            assert text_of(app, "#q-aired") == "Mijn buurman [naam] op de [adres], bel [telefoonnummer]"
            await wait_until(pilot, lambda: "privacyfilter" not in text_of(app, "#q-intake"), "a calm line again")
    finally:
        ctx.close()


async def test_mask_and_restore_with_the_keys(settings, ready_scrubber):
    settings.obs.port = free_port()
    ctx = Studio(settings, scrubber=ready_scrubber)
    q = ctx.questions.add_manual(QUESTION, Source.SOCIAL)
    app = StudioApp(ctx, stats_interval=5)
    try:
        async with app.run_test(size=(150, 40)) as pilot:
            await open_questions(app, pilot, 1)
            await wait_until(pilot, lambda: "[telefoonnummer]" in text_of(app, "#q-aired"), "the preview")
            pane = app.screen.preview_pane
            # the original: the phone number hidden, "kevin" to look at, each in its own style; on the right
            # the marker in the style of what it hides, "kevin" still marked where it airs as written
            original = pane.shown_original
            assert styled(original, ROLE_STYLE["hidden"]) == ["06-41234567"]
            assert styled(original, ROLE_STYLE["check"]) == ["kevin"]
            assert styled(pane.shown_aired, ROLE_STYLE["hidden"]) == ["[telefoonnummer]"]
            assert styled(pane.shown_aired, ROLE_STYLE["check"]) == ["kevin"]
            assert "nakijken: mogelijk [naam] “kevin”" in text_of(app, "#q-privacy")

            # m, Enter: the first line is what the filter was unsure about -> masked as a name
            await pilot.press("m")
            await wait_until(pilot, lambda: isinstance(app.screen, MaskPicker), "the mask dialog")
            assert "Zo komt het in beeld" in str(app.screen.query_one("#pick-result", Static).render())
            await pilot.press("enter")
            await wait_until(pilot, lambda: text_of(app, "#q-aired").startswith(
                "mijn broer heeft ruzie met [naam] over geld"), "the mask on the preview")
            assert "nakijken" not in text_of(app, "#q-privacy")

            # m, tick "broer" with space, Enter
            await pilot.press("m")
            await wait_until(pilot, lambda: isinstance(app.screen, MaskPicker), "the mask dialog")
            picker = app.screen
            index = next(i for i, label in enumerate(picker.labels) if label.plain == "broer")
            picker.query_one(SelectionList).highlighted = index
            await pilot.press("space")
            await wait_until(pilot, lambda: "mijn [weggelaten] heeft" in str(
                picker.query_one("#pick-result", Static).render()), "the dialog's own preview")
            await pilot.press("enter")
            await wait_until(pilot, lambda: text_of(app, "#q-aired").startswith("mijn [weggelaten] heeft"),
                             "the second mask")

            # h: let the phone number through (say it was the police's own line), Enter
            await pilot.press("h")
            await wait_until(pilot, lambda: isinstance(app.screen, RestorePicker), "the restore dialog")
            picker = app.screen
            phone = next(i for i, (r, _m) in enumerate(picker.choices) if r is not None and r.kind == "phone")
            picker.query_one(OptionList).highlighted = phone
            await pilot.press("enter")
            await wait_until(pilot, lambda: text_of(app, "#q-aired").endswith("bel 06-41234567"), "the restore")
            restored = pane.shown_original
            assert styled(restored, ROLE_STYLE["restored"]) == ["06-41234567"]

            # h again: take the "broer" mask back
            await pilot.press("h")
            await wait_until(pilot, lambda: isinstance(app.screen, RestorePicker), "the restore dialog")
            picker = app.screen
            broer = next(i for i, (_r, m) in enumerate(picker.choices) if m is not None and m.kind == "manual")
            picker.query_one(OptionList).highlighted = broer
            await pilot.press("enter")
            await wait_until(pilot, lambda: text_of(app, "#q-aired") ==
                             "mijn broer heeft ruzie met [naam] over geld, bel 06-41234567", "the unmask")

            # what was decided is in SQLite with who and offsets; the audit never holds the text
            history = redactions.history(ctx, q.id)
            assert sorted((h["action"], h["kind"]) for h in history) == [("mask", "name"), ("restore", "phone")]
            audit = json.dumps(ctx.store.audit_entries(limit=1000), ensure_ascii=False)
            assert not [w for w in ("kevin", "broer", "41234567", "ruzie") if w in audit]
            keys = [e["params"].get("action") for e in ctx.store.audit_entries(action="question.redaction")]
            assert sorted(keys) == ["mask", "mask", "restore", "unmask"]
    finally:
        ctx.close()


@pytest.fixture
def highlighted_app(settings, ready_scrubber):
    from studio.tui.screens import SCREENS
    from tests.tui.fakes import FakeObs, connected_snapshot

    settings.youtube.rehearsal = "no"
    c = Studio(settings, obs=FakeObs(connected_snapshot()), scrubber=ready_scrubber)
    t0 = 1_767_722_400.0
    page = [
        Question(id="a", text="Mijn buurman Piet Jansen op de Kampstraat 14a, bel 06-41234567. Hij en kevin "
                 "dealen daar elke avond.", received_at=t0, message_id="m1"),
        Question(id="b", text="Wat kan ik doen tegen fietsendiefstal bij het station?", received_at=t0 + 5,
                 message_id="m2"),
    ]
    c.questions.record_page("chat", "t", page, ["m1", "m2"])
    app = StudioApp(c, clock=lambda: 1000.0, stats_interval=30, screens=[e for e in SCREENS if e.mode == "questions"])
    yield app
    c.close()


def test_snapshot_questions_screen_with_highlights(snap_compare, highlighted_app):
    """The look: the original with each finding highlighted (hidden: solid; to look at: underlined yellow),
    the markers in the same colours on the right, and the line that says what was hidden and what to check."""
    app = highlighted_app

    async def run_before(pilot) -> None:
        await wait_until(pilot, lambda: app.screen.query(DataTable) and len(rows(app)) == 2)
        app.screen.query_one(DataTable).move_cursor(row=0)
        await wait_until(pilot, lambda: app.screen.preview_pane.current is not None
                         and app.screen.preview_pane.current.question_id == "a", "the preview")
        await pilot.pause(0.1)

    assert snap_compare(app, terminal_size=(120, 36), run_before=run_before)
