"""The technician's view (F2) against a real OBS (headless), driven by Pilot: the program picture is OBS's,
the microphone strip says when viewers do not hear it, the level keys move OBS's fader, OBS's own figures.

What OBS did is checked through a separate raw client (tests/fixtures/obs_supervisor.py), never by looking at
the panel's own idea of it.
"""

from __future__ import annotations

import io
import time

import pytest

from studio.domain.scenes import SCENE_OFFICER, SCENE_PAUSE
from studio.obs.state import Connection
from studio.tui.app import StudioApp
from studio.tui.screens import SCREENS
from studio.tui.screens.studio import StudioScreen
from studio.usecases.context import Studio
from tests.fixtures.obs_supervisor import ask
from tests.pilot import wait_until

pytestmark = [pytest.mark.obs, pytest.mark.timeout(120)]

SIZE = (120, 36)
MIC = "Microfoon"


def create_scene(raw, name: str, timeout: float = 10.0) -> None:
    """OBS frees a removed scene only when its last reference goes (a previous test's): retry a little."""
    from obsws_python.error import OBSSDKRequestError

    deadline = time.monotonic() + timeout
    while True:
        try:
            ask(raw, "CreateScene", sceneName=name)
            return
        except OBSSDKRequestError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def strip_line(screen: StudioScreen, name: str, line: int) -> str:
    mixer = screen.mixer
    return mixer.render_line(mixer.strips[name].top + line).text


async def test_technician_view_follows_obs(obs, obs_settings, obs_raw, tone_video):
    for scene in (SCENE_OFFICER, SCENE_PAUSE):
        create_scene(obs_raw, scene)
    # the officer's scene: a test pattern with a tone stands in for camera and microphone
    ask(obs_raw, "CreateInput", sceneName=SCENE_OFFICER, inputName=MIC, inputKind="ffmpeg_source",
        inputSettings={"local_file": str(tone_video), "looping": True})
    ask(obs_raw, "SetCurrentProgramScene", sceneName=SCENE_OFFICER)
    obs_settings.show.microphone_input = MIC
    ctx = Studio(obs_settings)
    app = StudioApp(ctx, stats_interval=0.5, screens=[e for e in SCREENS if e.mode == "studio"])
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_until(pilot, lambda: app.obs_snapshot.connection is Connection.CONNECTED
                             and MIC in app.obs_snapshot.inputs, "connected to OBS", timeout=15)
            screen: StudioScreen = app.screen  # type: ignore[assignment]

            # The program picture: OBS's screenshots, one pixel per half cell, drawn again and again.
            await wait_until(pilot, lambda: screen.preview.frames >= 2, "two pictures from OBS", timeout=15)
            from PIL import Image

            picture = Image.open(io.BytesIO(screen.preview._shown or b""))
            assert picture.size == screen.preview.request_size() == (44, 24)
            assert len(picture.convert("RGB").getcolors(4096) or ()) > 8  # the test pattern, not a blank frame

            # Where the sound goes: heard in the officer's scene; in the pause scene OBS says it is not on air.
            await wait_until(pilot, lambda: MIC in screen.mixer.strips and "● in uitzending"
                             in strip_line(screen, MIC, 1), "the microphone on air", timeout=10)
            ask(obs_raw, "SetCurrentProgramScene", sceneName=SCENE_PAUSE)
            await wait_until(pilot, lambda: "✕ niet in uitzending" in strip_line(screen, MIC, 1),
                             "the microphone off air in the pause scene", timeout=5)
            assert not screen.mixer.speaking  # no microphone in the pause scene on purpose: no alarm
            # The microphone hidden in the officer's scene while the officer speaks: the alarm.
            item = ask(obs_raw, "GetSceneItemId", sceneName=SCENE_OFFICER, sourceName=MIC)["sceneItemId"]
            ask(obs_raw, "SetSceneItemEnabled", sceneName=SCENE_OFFICER, sceneItemId=item, sceneItemEnabled=False)
            ask(obs_raw, "SetCurrentProgramScene", sceneName=SCENE_OFFICER)
            await wait_until(pilot, lambda: screen.mixer.speaking and "✕ niet in uitzending"
                             in strip_line(screen, MIC, 1), "the alarm in the officer's scene", timeout=5)
            ask(obs_raw, "SetSceneItemEnabled", sceneName=SCENE_OFFICER, sceneItemId=item, sceneItemEnabled=True)
            await wait_until(pilot, lambda: "● in uitzending" in strip_line(screen, MIC, 1), "back on air",
                             timeout=5)

            # The level keys move OBS's fader; the strip shows what OBS reports.
            screen.mixer.select(MIC)
            await pilot.press("plus")
            await wait_until(pilot, lambda: abs(ask(obs_raw, "GetInputVolume", inputName=MIC)["inputVolumeDb"] - 1.0)
                             < 0.01, "OBS's fader at +1 dB", timeout=5)
            await pilot.press("minus", "minus")
            await wait_until(pilot, lambda: abs(ask(obs_raw, "GetInputVolume", inputName=MIC)["inputVolumeDb"] + 1.0)
                             < 0.01, "OBS's fader at -1 dB", timeout=5)
            await wait_until(pilot, lambda: "niv   -1 dB" in strip_line(screen, MIC, 0), "the strip shows -1 dB",
                             timeout=5)
            ask(obs_raw, "SetInputVolume", inputName=MIC, inputVolumeDb=-6.0)  # turned in OBS itself
            await wait_until(pilot, lambda: "niv   -6 dB" in strip_line(screen, MIC, 0), "OBS's own change shown",
                             timeout=5)
            assert [e["action"] for e in ctx.store.audit_entries(action="input.volume")] == ["input.volume"] * 3

            # OBS's own figures (GetStats): frames made and skipped, with their units.
            health = screen.health.render_text(None, None)
            await wait_until(pilot, lambda: "beelden overgeslagen" in str(screen.health.render()),
                             "OBS's frame figures", timeout=5)
            assert "Stream" in str(screen.health.render()) and "niet actief" in str(screen.health.render())
            assert health.plain == "Geen cijfers: OBS is niet verbonden"
    finally:
        ctx.close()
