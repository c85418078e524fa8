"""Input kinds per platform: which OBS source type is "the camera" or "the microphone" where.

OBS names its capture sources differently on every platform, and some kinds gained a version suffix over the
years (notes/obs.md). The scenes file may list several candidates; the first one this OBS actually offers
(GetInputKindList, in ``Capabilities.input_kinds``) wins. The platform comes from GetVersion, never from the
machine this program runs on: OBS may run on another PC.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

PLATFORMS = ("linux", "windows", "macos")

CAMERA_KINDS: Mapping[str, tuple[str, ...]] = {
    "linux": ("v4l2_input",),
    "windows": ("dshow_input",),
    "macos": ("macos-avcapture", "av_capture_input_v2", "av_capture_input"),
}
MICROPHONE_KINDS: Mapping[str, tuple[str, ...]] = {
    "linux": ("pulse_input_capture", "alsa_input_capture"),
    "windows": ("wasapi_input_capture",),
    "macos": ("coreaudio_input_capture",),
}
TEXT_KINDS: Mapping[str, tuple[str, ...]] = {
    "linux": ("text_ft2_source_v2",),
    "windows": ("text_gdiplus_v3", "text_gdiplus_v2"),
    "macos": ("text_ft2_source_v2",),
}
IMAGE_KIND = "image_source"
MEDIA_KIND = "ffmpeg_source"
COLOR_KINDS = ("color_source_v3", "color_source_v2", "color_source")


def platform_of(obs_platform: str) -> str:
    """Map GetVersion's ``platform`` ('windows', 'macos', 'debian', 'ubuntu', ...) to linux/windows/macos."""
    p = obs_platform.strip().lower()
    if p.startswith("win"):
        return "windows"
    if p in {"macos", "osx", "darwin"} or p.startswith("mac"):
        return "macos"
    return "linux"


def first_available(candidates: Sequence[str], available: Iterable[str]) -> str | None:
    """The first candidate OBS offers; None when it offers none of them (or the list is unknown and empty)."""
    offered = set(available)
    for kind in candidates:
        if kind in offered:
            return kind
    return None


def camera_kind(platform: str, available: Iterable[str]) -> str | None:
    return first_available(CAMERA_KINDS[platform_of(platform)], available)


def microphone_kind(platform: str, available: Iterable[str]) -> str | None:
    return first_available(MICROPHONE_KINDS[platform_of(platform)], available)


def text_kind(platform: str, available: Iterable[str]) -> str | None:
    return first_available(TEXT_KINDS[platform_of(platform)], available)
