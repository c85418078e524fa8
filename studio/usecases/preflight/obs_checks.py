"""Preflight checks of OBS: reachable, the show's camera and microphone inputs, the meter, other sound that
viewers would hear, the program output."""

from __future__ import annotations

import math
import threading
import time

from studio.errors import StudioError
from studio.obs.commands import InputState, Obs
from studio.usecases.preflight.runner import CheckEnv, Outcome, check

METER_SIGNAL_DBFS = -60.0  # OBS's meter shows "signal" above this
METER_WAIT = 5.0


@check("obs.connection", "OBS bereikbaar", group="obs", timeout=8.0)
def check_obs_connection(env: CheckEnv) -> Outcome:
    caps = env.obs(primary=True).capabilities
    return Outcome("ok", f"OBS {caps.obs_version} / WebSocket {caps.websocket_version}")


def _input_state(env: CheckEnv, name: str, what: str) -> tuple[Obs, InputState]:
    from studio.obs.errors import ObsRequestFailed

    obs = env.obs()
    try:
        state = obs.input_state(name)
    except ObsRequestFailed as exc:
        raise StudioError(f"OBS kent de status van '{name}' niet ({exc.comment or exc.code})") from None
    if state is None:
        raise StudioError(f"{what} '{name}' bestaat niet in OBS",
                          f"maak hem aan of zet de juiste naam in [show] {what.lower()}_input")
    return obs, state


@check("obs.camera_input", "Camerabron in OBS", group="obs", timeout=8.0)
def check_obs_camera_input(env: CheckEnv) -> Outcome:
    name = env.settings.show.camera_input
    _, st = _input_state(env, name, "Camera")
    if not st.video_active:
        return Outcome("fail", st.kind, f"camerabron '{name}' is niet actief: zet hem in de programmascène")
    return Outcome("ok", st.kind)


@check("obs.mic_input", "Microfoonbron in OBS", group="obs", timeout=8.0)
def check_obs_mic_input(env: CheckEnv) -> Outcome:
    name = env.settings.show.microphone_input
    obs, st = _input_state(env, name, "Microphone")
    if obs.input_muted(name):
        return Outcome("fail", st.kind, f"microfoon '{name}' staat gedempt in OBS: zet het geluid aan")
    vol = obs.input_volume_db(name)
    if vol <= -60:
        return Outcome("fail", st.kind, f"volume van '{name}' staat op {vol:.0f} dB in OBS: schuif hem omhoog")
    return Outcome("ok", st.kind)


@check("obs.mic_meter", "Microfoon geeft signaal in OBS", group="obs", timeout=METER_WAIT + 5, unit="dBFS")
def check_obs_mic_meter(env: CheckEnv) -> Outcome:
    from studio.obs.state import Event, MetersUpdated

    name = env.settings.show.microphone_input
    obs = env.obs()
    if name not in obs.input_kinds():
        return Outcome("fail", None, f"microfoonbron '{name}' bestaat niet in OBS")
    best = [-math.inf]
    got = threading.Event()
    seen = threading.Event()

    def listener(event: Event) -> None:
        if isinstance(event, MetersUpdated) and name in event.levels:
            seen.set()
            peak = max((c.peak_dbfs for c in event.levels[name]), default=-math.inf)
            best[0] = max(best[0], peak)
            if peak > METER_SIGNAL_DBFS:
                got.set()

    unsubscribe = obs.add_listener(listener)
    try:
        got.wait(METER_WAIT)
    finally:
        unsubscribe()
    level = None if best[0] == -math.inf else round(best[0], 1)
    if got.is_set():
        return Outcome("ok", level)
    if not seen.is_set():
        return Outcome("fail", None, f"geen meter van '{name}' in {METER_WAIT:.0f} s: "
                                     "is de bron actief en heeft hij geluid?")
    return Outcome("fail", level, f"de meter van '{name}' blijft stil (onder {METER_SIGNAL_DBFS:.0f} dBFS): "
                                  "spreek in de microfoon; controleer kabel en gain")


@check("obs.other_audio", "Geen ander geluid in de uitzending", group="obs", timeout=10.0)
def check_obs_other_audio(env: CheckEnv) -> Outcome:
    """Sound besides the show's microphone and camera that viewers would hear: OBS's own "Desktop Audio" or
    "Mic/Aux" (global devices are in every scene: notification sounds of the PC, or the microphone twice) or a
    source someone added to a scene. A warning, not a stop: it may be meant (a jingle)."""
    from studio.obs.state import is_audio_kind

    obs = env.obs()
    show = {env.settings.show.microphone_input, env.settings.show.camera_input}
    heard = []
    for name, kind in sorted(obs.input_kinds().items()):
        if name in show or not is_audio_kind(kind) or obs.input_muted(name):
            continue
        route = obs.audio_route(name)
        if route.heard_by_viewers and route.volume_db > -100:
            heard.append(name)
    if not heard:
        return Outcome("ok", None)
    names = ", ".join(f"'{n}'" for n in heard)
    return Outcome("warning", names, f"kijkers horen ook {names} (geluid van de pc, muziek?): demp het op het "
                                     "Studio-scherm (F2, g) als dat niet de bedoeling is")


@check("obs.program", "Programmabeeld (uitgaand beeld)", group="obs", timeout=10.0)
def check_obs_program(env: CheckEnv) -> Outcome:
    from studio.media import camera

    obs = env.obs()
    scene = obs.program_scene() or ""
    if not scene:
        return Outcome("fail", None, "OBS heeft geen programmascène")
    frames = [camera.decode_image(obs.screenshot(scene, 640, 360))]
    time.sleep(1.0)
    frames.append(camera.decode_image(obs.screenshot(scene, 640, 360)))
    r = camera.analyse_frames(frames, source=f"OBS-scène {scene}", check_format=False)
    detail = r.to_json()
    if r.black:
        return Outcome("fail", scene, f"het programmabeeld ('{scene}') is zwart: staat de camera in de scène?", detail)
    if r.frozen:
        return Outcome("fail", scene, f"het programmabeeld ('{scene}') staat stil: loopt de camera nog?", detail)
    return Outcome("ok", scene, "", detail)
