"""A stand-in for the studio's Obs (studio.obs.commands) with fixed, known state: for snapshot tests only (deterministic pictures).

The program picture (``screenshot``) is a fixed drawing (``officer_picture``) scaled to the size asked; where
each input goes (``audio_route``) comes from ``routes``; the stream's figures from ``stream``.

Behaviour against OBS is tested with the real OBS (tests/tui/test_panel_obs.py); this fake only feeds the
panel exactly the snapshot, stats and meters a picture needs, and records what the panel asked for.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from studio.domain.scenes import SHOW_SCENES
from studio.obs.state import (
    AudioRoute,
    Capabilities,
    ChannelLevel,
    Connection,
    Event,
    InputInfo,
    MetersUpdated,
    ObsSnapshot,
    OutputStatus,
    StateChanged,
    Stats,
)


def connected_snapshot(**changes: Any) -> ObsSnapshot:
    inputs = {
        "Camera": InputInfo("Camera", "v4l2_input"),
        "Microfoon": InputInfo("Microfoon", "pulse_input_capture"),
        "Jingle": InputInfo("Jingle", "ffmpeg_source", muted=True),
        "Vraagkaart": InputInfo("Vraagkaart", "image_source"),
    }
    snap = ObsSnapshot(
        connection=Connection.CONNECTED,
        capabilities=Capabilities(obs_version="29.0.2", websocket_version="5.1.0", platform="linux"),
        scenes=("Scene", *reversed(SHOW_SCENES)),  # OBS's own order differs from the show's
        program_scene="Wijkagent",
        inputs=MappingProxyType(inputs),
    )
    return dataclasses.replace(snap, **changes)


def levels(db: float, peak: float | None = None, channels: int = 2) -> tuple[ChannelLevel, ...]:
    p = db + 3 if peak is None else peak
    return tuple(ChannelLevel(db, p, p) for _ in range(channels))


def officer_picture(width: int = 320, height: int = 180) -> bytes:
    """A fixed picture of 'the officer on camera' (PNG): a room, a window, a figure at a desk."""
    import io

    from PIL import Image, ImageDraw

    img = Image.new("RGB", (320, 180), (64, 86, 112))
    d = ImageDraw.Draw(img)
    d.rectangle((0, 120, 320, 180), fill=(120, 92, 60))  # the desk
    d.rectangle((220, 20, 300, 90), fill=(190, 215, 235))  # a window
    d.ellipse((130, 30, 190, 95), fill=(236, 190, 150))  # the head
    d.rectangle((110, 95, 210, 150), fill=(20, 32, 80))  # the uniform
    d.rectangle((150, 100, 170, 110), fill=(230, 200, 60))  # the badge
    buf = io.BytesIO()
    img.resize((width, height), Image.Resampling.BILINEAR).save(buf, format="PNG")
    return buf.getvalue()


class FakeObs:
    def __init__(self, snapshot: ObsSnapshot, stats: Stats | None = None,
                 record_timecode: str = "00:12:34.567", stream_timecode: str = "00:10:02.100",
                 stream: OutputStatus | None = None, routes: Mapping[str, AudioRoute] | None = None) -> None:
        self._snapshot = snapshot
        self.stats = stats or Stats(cpu_usage=4.25, render_skipped_frames=3, output_skipped_frames=0)
        self.record_timecode = record_timecode
        self.stream_timecode = stream_timecode
        self.stream = stream
        self.routes = dict(routes or {})
        self.listeners: list[Callable[[Event], None]] = []
        self.calls: list[tuple[str, Any]] = []
        self.closed = False
        self.screenshots = 0

    @property
    def snapshot(self) -> ObsSnapshot:
        return self._snapshot

    def add_listener(self, fn: Callable[[Event], None]) -> Callable[[], None]:
        self.listeners.append(fn)
        return lambda: self.listeners.remove(fn)

    def publish(self, event: Event) -> None:
        for fn in list(self.listeners):
            fn(event)

    def set_snapshot(self, snap: ObsSnapshot) -> None:
        self._snapshot = snap
        self.publish(StateChanged(snap))

    def meters(self, levels_by_input: Mapping[str, tuple[ChannelLevel, ...]]) -> None:
        self.publish(MetersUpdated(MappingProxyType(dict(levels_by_input))))

    # the commands the panel gives, recorded
    def switch_scene(self, name: str) -> None:
        self.calls.append(("switch_scene", name))

    def program_scene(self) -> str | None:
        return self._snapshot.program_scene

    def set_source_visible(self, scene: str, source: str, visible: bool) -> None:
        self.calls.append(("set_source_visible", (scene, source, visible)))

    def image_file(self, input_name: str) -> str | None:
        return None

    def set_image_file(self, input_name: str, path: Any) -> None:
        self.calls.append(("set_image_file", (input_name, str(path))))

    def toggle_input_mute(self, name: str) -> bool:
        self.calls.append(("toggle_input_mute", name))
        return True

    def set_record_directory(self, path) -> None:
        self.calls.append(("set_record_directory", str(path)))

    def start_record(self, timeout: float = 10) -> None:
        self.calls.append(("start_record", None))

    def stop_record(self, timeout: float = 30) -> Path:
        self.calls.append(("stop_record", None))
        return Path("/tmp/opname.mkv")

    def get_stats(self) -> Stats:
        return self.stats

    def record_status(self) -> OutputStatus:
        return OutputStatus(self._snapshot.recording, self.record_timecode)

    def stream_status(self) -> OutputStatus:
        if self.stream is not None:
            return self.stream
        return OutputStatus(self._snapshot.streaming, self.stream_timecode)

    def screenshot(self, source: str, width: int, height: int) -> bytes:
        self.screenshots += 1
        return officer_picture(width, height)

    def audio_route(self, name: str) -> AudioRoute:
        return self.routes.get(name) or AudioRoute(name, in_program=True)

    def input_volume_db(self, name: str) -> float:
        return self.audio_route(name).volume_db

    def set_input_volume_db(self, name: str, db: float) -> None:
        self.calls.append(("set_input_volume_db", (name, db)))
        self.routes[name] = dataclasses.replace(self.audio_route(name), volume_db=db)

    def close(self) -> None:
        self.closed = True
