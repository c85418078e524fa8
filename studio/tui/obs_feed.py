"""What the panel makes of OBS's reports before it draws them: meters merged between frames, and the changes
on air said in one Dutch line each (the status bar's feedback). Pure functions of the values OBS reported."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from studio.obs.state import ChannelLevel, Connection, ObsSnapshot


def merge_levels(
    older: Mapping[str, tuple[ChannelLevel, ...]], newer: Mapping[str, tuple[ChannelLevel, ...]]
) -> Mapping[str, tuple[ChannelLevel, ...]]:
    """The newer levels, keeping the highest peaks of both (an input only in ``older`` keeps its levels)."""
    merged = dict(older)
    for name, channels in newer.items():
        before = older.get(name)
        if before is not None and len(before) == len(channels):
            merged[name] = tuple(
                ChannelLevel(n.magnitude_dbfs, max(n.peak_dbfs, o.peak_dbfs), max(n.input_peak_dbfs, o.input_peak_dbfs))
                for o, n in zip(before, channels, strict=True)
            )
        else:
            merged[name] = channels
    return MappingProxyType(merged)


def on_air_lines(before: ObsSnapshot, after: ObsSnapshot) -> list[str]:
    """What changed on air between two of OBS's reports, one Dutch line each (nothing while not connected, and
    nothing for the first report after a (re)connect: that is OBS's state, not a change)."""
    if before.connection is not Connection.CONNECTED or after.connection is not Connection.CONNECTED:
        return []
    lines = []
    if after.program_scene and before.program_scene and after.program_scene != before.program_scene:
        lines.append(f"In beeld: scène '{after.program_scene}'")
    for name, info in after.inputs.items():
        old = before.inputs.get(name)
        if old is not None and old.muted != info.muted:
            lines.append(f"Geluid {'uit' if info.muted else 'aan'}: {name}")
    if after.streaming != before.streaming:
        lines.append("OBS stuurt beeld naar YouTube" if after.streaming else "OBS stuurt geen beeld meer naar YouTube")
    if after.recording != before.recording:
        lines.append("Opname loopt" if after.recording else "Opname gestopt")
    return lines
