"""Person names in Latin script, with deduce, and the project's corrections on top.

deduce finds Dutch names well (first-name and surname lists, titles, initials, interfixes, "naam + naam"
context), but it was made for medical records, and some of what it does is wrong for a neighbourhood
broadcast. So after deduce (names only: its place, date, phone and institution annotators are not used, the
pure rules in studio.domain do those) this engine:

* cuts a street off a name: deduce reads "Piet Jansen op de Kampstraat" as one name (interfix "op de" +
  capitalised word); the name is "Piet Jansen", the street is the address rule's business;
* drops names that are street names ("Burgemeester van Grunsvenplein": public places named after people stay
  visible) and names that are only places ("Heerlerbaan", "Hoensbroek": deduce's place list and
  studio.domain.places);
* adds lower-case names after a cue ("buurman jan", "meneer bakker": chat is often all lower case, and
  deduce only knows capitalised names), when the word is in deduce's first-name or surname list; after
  "heet", "genaamd" and "mijn naam is" any word;
* flags for a look (uncertain) what may be a name: a lower-case word from the first-name list that is not a
  common word, and a pair of capitalised words that nothing else explains.

All of it on the folded text (studio.domain.textnorm); the hits' offsets are into that text.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from studio.deid.errors import DeidError
from studio.deid.library import deduce_package_dir, import_deduce
from studio.deid.lookups import Words, load_words
from studio.deid.normalise import street_key
from studio.domain.addresses import looks_like_street
from studio.domain.identifiers import Hit
from studio.domain.places import PUBLIC_NAMES

# deduce's base_config annotators that find names (patient_name needs patient metadata; eponymous diseases
# are a medical whitelist).
NAME_ANNOTATORS = ("prefix_with_initial", "prefix_with_interfix", "prefix_with_name", "interfix_with_name",
                   "initial_with_name", "initial_interfix", "first_name_lookup", "surname_lookup", "name_context")

_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*\.?")
_INTERFIXES = frozenset(["van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "op", "in", "aan", "la", "le", "du", "di", "da", "von", "zu", "el", "al", "ben", "bin"])
_STOP = frozenset(
    ["op", "in", "aan", "bij", "naar", "voor", "van", "de", "het", "een", "ik", "wij", "we", "mijn", "onze", "hij", "zij", "ze", "u", "er", "daar", "hier", "en", "of", "maar", "want", "dus", "als", "om", "met", "is", "was", "wordt"]
)
# After these a word from the first-name or surname list is a name, in any case ("buurman jan").
_PERSONAL_CUES = frozenset(
    ["buurman", "buurvrouw", "buurjongen", "buurmeisje", "meneer", "mevrouw", "mijnheer", "mevr", "mw", "dhr", "juf", "juffrouw", "zoon", "dochter", "broer", "zus", "zusje", "broertje", "neef", "nicht", "oom", "tante", "opa", "oma", "vriend", "vriendin", "collega", "ex", "ex-man", "ex-vrouw", "schoonzoon", "schoondochter", "vader", "moeder", "stiefvader", "stiefmoeder"]
)
# After these a capitalised word is a name ("agent Vermeulen", "familie Janssen").
_CUES = _PERSONAL_CUES | frozenset(["agent", "wijkagent", "familie", "fam", "jongen", "man", "vrouw", "meisje", "heer"])
# The public names, keyed like everything else ("albert heijn" -> "albert heyn").
_PUBLIC_KEYS = frozenset(street_key(name) for name in PUBLIC_NAMES)
_TITLES = frozenset(["meneer", "mevrouw", "mijnheer", "mevr", "mw", "dhr", "heer", "juf", "juffrouw", "agent", "wijkagent"])
_ARTICLES = frozenset(["de", "het", "een", "die", "deze", "dat"])
# After these any word is a name.
_STRONG_CUE_RE = re.compile(r"(?:\bheet|\bgenaamd|\bheten|\bmijn naam is|\bzijn naam is|\bhaar naam is)\s+$",
                            re.IGNORECASE)


def deduce_config() -> dict[str, Any]:
    base = json.loads((deduce_package_dir() / "base_config.json").read_text(encoding="utf-8"))
    config = {k: v for k, v in base.items() if k != "annotators"}
    config["annotators"] = {name: base["annotators"][name] for name in NAME_ANNOTATORS}
    return config


def make_deduce(lookup_dir: Path) -> Any:
    """A deduce.Deduce that finds names only, with its structures built from (and cached in) ``lookup_dir``."""
    deduce = import_deduce()
    try:
        return deduce.Deduce(load_base_config=False, config=deduce_config(), lookup_data_path=lookup_dir,
                             cache_path=lookup_dir)
    except (OSError, ValueError, KeyError, RuntimeError) as exc:
        raise DeidError(f"deduce kon zijn naamlijsten niet laden ({type(exc).__name__}: {exc})",
                        "verwijder de map met voorbereide lijsten en voer 'scripts/bootstrap.sh' opnieuw uit") \
            from exc


class DeidEngine:
    """deduce plus the word sets; thread-safe for reading (deduce keeps no state between texts)."""

    def __init__(self, deduce: Any, words: Words) -> None:
        self._deduce = deduce
        self._words = words
        self._whitelist = deduce.lookup_structs["whitelist"]
        self._prefixes = deduce.lookup_structs["prefix"]

    @classmethod
    def load(cls, directory: Path) -> DeidEngine:
        return cls(make_deduce(directory / "lookup"), load_words(directory))

    # --- lookups ------------------------------------------------------------------------------------
    def is_street(self, name: str) -> bool:
        key = street_key(name)
        return bool(key) and key in self._words.streets

    def is_place(self, name: str) -> bool:
        """A place, organisation or nationality: public, never a person's name."""
        key = street_key(name)
        return key in _PUBLIC_KEYS or key in self._words.places

    def _is_name_word(self, word: str) -> bool:
        low = word.lower()
        return (low in self._words.first_names or low in self._words.surnames) and low not in _STOP

    def _is_common(self, word: str) -> bool:
        return word.lower() in self._whitelist or word.lower() in _STOP

    # --- names --------------------------------------------------------------------------------------
    def names(self, text: str) -> list[Hit]:
        hits: list[Hit] = []
        doc = self._deduce.deidentify(text)
        for ann in doc.annotations:
            if ann.tag not in ("persoon", "patient"):
                continue
            span = self._correct(text, ann.start_char, ann.end_char)
            if span is not None:
                hits.append(Hit(span[0], span[1], "name"))
        hits.extend(self._cued_names(text))
        hits.extend(self._maybe_names(text, hits))
        return hits

    def _correct(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """deduce's name span with a trailing street cut off; None when nothing personal is left."""
        words = [m for m in _WORD_RE.finditer(text, start, end)]
        for k, w in enumerate(words):
            # Only words that can only be streets: many surnames are street names too ("van Dijk").
            if looks_like_street(w.group()):
                # The street's own name may start earlier: capitalised words and interfixes before it.
                while k > 0:
                    prev = words[k - 1].group()
                    if prev.lower() in _INTERFIXES and k > 1 and words[k - 2].group()[:1].isupper() \
                            and words[k - 2].group().lower() not in _STOP:
                        k -= 2
                    elif prev[:1].isupper() and prev.lower() not in _STOP and prev.lower() not in _INTERFIXES:
                        k -= 1
                    else:
                        break
                words = words[:k]
                break
        while words and (words[-1].group().lower() in _INTERFIXES or words[-1].group().lower() in _STOP):
            words.pop()
        if not words:
            return None
        start, end = words[0].start(), words[-1].end()
        if self.is_place(text[start:end]) or all(self.is_place(w.group()) or w.group().lower() in _INTERFIXES
                                                 for w in words):
            return None
        # The title stays readable on air: "mevrouw [naam]" (deduce includes it in the name).
        while words and self._is_title(words[0].group()):
            words.pop(0)
        if not words:
            return None  # only a title was left ("meneer")
        return words[0].start(), end

    def _is_title(self, word: str) -> bool:
        bare = word.rstrip(".")
        return bare in self._prefixes or bare.lower() in self._prefixes or bare.lower() in _TITLES

    def _cued_names(self, text: str) -> list[Hit]:
        """Names right after a cue: capitalised words that are no common word, place or street; lower-case
        words from the name lists after a personal cue ("mijn buurman jan", not "de wijkagent kent")."""
        hits = []
        words = list(_WORD_RE.finditer(text))
        for i in range(1, len(words)):
            w = words[i].group().rstrip(".")
            prev = words[i - 1].group().rstrip(".").lower()
            if text[words[i - 1].end() : words[i].start()].strip(" ,:"):
                continue
            strong = _STRONG_CUE_RE.search(text, max(0, words[i].start() - 20), words[i].start()) is not None
            capital = w[:1].isupper() and not self._is_common(w) and not self.is_place(w) \
                and not looks_like_street(w)
            generic = i > 1 and words[i - 2].group().lower() in _ARTICLES  # "de buurman" is no title
            lower_ok = prev in _PERSONAL_CUES and not generic and self._is_name_word(w) and not self._is_common(w)
            if not ((strong and w.lower() not in _STOP) or (prev in _CUES and capital) or lower_ok):
                continue
            end = words[i].end()
            # A surname may follow ("buurman jan peters", "buurvrouw Oksana Kovalenko").
            j = i + 1
            while j < len(words) and text[words[j - 1].end() : words[j].start()] == " ":
                nxt = words[j].group()
                if nxt.lower() in _INTERFIXES and j + 1 < len(words) and (
                        words[j + 1].group()[:1].isupper() or self._is_name_word(words[j + 1].group())):
                    j += 1  # "karel de boer": an interfix joins a surname, in any case
                    continue
                if (nxt[:1].isupper() and not self._is_common(nxt) and not looks_like_street(nxt)
                        and not self.is_place(nxt)) or (self._is_name_word(nxt) and not self._is_common(nxt)):
                    end = words[j].end()
                    j += 1
                    continue
                break
            hits.append(Hit(words[i].start(), end, "name"))
        return hits

    def _maybe_names(self, text: str, found: list[Hit]) -> list[Hit]:
        """Uncertain: lower-case first names that are no common word; capitalised pairs nothing explains."""
        hits = []
        words = list(_WORD_RE.finditer(text))
        taken = [(h.start, h.end) for h in found]

        def free(s: int, e: int) -> bool:
            return not any(a < e and s < b for a, b in taken)

        for i, m in enumerate(words):
            w = m.group()
            if w.islower() and len(w) >= 3 and w in self._words.first_names and not self._is_common(w) \
                    and free(m.start(), m.end()):
                hits.append(Hit(m.start(), m.end(), "name", certain=False))
            if i + 1 < len(words):
                n = words[i + 1]
                pair = (w, n.group())
                sentence_start = i == 0 or text[: m.start()].rstrip()[-1:] in ".!?:"
                if all(x[:1].isupper() and x[1:].islower() and len(x) >= 2 for x in pair) \
                        and text[m.end() : n.start()] == " " and not sentence_start \
                        and not any(self._is_common(x) or self.is_place(x) for x in pair) \
                        and not self.is_street(f"{pair[0]} {pair[1]}") and not looks_like_street(pair[1]) \
                        and free(m.start(), n.end()):
                    hits.append(Hit(m.start(), n.end(), "name", certain=False))
        return hits
