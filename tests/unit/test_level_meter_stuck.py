"""A microphone read that hangs in the driver (studio.media.microphone.LevelMeter): the panel gets an answer in
time, and the stream is never read again nor closed while that read is still inside PortAudio (closing it
there crashed the process once). The device itself cannot be made to hang on purpose, so the stream here is
one whose read blocks until the test lets it go; everything around it is the real LevelMeter."""

from __future__ import annotations

import threading

import pytest

from studio.media.audio_analysis import AudioTimeout
from studio.media.microphone import LevelMeter


class StuckStream:
    def __init__(self) -> None:
        self.release = threading.Event()
        self.reading = 0
        self.closed_while_reading = False
        self.closed = False

    def read(self, n: int, exception_on_overflow: bool = False) -> bytes:
        self.reading += 1
        try:
            self.release.wait(10)
            return b"\x00\x00" * n
        finally:
            self.reading -= 1

    def stop_stream(self) -> None:
        self.closed_while_reading |= self.reading > 0

    def close(self) -> None:
        self.closed_while_reading |= self.reading > 0
        self.closed = True


class NoPortAudio:
    def __exit__(self, *exc: object) -> None:
        pass


def meter(stream: StuckStream) -> LevelMeter:
    m = LevelMeter(None, read_timeout=0.2)
    m._stream, m._cm, m.rate, m.name = stream, NoPortAudio(), 48_000, "test"
    return m


def test_a_stuck_read_times_out_and_the_stream_is_left_alone():
    stream = StuckStream()
    m = meter(stream)
    with pytest.raises(AudioTimeout):
        m.read_level()
    with pytest.raises(AudioTimeout, match="hangt nog"):  # not a second read on the same stream
        m.read_level()
    m.__exit__(None, None, None)
    assert not stream.closed and not stream.closed_while_reading
    stream.release.set()


def test_a_read_that_comes_back_late_lets_the_stream_close():
    stream = StuckStream()
    m = meter(stream)
    with pytest.raises(AudioTimeout):
        m.read_level()
    threading.Timer(0.05, stream.release.set).start()  # the driver lets go within the close's wait
    m.__exit__(None, None, None)
    assert stream.closed and not stream.closed_while_reading
