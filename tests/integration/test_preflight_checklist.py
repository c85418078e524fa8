"""The checklist runner and the system checks: timeouts, errors and 'niet beschikbaar' are verdicts."""

from __future__ import annotations

import threading
import time
from collections import namedtuple

import pytest

from studio import files
from studio.errors import StudioError
from studio.usecases import preflight
from studio.usecases.context import Studio


def _spec(id, fn, timeout=2.0, blocking=True):
    return preflight.CheckSpec(id, id, fn, blocking, timeout, "test")


@pytest.fixture
def env(settings):
    ctx = Studio(settings)
    yield preflight.CheckEnv(ctx)
    ctx.close()


def test_runner_turns_hangs_errors_and_unavailable_into_verdicts(env):
    never = threading.Event()

    def hangs(e):
        never.wait(10)
        return preflight.Outcome("ok")

    def boom(e):
        raise ZeroDivisionError("x")

    def studio_error(e):
        raise StudioError("kapot", "repareer")

    def absent(e):
        raise preflight.Unavailable("nog niet gebouwd")

    specs = [_spec("hang", hangs, timeout=0.3), _spec("boom", boom), _spec("err", studio_error),
             _spec("na", absent), _spec("ok", lambda e: preflight.Outcome("warning", 1, "let op"), blocking=False)]
    seen = []
    start = time.monotonic()
    cl = preflight.run_checks(env, specs, on_result=lambda r, d, t: seen.append((r.id, d, t)))
    never.set()
    assert time.monotonic() - start < 2
    res = {r.id: r for r in cl.results}
    assert [r.id for r in cl.results] == ["hang", "boom", "err", "na", "ok"]  # registry order, not finish order
    assert res["hang"].status == "fail" and "geen antwoord binnen" in res["hang"].advice
    assert res["boom"].status == "fail" and "ZeroDivisionError" in res["boom"].advice
    assert res["err"].advice == "kapot — repareer"
    assert res["na"].status == "unavailable" and res["na"].advice.startswith("niet beschikbaar")
    assert sorted(s[0] for s in seen) == sorted(res) and seen[-1][1:] == (5, 5)
    assert not cl.passed and cl.any_failed
    assert {r.id for r in cl.blocking_failures} == {"hang", "boom", "err"}


def test_unavailable_and_warnings_do_not_block(env):
    cl = preflight.run_checks(env, [
        _spec("na", lambda e: (_ for _ in ()).throw(preflight.Unavailable("x"))),
        _spec("w", lambda e: preflight.Outcome("warning", None, "krap")),
        _spec("nb", lambda e: preflight.Outcome("fail", None, "stuk"), blocking=False),
    ])
    assert cl.passed and cl.any_failed  # the non-blocking failure does not gate the show, but doctor exits 1
    assert "waarschuwing" in cl.summary()


def test_checks_run_concurrently(env):
    def slow(e):
        time.sleep(0.5)
        return preflight.Outcome("ok")

    cl = preflight.run_checks(env, [_spec(f"s{i}", slow) for i in range(6)])
    assert cl.seconds < 1.5


def test_recordings_folder_needs_room(env, monkeypatch):
    Usage = namedtuple("Usage", "total used free")
    need = preflight.needed_bytes(env.settings.preflight.record_minutes, env.settings.preflight.record_bitrate_kbps)
    assert need == int(90 * 60 * 6000 * 1000 / 8 * 1.1)
    monkeypatch.setattr(files.shutil, "disk_usage", lambda p: Usage(10**12, 0, need - 1))
    r = preflight.run_checks(env, preflight.selected(["disk.recordings"])).results[0]
    assert r.status == "fail" and "te weinig ruimte" in r.advice
    monkeypatch.setattr(files.shutil, "disk_usage", lambda p: Usage(10**12, 0, need + 1))
    assert preflight.run_checks(env, preflight.selected(["disk.recordings"])).results[0].status == "warning"
    monkeypatch.setattr(files.shutil, "disk_usage", lambda p: Usage(10**12, 0, 10 * need))
    assert preflight.run_checks(env, preflight.selected(["disk.recordings"])).results[0].status == "ok"


