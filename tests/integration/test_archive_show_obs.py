"""A short scripted show recorded by a real OBS, archived and processed: the end slate and its contact details
stay in the archived video, and the thumbnail is the officer on camera with no card and no slate.

The show's own scene collection (scenes/wijkspreekuur.toml, a test pattern with a tone as camera and
microphone), the slates and the question card rendered by the overlay, the studio's scene marks. Like the
Dutch rehearsal of issue 13, the end scene goes on air by mistake in the middle of the show for a moment
(the old cut, "end switch + end slate time", lost the real end slate with 112 and 0900-8844).

What the test checks comes from the video itself (frames decoded from the processed file, compared with the
rendered slate) and from OBS's own recording clock at each switch (asked through a raw client), never from
the scene marks that the code under test reads.
"""

from __future__ import annotations

import time
from datetime import datetime

import numpy as np
import pytest

from studio.domain.questions import Source
from studio.domain.scenes import (
    INPUT_SLATE_END,
    INPUT_SLATE_STARTING,
    SCENE_END,
    SCENE_OFFICER,
    SCENE_STARTING,
)
from studio.media import camera
from studio.store import archive as repo
from studio.store import session as sessions
from studio.usecases import onair
from studio.usecases.archive import handoff, thumbnail
from studio.usecases.archive import processing as process
from studio.usecases.context import Studio
from studio.usecases.scenes import apply_show
from tests.fixtures.obs_supervisor import ask
from tests.waiting import wait_until

pytestmark = [pytest.mark.obs, pytest.mark.timeout(240)]

SESSION = "2026-12-01-nl"
W, H = 640, 360  # the test OBS's canvas (tests/fixtures/_obs_process.py)


def record_seconds(raw) -> float:
    """OBS's own recording clock, now."""
    return float(ask(raw, "GetRecordStatus")["outputDuration"]) / 1000


def slate_pixels(kind: str) -> np.ndarray:
    from studio.overlay.render import render_slate

    img = render_slate(kind, "nl", "inbraakpreventie", when=datetime.fromisoformat("2026-12-01T19:00:00+01:00"))
    return np.asarray(img.convert("RGB").resize((W, H)), dtype=np.int16)


def difference(frame_bgr: np.ndarray, rgb: np.ndarray, where: np.ndarray | None = None) -> float:
    """Mean absolute difference (0..255) between a decoded frame and a picture of the same size (in ``where``)."""
    diff = np.abs(frame_bgr[:, :, ::-1].astype(np.int16) - rgb)
    return float(np.mean(diff if where is None else diff[where]))


