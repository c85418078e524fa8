"""A local emulator of the YouTube Data API v3 subset the studio uses, with an RTMP ingest.

    from studio.youtube.emulator import start_emulator
    emu = start_emulator(port=0, rtmp_port=0, quota_limit=10_000)
    youtube = googleapiclient.discovery.build(
        "youtube", "v3", static_discovery=True, credentials=Credentials(token="x"),
        client_options={"api_endpoint": emu.endpoint})
    ...
    emu.control.post_chat(live_chat_id, "Goedenavond!")
    emu.stop()

Modules: ``server`` (HTTP, YouTube's paths, auth, quota, faults), ``validation`` (the discovery document
shipped in google-api-python-client), ``api`` (one handler per method), ``broadcasts`` (liveBroadcasts and
liveStreams with the lifecycle rules), ``chat``, ``chat_stream`` (the streamed chat, as Google's REST
streaming sends it), ``videos`` (videos, uploads, thumbnails, playlists),
``captions`` (caption tracks with their file as media upload; ``control.captions(video_id)`` reads them back),
``state`` (the world and its lock), ``control`` (the test/rehearsal API, also at ``/emulator/<op>``),
``rtmp`` and ``amf`` (the ingest), ``tls``.

Media uploads and ``api_endpoint``: googleapiclient builds upload URLs (videos.insert, thumbnails.set) from
the discovery document's root ``https://youtube.googleapis.com/upload/youtube/v3/...`` and replaces only the
host (``_fix_up_media_path_base_url``), so with ``api_endpoint="http://127.0.0.1:PORT/"`` the *first* upload
request goes to ``https://127.0.0.1:PORT/upload/youtube/v3/videos?...&uploadType=resumable``. Every later
chunk goes to the session URI from ``Location``, which the emulator makes plain ``http://``. Two ways work:

1. the emulator's port also speaks TLS (it sniffs the first byte) with a self-signed certificate; a client
   that passes ``httplib2.Http(ca_certs=emu.ca_file)`` to ``google_auth_httplib2.AuthorizedHttp`` uses the
   library's own ``MediaFileUpload`` path unchanged;
2. a client rewrites the request's scheme to the endpoint's before executing it
   (``request.uri = "http" + request.uri[5:]`` when the endpoint is ``http://``); also unchanged otherwise.

Both are tested in tests/integration/test_emulator_upload.py.
"""

from __future__ import annotations

import pathlib
import threading
from dataclasses import dataclass, field

from studio.youtube.emulator.control import Control, ControlError
from studio.youtube.emulator.errors import ApiError
from studio.youtube.emulator.rtmp import RtmpIngest
from studio.youtube.emulator.server import EmulatorHTTPServer
from studio.youtube.emulator.state import EmulatorConfig, World
from studio.youtube.emulator.tls import make_context
from studio.youtube.emulator.validation import Discovery

__all__ = ["ApiError", "ControlError", "Emulator", "EmulatorConfig", "start_emulator"]


@dataclass
class Emulator:
    """A running emulator: ``endpoint`` for googleapiclient, ``rtmp_url`` for OBS, ``control`` for tests."""

    world: World
    control: Control
    http: EmulatorHTTPServer
    rtmp: RtmpIngest
    ca_file: pathlib.Path | None
    _thread: threading.Thread = field(repr=False)
    _stopped: bool = False

    @property
    def port(self) -> int:
        return int(self.http.server_address[1])

    @property
    def endpoint(self) -> str:
        return self.http.base_url

    @property
    def rtmp_port(self) -> int:
        return self.rtmp.port

    @property
    def rtmp_url(self) -> str:
        return f"rtmp://127.0.0.1:{self.rtmp.port}/live2"

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.world.stopping.set()  # open chat streams end
        self.http.shutdown()
        self.http.server_close()
        self._thread.join(timeout=5)
        self.rtmp.stop()

    def __enter__(self) -> Emulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_emulator(
    port: int = 0,
    rtmp_port: int = 0,
    quota_limit: int = 10_000,
    *,
    host: str = "127.0.0.1",
    polling_interval_ms: int = 2000,
    start_delay: float = 0.3,
    tls: bool = True,
    stream_lifetime: float | None = None,
) -> Emulator:
    """Start the HTTP API and the RTMP ingest in background threads (port 0: a free port).

    ``stream_lifetime``: seconds a chat stream stays open (None: until its chat ends)."""
    world = World(
        EmulatorConfig(
            quota_limit=quota_limit, polling_interval_ms=polling_interval_ms, start_delay=start_delay,
            stream_lifetime=stream_lifetime,
        )
    )
    control = Control(world)
    rtmp = RtmpIngest(world, host, rtmp_port)
    rtmp.start()
    world.rtmp_address = f"rtmp://{host}:{rtmp.port}/live2"
    try:
        server = EmulatorHTTPServer((host, port), world, Discovery.load(), control)
    except OSError:
        rtmp.stop()
        raise
    ca_file = None
    if tls:
        made = make_context()
        if made is not None:
            server.tls_context, ca_file = made
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.2}, name="emulator-http", daemon=True
    )
    thread.start()
    return Emulator(world=world, control=control, http=server, rtmp=rtmp, ca_file=ca_file, _thread=thread)
