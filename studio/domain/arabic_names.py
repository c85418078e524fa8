"""Names in Arabic script: a curated list of common given names, plus the context cues that announce a name.

Source of the list: compiled for this project (2026) by its engineers from the given names most common among
Arabic-speaking residents of the Netherlands (Moroccan, Syrian, Iraqi, Egyptian and Palestinian families), in
their usual Arabic spelling; no third-party list was copied. It is deliberately short (common names, not every
name): the cues catch the rest. Names that are also ordinary words ("أمل" hope, "نور" light, "على" on, which
folds to "علي") are listed apart and count only next to a cue or another name.

A name is:
* a listed given name (not an ordinary word), with "و" (and) in front allowed;
* any word right after a strong cue ("اسمه", "اسمها", "اسمي", "يدعى", "السيد", "السيدة"), a listed or
  ordinary-word name right after a relative/neighbour cue ("جاري", "ابن", "بنت", "زوجي", "أخي" ...);
* extended to the right over family names: "ال..." forms of names, nisbas ("المصري", "العمراني"), "بن ..."
  ("محمد بن علي"), Moroccan "بن"-names ("بنعلي"), and over further given names ("محمد نور");
* with a kunya in front: "أبو خالد", "أم أحمد".

Works on the folded text (studio.domain.textnorm), so every list is folded the same way. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from studio.domain.identifiers import Hit
from studio.domain.textnorm import fold_arabic_word

_GIVEN = """
محمد أحمد محمود مصطفى يوسف إبراهيم إسماعيل عبد_الله عبد_الرحمن عبد_الكريم عبد_العزيز عبد_القادر عبد_الرحيم
عبد_السلام عبد_اللطيف عبد_الحميد عبد_المجيد عبد_الحق عبد_الإله عبد_الغني عبد_الرزاق عبد_الهادي خالد حسين
حسن حسام حمزة بلال ياسين ياسر يونس أيوب إدريس إلياس زكريا يحيى موسى عيسى هارون داود سليمان نوح آدم
طارق رضوان عثمان أنس معاذ عماد وليد وائل هشام هيثم مهدي مراد منصور مسعود ناصر نبيل نزار نضال هاني
فؤاد فيصل فارس فراس فادي فهد قاسم كمال كريم لؤي ماهر مازن مالك مجدي محسن مختار مروان مهند نادر نصر
نجيب نعيم عمر علي عمار عامر عادل عدنان عصام عزيز علاء غسان جمال جواد جلال حاتم حامد حمدي حميد حكيم
خليل رامي رائد رشيد رياض زياد زهير سامي سامر سعد سعيد سفيان سلمان سليم سمير سهيل شادي شريف صالح صلاح
صابر ضياء طه طلال ظافر عبدو بشير بدر باسل بسام تامر توفيق ثامر جعفر جميل حازم حيدر رمزي رضا رفيق
زكي سالم سيف شكري صبري عاصم عبيدة عرفان عمران غازي فاروق فتحي قيس لطفي ماجد معتز منير مؤمن ناجي
نور_الدين هادي همام وسيم ياسر يزيد أسامة أشرف أكرم أمين أنور أيمن إياد إيهاب بدر_الدين جمال_الدين
حمو حميد موحا ميمون العربي الحسين الحسن عزيز_الله أنيس شعيب سفيان إسحاق يعقوب أمجد أدهم بكر
فاطمة عائشة خديجة مريم زينب سارة سلمى ليلى هدى نور أمل سعاد نادية نجاة سميرة سناء سهام سلوى سمية
أسماء إيمان ياسمين رانية رنا ريم رشا رحاب رجاء رقية رباب زهرة زهراء حنان حسناء حليمة حياة حفصة خلود
دعاء دنيا رحمة رضوى روان شيماء صفاء صفية ضحى عبير عزيزة عفاف علياء غادة غزلان فدوى فرح فوزية كريمة
كوثر لبنى لمياء لينا مها منى منال ميار ميساء ملك مروة نهى نوال نسرين نعيمة هاجر هالة هبة هند وفاء
وداد يسرى جميلة جنات جنى آمنة أمينة ابتسام إكرام إلهام بشرى بثينة تسنيم ثريا جيهان حورية خولة دلال
ربيعة سكينة سلام شهد شروق صباح عتيقة فتيحة فريدة لطيفة ليلى مليكة منيرة نبيلة نزهة هاجر وئام يامنة
أميرة بسمة تغريد جود جمانة رغد رهف سجى سدرة شذى غنى لجين ليان مرام مريم_نور نرجس ندى هيفاء
"""
# Given names that are also everyday words (or fold into one): a name only next to a cue or another name.
_AMBIGUOUS = """
أمل نور سعيد كريم جميل حسن صالح أمين منير فرح سلام هدى رحمة عادل فاضل شريف نبيل وفاء إيمان رشيد سالم
سامي ماجد حكيم عزيز كمال جمال أنور منى أماني سعاد حياة ندى صفاء بشرى ياسمين عبير نسيم هادي راضي مراد
نادر ناصر منصور مسعود علي عمر ملك جود شهد غنى دنيا صباح شروق زهرة وردة ريم رضا زكي سيف بدر نصر
مؤمن مختار حامد عصام علاء ضياء نجاة أمينة لطيفة كريمة عزيزة جميلة فريدة نبيلة سلمى هالة بسمة آمنة رجاء
سلام بشير
"""
# Cues after which the next word is a name whatever it is ("his name is ...", "Mr ...").
# ("يدعى" is called folds into "يدعي" claims, so it is only a weak cue.)
_STRONG_CUES = "اسمه اسمها اسمي اسمو السيد السيده الاستاذ الاستاذه الحاج الحاجه المدعو المدعوه"
# Relatives and neighbours: the next word is a name if it is one (listed or ambiguous).
_WEAK_CUES = """
جاري جارتي جارنا جارتنا جيراني ابن بنت ابني ابنتي بنتي ابنه ابنها بنته بنتها زوجي زوجتي زوجها زوجته اخي
اختي اخوه اخته صديقي صديقتي صاحبي خالي خالتي عمي عمتي الاخ الاخت ولد يدعى تدعى يسمى تسمى
"""
_KUNYA = ("ابو", "ام")
# Words that may follow a name but are never a family name.
_NOT_FAMILY = frozenset(fold_arabic_word(w) for w in ["الذي", "التي", "الذين", "اللواتي", "الثاني", "الماضي", "الحالي", "الحقيقي", "الشرطي", "الليلي", "اليومي", "المحلي", "الامني", "الالكتروني", "الاجتماعي", "العربي", "الهولندي", "الرسمي", "الصحي", "الطبي", "الشخصي", "البنكي"])  # fmt: skip
_FUNCTION_WORDS = frozenset(fold_arabic_word(w) for w in ["من", "في", "على", "عن", "الى", "إلى", "مع", "هو", "هي", "هم", "انا", "أنا", "لا", "لم", "لن", "قد", "ما", "ماذا", "هل", "كل", "بعد", "قبل", "عند", "التي", "الذي", "و", "او", "أو", "ثم"])  # fmt: skip


def _folded_set(words: str) -> frozenset[str]:
    return frozenset(fold_arabic_word(w.replace("_", " ")) for w in words.split())


GIVEN_NAMES = _folded_set(_GIVEN)
AMBIGUOUS_NAMES = _folded_set(_AMBIGUOUS)
_CLEAR_NAMES = GIVEN_NAMES - AMBIGUOUS_NAMES
_ALL_NAMES = GIVEN_NAMES | AMBIGUOUS_NAMES
STRONG_CUES = _folded_set(_STRONG_CUES)
WEAK_CUES = _folded_set(_WEAK_CUES)
# Two-word names ("عبد الله", "نور الدين"): first words that start one.
_COMPOUND_FIRST = {n.split()[0]: n for n in _ALL_NAMES if " " in n}

_WORD_RE = re.compile(r"[\u0621-\u064a]+")


def _strip_and(word: str) -> str:
    return word[1:] if word.startswith("و") and len(word) > 2 else word


def _is_family(word: str) -> bool:
    if word in _NOT_FAMILY:
        return False
    if word.startswith("ال") and len(word) > 3:
        return word[2:] in _ALL_NAMES or word.endswith("ي") or word[2:] in _CLEAR_NAMES
    return word.startswith("بن") and len(word) > 4 and word[2:] in _ALL_NAMES


def find_arabic_names(text: str) -> Iterator[Hit]:
    words = [(m.start(), m.end(), m.group()) for m in _WORD_RE.finditer(text)]
    n = len(words)
    is_name = [False] * n
    width = [1] * n  # compound names take two words
    for i, (_s, _e, w) in enumerate(words):
        bare = _strip_and(w)
        if i + 1 < n and f"{bare} {words[i + 1][2]}" in _ALL_NAMES and bare in _COMPOUND_FIRST:
            compound = f"{bare} {words[i + 1][2]}"
            is_name[i] = compound not in AMBIGUOUS_NAMES or _cued(words, i)
            width[i] = 2
            continue
        if bare in _CLEAR_NAMES or w in _CLEAR_NAMES:
            is_name[i] = True
        elif i > 0 and text[words[i - 1][1] : words[i][0]].isspace():
            prev = _strip_and(words[i - 1][2])
            if (prev in STRONG_CUES and bare not in _FUNCTION_WORDS) or (prev in WEAK_CUES and bare in _ALL_NAMES):
                is_name[i] = True
        if not is_name[i] and bare in AMBIGUOUS_NAMES and i + 1 < n and _is_family(words[i + 1][2]) \
                and text[words[i][1] : words[i + 1][0]] == " ":
            is_name[i] = True  # "رشيد المصري": a name with a family name
    # An ambiguous name joined by "و" or directly to a certain one counts too ("كريم و ياسين").
    for i in range(n):
        if is_name[i] or _strip_and(words[i][2]) not in AMBIGUOUS_NAMES:
            continue
        for j in (i - 1, i + 1, i - 2, i + 2):
            if 0 <= j < n and is_name[j] and _only_and_between(text, words, min(i, j), max(i, j)):
                is_name[i] = True
    i = 0
    while i < n:
        if not is_name[i]:
            i += 1
            continue
        start, end = words[i][0], words[i + width[i] - 1][1]
        if words[i][2].startswith("و") and _strip_and(words[i][2]) != words[i][2] and words[i][2] not in _ALL_NAMES:
            start += 1  # "وأحمد": the name starts after "and"
        if i > 0 and words[i - 1][2] in _KUNYA and words[i - 1][1] + 1 == words[i][0]:
            start = words[i - 1][0]
        j = i + width[i]
        while j < n and text[words[j - 1][1] : words[j][0]] == " ":
            w = words[j][2]
            if _is_family(w) or w in _CLEAR_NAMES:
                end = words[j][1]
                j += 1
            elif w in ("بن", "ابن", "بنت") and j + 1 < n and words[j + 1][2] in _ALL_NAMES:
                end = words[j + 1][1]
                j += 2
            else:
                break
        yield Hit(start, end, "name")
        i = j


def _cued(words: list[tuple[int, int, str]], i: int) -> bool:
    return i > 0 and _strip_and(words[i - 1][2]) in (STRONG_CUES | WEAK_CUES)


def _only_and_between(text: str, words: list[tuple[int, int, str]], a: int, b: int) -> bool:
    """Words a and b are next to each other, or joined only by "و" (standalone or in front of b)."""
    gap = text[words[a][1] : words[b][0]].strip()
    return gap in ("", "و", "،", ",")
