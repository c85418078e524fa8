"""The technician's figures from OBS's counters (studio.domain.stream_health): bitrate, lost frames, warnings."""

from __future__ import annotations

import pytest

from studio.domain.stream_health import FrameCounters, HealthTracker, Level, StreamCounters


def test_bitrate_from_bytes_over_obs_clock_and_average_at_first():
    t = HealthTracker(bitrate_window=5.0)
    frames = FrameCounters(0, 1000, 0, 1000)
    h = t.update(0.0, frames, StreamCounters(True, duration_ms=10_000, bytes=5_000_000))
    assert h.bitrate_kbps == pytest.approx(4000.0)  # one sample: the average since the stream started
    h = t.update(1.0, frames, StreamCounters(True, duration_ms=11_000, bytes=5_250_000))
    assert h.bitrate_kbps == pytest.approx(2000.0)  # 250 kB in 1 s of OBS's clock
    same = t.update(2.0, frames, StreamCounters(True, duration_ms=11_000, bytes=5_250_000))
    assert same.bitrate_kbps == pytest.approx(2000.0)  # a repeated answer changes nothing
    assert t.update(3.0, frames, StreamCounters(False)).bitrate_kbps is None


def test_render_skips_warn_by_total_and_by_the_last_seconds():
    """The issue: OBS's skipped render frames rose to 4,656 with no warning in the panel."""
    t = HealthTracker(window=10.0)
    h = t.update(0.0, FrameCounters(4656, 120_000, 0, 120_000), None)
    assert h.render.percent == pytest.approx(3.88, abs=0.01) and h.render.level is Level.WARNING
    assert h.level is Level.WARNING and "renderen (3.9%)" in h.warnings[0][1]
    # a long healthy evening: 0.1% in all, but 30% of the last 10 s -> an error now
    t = HealthTracker(window=10.0)
    t.update(0.0, FrameCounters(100, 100_000, 0, 100_000), None)
    h = t.update(10.0, FrameCounters(280, 100_600, 0, 100_600), None)
    assert h.render.recent_percent == pytest.approx(30.0) and h.render.level is Level.ERROR
    assert "30.0% nu" in h.warnings[0][1]
    # recovered: the window moves on and the total is low again
    for i in range(11, 25):
        h = t.update(float(i), FrameCounters(280, 100_600 + 60 * (i - 10), 0, 100_600 + 60 * (i - 10)), None)
    assert h.render.recent_percent == 0.0 and h.level is Level.OK and h.warnings == ()


def test_stream_drops_congestion_and_reconnecting():
    t = HealthTracker()
    frames = FrameCounters(0, 1000, 0, 1000)
    t.update(0.0, frames, StreamCounters(True, 1000, 500_000, dropped=0, total=30))
    h = t.update(3.0, frames, StreamCounters(True, 4000, 1_500_000, dropped=9, total=120, congestion=0.7))
    assert h.dropped is not None and h.dropped.recent_percent == pytest.approx(10.0)
    texts = [text for _, text in h.warnings]
    assert h.level is Level.ERROR and any("netwerk laat beelden vallen" in x for x in texts)
    assert any("netwerk is druk (70%)" in x for x in texts)
    h = t.update(4.0, frames, StreamCounters(True, 4000, 1_500_000, dropped=9, total=120, reconnecting=True))
    assert h.warnings[0] == (Level.ERROR, "De stream is weggevallen: OBS verbindt opnieuw (controleer de "
                                          "internetverbinding)")
    stalled = HealthTracker()
    stalled.update(0.0, frames, StreamCounters(True, 10_000, 5_000_000))
    h = stalled.update(2.0, frames, StreamCounters(True, 12_000, 5_001_000))
    assert h.bitrate_kbps == pytest.approx(4.0) and "bijna) niets naar YouTube" in h.warnings[0][1]


def test_obs_restart_starts_a_new_history():
    t = HealthTracker()
    t.update(0.0, FrameCounters(500, 10_000, 0, 10_000), None)
    h = t.update(5.0, FrameCounters(0, 300, 0, 300), None)
    assert h.render.lost == 0 and h.render.recent_percent is None and h.level is Level.OK
