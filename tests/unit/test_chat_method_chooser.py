"""Stream or poll: the chooser streams while connections deliver (they are never dearer than a poll for the
same delay), polls when they keep failing, and tries the stream again after a probe wait that doubles."""

from __future__ import annotations

import pytest

from studio.youtube.chat_pace import POLL, STREAM, Connection, MethodChooser


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_connections_that_deliver_keep_the_stream_whatever_their_lifetime():
    clock = Clock()
    c = MethodChooser(clock=clock)
    for lifetime in (3600.0, 10.0, 10.0, 0.2, 10.0, 10.0):  # open all hour, or closed every 10 s, or at once
        c.record(Connection(lifetime, True, interval=12.0))
        assert c.next_method() == STREAM
    assert c.stream_rate() <= c.poll_rate(12.0)  # never more units per covered second than polling
    assert c.mean_lifetime == pytest.approx((10 + 10 + 0.2 + 10) / 4)


def test_failing_connections_switch_to_polling_and_a_probe_brings_the_stream_back():
    clock = Clock()
    c = MethodChooser(clock=clock, probe_after=300.0)
    c.record(Connection(10.0, True, 12.0))
    c.record(Connection(0.0, False, 12.0))  # one failure is a blip
    assert c.next_method() == STREAM
    c.record(Connection(0.0, False, 12.0))  # two of the last few: 15 units for 12 s covered, polling: 5
    assert c.next_method() == POLL and c.switches == 1
    clock.t = 299.0
    assert c.next_method() == POLL
    clock.t = 300.0
    assert c.next_method() == STREAM  # the probe
    c.record(Connection(0.0, False, 12.0))  # still broken: poll, and wait twice as long
    assert c.next_method() == POLL and c.probe_after == 600.0
    clock.t = 300.0 + 599.0
    assert c.next_method() == POLL
    clock.t = 300.0 + 600.0
    assert c.next_method() == STREAM
    c.record(Connection(30.0, True, 12.0))  # works again: stay, and forget the old failures
    assert c.next_method() == STREAM and c.probe_after == 300.0
    c.record(Connection(0.0, False, 12.0))
    assert c.next_method() == STREAM


def test_long_lived_connections_outweigh_occasional_failures():
    c = MethodChooser(clock=Clock())
    for conn in (Connection(900.0, True, 12.0), Connection(0.0, False, 12.0), Connection(0.0, False, 12.0)):
        c.record(conn)
    assert c.next_method() == STREAM  # 15 units for 900 s beats a poll every 12 s


def test_unavailable_stream_polls_and_fixed_preferences():
    c = MethodChooser(clock=Clock(), probe_after=300.0, max_probe=3600.0)
    c.unavailable()
    assert c.next_method() == POLL and c.probe_after == 3600.0
    only_poll = MethodChooser("poll", clock=Clock())
    assert only_poll.next_method() == POLL
    only_stream = MethodChooser("stream", clock=Clock())
    for _ in range(5):
        only_stream.record(Connection(0.0, False, 12.0))
    assert only_stream.next_method() == STREAM
    with pytest.raises(ValueError):
        MethodChooser("carrier-pigeon")
