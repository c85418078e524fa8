"""Pure functions that turn obs-websocket replies and events into the snapshot types (unit-tested, no I/O)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from studio.obs.state import ChannelLevel, InputInfo, ObsSnapshot, Stats, mul_to_dbfs

OUTPUT_STARTING = "OBS_WEBSOCKET_OUTPUT_STARTING"
OUTPUT_STARTED = "OBS_WEBSOCKET_OUTPUT_STARTED"
OUTPUT_STOPPING = "OBS_WEBSOCKET_OUTPUT_STOPPING"
OUTPUT_STOPPED = "OBS_WEBSOCKET_OUTPUT_STOPPED"
OUTPUT_PAUSED = "OBS_WEBSOCKET_OUTPUT_PAUSED"
OUTPUT_RESUMED = "OBS_WEBSOCKET_OUTPUT_RESUMED"


def scene_names(scenes: list[dict[str, Any]]) -> tuple[str, ...]:
    """Scenes in the order OBS's scene list shows them (obs-websocket sends them bottom-up)."""
    ordered = sorted(scenes, key=lambda s: int(s.get("sceneIndex", 0)), reverse=True)
    return tuple(str(s["sceneName"]) for s in ordered if not s.get("isGroup"))


def stats_from(d: Mapping[str, Any]) -> Stats:
    return Stats(
        cpu_usage=float(d.get("cpuUsage") or 0.0),
        memory_usage=float(d.get("memoryUsage") or 0.0),
        active_fps=float(d.get("activeFps") or 0.0),
        render_skipped_frames=int(d.get("renderSkippedFrames") or 0),
        render_total_frames=int(d.get("renderTotalFrames") or 0),
        output_skipped_frames=int(d.get("outputSkippedFrames") or 0),
        output_total_frames=int(d.get("outputTotalFrames") or 0),
        disk_space_mb=float(d.get("availableDiskSpace") or 0.0),
    )


def levels_from(data: Mapping[str, Any]) -> Mapping[str, tuple[ChannelLevel, ...]]:
    out: dict[str, tuple[ChannelLevel, ...]] = {}
    for item in data.get("inputs", []):
        channels = []
        for ch in item.get("inputLevelsMul") or []:
            mag, peak, input_peak = ([*list(ch), 0.0, 0.0, 0.0])[:3]
            channels.append(ChannelLevel(mul_to_dbfs(float(mag)), mul_to_dbfs(float(peak)),
                                         mul_to_dbfs(float(input_peak))))
        out[str(item.get("inputName", ""))] = tuple(channels)
    return MappingProxyType(out)


def replace(snap: ObsSnapshot, **changes: Any) -> ObsSnapshot:
    return dataclasses.replace(snap, **changes)


def apply_event(snap: ObsSnapshot, name: str, d: Mapping[str, Any]) -> ObsSnapshot:
    """The snapshot after one OBS event (pure; unit-tested)."""
    if name == "CurrentProgramSceneChanged":
        return replace(snap, program_scene=d.get("sceneName"))
    if name == "SceneListChanged":
        return replace(snap, scenes=scene_names(list(d.get("scenes", []))))
    if name == "SceneCreated" and not d.get("isGroup"):
        scene = str(d["sceneName"])
        return snap if scene in snap.scenes else replace(snap, scenes=(*snap.scenes, scene))
    if name == "SceneRemoved" and not d.get("isGroup"):
        scene = str(d["sceneName"])
        program = None if snap.program_scene == scene else snap.program_scene
        return replace(snap, scenes=tuple(s for s in snap.scenes if s != scene), program_scene=program)
    if name == "SceneNameChanged":
        old, new = str(d["oldSceneName"]), str(d["sceneName"])
        program = new if snap.program_scene == old else snap.program_scene
        return replace(snap, scenes=tuple(new if s == old else s for s in snap.scenes), program_scene=program)
    if name == "InputCreated":
        inputs = dict(snap.inputs)
        inputs[str(d["inputName"])] = InputInfo(str(d["inputName"]), str(d.get("inputKind", "")), False)
        return replace(snap, inputs=MappingProxyType(inputs))
    if name == "InputRemoved":
        inputs = {k: v for k, v in snap.inputs.items() if k != d.get("inputName")}
        return replace(snap, inputs=MappingProxyType(inputs))
    if name == "InputNameChanged":
        old, new = str(d["oldInputName"]), str(d["inputName"])
        inputs = {}
        for k, v in snap.inputs.items():
            inputs[new if k == old else k] = InputInfo(new, v.kind, v.muted) if k == old else v
        return replace(snap, inputs=MappingProxyType(inputs))
    if name == "InputMuteStateChanged":
        key = str(d["inputName"])
        current = snap.inputs.get(key)
        if current is None:
            return snap
        inputs = dict(snap.inputs)
        inputs[key] = InputInfo(current.name, current.kind, bool(d.get("inputMuted")))
        return replace(snap, inputs=MappingProxyType(inputs))
    if name == "StreamStateChanged":
        return replace(snap, streaming=bool(d.get("outputActive")))
    if name == "RecordStateChanged":
        state = d.get("outputState")
        changes: dict[str, Any] = {"recording": bool(d.get("outputActive"))}
        if state == OUTPUT_PAUSED:
            changes["record_paused"] = True
        elif state in (OUTPUT_RESUMED, OUTPUT_STARTED, OUTPUT_STOPPED):
            changes["record_paused"] = False
        if state == OUTPUT_STOPPED and d.get("outputPath"):
            changes["record_path"] = str(d["outputPath"])
        return replace(snap, **changes)
    return snap
