"""The moderator decides what airs: mask any word or span, restore a finding that was a false positive.

Each decision is made on the preview the moderator was looking at: ``text_digest`` names the question's text
the offsets are into (``AirPreview.text_digest``), and a decision on a text that changed meanwhile is refused.
``shown`` is the digest of the final text the panel showed with the decision (the picker's own preview): when
it matches the result, the question counts as approved in that form (the Spreekuur screen may air it), and a
question that is on air right now gets its card replaced at once (a name spotted on air is gone within a
second, without taking the question off).

Every decision is stored (studio.store.redactions) and written to the audit log as
``question.redaction`` with the question id, the action (mask / restore / unmask), the kind, the offsets and
who: never any of the question's text. An edit of the question removes its decisions (QuestionBook.edit).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from studio.deid.errors import ScrubberNotReady
from studio.domain.questions import State
from studio.domain.redaction import Mask, Restore
from studio.domain.texts import PRIVACY_MARKERS
from studio.errors import StudioError
from studio.usecases import onair, privacy

if TYPE_CHECKING:
    from studio.usecases.context import Studio
    from studio.usecases.onair import AirPreview


class RedactionError(StudioError):
    pass


MASK = "mask"
RESTORE = "restore"
UNMASK = "unmask"


def _current(ctx: Studio, question_id: str, text_digest: str) -> AirPreview:
    try:
        pv = onair.preview(ctx, ctx.questions.get(question_id))
    except ScrubberNotReady:
        raise RedactionError(onair.NOT_READY, onair.NOT_READY_HINT) from None
    if pv.text_digest != text_digest:
        raise RedactionError("de vraag is intussen veranderd: er is niets gemaskeerd of hersteld",
                             "kijk het voorbeeld opnieuw na en kies opnieuw")
    return pv


def _audit(ctx: Studio, question_id: str, action: str, kind: str, start: int, end: int, who: str) -> None:
    ctx.store.audit("question.redaction", {"id": question_id, "action": action, "kind": kind, "start": start,
                                           "end": end, "who": who})


def _after(ctx: Studio, question_id: str, shown: str | None) -> AirPreview:
    """The preview after a decision; approved and (if on air) re-aired when it is what the panel showed."""
    from studio.store import redactions

    pv = onair.preview(ctx, ctx.questions.get(question_id))
    if shown is not None and shown == pv.digest:
        onair.approve(ctx, pv)
        question = ctx.questions.get(question_id)
        if question.state is State.ON_AIR:
            onair.replace_card_on_air(ctx, pv)
            redactions.update_open_airing(ctx.store, question_id, pv.aired)
    return pv


def mask(ctx: Studio, question_id: str, masks: Sequence[Mask], *, text_digest: str,
         shown: str | None = None) -> AirPreview:
    """Hide these spans of the question (offsets into ``AirPreview.original``); the preview afterwards."""
    from studio.store import redactions

    if not masks:
        raise RedactionError("niets gekozen om te maskeren")
    pv = _current(ctx, question_id, text_digest)
    for m in masks:
        if not 0 <= m.start < m.end <= len(pv.original) or m.kind not in PRIVACY_MARKERS:
            raise RedactionError("die maskering past niet bij de tekst van de vraag", "kies opnieuw")
    who = privacy.moderator()
    for m in masks:
        if redactions.add(ctx.store, question_id, redactions.MASK, m.kind, m.start, m.end, pv.original, who):
            _audit(ctx, question_id, MASK, m.kind, m.start, m.end, who)
    return _after(ctx, question_id, shown)


def unmask(ctx: Studio, question_id: str, m: Mask, *, text_digest: str, shown: str | None = None) -> AirPreview:
    """Take back a mask made by hand."""
    from studio.store import redactions

    pv = _current(ctx, question_id, text_digest)
    if m not in pv.masks:
        raise RedactionError("die maskering bestaat niet (meer)", "kijk het voorbeeld opnieuw na")
    who = privacy.moderator()
    if redactions.remove(ctx.store, question_id, redactions.MASK, m.kind, m.start, m.end, pv.original):
        _audit(ctx, question_id, UNMASK, m.kind, m.start, m.end, who)
    return _after(ctx, question_id, shown)


def restore(ctx: Studio, question_id: str, r: Restore, *, text_digest: str, shown: str | None = None) -> AirPreview:
    """Let one certain finding air as written (a false positive: a shop, a public place)."""
    from studio.store import redactions

    pv = _current(ctx, question_id, text_digest)
    if not any(f.certain and Restore.of(f) == r for f in pv.findings):
        raise RedactionError("daar is niets verborgen om te herstellen", "kijk het voorbeeld opnieuw na")
    who = privacy.moderator()
    if redactions.add(ctx.store, question_id, redactions.RESTORE, r.kind, r.start, r.end, pv.original, who):
        _audit(ctx, question_id, RESTORE, r.kind, r.start, r.end, who)
    return _after(ctx, question_id, shown)


def history(ctx: Studio, question_id: str) -> list[dict[str, object]]:
    """The decisions on one question (action, kind, offsets, who, when), oldest first."""
    from studio.store import redactions

    return redactions.history(ctx.store, [question_id])
