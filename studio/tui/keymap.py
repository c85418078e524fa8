"""The panel's one key map: every key of every screen in one table, and what ``?`` / F1 shows.

Why one table: on a real evening the officer, the moderator and the technician share one keyboard and move
between screens. A key that changes what viewers see or hear (``ON_AIR``) therefore means the same thing on
every screen where it works, and no other screen uses it for anything else: ``3`` is "Met gast" wherever
scenes can be switched, ``b`` puts a question in beeld wherever questions can be aired, and nowhere is ``b``
something harmless that a habit could turn into an on-air change. ``conflicts()`` checks exactly that (a unit
test runs it), so a new key that breaks the rule fails the build instead of an evening.

Scene keys follow the show's running order (``studio.domain.scenes.SHOW_SCENES``, the order of
scenes/wijkspreekuur.toml); only the show's scenes get a key. Keys marked ``asks_when_live`` (the slates, stop
the stream, stop the recording) ask first while a session is live: the screens look that up here.

Screens take their ``BINDINGS`` from ``bindings(mode)``; a key whose action a screen does not (yet) have is
hidden and does nothing (``StudioBaseScreen.check_action``), so another stream can name a key here before its
action lands. The help overlay (``studio.tui.widgets.help``) is generated from ``help_sections``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from textual.binding import Binding, BindingType

from studio.domain.scenes import SCENE_STARTING, SHOW_SCENES, SLATE_SCENES


@dataclass(frozen=True)
class Key:
    key: str  # Textual's key name ("b", "up", "ctrl+q"); one key per entry
    action: str  # the screen's action, with its arguments: "scene(3)", "on_air"
    label: str  # short, for the footer
    help: str  # the whole story, for the help overlay
    on_air: bool = False  # changes what viewers see or hear: one meaning in the whole panel
    asks_when_live: bool = False  # asks first while a session is live (slates, stop stream, stop recording)
    show: bool = True  # in the footer (the help shows every key)
    display: str = ""  # how the key is written for people ("" = from the key name)

    @property
    def action_name(self) -> str:
        return self.action.partition("(")[0]

    @property
    def shown_as(self) -> str:
        return self.display or key_display(self.key)


# How keys are written for a Dutch reader (Textual would write "^q", "esc", "question_mark").
_KEY_NAMES = {
    "up": "↑", "down": "↓", "left": "←", "right": "→", "escape": "Esc", "enter": "Enter", "tab": "Tab",
    "shift+tab": "Shift+Tab", "question_mark": "?", "space": "Spatie", "plus": "+", "minus": "-", "equals_sign": "=",
}


def key_display(key: str) -> str:
    if key in _KEY_NAMES:
        return _KEY_NAMES[key]
    if key.startswith("ctrl+"):
        return "Ctrl+" + key_display(key[5:]).upper()
    if key[:1] == "f" and key[1:].isdigit():
        return key.upper()
    if len(key) == 1 and key.isupper():
        return f"Shift+{key}"
    return key


# --- scenes: the show's order, 1 = Starten ... 6 = Einde --------------------------------------------------------
_SCENE_SHORT = {"Wijkagent met gast": "Met gast", "Vraag in beeld": "Vraagscène"}


def scene_for_key(number: int) -> str | None:
    """The show scene behind a number key (1-based, the show's running order), or None."""
    return SHOW_SCENES[number - 1] if 1 <= number <= len(SHOW_SCENES) else None


def key_for_scene(scene: str) -> int | None:
    return SHOW_SCENES.index(scene) + 1 if scene in SHOW_SCENES else None


def _scene_key(number: int, scene: str) -> Key:
    slate = scene in SLATE_SCENES
    more = " (vraagt eerst zolang de uitzending live is)" if slate else ""
    # key 1 stands for all of them in the footer ("1-6 Scènes"); the help names each scene
    return Key(str(number), f"scene({number})", "Scènes" if number == 1 else _SCENE_SHORT.get(scene, scene),
               f"Scène '{scene}' uitzenden{more}", on_air=True, asks_when_live=slate,
               show=number == 1, display=f"1-{len(SHOW_SCENES)}" if number == 1 else "")


SCENE_KEYS: tuple[Key, ...] = tuple(_scene_key(i, s) for i, s in enumerate(SHOW_SCENES, start=1))


def slate_question(scene: str, live: bool) -> str | None:
    """The question a slate's scene key asks while live (None: switch at once)."""
    if not live or scene not in SLATE_SCENES:
        return None
    if scene == SCENE_STARTING:
        return (f"Het startbeeld ('{scene}') nu in beeld? De uitzending is live: kijkers zien dan 'we beginnen "
                "zo' in plaats van de studio.")
    return (f"Het eindbeeld ('{scene}') nu in beeld? De uitzending is live en loopt daarna gewoon door. "
            "Het spreekuur afsluiten (eindbeeld, dan netjes stoppen) is e (Einde) op het Spreekuur-scherm.")

# --- what changes what is on air: one meaning everywhere ----------------------------------------------------------
ON_AIR_QUESTION = Key("b", "on_air", "In beeld", "Vraag in beeld: de kaart komt op het scherm van de kijkers "
                      "(Vragen: de geselecteerde vraag; Spreekuur: de eerstvolgende gekozen vraag)", on_air=True)
OFF_AIR_QUESTION = Key("u", "off_air", "Uit beeld", "Vraag uit beeld (terug naar de gekozen vragen)", on_air=True)
ANSWERED = Key("k", "answered", "Beantwoord", "Beantwoord: de vraag in beeld gaat uit beeld en is afgehandeld",
               on_air=True)
GO_LIVE = Key("l", "go_live", "Live gaan", "Live gaan: kijkers zien en horen de studio (vraagt eerst)",
              on_air=True)
END = Key("e", "end", "Einde", "Einde: het eindbeeld (met 112 en 0900-8844) staat even in beeld, daarna "
          "stopt de uitzending netjes (vraagt eerst)", on_air=True, asks_when_live=True)
STOP = Key("x", "stop", "Stoppen", "Stoppen: direct uit de lucht, zonder eindbeeld (noodstop; vraagt eerst)",
           on_air=True, asks_when_live=True)
MUTE = Key("g", "toggle_mute", "Geluid uit/aan", "Geluid van de gekozen bron uit of weer aan (dempen)",
           on_air=True)

# --- the whole panel, screen by screen (mode names as in studio.tui.screens.SCREENS) ------------------------------
GLOBAL: tuple[Key, ...] = (
    Key("f1", "help", "Hulp", "Deze hulp: alle toetsen", display="F1/?"),
    Key("question_mark", "help", "Hulp", "Deze hulp: alle toetsen", show=False),
    Key("ctrl+q", "quit", "Afsluiten", "Het paneel afsluiten (vraagt eerst als OBS live is of opneemt; OBS gaat "
        "door)", show=False),
)

SCREEN_KEYS: dict[str, tuple[Key, ...]] = {
    "show": (
        Key("s", "start", "Start spreekuur", "Het spreekuur starten: controle, scènes, opname en stream "
            "klaarzetten (nog niet live; vraagt eerst en noemt de datum)"),
        GO_LIVE,
        END,
        STOP,
        Key("r", "retry", "Opnieuw", "De mislukte stap opnieuw proberen"),
        Key("o", "skip", "Overslaan", "De mislukte stap overslaan (waar dat veilig is; de controle alleen met "
            "een reden)"),
        Key("n", "next_session", "Volgende sessie", "Naar de volgende sessie van vanavond"),
        *SCENE_KEYS,
        ON_AIR_QUESTION,
        OFF_AIR_QUESTION,
        ANSWERED,
    ),
    "studio": (
        *SCENE_KEYS,
        MUTE,
        Key("up", "select_input(-1)", "Vorige bron", "Vorige geluidsbron kiezen", show=False),
        Key("down", "select_input(1)", "Volgende bron", "Volgende geluidsbron kiezen", show=False,
            display="↑↓"),
        Key("plus", "volume(1)", "Harder", "De gekozen geluidsbron een stap harder (OBS's volume)", on_air=True),
        Key("equals_sign", "volume(1)", "Harder", "Harder (= op een toetsenbord zonder +)", on_air=True,
            show=False),
        Key("minus", "volume(-1)", "Zachter", "De gekozen geluidsbron een stap zachter (OBS's volume)", on_air=True),
        Key("r", "record", "Opname", "Opname starten, of stoppen (stoppen vraagt eerst)", asks_when_live=True),
        Key("p", "toggle_preview", "Beeld aan/uit", "Het beeld van wat uitgezonden wordt tonen of verbergen"),
    ),
    "questions": (
        Key("s", "shortlist", "Kiezen", "De gekozen vraag klaarzetten voor in beeld"),
        ON_AIR_QUESTION,
        OFF_AIR_QUESTION,
        ANSWERED,
        Key("d", "forward", "Doorzetten", "Doorzetten naar een collega, met een notitie"),
        Key("a", "reject", "Afwijzen", "Afwijzen (komt niet in beeld)"),
        Key("p", "park", "Parkeren", "Parkeren (later misschien)", show=False),
        Key("w", "edit", "Wijzigen", "De tekst wijzigen (het origineel blijft bewaard)", show=False),
        Key("m", "mask", "Maskeren", "Een stuk tekst maskeren voordat het in beeld komt", show=False),
        Key("h", "restore", "Herstellen", "Een maskering ongedaan maken", show=False),
        Key("v", "merge", "Samenvoegen", "Samenvoegen met een dubbele vraag (twee keer v)", show=False),
        Key("n", "new", "Nieuwe vraag", "Een vraag per telefoon of via sociale media toevoegen", show=False),
        Key("r", "reply", "Chatantwoord", "Een standaardantwoord in de chat zetten (kies uit de lijst)"),
        Key("t", "toggle_lang", "Taal NL/AR", "Taal van de standaardantwoorden: Nederlands of Arabisch",
            show=False),
        Key("c", "toggle_chat", "Chat aan/uit", "Het lezen van de chat starten of stoppen", show=False),
        Key("f", "toggle_all", "Alles/open", "Alle vragen tonen, of alleen de open vragen", show=False),
        Key("escape", "cancel_merge", "Stop samenvoegen", "Samenvoegen afbreken", show=False),
    ),
    "broadcast": (
        Key("a", "create", "Aanmaken", "De YouTube-uitzending van de volgende sessie aanmaken"),
        Key("l", "go_live", "Live gaan", "De gekozen uitzending live zetten (vraagt eerst)", on_air=True),
        Key("x", "stop", "Stoppen", "De gekozen uitzending beëindigen, zonder eindbeeld (vraagt eerst; het "
            "gewone einde met eindbeeld is e op het Spreekuur-scherm)", on_air=True, asks_when_live=True),
        Key("r", "refresh", "Vernieuwen", "Opnieuw bij YouTube opvragen"),
    ),
    "preflight": (
        Key("r", "rerun", "Opnieuw controleren", "Alle controles opnieuw"),
        Key("s", "start", "Start de uitzending", "Het spreekuur starten (als alle blokkerende controles goed zijn)"),
        Key("o", "override", "Toch starten", "Toch starten terwijl een controle faalt, met een reden voor het "
            "logboek"),
        Key("m", "toggle_meter", "Microfoonmeter", "De microfoonmeter aan of uit"),
    ),
    "archive": (
        Key("p", "process", "Verwerken", "De opname verwerken (inkorten, controleren) voor publicatie"),
        Key("y", "publish", "Publiceren", "Op YouTube publiceren (toont eerst wat er gebeurt en vraagt)"),
        Key("Y", "publish_other", "Publiceren (andere wijze)", "Publiceren op de andere manier dan ingesteld "
            "(vraagt eerst)", show=False),
        Key("c", "verify", "Controleren", "Controleren of de bestanden nog heel zijn (sha256)"),
        Key("v", "report", "Verslag", "Het sessieverslag schrijven (Markdown en CSV)"),
        Key("r", "refresh", "Vernieuwen", "De lijst opnieuw laden"),
        Key("o", "captions", "Ondertitels", "De ondertitels van de gekozen opname bekijken en nakijken"),
        Key("m", "make_captions", "Ondertitels maken", "De ondertitels (opnieuw) laten maken: in de wachtrij, "
            "die wacht zolang er een sessie live is", show=False),
    ),
    # Archief, o: the captions of one recording, to review before publishing.
    "archive_captions": (
        Key("w", "edit", "Wijzigen", "De tekst van de gekozen ondertitel verbeteren"),
        Key("n", "next_to_check", "Volgende !", "Naar de volgende ondertitel om na te kijken (!)"),
        Key("d", "remove", "Verwijderen", "Een ondertitel waar niemand sprak weghalen (vraagt eerst)"),
        Key("a", "approve", "Akkoord", "Alles nagekeken: de ondertitels mogen gepubliceerd worden (vraagt eerst)"),
        Key("escape", "back", "Terug", "Terug naar het archief"),
    ),
}


def keys_for(mode: str) -> tuple[Key, ...]:
    return SCREEN_KEYS.get(mode, ())


def bindings(mode: str) -> list[BindingType]:
    """The Textual bindings of one screen, straight from the table."""
    return [Binding(k.key, k.action, k.label, show=k.show, key_display=k.display or key_display(k.key))
            for k in keys_for(mode)]


def global_bindings() -> list[BindingType]:
    out: list[BindingType] = []
    for k in GLOBAL:
        out.append(Binding(k.key, k.action, k.label, show=k.show, key_display=k.display or key_display(k.key),
                           priority=k.key == "ctrl+q"))
    return out


def find(mode: str, key: str) -> Key | None:
    return next((k for k in keys_for(mode) if k.key == key), None)


def asks_when_live(mode: str, action: str) -> bool:
    """Whether the key behind ``action`` on this screen asks first while a session is live."""
    return any(k.asks_when_live for k in keys_for(mode) if k.action == action)


def on_air_meanings() -> dict[str, set[str]]:
    """key -> every (action, label) it has on a screen where it changes what is on air, and elsewhere."""
    air = {k.key for keys in SCREEN_KEYS.values() for k in keys if k.on_air}
    out: dict[str, set[str]] = {key: set() for key in air}
    for keys in SCREEN_KEYS.values():
        for k in keys:
            if k.key in air:
                out[k.key].add(f"{k.action_name}: {k.label}")
    return out


def conflicts() -> list[str]:
    """Every break of the rules above, in Dutch (empty when the map is sound)."""
    problems = []
    for key, meanings in sorted(on_air_meanings().items()):
        if len(meanings) > 1:
            problems.append(f"toets {key_display(key)} verandert wat in beeld is, maar betekent "
                            f"{' / '.join(sorted(meanings))}")
    for mode, keys in SCREEN_KEYS.items():
        seen: dict[str, str] = {}
        for k in keys:
            if k.key in seen:
                problems.append(f"{mode}: toets {k.shown_as} staat er twee keer in ({seen[k.key]}, {k.action})")
            seen[k.key] = k.action
        for g in GLOBAL:
            if g.key in seen:
                problems.append(f"{mode}: toets {g.shown_as} is al van het hele paneel ({g.label})")
    return problems


# --- the help overlay ----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HelpRow:
    key: str
    text: str
    where: str = ""  # the screens where an on-air key works


@dataclass(frozen=True)
class HelpSection:
    title: str
    rows: tuple[HelpRow, ...]


def help_sections(mode: str, screen_label: str, screens: Iterable[tuple[str, str, str]],
                  has_action: Callable[[str], bool] = lambda _a: True) -> list[HelpSection]:
    """What ``?`` shows: this screen's keys, the keys that mean the same on every screen, and the whole panel.

    ``screens`` are (function key, mode, label) of the panel's screens; ``has_action`` says whether the screen
    underneath can do an action (keys of actions it lacks are left out).
    """
    screens = list(screens)
    label_of = {m: label for _key, m, label in screens}
    own = [k for k in keys_for(mode) if has_action(k.action_name)]
    sections = [HelpSection(f"Op dit scherm ({screen_label})",
                            tuple(HelpRow(key_display(k.key), k.help) for k in own))]
    air: dict[str, tuple[Key, list[str]]] = {}
    for m, keys in SCREEN_KEYS.items():
        for k in keys:
            if k.on_air:
                entry = air.setdefault(k.key, (k, []))
                if label_of.get(m) and label_of[m] not in entry[1]:
                    entry[1].append(label_of[m])
    ordered = sorted(air.items(), key=lambda item: not item[0].isdigit())  # scenes first, then the rest
    sections.append(HelpSection("Deze toetsen veranderen wat kijkers zien of horen: overal hetzelfde",
                                tuple(HelpRow(key_display(key), k.help, ", ".join(where))
                                      for key, (k, where) in ordered if where)))
    general = [HelpRow(key.upper(), f"Naar {label}") for key, _m, label in sorted(screens, key=lambda s: int(s[0][1:]))]
    general += [HelpRow("F1 of ?", "Deze hulp (Esc sluit)"), HelpRow("Ctrl+Q", GLOBAL[2].help),
                HelpRow("Tab", "Naar de volgende knop of het volgende veld")]
    sections.append(HelpSection("Overal", tuple(general)))
    return sections