def test_processed_show_ends_on_the_end_slate_and_thumbnail_is_the_officer(obs_settings, tone_override, obs_raw,
                                                                          tmp_path):
    obs_settings.obs.scenes_override = str(tone_override)
    ctx = Studio(obs_settings)
    try:
        obs = ctx.obs
        assert obs.wait_connected(15), obs.snapshot.reason
        apply_show(ctx)
        overlay = onair.card_dir(ctx)
        when = datetime.fromisoformat("2026-12-01T19:00:00+01:00")
        for kind, input_name in (("starting", INPUT_SLATE_STARTING), ("end", INPUT_SLATE_END)):
            path = onair.write_slate(ctx, kind, "nl", "inbraakpreventie", overlay / f"{kind}-{SESSION}.png", when=when)
            obs.set_image_file(input_name, path)
        obs.switch_scene(SCENE_STARTING)
        wait_until(lambda: obs.snapshot.program_scene == SCENE_STARTING, "the starting slate on air", 5)
        obs.set_record_directory(tmp_path / "opnames")
        sessions.ensure_session(ctx.store, SESSION, "nl", "inbraakpreventie", "2026-12-01T19:00:00+01:00", True,
                                "scenes")
        question = ctx.questions.add_manual("Hoe beveilig ik mijn achterdeur?", Source.PHONE)
        ctx.questions.shortlist(question.id)

        truth: list[tuple[float, str]] = []  # (OBS's recording clock, scene) at each switch

        def switch(scene: str, hold: float) -> None:
            obs.switch_scene(scene)
            wait_until(lambda: obs.snapshot.program_scene == scene, f"{scene} on air", 5)
            truth.append((record_seconds(obs_raw), scene))
            time.sleep(hold)

        _marks, unsubscribe = handoff.record_scene_marks(ctx, SESSION)
        try:
            obs.start_record(timeout=15)
            # as the show flow's record step does: the recording's 0:00 by OBS's own clock
            sessions.update_session(ctx.store, SESSION,
                                    record_started_at=time.time() - obs.record_status().duration_ms / 1000)
            truth.append((0.0, SCENE_STARTING))
            time.sleep(3.0)
            switch(SCENE_OFFICER, 5.0)
            seen = onair.preview(ctx, ctx.questions.get(question.id), wait=30.0)  # what the moderator sees
            onair.put_on_air(ctx, question.id, seen.digest)  # b: the card in the question scene
            wait_until(lambda: obs.snapshot.program_scene == "Vraag in beeld", "the question on air", 5)
            card_from = record_seconds(obs_raw)
            truth.append((card_from, "Vraag in beeld"))
            time.sleep(3.0)
            onair.take_off_air(ctx, answered=True)  # back to the officer
            wait_until(lambda: obs.snapshot.program_scene == SCENE_OFFICER, "back to the officer", 5)
            card_to = record_seconds(obs_raw)
            truth.append((card_to, SCENE_OFFICER))
            time.sleep(4.0)
            switch(SCENE_END, 2.0)  # by mistake, in the middle of the show
            # the show goes on for longer than OBS's keyframe interval here (250 frames, 16.7 s), so that the
            # old rule's cut (mistaken end + 3 s) finds a keyframe before the real end slate
            switch(SCENE_OFFICER, 16.0)
            switch(SCENE_END, 6.0)  # the real end slate, until the recording stops (as in the show flow)
            path = obs.stop_record(timeout=30)
        finally:
            unsubscribe()
        entry = handoff.archive_recording(ctx, path, SESSION)
        # The old rule cut at "first end switch + end slate time": with 3 s that is in the middle of the show.
        result = process.process(ctx.store, entry.id, end_slate_seconds=3)
        processed = result.entry
        duration = float(processed.processed_duration or 0)
        real_end_slate = truth[-1][0]
        assert duration >= entry.duration - 1.0 - result.cut.start, result.cut.reason
        assert real_end_slate - result.cut.start < duration - 4.0

        end_slate, starting_slate = slate_pixels("end"), slate_pixels("starting")
        # where the two slates differ: the end slate's own lines (112, 0900-8844, heerlen.nl/contact)
        own = np.max(np.abs(end_slate - starting_slate), axis=2) > 60
        last = camera.frames_at(processed.processed_path, [duration - 2.0, duration - 1.2, duration - 0.5], W, H)
        assert len(last) == 3
        for at, frame in last:
            # the end slate (112, 0900-8844, heerlen.nl/contact) as rendered, not the camera nor another slate
            assert difference(frame, end_slate) < 12, f"{at:.1f} s: not the end slate"
            print(f"{at:.1f} s: {difference(frame, end_slate, own):.1f} {difference(frame, starting_slate, own):.1f}")
            assert difference(frame, end_slate, own) < 25 < 60 < difference(frame, starting_slate, own)
        officer_at = truth[1][0] + 2.0 - result.cut.start
        ((_, camera_frame),) = camera.frames_at(processed.processed_path, [officer_at], W, H)
        assert difference(camera_frame, end_slate) > 40  # the comparison tells the camera from the slate

        # The thumbnail: a frame of the officer's scene, no card, no slate (OBS's clock says when that was).
        _path, score = thumbnail.for_entry(ctx.store, processed)
        at = score.at + result.cut.start
        stretches = [(t, truth[i + 1][0] if i + 1 < len(truth) else entry.duration, scene)
                     for i, (t, scene) in enumerate(truth)]
        inside = [s for s in stretches if s[0] + 0.5 <= at <= s[1] - 0.5]
        assert inside and inside[0][2] == SCENE_OFFICER, (at, stretches)
        assert not card_from - 0.5 <= at <= card_to + 0.5
        assert repo.get_entry(ctx.store, entry.id).state == "processed"
    finally:
        ctx.close()
