"""Make a running OBS match the show's scenes file: plan the difference, print it, apply it.

Rules:
- create what is missing, correct the listed settings that differ, put items in the declared order;
- never delete or change a scene or source studio did not create. Ownership is a marker in the source's
  private settings (``studio_owned``), saved by OBS in the scene collection, so it survives renames and restarts;
  a name alone proves nothing. A same-named foreign scene or source is a conflict: nothing is changed at all;
- the only removal is of studio's own input whose kind must change (OBS cannot change a kind in place).

``plan()`` only reads; ``apply()`` performs a plan. A second ``plan()`` after ``apply()`` is empty.
"""

from __future__ import annotations

import math
import shutil
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from studio.errors import ConfigError
from studio.obs.errors import REQUEST_STATUS_RESOURCE_NOT_FOUND, ObsError, ObsRequestFailed
from studio.obs.scenes import OWNER_KEY, OWNER_VALUE, Show
from studio.obs.state import Capabilities

ITEM = "$sceneItemId"  # in a step's request data: the id the step's previous request returned
_FIT = {"boundsType": "OBS_BOUNDS_SCALE_INNER", "boundsAlignment": 0, "alignment": 5,
        "positionX": 0.0, "positionY": 0.0, "rotation": 0.0}


class Requester(Protocol):
    """What planning and applying need from the supervisor (ObsSupervisor fits)."""

    @property
    def capabilities(self) -> Capabilities: ...

    def request(self, name: str, **data: Any) -> dict[str, Any]: ...


class ScenesConflict(ObsError):
    """OBS already has scenes or sources of these names that studio did not make (exit code 1)."""


@dataclass(frozen=True)
class Step:
    symbol: str  # "+" create, "~" change, "-" remove (own input, to recreate with another kind)
    text: str  # one Dutch line
    requests: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    copy: tuple[Path, Path] | None = None  # placeholder picture -> image file
    reorder: tuple[str, tuple[str, ...]] | None = None  # scene, declared sources bottom to top

    def __str__(self) -> str:
        return f"{self.symbol} {self.text}"


