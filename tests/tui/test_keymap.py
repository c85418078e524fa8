"""The panel's one key map (studio.tui.keymap): the rules it keeps, and that every screen takes its keys from it."""

from __future__ import annotations

import pytest

from studio.domain.scenes import SHOW_SCENES, SLATE_SCENES
from studio.tui import keymap
from studio.tui.screens import SCREENS


def test_the_map_is_sound():
    assert keymap.conflicts() == []


def test_conflicts_are_found(monkeypatch):
    """The check itself: a screen that used 'b' for something harmless would be caught."""
    broken = dict(keymap.SCREEN_KEYS)
    broken["archive"] = (*broken["archive"], keymap.Key("b", "backup", "Reservekopie", "Een reservekopie"))
    monkeypatch.setattr(keymap, "SCREEN_KEYS", broken)
    problems = keymap.conflicts()
    assert len(problems) == 1 and "toets b" in problems[0] and "backup" in problems[0]


def test_an_on_air_key_means_the_same_on_every_screen():
    # the cases the rehearsal evening found
    assert keymap.find("show", "3").action == keymap.find("studio", "3").action == "scene(3)"
    assert keymap.find("show", "b").action == keymap.find("questions", "b").action == "on_air"
    assert keymap.find("show", "k").action == keymap.find("questions", "k").action == "answered"
    assert keymap.find("questions", "v").action == "merge" and keymap.find("show", "v") is None
    assert keymap.find("questions", "e") is None and keymap.find("questions", "x") is None
    assert all(keymap.find(mode, str(n)) is None for mode in ("questions", "broadcast", "archive", "preflight")
               for n in range(1, 10))


def test_scene_keys_follow_the_show_and_only_the_show():
    assert [keymap.scene_for_key(n) for n in range(1, len(SHOW_SCENES) + 1)] == list(SHOW_SCENES)
    assert keymap.scene_for_key(len(SHOW_SCENES) + 1) is None and keymap.key_for_scene("Scene") is None
    for mode in ("show", "studio"):
        numbers = sorted(k.key for k in keymap.keys_for(mode) if k.key.isdigit())
        assert numbers == [str(n) for n in range(1, len(SHOW_SCENES) + 1)]


def test_slates_stop_and_stopping_the_recording_ask_first():
    asking = {(mode, k.action) for mode, keys in keymap.SCREEN_KEYS.items() for k in keys if k.asks_when_live}
    slates = {f"scene({keymap.key_for_scene(s)})" for s in SLATE_SCENES}
    assert {("show", a) for a in slates} <= asking and {("studio", a) for a in slates} <= asking
    assert {("show", "end"), ("show", "stop"), ("broadcast", "stop"), ("studio", "record")} <= asking
    assert keymap.slate_question("Einde", live=True) and keymap.slate_question("Starten", live=True)
    assert keymap.slate_question("Einde", live=False) is None and keymap.slate_question("Pauze", live=True) is None
    assert "e (Einde)" in keymap.slate_question("Einde", live=True)


@pytest.mark.parametrize("entry", SCREENS, ids=lambda e: e.mode)
def test_every_screen_takes_its_keys_from_the_table(entry):
    cls = entry.load()
    bound = {b.key: b.action for b in cls.BINDINGS}  # type: ignore[union-attr]
    assert bound == {k.key: k.action for k in keymap.keys_for(entry.mode)}


def test_other_streams_keys_are_in_the_table():
    """P11's mask/restore on the Questions screen: named here, shown once the screen has the actions."""
    assert keymap.find("questions", "m").action == "mask" and keymap.find("questions", "h").action == "restore"


def test_keys_are_written_in_dutch():
    assert keymap.key_display("ctrl+q") == "Ctrl+Q" and keymap.key_display("escape") == "Esc"
    assert keymap.key_display("question_mark") == "?" and keymap.key_display("Y") == "Shift+Y"
    assert keymap.key_display("f7") == "F7" and keymap.key_display("up") == "↑"


def test_help_sections_say_where_an_on_air_key_works():
    screens = [(e.key, e.mode, e.label) for e in SCREENS]
    sections = keymap.help_sections("questions", "Vragen", screens)
    assert sections[0].title == "Op dit scherm (Vragen)"
    air = {r.key: r.where for r in sections[1].rows}
    assert air["b"] == "Spreekuur, Vragen" and air["3"] == "Spreekuur, Studio" and air["x"] == "Spreekuur, Uitzending"
    everywhere = {r.key for r in sections[2].rows}
    assert {"F2", "F3", "F4", "F5", "F6", "F7", "F1 of ?", "Ctrl+Q"} <= everywhere
    without = keymap.help_sections("questions", "Vragen", screens, lambda action: action != "mask")
    assert "m" not in {r.key for r in without[0].rows}


def test_a_screen_opened_from_another_takes_its_keys_from_the_table():
    """Archief, o: the captions review has its own keys, in the table like every screen's (the help shows them)."""
    from studio.tui.screens.archive_captions import CaptionsScreen

    bound = {b.key: b.action for b in CaptionsScreen.BINDINGS}  # type: ignore[union-attr]
    assert bound == {k.key: k.action for k in keymap.keys_for(CaptionsScreen.KEY_MODE)}
    assert keymap.find("archive", "o").action == "captions" and keymap.find("archive", "m").action == "make_captions"
    sections = keymap.help_sections(CaptionsScreen.KEY_MODE, "Archief: ondertitels", [])
    assert {r.key for r in sections[0].rows} == {"w", "n", "d", "a", "Esc"}
