"""The show's vocabulary: the scenes of a consultation hour and the inputs the studio drives, by role.

These names must match scenes/wijkspreekuur.toml (tests/unit/test_obs_scenes.py checks it). The show flow,
on-air, the archive (pre-show trim, chapters, report) and the panel speak of scenes by these names; only the
OBS adapter (studio.obs.scenes) knows how they are built in OBS.
"""

from __future__ import annotations

SCENE_STARTING = "Starten"
SCENE_OFFICER = "Wijkagent"
SCENE_GUEST = "Wijkagent met gast"
SCENE_QUESTION = "Vraag in beeld"
SCENE_PAUSE = "Pauze"
SCENE_END = "Einde"
# In running order: how an evening goes from the starting slate to the end slate.
SHOW_SCENES = (SCENE_STARTING, SCENE_OFFICER, SCENE_GUEST, SCENE_QUESTION, SCENE_PAUSE, SCENE_END)
# Before and after the programme: the archive trims these off, and they are not the officer on camera.
SLATE_SCENES = (SCENE_STARTING, SCENE_END)
# Where the officer speaks: a microphone that viewers do not hear here is an alarm (the technician's view).
SCENES_WITH_MICROPHONE = (SCENE_OFFICER, SCENE_GUEST, SCENE_QUESTION)

INPUT_CAMERA = "Camera"
INPUT_MIC = "Microfoon"
INPUT_QUESTION_OVERLAY = "Vraagkaart"
INPUT_SLATE_STARTING = "Startbeeld"
INPUT_SLATE_PAUSE = "Pauzebeeld"
INPUT_SLATE_END = "Eindbeeld"
