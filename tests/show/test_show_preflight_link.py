"""The Controle screen's "Start de uitzending" starts the session on the Spreekuur screen, and an override typed
there carries the session's own preflight step (audited again for the session). The adapters' work is a
recording double here: this is about the panel's wiring; the real steps run in test_show_evening.py."""

from __future__ import annotations

from studio.errors import StudioError
from studio.tui.screens.preflight import PreflightPassed
from studio.tui.screens.show import ShowScreen
from tests.pilot import wait_until
from tests.show.test_show_snapshots import ENTRY, make_app


class FailingPreflight:
    def __init__(self):
        self.calls = []

    def __getattr__(self, name):
        def step(*args, **kw):
            self.calls.append(name)
            if name == "preflight":
                raise StudioError("niet klaar: Microfoon (geluid): geen microfoon gevonden")
            return {"broadcast": "b-1", "record": 1.0, "live": 2.0, "stop_record": "/x.mkv"}.get(name)
        return step


async def test_start_from_the_controle_screen_with_an_override(settings, monkeypatch):
    fake = FailingPreflight()
    monkeypatch.setattr("studio.usecases.show_steps.StudioShowActions", lambda ctx: fake)
    app, ctx, _obs = make_app(settings, program="Wijkagent")
    from studio.tui.screens import ScreenEntry

    app.screen_entries = (ENTRY, ScreenEntry("f5", "preflight", "Controle",
                                             "studio.tui.screens.preflight:PreflightScreen"))
    async with app.run_test(size=(130, 40)) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, ShowScreen) and app.screen.state is not None)
        show = app.screen
        app.post_message(PreflightPassed(True, "reservemicrofoon, getest", None))
        await wait_until(pilot, lambda: show.state.step == "live" and show.state.status == "waiting")
        assert fake.calls[:3] == ["scenes", "broadcast", "preflight"]
        audit = ctx.store.audit_entries(action="preflight.override")
        assert audit and "reservemicrofoon, getest" in audit[0]["params"]["reason"]
