"""The streamed JSON array reader: elements come out the moment their last byte arrives, however the bytes
are cut into chunks; a cut-off or garbled stream is told apart from one that is merely not finished."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.youtube.chat_stream import JsonArrayReader

TRICKY = [
    {"items": [{"snippet": {"displayMessage": "a } ] , [ { \" \\ quote"}}], "nextPageToken": "t1"},
    {"items": [{"snippet": {"displayMessage": "ماذا أفعل؟ 🚲 ünïcödé"}}], "nextPageToken": "t2"},
    {"items": [], "nextPageToken": "t3", "offlineAt": "2026-12-01T20:00:00Z"},
]


def wire(elements, compact: bool = False) -> bytes:
    sep = "," if compact else ",\n"
    return ("[" + sep.join(json.dumps(e, ensure_ascii=False) for e in elements) + "]").encode()


def test_element_by_element_as_bytes_arrive():
    data = wire(TRICKY)
    reader = JsonArrayReader()
    got, seen_at = [], []
    for i in range(len(data)):  # one byte at a time: multi-byte characters are split too
        for element in reader.feed(data[i:i + 1]):
            got.append(element)
            seen_at.append(i)
    assert got == TRICKY and reader.done
    first_end = len(("[" + json.dumps(TRICKY[0], ensure_ascii=False)).encode()) - 1
    assert seen_at[0] == first_end  # handed over on its last byte, not later


@given(st.lists(st.dictionaries(st.text(max_size=5), st.one_of(st.text(), st.integers(), st.booleans(),
                                                                st.lists(st.text(max_size=3), max_size=3)),
                                max_size=4), max_size=6),
       st.lists(st.integers(min_value=1, max_value=40), min_size=1, max_size=50), st.booleans())
def test_any_split_gives_the_same_elements(elements, cuts, compact):
    data = wire(elements, compact)
    reader, got, at, i = JsonArrayReader(), [], 0, 0
    while at < len(data):
        size = cuts[i % len(cuts)]
        got += reader.feed(data[at:at + size])
        at, i = at + size, i + 1
    assert got == elements and reader.done


def test_empty_array_and_whitespace():
    reader = JsonArrayReader()
    assert reader.feed(b" \r\n[ ") == [] and not reader.done
    assert reader.feed(b" ]\n") == [] and reader.done


@pytest.mark.parametrize("data", [b'{"error": 1}', b"[{} {}]", b"[{}]x", b"[1,", b"[\xff]"])
def test_garbage_is_an_error_not_a_wait(data):
    reader = JsonArrayReader()
    with pytest.raises(ValueError):
        reader.feed(data)
        reader.feed(b"]")  # "[1," then more: still garbage


def test_cut_off_stream_is_not_done():
    data = wire(TRICKY)
    reader = JsonArrayReader()
    got = reader.feed(data[: len(data) // 2])
    assert len(got) < len(TRICKY) and not reader.done


def test_an_element_that_never_ends_is_refused_at_the_size_limit():
    reader = JsonArrayReader(max_element=1000)
    reader.feed(b'[{"a": "' + b"x" * 900)
    with pytest.raises(ValueError, match="too large"):
        reader.feed(b"x" * 200)
