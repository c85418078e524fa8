"""`studio rehearse`: "nu oefenen" (a rehearsal session starting in a few minutes) and the test picture that
stands in for a missing camera: real store, real ffmpeg, real OpenCV, and (marked obs) a real OBS showing it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studio.store import session as repo
from studio.usecases import evening, rehearse_now
from studio.usecases.context import Studio

TZ = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2026, 12, 1, 16, 20, 30, tzinfo=TZ)  # a Tuesday that is no session evening


@pytest.fixture
def ctx(settings):
    settings.youtube.rehearsal = "yes"
    settings.schedule.topics = ["inbraak", "fietsdiefstal"]
    c = Studio(settings)
    yield c
    c.close()


def test_nu_oefenen_starts_in_a_few_minutes_and_is_tonight(ctx):
    made = rehearse_now.plan_now(ctx, now=NOW, minutes=5)
    assert not made.resumed and [p.lang for p in made.plans] == ["nl"]
    plan = made.plans[0]
    assert plan.session_id == "2026-12-01-oefen1626-nl" and plan.rehearsal
    assert datetime.fromisoformat(plan.starts_at) == datetime(2026, 12, 1, 16, 26, tzinfo=TZ)
    assert plan.topic in ("inbraak", "fietsdiefstal")  # the next real session's topic
    # the Spreekuur screen opens on it (rehearsal mode), not on next week's session
    assert evening.tonight(ctx, NOW) == [plan]
    assert evening.session_to_open(ctx, evening.tonight(ctx, NOW)) == plan
    assert [s.plan for s in evening.statuses(ctx, NOW)] == [plan]
    assert evening.statuses(ctx, NOW)[0].where == "Scènes klaarzetten: nog niet begonnen"  # Dutch status words


def test_with_an_arabic_session_a_quarter_later(ctx):
    made = rehearse_now.plan_now(ctx, now=NOW, minutes=2, arabic=True)
    nl, ar = made.plans
    assert (nl.lang, ar.lang) == ("nl", "ar") and ar.session_id == "2026-12-01-oefen1623-ar"
    assert (datetime.fromisoformat(ar.starts_at) - datetime.fromisoformat(nl.starts_at)).total_seconds() == 900
    assert evening.tonight(ctx, NOW) == [nl, ar]


def test_an_unfinished_rehearsal_goes_on_and_a_finished_one_makes_room(ctx):
    first = rehearse_now.plan_now(ctx, now=NOW).plans[0]
    # made but never started: a new 'nu oefenen' replaces it (its start time would be in the past)
    later = NOW.replace(hour=17)
    second = rehearse_now.plan_now(ctx, now=later).plans[0]
    assert second != first and evening.tonight(ctx, later) == [second]
    # started: a crash or a closed panel carries on with it
    repo.record_step(ctx.store, second.session_id, "stream", "running", "")
    again = rehearse_now.plan_now(ctx, now=later.replace(minute=30))
    assert again.resumed and again.plans == (second,)
    # Dutch, not 'running'; and no panel is working on it, so it says so (issue 12: every step resumes)
    assert evening.statuses(ctx, later)[0].where == "Stream starten en testen: onderbroken"
    # finished: the next one is new
    repo.record_step(ctx.store, second.session_id, "done", "done", "")
    third = rehearse_now.plan_now(ctx, now=later.replace(minute=45))
    assert not third.resumed and third.plans[0].session_id == "2026-12-01-oefen1751-nl"


def test_real_mode_never_sees_a_rehearsal(ctx, settings):
    rehearse_now.plan_now(ctx, now=NOW)
    real = dataclasses.replace(settings, youtube=dataclasses.replace(settings.youtube, rehearsal="no"))
    with Studio(real) as c:
        assert all(not p.rehearsal for p in evening.tonight(c, NOW))


def test_without_a_camera_a_moving_test_picture_stands_in(settings):
    from studio.media import camera
    from studio.obs.scenes import load_show_for

    settings.preflight.camera_device = 7  # no /dev/video7 here (and on a PC without camera: none at all)
    choice = rehearse_now.with_test_picture(settings)
    assert choice.test_picture is not None and choice.test_picture.exists()
    assert "geen camera gevonden" in choice.note and "testbeeld" in choice.note
    s = choice.settings
    assert s.preflight.camera_file == str(choice.test_picture) and rehearse_now.uses_test_picture(s)
    assert not rehearse_now.uses_test_picture(settings)  # the caller's settings are not changed
    # OBS's camera input becomes the looping test picture
    cam = load_show_for(s).inputs[s.show.camera_input]
    assert set(cam.kinds.values()) == {("ffmpeg_source",)} and cam.overridden
    assert cam.settings["local_file"] == str(choice.test_picture) and cam.settings["looping"] is True
    # and the preflight's camera check (real OpenCV) judges it a good camera picture
    report = camera.check_camera(str(choice.test_picture), timeout=20.0)
    assert report.verdict == "ok", report
    # a second rehearsal keeps the same file
    again = rehearse_now.with_test_picture(settings)
    assert again.test_picture == choice.test_picture


def test_the_studios_own_camera_setting_is_left_alone(settings, tmp_path):
    settings.preflight.camera_file = str(tmp_path / "eigen.mp4")
    choice = rehearse_now.with_test_picture(settings)
    assert choice.settings is settings and choice.test_picture is None and "eigen instelling" in choice.note


def test_rehearse_help_explains_both():
    out = subprocess.run([sys.executable, "-m", "studio", "rehearse", "--help"], capture_output=True, text=True,
                         timeout=60)
    text = " ".join(out.stdout.split())
    assert out.returncode == 0
    assert "Nu oefenen" in text and "over een paar minuten" in text and "--arabisch" in text
    assert "Zonder camera gebruikt de oefening vanzelf een bewegend testbeeld" in text
    assert "datum" in text


@pytest.mark.obs
def test_obs_shows_the_test_picture_and_the_camera_checks_pass(obs_settings):
    """The whole point: a PC without camera rehearses with OBS showing the test picture as the camera."""
    from studio.usecases import preflight
    from studio.usecases.scenes import apply_show

    obs_settings.preflight.camera_device = 7
    s = rehearse_now.with_test_picture(obs_settings).settings
    with Studio(s) as c:
        c.obs.ensure_connected(15)
        apply_show(c)
        c.obs.switch_scene("Wijkagent")
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:  # an ffmpeg_source needs a moment before it renders
            state = c.obs.input_state(s.show.camera_input)
            if state is not None and state.video_active:
                break
            time.sleep(0.2)
        checks = {r.id: r for r in preflight.doctor(c, ids=["camera.device", "obs.camera_input",
                                                             "obs.program"]).results}
    assert checks["obs.camera_input"].status == "ok" and checks["obs.camera_input"].value == "ffmpeg_source"
    assert checks["obs.camera_input"].value_text == "mediabestand"
    assert checks["camera.device"].status == "ok", checks["camera.device"]
    assert checks["obs.program"].status == "ok", checks["obs.program"]
    assert Path(s.preflight.camera_file).parent == rehearse_now.stand_in_dir(s)
