"""The studio's OBS: every operation the use cases and the panel need, by name, with typed answers.

``Obs`` stands on one ``ObsSupervisor`` (studio.obs.supervisor: the connection, its reconnects and events) and
is the only way the rest of the studio talks to OBS. No obs-websocket request name appears outside
``studio/obs``: a use case asks ``obs.program_scene()`` or ``obs.record_status()``, never ``"GetRecordStatus"``.

Outputs: ``StartRecord`` and ``StartStream`` answer before anything is written or sent, and ``StopRecord``
answers before the muxer has finished; the methods below return only once OBS's own state event (or its
status request, when events got lost) confirms, and ``stop_record`` only once the file stopped growing.
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.obs.errors import ObsError, ObsTimeout
from studio.obs.reduce import OUTPUT_STARTED, OUTPUT_STOPPED, stats_from
from studio.obs.state import AudioRoute, Capabilities, Event, ObsSnapshot, OutputStatus, Stats
from studio.obs.supervisor import ObsSupervisor

if TYPE_CHECKING:
    from studio.config import ObsSettings
    from studio.obs.scenes import Show
    from studio.obs.scenes_apply import Plan

_LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
MONITOR_ONLY = "OBS_MONITORING_TYPE_MONITOR_ONLY"
# OutputStatus lives with the other plain values (studio.obs.state: the panel draws it); named here as well.
__all__ = ["MONITOR_ONLY", "InputState", "Obs", "OutputStatus"]


@dataclass(frozen=True)
class InputState:
    """An input as OBS knows it: kind, whether it is shown in the program (active) and shown anywhere."""

    name: str
    kind: str
    video_active: bool
    video_showing: bool


class Obs:
    """The studio's OBS. ``start()`` once (it connects and reconnects by itself); ``close()`` once."""

    def __init__(self, supervisor: ObsSupervisor) -> None:
        self.supervisor = supervisor

    @classmethod
    def from_settings(cls, obs: ObsSettings) -> Obs:
        return cls(ObsSupervisor.from_settings(obs))

    def __repr__(self) -> str:  # never the password
        return f"Obs({self.supervisor!r})"

    # -- the connection (the supervisor's) ------------------------------------------------------------
    def start(self) -> Obs:
        self.supervisor.start()
        return self

    def close(self) -> None:
        self.supervisor.close()

    def ensure_connected(self, timeout: float | None = None) -> None:
        self.supervisor.ensure_connected(timeout)

    def wait_connected(self, timeout: float) -> bool:
        return self.supervisor.wait_connected(timeout)

    @property
    def snapshot(self) -> ObsSnapshot:
        return self.supervisor.snapshot

    @property
    def capabilities(self) -> Capabilities:
        return self.supervisor.capabilities

    @property
    def last_stats(self) -> Stats | None:
        return self.supervisor.last_stats

    @property
    def is_local(self) -> bool:
        """OBS runs on this PC: paths it names are paths we can read."""
        return self.supervisor.host in _LOCAL_HOSTS

    def add_listener(self, fn: Callable[[Event], None]) -> Callable[[], None]:
        return self.supervisor.add_listener(fn)

    def _request(self, name: str, **data: Any) -> dict[str, Any]:
        return self.supervisor.request(name, **data)

    # -- scenes ---------------------------------------------------------------------------------------
    def switch_scene(self, name: str) -> None:
        self._request("SetCurrentProgramScene", sceneName=name)

    def program_scene(self) -> str | None:
        """Asked, not taken from the snapshot: right after a switch the event may still be on its way."""
        name = self._request("GetCurrentProgramScene").get("currentProgramSceneName")
        return str(name) if name else None

    def set_source_visible(self, scene: str, source: str, visible: bool) -> None:
        item = self._request("GetSceneItemId", sceneName=scene, sourceName=source)["sceneItemId"]
        self._request("SetSceneItemEnabled", sceneName=scene, sceneItemId=item, sceneItemEnabled=visible)

    def source_visible(self, scene: str, source: str) -> bool:
        item = self._request("GetSceneItemId", sceneName=scene, sourceName=source)["sceneItemId"]
        return bool(self._request("GetSceneItemEnabled", sceneName=scene, sceneItemId=item)
                    .get("sceneItemEnabled"))

    def screenshot(self, source: str, width: int, height: int) -> bytes:
        """A PNG of a source (or scene) as OBS renders it; OBS needs width and height of at least 8."""
        data = self._request("GetSourceScreenshot", sourceName=source, imageFormat="png",
                             imageWidth=max(8, width), imageHeight=max(8, height))
        uri = str(data.get("imageData", ""))
        return base64.b64decode(uri.split(",", 1)[1] if "," in uri else uri)

    def plan_show(self, show: Show, adopt: frozenset[str] = frozenset()) -> Plan:
        """What it takes to make OBS match the show (scenes as code); nothing is changed yet. ``adopt``: names
        an interrupted apply was creating (see studio.obs.scenes_apply.plan)."""
        from studio.obs.scenes_apply import plan

        return plan(show, self.supervisor, adopt)

    def apply_plan(self, p: Plan) -> None:
        from studio.obs.scenes_apply import apply

        apply(p, self.supervisor)

    # -- inputs ---------------------------------------------------------------------------------------
    def input_kinds(self) -> dict[str, str]:
        """Every input OBS has, name -> kind (asked now, not from the snapshot)."""
        return {str(i.get("inputName")): str(i.get("inputKind") or "")
                for i in self._request("GetInputList").get("inputs", [])}

    def input_state(self, name: str) -> InputState | None:
        """Kind and activity of one input; None when OBS has no input of that name."""
        kind = self.input_kinds().get(name)
        if kind is None:
            return None
        active = self._request("GetSourceActive", sourceName=name)
        return InputState(name, kind, bool(active.get("videoActive")), bool(active.get("videoShowing")))

    def input_muted(self, name: str) -> bool:
        return bool(self._request("GetInputMute", inputName=name).get("inputMuted"))

    def set_input_mute(self, name: str, muted: bool) -> None:
        self._request("SetInputMute", inputName=name, inputMuted=muted)

    def toggle_input_mute(self, name: str) -> bool:
        return bool(self._request("ToggleInputMute", inputName=name).get("inputMuted"))

    def input_volume_db(self, name: str) -> float:
        value = self._request("GetInputVolume", inputName=name).get("inputVolumeDb", 0.0)
        return float(value) if isinstance(value, int | float) else 0.0

    def set_input_volume_db(self, name: str, db: float) -> None:
        self._request("SetInputVolume", inputName=name, inputVolumeDb=float(db))

    def audio_route(self, name: str) -> AudioRoute:
        """Whether viewers hear an audio input: it is part of the program output (in the program scene,
        nested scenes and groups included, or one of OBS's global audio devices) and not sent to the
        monitor only. OBS's own answer (GetSourceActive: active = in the final mix), not a guess from the
        scene's items; mute is reported apart (snapshot.inputs)."""
        active = self._request("GetSourceActive", sourceName=name)
        monitor = self._request("GetInputAudioMonitorType", inputName=name).get("monitorType")
        return AudioRoute(name, in_program=bool(active.get("videoActive")), monitor_only=monitor == MONITOR_ONLY,
                          volume_db=self.input_volume_db(name))

    def image_file(self, input_name: str) -> str | None:
        """The file an image input shows ('' or None when it shows nothing)."""
        settings = self._request("GetInputSettings", inputName=input_name).get("inputSettings", {})
        value = settings.get("file") if isinstance(settings, dict) else None
        return str(value) if value is not None else None

    def set_image_file(self, input_name: str, path: str | os.PathLike[str]) -> None:
        self._request("SetInputSettings", inputName=input_name, inputSettings={"file": str(path)}, overlay=True)

    # -- stats ----------------------------------------------------------------------------------------
    def get_stats(self) -> Stats:
        stats = stats_from(self._request("GetStats"))
        self.supervisor.note_stats(stats)
        return stats

    # -- recording ------------------------------------------------------------------------------------
    def record_status(self) -> OutputStatus:
        d = self._request("GetRecordStatus")
        return OutputStatus(bool(d.get("outputActive")), str(d.get("outputTimecode") or ""),
                            int(d.get("outputDuration") or 0), paused=bool(d.get("outputPaused")),
                            bytes=int(d.get("outputBytes") or 0))

    def set_record_directory(self, path: str | os.PathLike[str]) -> None:
        """Where OBS writes recordings: SetRecordDirectory (5.3+), else the output mode's profile parameter."""
        directory = str(path)
        if self.is_local:
            Path(directory).mkdir(parents=True, exist_ok=True)
        if self.capabilities.set_record_directory:
            self._request("SetRecordDirectory", recordDirectory=directory)
            return
        mode = self._request("GetProfileParameter", parameterCategory="Output", parameterName="Mode")
        if str(mode.get("parameterValue") or "Simple").lower().startswith("adv"):
            for name in ("RecFilePath", "FFFilePath"):
                self._request("SetProfileParameter", parameterCategory="AdvOut", parameterName=name,
                              parameterValue=directory)
        else:
            self._request("SetProfileParameter", parameterCategory="SimpleOutput", parameterName="FilePath",
                          parameterValue=directory)

    def start_record(self, timeout: float = 10.0) -> None:
        """Start recording; returns once OBS says the recording runs (StartRecord alone proves nothing)."""
        data = self._start_output("Record", "StartRecord", "GetRecordStatus", timeout)
        if data is not None and data.get("outputState") == OUTPUT_STOPPED:
            raise ObsError("OBS kon de opname niet starten",
                           "controleer de opnamemap en de vrije schijfruimte (Instellingen > Uitvoer)")

    def stop_record(self, timeout: float = 30.0) -> Path:
        """Stop recording; returns the file's path once OBS finished writing it."""
        sup = self.supervisor
        deadline = time.monotonic() + timeout
        waiter = sup.expect("RecordStateChanged", lambda d: d.get("outputState") == OUTPUT_STOPPED)
        try:
            response = self._request("StopRecord")
            data = sup.await_output(waiter, "GetRecordStatus", False, deadline)
        finally:
            sup.unexpect(waiter)
        if data is None:
            raise ObsTimeout("OBS meldt niet dat de opname gestopt is",
                             "kijk in OBS of de opname nog loopt en stop hem daar")
        path = str((data or {}).get("outputPath") or sup.record_file or response.get("outputPath") or "")
        if not path:
            raise ObsError("OBS noemt het opnamebestand niet", "zoek de opname in de opnamemap van OBS")
        result = Path(path)
        if self.is_local:
            _wait_file_stable(result, deadline)
        sup.note_record_path(path)
        return result

    # -- streaming ------------------------------------------------------------------------------------
    def stream_status(self) -> OutputStatus:
        d = self._request("GetStreamStatus")
        return OutputStatus(bool(d.get("outputActive")), str(d.get("outputTimecode") or ""),
                            int(d.get("outputDuration") or 0), reconnecting=bool(d.get("outputReconnecting")),
                            bytes=int(d.get("outputBytes") or 0),
                            skipped_frames=int(d.get("outputSkippedFrames") or 0),
                            total_frames=int(d.get("outputTotalFrames") or 0),
                            congestion=float(d.get("outputCongestion") or 0.0))

    def set_stream_service(self, server: str, key: str) -> None:
        self._request("SetStreamServiceSettings", streamServiceType="rtmp_custom",
                      streamServiceSettings={"server": server, "key": key, "use_auth": False})

    def start_stream(self, timeout: float = 20.0) -> None:
        data = self._start_output("Stream", "StartStream", "GetStreamStatus", timeout)
        if data is not None and data.get("outputState") == OUTPUT_STOPPED:
            raise ObsError("OBS kon de stream niet starten",
                           "controleer de streamserver en -sleutel en de internetverbinding")

    def stop_stream(self, timeout: float = 20.0) -> None:
        sup = self.supervisor
        deadline = time.monotonic() + timeout
        waiter = sup.expect("StreamStateChanged", lambda d: d.get("outputState") == OUTPUT_STOPPED)
        try:
            self._request("StopStream")
            data = sup.await_output(waiter, "GetStreamStatus", False, deadline)
        finally:
            sup.unexpect(waiter)
        if data is None:
            raise ObsTimeout("OBS meldt niet dat de stream gestopt is", "stop de stream in OBS zelf")

    def _start_output(self, what: str, start: str, status: str, timeout: float) -> dict[str, Any] | None:
        sup = self.supervisor
        deadline = time.monotonic() + timeout
        waiter = sup.expect(f"{what}StateChanged",
                            lambda d: d.get("outputState") in (OUTPUT_STARTED, OUTPUT_STOPPED))
        try:
            self._request(start)
            data = sup.await_output(waiter, status, True, deadline)
        finally:
            sup.unexpect(waiter)
        if data is None:
            label = "opname" if what == "Record" else "stream"
            raise ObsTimeout(f"OBS bevestigt de {label} niet binnen {timeout:g} s",
                             f"kijk in OBS of de {label} loopt")
        return dict(data)


def _wait_file_stable(path: Path, deadline: float, interval: float = 0.2) -> None:
    """Wait until a local file is non-empty and its size stops changing (the muxer is done)."""
    if not path.parent.exists():
        return  # a folder we cannot see: OBS's word (OUTPUT_STOPPED) is all we have
    last = -1
    while time.monotonic() < deadline:
        try:
            size = path.stat().st_size
        except OSError:
            size = -1
        if size > 0 and size == last:
            return
        last = size
        time.sleep(interval)
    raise ObsTimeout(f"opnamebestand {path.name} wordt niet afgerond",
                     "kijk of de schijf vol is en of OBS nog schrijft")
