"""SceneMarks: scene switches and stream incidents of a session, from the supervisor's events."""

from __future__ import annotations

import dataclasses

from studio.obs.state import Connection, ObsEvent, ObsSnapshot, StateChanged
from studio.store import archive as repo
from studio.usecases.archive.handoff import SceneMarks


def test_scene_switches_and_incidents_are_stored_once(store):
    clock = iter(range(100, 200))
    marks = SceneMarks(store, "s1", clock=lambda: float(next(clock)))
    snap = ObsSnapshot(connection=Connection.CONNECTED, program_scene="Starten")
    marks(StateChanged(snap))
    marks(StateChanged(snap))  # same scene again (other state changed): no new mark
    marks(StateChanged(dataclasses.replace(snap, program_scene="Wijkagent")))
    marks(ObsEvent("StreamStateChanged", {"outputActive": False, "outputState": "OBS_WEBSOCKET_OUTPUT_RECONNECTING"}))
    marks(ObsEvent("StreamStateChanged", {"outputActive": True, "outputState": "OBS_WEBSOCKET_OUTPUT_RECONNECTED"}))
    marks(ObsEvent("RecordStateChanged", {"outputActive": True, "outputState": "OBS_WEBSOCKET_OUTPUT_STARTED"}))
    marks(StateChanged(dataclasses.replace(snap, connection=Connection.LOST, program_scene=None, reason="weg")))
    marks(StateChanged(dataclasses.replace(snap, program_scene="Wijkagent")))
    got = [(m["kind"], m["name"]) for m in repo.marks(store, "s1")]
    assert got == [("scene", "Starten"), ("scene", "Wijkagent"),
                   ("incident", "stream onderbroken: OBS verbindt opnieuw"), ("incident", "stream hersteld"),
                   ("incident", "verbinding met OBS kwijt"), ("incident", "verbinding met OBS hersteld")]
    assert [m["at"] for m in repo.marks(store, "s1")] == sorted(m["at"] for m in repo.marks(store, "s1"))
