"""How street and place names are compared: the same key for the list's spelling and the chat's.

"Dr. Poelsstraat", "dr poelsstraat" and "Dr.Poelsstraat" are one street; so are "Pater-Beatusstraat" and
"pater beatusstraat". Keys are folded (studio.domain.textnorm), lower case, without accents, with dots,
hyphens and apostrophes as spaces, and "ij" and "y" counted as one letter (deduce's street list has both).
"""

from __future__ import annotations

import re
import unicodedata

from studio.domain.textnorm import fold

_SEPARATORS_RE = re.compile(r"[\s.\-'’`/()]+")


def street_key(name: str) -> str:
    s = fold(name).text.lower()
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = _SEPARATORS_RE.sub(" ", s).strip()
    return s.replace("ij", "y")
