"""Where the show is inside a recording, from the program-scene switches the studio stored (pure rules).

The show flow stores every switch of OBS's program scene (``SceneMarks``, studio/usecases/archive/handoff.py).
Turned into times relative to the recording's start, they say which scene was on air when, as *stretches*.
From those stretches:

- ``show_window``: what the archived video keeps. The starting slate may be trimmed to its last
  ``keep_starting`` seconds; the end slate (112, 0900-8844, heerlen.nl/contact) is always kept whole: the
  cut comes after the LAST run of the end scene, and only when nothing of the show follows it. An end scene
  put on air by mistake in the middle of the show (a key pressed on the wrong screen) is not the end.
- ``closing_start``: where that end slate begins (the archive's "Afsluiting" chapter).
- ``clean_windows``: the stretches of given scenes (the officer on camera, no card, no slate) with a margin at
  both ends for the transition and the time a switch takes to reach the recording, minus other intervals
  (a question card on air): where a thumbnail may be taken.

Times are seconds from the start of the recording. Pure: standard library only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

KEEP_STARTING_SECONDS = 10.0
# The end slate stays on air end_slate_seconds, then the broadcast ends and the recording stops. A longer
# run of the end scene means the recording was left running: keep this much beyond the slate's time, so that
# a recording clock that is off by up to a minute still keeps the slate whole.
END_SLATE_GRACE_SECONDS = 60.0
# Seconds added after the end slate's last moment before looking for the keyframe to cut at: the mark is
# taken when OBS reports the switch, a little after the recording saw it.
END_MARGIN_SECONDS = 1.0
# A scene on air for less than this before the show is a flash (OBS's own scene for a moment before the
# starting slate, a key pressed by mistake), not the show's beginning.
MIN_SHOW_SECONDS = 2.0


@dataclass(frozen=True)
class Stretch:
    """One scene on air from ``start`` to ``end`` (seconds into the recording)."""

    scene: str
    start: float
    end: float

    @property
    def length(self) -> float:
        return self.end - self.start


def stretches(switches: Iterable[tuple[float, str]], duration: float) -> list[Stretch]:
    """The scenes on air during ``[0, duration]``, from switches (time, scene) in any order.

    A switch before 0 tells which scene was on air when the recording started; switches after the end are
    ignored; two switches to the same scene in a row are one stretch.
    """
    ordered = sorted(((float(t), str(name)) for t, name in switches), key=lambda s: s[0])
    out: list[Stretch] = []
    current: tuple[float, str] | None = None
    for t, name in ordered:
        if t > duration:
            break
        if current is not None and name == current[1]:
            continue
        if current is not None and t > 0:
            start = max(0.0, current[0])
            if t > start:
                out.append(Stretch(current[1], start, t))
        current = (t, name)
    if current is not None and duration > max(0.0, current[0]):
        out.append(Stretch(current[1], max(0.0, current[0]), duration))
    return _merge(out)


def _merge(items: list[Stretch]) -> list[Stretch]:
    merged: list[Stretch] = []
    for s in items:
        if merged and merged[-1].scene == s.scene and abs(merged[-1].end - s.start) < 1e-9:
            merged[-1] = Stretch(s.scene, merged[-1].start, s.end)
        else:
            merged.append(s)
    return merged


@dataclass(frozen=True)
class ShowWindow:
    """What of the recording to keep: ``start`` and ``end`` in seconds (end None: to the end of the file)."""

    start: float
    end: float | None
    reason: str  # Dutch, for the archive's summary line


def show_window(
    parts: Sequence[Stretch],
    duration: float,
    *,
    starting: Iterable[str],
    ending: Iterable[str],
    end_slate_seconds: float = 30.0,
    keep_starting: float = KEEP_STARTING_SECONDS,
) -> ShowWindow:
    """The part of the recording the archive keeps (before snapping to keyframes).

    Start: ``keep_starting`` seconds before the first switch away from the starting slate to a scene that stays
    on air at least ``MIN_SHOW_SECONDS`` (0 when the recording starts inside the show). End: after the last run of the end scene, when no scene of the show
    follows it (only starting slates, e.g. the next session's, or nothing); otherwise the whole rest is kept.
    A run of the end scene longer than ``end_slate_seconds`` plus a minute is cut there.
    """
    start_names, end_names = set(starting), set(ending)
    if not parts:
        return ShowWindow(0.0, None, "geen scènewissels bekend: hele opname")
    reasons: list[str] = []
    shows = [i for i, s in enumerate(parts) if s.scene not in start_names]
    if not shows:
        return ShowWindow(0.0, None, "alleen het startbeeld in de opname: hele opname")
    first_show = next((i for i in shows if not _flash(parts, i, start_names)), shows[-1])
    show_begins = parts[first_show].start
    start = max(0.0, show_begins - keep_starting)
    if start > 0:
        reasons.append(f"voorprogramma tot {start:.0f} s (de laatste {keep_starting:.0f} s van het startbeeld blijven)")
    elif show_begins > 0:
        reasons.append(f"startbeeld blijft heel ({show_begins:.0f} s)")

    end: float | None = None
    last_show = max((i for i, s in enumerate(parts) if s.scene not in start_names | end_names), default=None)
    tail = parts[last_show + 1:] if last_show is not None else parts[first_show:]
    run = _last_end_run(tail, end_names)
    if run is not None:
        slate_start, slate_end = run
        longest = end_slate_seconds + END_SLATE_GRACE_SECONDS
        if slate_end - slate_start > longest:
            slate_end = slate_start + longest
        end = slate_end + END_MARGIN_SECONDS
        if end >= duration - 0.5:
            end = None
            reasons.append("eindbeeld tot het einde van de opname")
        else:
            reasons.append(f"naprogramma vanaf {slate_end:.0f} s (na het eindbeeld van {slate_start:.0f} s)")
    elif any(s.scene in end_names for s in parts):
        reasons.append("na het eindbeeld ging de show verder: einde niet ingekort")
    return ShowWindow(start, end, "; ".join(reasons) or "hele opname")


def closing_start(parts: Sequence[Stretch], *, starting: Iterable[str], ending: Iterable[str]) -> float | None:
    """When the show's closing begins: the start of the last run of the end scene that no scene of the show
    follows (the same end ``show_window`` keeps). None when the show did not end with it. An end scene put on
    air by mistake in the middle of the show is not the closing (the published chapters say "Afsluiting" once)."""
    start_names, end_names = set(starting), set(ending)
    last_show = max((i for i, s in enumerate(parts) if s.scene not in start_names | end_names), default=None)
    run = _last_end_run(parts[last_show + 1:] if last_show is not None else parts, end_names)
    return run[0] if run is not None else None


def _flash(parts: Sequence[Stretch], i: int, start_names: set[str]) -> bool:
    """A scene on air for under ``MIN_SHOW_SECONDS`` with the starting slate still to come: not the show."""
    return parts[i].length < MIN_SHOW_SECONDS and any(p.scene in start_names for p in parts[i + 1:])


def _last_end_run(tail: Sequence[Stretch], end_names: set[str]) -> tuple[float, float] | None:
    """(start, end) of the last contiguous run of end scenes in ``tail``."""
    run: tuple[float, float] | None = None
    for s in tail:
        if s.scene in end_names:
            run = (run[0], s.end) if run is not None and abs(run[1] - s.start) < 1e-9 else (s.start, s.end)
    return run


def clean_windows(
    parts: Sequence[Stretch],
    scenes: Iterable[str],
    *,
    margin: float = 1.5,
    exclude: Iterable[tuple[float, float]] = (),
    within: tuple[float, float] | None = None,
) -> list[tuple[float, float]]:
    """Intervals where one of ``scenes`` was on air, ``margin`` seconds in from each switch, minus ``exclude``
    (e.g. a question card's time on air), clipped to ``within``."""
    wanted = set(scenes)
    out = [(s.start + margin, s.end - margin) for s in parts if s.scene in wanted]
    out = [(a, b) for a, b in out if b > a]
    for x0, x1 in exclude:
        cut: list[tuple[float, float]] = []
        for a, b in out:
            if x1 <= a or x0 >= b:
                cut.append((a, b))
                continue
            if x0 - margin > a:
                cut.append((a, x0 - margin))
            if x1 + margin < b:
                cut.append((x1 + margin, b))
        out = cut
    if within is not None:
        lo, hi = within
        out = [(max(a, lo), min(b, hi)) for a, b in out if min(b, hi) > max(a, lo)]
    return out


def spread(windows: Sequence[tuple[float, float]], n: int) -> list[float]:
    """``n`` times spread evenly over the windows' total length (each window gets its share)."""
    total = sum(b - a for a, b in windows)
    if total <= 0 or n <= 0:
        return []
    times: list[float] = []
    for i in range(n):
        target = total * (i + 0.5) / n
        for a, b in windows:
            if target <= b - a:
                times.append(a + target)
                break
            target -= b - a
    return times
