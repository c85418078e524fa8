"""The chat intake's quota governor and page parsing (pure; no network)."""

from __future__ import annotations

import random

from studio.youtube.chat import QuotaGovernor, parse_page


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def simulate(messages: list[float], server_min: float = 2.0, budget: int = 1500, minutes: int = 60):
    clock = Clock()
    gov = QuotaGovernor(budget, minutes * 60, clock=clock)
    delays, i = [], 0
    while clock.t < minutes * 60:
        new = 0
        while i < len(messages) and messages[i] <= clock.t:
            delays.append(clock.t - messages[i])
            i += 1
            new += 1
        gov.record_poll(new)
        interval = gov.next_interval(server_min)
        assert interval >= server_min
        clock.t += interval
    delays.sort()
    return gov.used_units, delays[len(delays) // 2] if delays else 0.0


def bursty_chat(seed: int, total: int = 120, bursts: int = 12) -> list[float]:
    rng = random.Random(seed)
    out: list[float] = []
    for start in sorted(rng.uniform(60, 3400) for _ in range(bursts)):
        t = start
        for _ in range(total // bursts):
            out.append(t)
            t += rng.expovariate(1 / 5)
    return sorted(out)


def test_a_session_stays_within_budget_and_answers_fast_in_bursts():
    for seed in range(5):
        units, median_delay = simulate(bursty_chat(seed))
        assert units <= 1500
        assert median_delay <= 6.0
        naive = 3600 / 2.0 * 5
        assert naive / units >= 3


def test_a_silent_session_spends_no_more_and_polls_slower_than_a_busy_one():
    clock = Clock()
    quiet = QuotaGovernor(1500, 3600, clock=clock)
    quiet.record_poll(0)
    busy = QuotaGovernor(1500, 3600, clock=clock)
    busy.record_poll(5)
    assert busy.next_interval(2.0) < quiet.next_interval(2.0)
    assert quiet.next_interval(2.0) > quiet.average_interval  # saving for busier moments
    units, _ = simulate([])
    assert units <= 1500


def test_never_sooner_than_the_server_allows():
    clock = Clock()
    gov = QuotaGovernor(100_000, 3600, clock=clock)
    gov.record_poll(10)
    assert gov.next_interval(7.5) == 7.5


def test_overspending_slows_down_and_overtime_keeps_the_average_pace():
    clock = Clock()
    gov = QuotaGovernor(1500, 3600, clock=clock)
    fresh = gov.even_interval()
    gov.used_units = 1000  # spent two thirds in no time
    assert gov.even_interval() > 2 * fresh
    gov.used_units = 1500
    assert gov.next_interval(2.0) >= 3000  # budget spent: wait for the end of the period
    clock.t = 4000  # the session runs over: carry on at the budget's average pace
    assert gov.next_interval(2.0) >= gov.average_interval * 0.2


def test_restart_counts_units_already_spent():
    clock = Clock()
    gov = QuotaGovernor(1500, 3600, clock=clock, used_units=700, started_at=-1800)
    assert gov.polls == 140 and gov.remaining_units < 800
    fresh = QuotaGovernor(1500, 3600, clock=clock)
    assert gov.even_interval() > fresh.even_interval() * 0.9


def item(mid: str, kind: str = "textMessageEvent", text: str = "", channel: str = "UCx", owner: bool = False, **snip):
    return {"id": mid, "snippet": {"type": kind, "displayMessage": text, "authorChannelId": channel,
                                   "publishedAt": "2026-01-06T18:00:00.5Z",
                                   "textMessageDetails": {"messageText": text}, **snip},
            "authorDetails": {"channelId": channel, "displayName": "Naam", "isChatOwner": owner}}


def test_parse_page_keeps_only_what_it_needs():
    ids = iter(f"q{i}" for i in range(100))
    page = parse_page([
        item("m1", text="Help, 112!"),
        item("m2", text="Bij spoed altijd 112 bellen.", owner=True),  # our own reply
        item("m3", text="Bij spoed altijd 112 bellen."),  # someone pasting it: skipped as a canned text
        item("m4", kind="messageDeletedEvent", messageDeletedDetails={"deletedMessageId": "m0"}),
        item("m5", kind="userBannedEvent", userBannedDetails={"bannedUserDetails": {"channelId": "UCbad"}}),
        item("m6", kind="superChatEvent", superChatDetails={"userComment": "سؤال"}),
        item("m7", kind="chatEndedEvent"),
        item("m8", text="   "),
        {"id": 5}, "rubbish",
    ], hasher=lambda c: f"h({c})", skip_texts=["Bij spoed altijd 112 bellen."], new_id=lambda: next(ids))
    assert [(q.message_id, q.urgent, q.lang, q.author_hash) for q in page.questions] == [
        ("m1", True, "nl", "h(UCx)"), ("m6", False, "ar", "h(UCx)")]
    assert page.questions[0].received_at == 1767722400.5
    assert page.deleted == ["m0"] and page.banned == ["h(UCbad)"] and page.ended
    assert page.seen_ids == [f"m{i}" for i in range(1, 9)]