def test_recordings_folder_not_writable(env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    env.settings.paths.recordings_dir = str(blocker / "recordings")
    r = preflight.run_checks(env, preflight.selected(["disk.recordings"])).results[0]
    assert r.status == "fail" and "niet schrijfbaar" in r.advice


def test_raqm_and_fonts_present(env):
    res = {r.id: r for r in preflight.run_checks(env, preflight.selected(["system.raqm", "system.fonts"])).results}
    assert res["system.raqm"].status == "ok", res["system.raqm"]
    assert res["system.fonts"].status == "ok", res["system.fonts"]


def test_raqm_missing_fails(env, monkeypatch):
    from PIL import features

    monkeypatch.setattr(features, "check", lambda name: False)
    r = preflight.run_checks(env, preflight.selected(["system.raqm"])).results[0]
    assert r.status == "fail" and "raqm" in r.advice


def test_missing_theme_font_fails(env, monkeypatch, tmp_path):
    import studio.overlay.fonts as fonts

    monkeypatch.setattr(fonts, "FONTS_DIR", tmp_path)  # an empty fonts folder
    monkeypatch.setattr(fonts.font_set, "__defaults__", (tmp_path,))
    r = preflight.run_checks(env, preflight.selected(["system.fonts"])).results[0]
    assert r.status == "fail" and "lettertype ontbreekt" in r.advice


def test_camera_check_switched_off_is_unavailable(env):
    env.settings.preflight.camera_device = -1
    r = preflight.run_checks(env, preflight.selected(["camera.device"])).results[0]
    assert r.status == "unavailable" and "camera_device = -1" in r.advice


def test_camera_file_from_settings(env, camera_videos):
    env.settings.preflight.camera_file = str(camera_videos["blurred"])
    r = preflight.run_checks(env, preflight.selected(["camera.device"])).results[0]
    assert r.status == "fail" and "onscherp" in r.advice and r.value == "1280x720 25 beelden/s"


def test_youtube_quota_exhausted_fails(env):
    from studio.youtube.auth import target_name
    from studio.youtube.quota import QuotaLedger

    ledger = QuotaLedger(env.ctx.store, env.settings.youtube.daily_quota, target=target_name(env.settings))
    ledger.record("liveChatMessages.list", units=env.settings.youtube.daily_quota - 10)
    r = preflight.run_checks(env, preflight.selected(["youtube.quota"])).results[0]
    assert r.status == "fail" and r.value == 10 and "quota" in r.advice


def test_youtube_token_in_rehearsal_and_not_signed_in(env, tmp_path):
    env.settings.youtube.rehearsal = "yes"
    r = preflight.run_checks(env, preflight.selected(["youtube.token"])).results[0]
    assert r.status == "ok" and "OEFENMODUS" in r.advice
    env.settings.youtube.rehearsal = "no"
    env.settings.youtube.token_file = str(tmp_path / "no-token.json")
    r = preflight.run_checks(env, preflight.selected(["youtube.token"])).results[0]
    assert r.status == "fail" and "studio auth" in r.advice


def test_json_is_stable(env):
    import json

    cl = preflight.run_checks(env, preflight.selected(groups=["system"]))
    for r in cl.results:
        d = r.to_json()
        assert list(d)[:5] == ["id", "label", "status", "value", "advice"]
        json.dumps(d, allow_nan=False)


def test_tonights_broadcast_through_the_emulator(youtube_settings):
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    ctx = Studio(youtube_settings)
    env = preflight.CheckEnv(ctx)
    spec = preflight.selected(["youtube.broadcast"])
    try:
        r = preflight.run_checks(env, spec).results[0]
        assert r.status == "warning" and "nog geen uitzending" in r.advice and not r.blocking

        today = datetime.now(ZoneInfo(youtube_settings.schedule.timezone)).date().isoformat()
        yt = ctx.youtube
        rec = yt.broadcasts.create("inbraak", "nl", datetime.now(UTC) + timedelta(minutes=5),
                                   session_key=f"{today}-nl")
        r = preflight.run_checks(env, spec).results[0]
        assert (r.status, r.value) == ("warning", rec.broadcast_id) and "niet aan de stream gekoppeld" in r.advice

        stream = yt.broadcasts.streams.ensure()
        yt.api.bind_broadcast(rec.broadcast_id, stream["id"])
        r = preflight.run_checks(env, spec).results[0]
        assert (r.status, r.value, r.advice) == ("ok", rec.broadcast_id, "")
    finally:
        ctx.close()
