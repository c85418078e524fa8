"""What the rest of the studio sees of OBS: immutable snapshots and small event objects.

The supervisor (``studio.obs.supervisor.ObsSupervisor``) owns the obsws-python clients and publishes these;
nothing outside ``studio/obs`` ever sees an obsws-python object. Listeners are called from the
supervisor's threads: the panel turns them into Textual messages, it never touches widgets from there.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


class Connection(enum.Enum):
    CONNECTING = "connecting"
    CONNECTED = "connected"
    LOST = "lost"
    STOPPED = "stopped"  # close() was called

    @property
    def label(self) -> str:
        """The Dutch word the panel shows."""
        return {
            Connection.CONNECTING: "verbinden…",
            Connection.CONNECTED: "verbonden",
            Connection.LOST: "verbinding kwijt",
            Connection.STOPPED: "gestopt",
        }[self]


@dataclass(frozen=True)
class Capabilities:
    """What this OBS / obs-websocket can do; decided from GetVersion, never guessed from the platform."""

    obs_version: str = ""
    websocket_version: str = ""
    platform: str = ""  # GetVersion's platform: 'linux', 'windows', 'macos'
    available_requests: frozenset[str] = frozenset()
    input_kinds: frozenset[str] = frozenset()
    image_formats: frozenset[str] = frozenset()  # GetVersion's supportedImageFormats (for screenshots)
    rpc_version: int = 0

    def has(self, request: str) -> bool:
        return request in self.available_requests

    @property
    def set_record_directory(self) -> bool:
        return self.has("SetRecordDirectory")


@dataclass(frozen=True)
class InputInfo:
    name: str
    kind: str
    muted: bool = False


@dataclass(frozen=True)
class ObsSnapshot:
    """Everything the panel shows about OBS, as OBS last reported it."""

    connection: Connection = Connection.CONNECTING
    reason: str = ""  # why connecting/lost, in Dutch, one line; empty when connected
    capabilities: Capabilities = Capabilities()
    scenes: tuple[str, ...] = ()
    program_scene: str | None = None
    inputs: Mapping[str, InputInfo] = field(default_factory=lambda: MappingProxyType({}))
    streaming: bool = False
    stream_timecode: str = ""  # "HH:MM:SS.mmm" from OBS
    recording: bool = False
    record_paused: bool = False
    record_timecode: str = ""
    record_path: str = ""  # last finished recording's path, when known


@dataclass(frozen=True)
class Stats:
    """From GetStats."""

    cpu_usage: float = 0.0  # percent
    memory_usage: float = 0.0  # MB
    active_fps: float = 0.0
    render_skipped_frames: int = 0
    render_total_frames: int = 0
    output_skipped_frames: int = 0
    output_total_frames: int = 0
    disk_space_mb: float = 0.0


@dataclass(frozen=True)
class OutputStatus:
    """GetRecordStatus / GetStreamStatus as facts (durations in milliseconds since the output started)."""

    active: bool
    timecode: str = ""  # "HH:MM:SS.mmm"
    duration_ms: int = 0
    paused: bool = False  # recording only
    reconnecting: bool = False  # stream only
    bytes: int = 0
    skipped_frames: int = 0  # stream only: frames the encoder/network dropped
    total_frames: int = 0
    congestion: float = 0.0  # stream only, 0..1


# Input kinds that carry audio (OBS only sends meters for active inputs, so a strip may be silent).
AUDIO_KIND_PREFIXES = (
    "pulse_",
    "alsa_",
    "jack_",
    "wasapi_",
    "coreaudio_",
    "ffmpeg_source",
    "vlc_source",
    "dshow_input",
    "sck_audio_capture",
    "av_capture_input",
    "macos-avcapture",
)


def is_audio_kind(kind: str) -> bool:
    return kind.startswith(AUDIO_KIND_PREFIXES)


@dataclass(frozen=True)
class AudioRoute:
    """Where an audio input goes, as OBS reports it: in the program output or not, and its fader."""

    name: str
    in_program: bool  # part of what is streamed and recorded (program scene, nested, or a global device)
    monitor_only: bool = False  # sent to the monitor only: the technician hears it, viewers do not
    volume_db: float = 0.0  # the fader (SetInputVolume); -100 and below is -inf

    @property
    def heard_by_viewers(self) -> bool:
        return self.in_program and not self.monitor_only


@dataclass(frozen=True)
class ChannelLevel:
    magnitude_dbfs: float
    peak_dbfs: float
    input_peak_dbfs: float


def mul_to_dbfs(mul: float) -> float:
    """OBS reports linear amplitudes; 0 becomes -inf."""
    return 20.0 * math.log10(mul) if mul > 0 else -math.inf


# --- events the supervisor publishes to its listeners ----------------------------------------------
@dataclass(frozen=True)
class StateChanged:
    snapshot: ObsSnapshot


@dataclass(frozen=True)
class MetersUpdated:
    """InputVolumeMeters, every 50 ms while inputs are active: input name -> one level per channel."""

    levels: Mapping[str, tuple[ChannelLevel, ...]]


@dataclass(frozen=True)
class ObsEvent:
    """Any other OBS event, by its obs-websocket name (e.g. 'RecordStateChanged') with its data."""

    name: str
    data: Mapping[str, object]


Event = StateChanged | MetersUpdated | ObsEvent