@dataclass(frozen=True)
class Plan:
    show: Show
    steps: tuple[Step, ...] = ()
    conflicts: tuple[str, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.steps and not self.conflicts


def plan(show: Show, obs: Requester, adopt: frozenset[str] = frozenset()) -> Plan:
    """What it takes to make OBS match ``show``. ``adopt``: names studio itself was creating when it was
    interrupted (the caller recorded them before applying): such a scene or input may lack the ownership
    marker (created, killed before it was marked) and is taken as studio's own, and marked, not a conflict."""
    caps = obs.capabilities
    if not caps.has("SetSourcePrivateSettings"):
        raise ObsError(f"deze OBS ({caps.obs_version}, obs-websocket {caps.websocket_version}) kan geen "
                       "eigendom van scènes bijhouden", "gebruik OBS 28 of nieuwer")
    platform = caps.platform
    kinds: dict[str, str] = {}
    for spec in show.inputs.values():
        kind = spec.kind_for(platform, caps.input_kinds)
        if kind is None:
            wanted = " of ".join(spec.kinds.get(_plat(platform), ()))
            raise ConfigError(
                f"{show.where(spec.line)}: brontype {wanted} voor '{spec.name}' bestaat niet in deze OBS "
                f"({caps.obs_version} op {platform})",
                f"kies uit: {', '.join(sorted(caps.input_kinds))}",
            )
        kinds[spec.name] = kind

    scene_list = obs.request("GetSceneList").get("scenes", [])
    obs_scenes = {str(s["sceneName"]) for s in scene_list}
    obs_inputs = {str(i["inputName"]): str(i.get("inputKind", "")) for i in
                  obs.request("GetInputList").get("inputs", [])}
    video = obs.request("GetVideoSettings")
    canvas = (float(video.get("baseWidth", 1920)), float(video.get("baseHeight", 1080)))
    where = show.path.name

    to_mark: list[str] = []

    def owned(name: str) -> bool:
        try:
            private = obs.request("GetSourcePrivateSettings", sourceName=name).get("sourceSettings") or {}
        except ObsRequestFailed:
            return False
        if private.get(OWNER_KEY) == OWNER_VALUE:
            return True
        if name in adopt:  # half made by an interrupted apply: ours, to be marked now
            if name not in to_mark:
                to_mark.append(name)
            return True
        return False

    def own(name: str) -> tuple[str, Mapping[str, Any]]:
        return ("SetSourcePrivateSettings", {"sourceName": name, "sourceSettings": {OWNER_KEY: OWNER_VALUE}})

    steps: list[Step] = []
    conflicts: list[str] = []
    notes: list[str] = []
    ready: set[str] = set()  # own inputs that exist with the right kind
    recreate: set[str] = set()
    defaults: dict[str, dict[str, Any]] = {}
    files: list[Step] = []  # placeholder pictures first, so image sources find them when created

    for spec in show.inputs.values():
        name, kind = spec.name, kinds[spec.name]
        if name in obs_scenes:
            conflicts.append(f"'{name}' is in OBS een scène, in {where} een bron: hernoem één van beide")
        elif name in obs_inputs and not owned(name):
            conflicts.append(f"bron '{name}' bestaat al in OBS maar is niet door studio gemaakt: "
                             f"hernoem of verwijder hem in OBS, of kies een andere naam in {where}")
        elif name in obs_inputs and obs_inputs[name] != kind:
            recreate.add(name)
            # Remove its scene items first: OBS only lets go of a removed input once every scene that
            # holds it has been rendered, and scenes off air are not rendered (CreateInput would fail).
            unhook: list[tuple[str, Mapping[str, Any]]] = []
            for scene_name in sorted(obs_scenes):
                for it in obs.request("GetSceneItemList", sceneName=scene_name).get("sceneItems", []):
                    if it.get("sourceName") == name:
                        unhook.append(("RemoveSceneItem", {"sceneName": scene_name,
                                                           "sceneItemId": it["sceneItemId"]}))
            steps.append(Step("-", f"bron '{name}' wordt opnieuw gemaakt: {obs_inputs[name]} → {kind}",
                              (*unhook, ("RemoveInput", {"inputName": name}))))
        elif name in obs_inputs:
            ready.add(name)
            actual = obs.request("GetInputSettings", inputName=name).get("inputSettings") or {}
            changed: dict[str, Any] = {}
            for key, want in spec.settings_for(platform).items():
                if key in actual:
                    have = actual[key]
                else:
                    if kind not in defaults:
                        defaults[kind] = obs.request("GetInputDefaultSettings", inputKind=kind).get(
                            "defaultInputSettings") or {}
                    have = defaults[kind].get(key)
                if not _same(have, want):
                    changed[key] = want
                    steps.append(Step("~", f"bron '{name}': {key} {_show(have)} → {_show(want)}"))
            if changed:
                # one request for all of an input's changes; attach it to its last line
                last = steps.pop()
                steps.append(Step(last.symbol, last.text, (("SetInputSettings", {
                    "inputName": name, "inputSettings": changed, "overlay": True}),)))
        if spec.placeholder is not None and spec.image_file is not None and not spec.image_file.exists():
            if spec.placeholder.exists():
                files.append(Step("+", f"bestand {spec.image_file} (voorlopig beeld)",
                                  copy=(spec.placeholder, spec.image_file)))
            else:
                notes.append(f"beeld {spec.image_file} bestaat nog niet (OBS toont dan niets)")

    steps[:0] = files
    own_scenes: set[str] = set()
    for scene in show.scenes.values():
        if scene.name in obs_inputs:
            conflicts.append(f"'{scene.name}' is in OBS een bron, in {where} een scène: hernoem één van beide")
        elif scene.name in obs_scenes:
            if owned(scene.name):
                own_scenes.add(scene.name)
            else:
                conflicts.append(f"scène '{scene.name}' bestaat al in OBS maar is niet door studio gemaakt: "
                                 f"hernoem of verwijder hem in OBS, of kies een andere naam in {where}")
        else:
            steps.append(Step("+", f"scène '{scene.name}'",
                              (("CreateScene", {"sceneName": scene.name}), own(scene.name))))
    if conflicts:
        return Plan(show, tuple(steps), tuple(conflicts), tuple(notes))

    created: set[str] = set()
    for scene in show.scenes.values():
        current: list[dict[str, Any]] = []
        if scene.name in own_scenes:
            items = obs.request("GetSceneItemList", sceneName=scene.name).get("sceneItems", [])
            current = sorted((i for i in items if i.get("sourceName") not in recreate),
                             key=lambda i: int(i.get("sceneItemIndex", 0)))
        order = [str(i.get("sourceName")) for i in current]
        for item in scene.items:
            src = item.source
            existing = next((i for i in current if i.get("sourceName") == src), None)
            fit: tuple[tuple[str, Mapping[str, Any]], ...] = ()
            if item.fit:
                fit = (("SetSceneItemTransform", {"sceneName": scene.name, "sceneItemId": ITEM,
                                                  "sceneItemTransform": _fit_transform(canvas)}),)
            if existing is not None:
                if item.fit and not _fits(existing.get("sceneItemTransform") or {}, canvas):
                    steps.append(Step("~", f"'{src}' in scène '{scene.name}' vult het beeld",
                                      _with_id(fit, int(existing["sceneItemId"]))))
                continue
            if src in show.inputs and src not in ready and src not in created:
                spec = show.inputs[src]
                created.add(src)
                steps.append(Step("+", f"bron '{src}' ({kinds[src]}) in scène '{scene.name}'", (
                    ("CreateInput", {"sceneName": scene.name, "inputName": src, "inputKind": kinds[src],
                                     "inputSettings": spec.settings_for(platform),
                                     "sceneItemEnabled": item.visible}),
                    *fit,
                    own(src),
                )))
            else:
                steps.append(Step("+", f"'{src}' in scène '{scene.name}'", (
                    ("CreateSceneItem", {"sceneName": scene.name, "sourceName": src,
                                         "sceneItemEnabled": item.visible}),
                    *fit,
                )))
            order.append(src)
        declared = [i.source for i in scene.items]
        if [s for s in order if s in declared] != declared:
            steps.append(Step("~", f"volgorde in scène '{scene.name}'", reorder=(scene.name, tuple(declared))))

    for name in sorted(_owned_leftovers(obs_scenes | set(obs_inputs), show, owned)):
        notes.append(f"'{name}' is van studio maar staat niet meer in {where}: blijft staan")
    marks = [Step("~", f"'{name}' was half aangemaakt (onderbroken): wordt van studio", (own(name),))
             for name in to_mark]
    return Plan(show, (*marks, *steps), tuple(conflicts), tuple(notes))


def creates(p: Plan) -> list[str]:
    """The names of the scenes and inputs a plan creates (recorded by the caller before applying)."""
    out: list[str] = []
    for step in p.steps:
        for name, data in step.requests:
            if name == "CreateScene":
                out.append(str(data["sceneName"]))
            elif name == "CreateInput":
                out.append(str(data["inputName"]))
    return out


def apply(p: Plan, obs: Requester) -> None:
    """Carry out a plan. With conflicts nothing at all is done."""
    if p.conflicts:
        raise ScenesConflict(p.conflicts[0], f"{len(p.conflicts)} conflict(en); niets aangepast in OBS"
                             if len(p.conflicts) > 1 else "niets aangepast in OBS")
    for step in p.steps:
        if step.copy is not None:
            src, dst = step.copy
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
        if step.reorder is not None:
            _reorder(obs, *step.reorder)
        item_id: Any = None
        for name, data in step.requests:
            resolved = {k: (item_id if v == ITEM else v) for k, v in data.items()}
            try:
                result = obs.request(name, **resolved)
            except ObsRequestFailed as exc:
                # An input whose last scene item went is already gone: that is what RemoveInput wanted.
                if name == "RemoveInput" and exc.code == REQUEST_STATUS_RESOURCE_NOT_FOUND:
                    result = {}
                else:
                    raise
            if "sceneItemId" in result:
                item_id = result["sceneItemId"]
            if name == "RemoveInput":
                _wait_gone(obs, str(resolved["inputName"]))


def _wait_gone(obs: Requester, name: str, timeout: float = 5.0) -> None:
    """OBS removes a source once nothing holds it any more, not when RemoveInput returns."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = {i.get("inputName") for i in obs.request("GetInputList").get("inputs", [])}
        if name not in names:
            return
        time.sleep(0.05)
    raise ObsError(f"OBS houdt bron '{name}' vast na verwijderen", "probeer 'studio scenes apply' opnieuw")


def _reorder(obs: Requester, scene: str, declared: tuple[str, ...]) -> None:
    """Put the declared items in order; foreign items keep their slots."""
    items = sorted(obs.request("GetSceneItemList", sceneName=scene).get("sceneItems", []),
                   key=lambda i: int(i.get("sceneItemIndex", 0)))
    slots = [n for n, i in enumerate(items) if i.get("sourceName") in declared]
    by_source: dict[Any, dict[str, Any]] = {}
    for i in items:
        by_source.setdefault(i.get("sourceName"), i)
    wanted = [by_source[s] for s in declared if s in by_source]
    desired = list(items)
    for slot, item in zip(slots, wanted, strict=False):
        desired[slot] = item
    for index, item in enumerate(desired):  # moving bottom-up: everything below is already in place
        obs.request("SetSceneItemIndex", sceneName=scene, sceneItemId=item["sceneItemId"], sceneItemIndex=index)


def _owned_leftovers(names: set[str], show: Show, owned: Any) -> list[str]:
    declared = set(show.inputs) | set(show.scenes)
    return [n for n in names - declared if owned(n)]


def _with_id(fit: tuple[tuple[str, Mapping[str, Any]], ...], item_id: int) -> tuple[tuple[str, Mapping[str, Any]], ...]:
    return tuple((n, {k: (item_id if v == ITEM else v) for k, v in d.items()}) for n, d in fit)


def _fit_transform(canvas: tuple[float, float]) -> dict[str, Any]:
    return {**_FIT, "boundsWidth": canvas[0], "boundsHeight": canvas[1]}


def _fits(t: Mapping[str, Any], canvas: tuple[float, float]) -> bool:
    want = _fit_transform(canvas)
    return all(_same(t.get(k), v) for k, v in want.items())


def _same(have: Any, want: Any) -> bool:
    if isinstance(want, bool) or isinstance(have, bool):
        return have is want or (isinstance(have, int | float) and isinstance(want, int | float) and have == want)
    if isinstance(want, int | float) and isinstance(have, int | float):
        return math.isclose(float(have), float(want), rel_tol=1e-6, abs_tol=1e-6)
    if isinstance(want, dict) and isinstance(have, dict):
        return all(_same(have.get(k), v) for k, v in want.items())
    return bool(have == want)


def _show(value: Any) -> str:
    text = repr(value) if value is not None else "(niet gezet)"
    return text if len(text) <= 60 else text[:57] + "…"


def _plat(platform: str) -> str:
    from studio.obs.kinds import platform_of

    return platform_of(platform)


def describe(p: Plan) -> list[str]:
    """The lines `studio scenes apply` prints."""
    lines = [f"! {c}" for c in p.conflicts]
    lines += [str(s) for s in p.steps]
    lines += [f"  ({n})" for n in p.notes]
    return lines
