"""Putting a viewer's question on air, taking it off, and answering in the chat: use cases.

What airs is decided here, once: the question's text (sanitised on entry, or as edited by the moderator),
every finding of the privacy filter (``ctx.scrubber``), and the moderator's masks and restores stored for the
question. ``preview`` composes them into an ``AirPreview``: the original, the findings, the decisions and the
final text, with a digest of that final text. The panel shows the preview and hands the digest back with the
key press; ``put_on_air`` refuses (one Dutch line, nothing on air) when what would air now differs from what
the moderator was shown, or when the filter is not ready. So a card never airs text that the moderator has not
seen in its final form. Keys elsewhere (the Spreekuur screen's 'v') air a question only as it was approved in
the Questions screen (the digest stored when the moderator chose it, masked it or put it on air).

``put_on_air`` renders the question card to a PNG in the data dir (atomically: OBS never reads half a file),
records in SQLite that the question is on air, then points OBS's overlay image source at the card, shows it
and switches to the question scene. The on-air start and end are stored relative to the recording's start
(for chapters later).

Cards are rendered ahead when a question is shortlisted or previewed (``prepare_card``), so the key press
only costs a few OBS requests. The file name carries the digest of the text: a changed text is a new file,
and OBS always reloads (it may not re-read a file whose path did not change).

Nothing of the author ever reaches the card: the question has no author name, only the text.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studio.deid.errors import ScrubberNotReady
from studio.domain.questions import Question
from studio.domain.redaction import Finding, Mask, Restore, ScrubResult
from studio.domain.redaction_view import CHECK, HIDDEN, Segment, segments, text_digest
from studio.domain.sanitize import clean_chat_text
from studio.domain.scenes import INPUT_QUESTION_OVERLAY, SCENE_QUESTION
from studio.errors import StudioError
from studio.usecases import privacy

if TYPE_CHECKING:
    from studio.usecases.context import Studio

log = logging.getLogger(__name__)

CARD_DIR = "overlay"
# How long a worker that renders or preloads a card ahead waits for the privacy filter (the key press never
# waits: it refuses).
AHEAD_WAIT = 5.0
_card_lock = threading.Lock()
# One change of the overlay at a time: airing, taking off and preloading never interleave.
_air_lock = threading.RLock()


class OnAirError(StudioError):
    pass


def air_digest(lang: str, aired: str) -> str:
    """Names a final text: the panel hands back the digest of what it showed; the card file carries it."""
    return hashlib.sha256(f"{lang}\0{aired}".encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True)
class AirPreview:
    """Exactly what will air, beside the original: what the moderator sees before pressing the key."""

    question_id: str
    lang: str
    original: str  # the question's text as the moderator sees it; every offset is into this text
    result: ScrubResult  # the privacy filter's findings (certain and uncertain)
    masks: tuple[Mask, ...] = ()  # the moderator's decisions stored for this text
    restores: tuple[Restore, ...] = ()
    stale_decisions: int = 0  # decisions made on an earlier version of the text, not applied
    aired: str = field(default="", init=False)  # the final text: what the card shows

    def __post_init__(self) -> None:
        object.__setattr__(self, "aired", self.result.final(self.masks, self.restores))

    @property
    def digest(self) -> str:
        return air_digest(self.lang, self.aired)

    @property
    def text_digest(self) -> str:
        """Names the original the offsets are into: decisions are made on this text or not at all."""
        return text_digest(self.original)

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings

    @property
    def segments(self) -> list[Segment]:
        """The original in pieces with their role (hidden, to look at, restored, plain) and what each airs as."""
        return segments(self.original, self.result.findings, self.masks, self.restores, self.lang)

    @property
    def hidden(self) -> list[Segment]:
        return [s for s in self.segments if s.role == HIDDEN]

    @property
    def to_check(self) -> list[Segment]:
        """Uncertain pieces that air as written unless the moderator masks them."""
        return [s for s in self.segments if s.role == CHECK]

    @property
    def changed(self) -> bool:
        return self.aired != self.original


def source_text(question: Question) -> str:
    """The text the moderator sees and the filter reads: the display text, cleaned (idempotent)."""
    text = question.display_text
    return clean_chat_text(text) if text else ""


def preview(ctx: Studio, question: Question, *, wait: float = 0.0) -> AirPreview:
    """What this question airs as now. Raises ScrubberNotReady while the privacy filter is not ready (after
    waiting up to ``wait`` seconds): nothing is previewed, rendered or aired unscrubbed."""
    from studio.store import redactions

    if wait > 0:
        privacy.wait(ctx, wait)
    original = source_text(question)
    result = privacy.scrub(ctx, original, question.lang)
    d = redactions.decisions(ctx.store, question.id, original)
    return AirPreview(question.id, result.lang, original, result, d.masks, d.restores, d.stale)


def preview_of_text(ctx: Studio, text: str, lang: str) -> AirPreview:
    """A text that is no question in the queue (`studio overlay render`): the filter's findings, no decisions."""
    original = clean_chat_text(text) if text else ""
    return AirPreview("", lang, original, privacy.scrub(ctx, original, lang))


def card_dir(ctx: Studio) -> Path:
    return Path(ctx.settings.data_dir) / CARD_DIR


def card_path(ctx: Studio, pv: AirPreview) -> Path:
    return card_dir(ctx) / f"question-{pv.question_id}-{pv.digest[:12]}.png"


def prepare_card(ctx: Studio, question: Question | AirPreview) -> Path:
    """Render the card for this question (if not rendered yet); returns the PNG's path. A Question is
    previewed first (waiting a little for the privacy filter; ScrubberNotReady if it is still not ready)."""
    pv = question if isinstance(question, AirPreview) else preview(ctx, question, wait=AHEAD_WAIT)
    path = card_path(ctx, pv)
    with _card_lock:
        if path.exists():
            return path
        from studio.overlay.render import render_question_card, write_png_atomic

        image = render_question_card(pv.aired, pv.lang, ctx.theme)
        path.parent.mkdir(parents=True, exist_ok=True)
        write_png_atomic(image, path)
    return path


def write_card(ctx: Studio, text: str, lang: str, out: str | Path, *, raw: bool = False) -> tuple[Path, AirPreview]:
    """A question card as it would air without a moderator's decisions (sanitised and scrubbed unless
    ``raw``: then the text as typed, never scrubbed) written to ``out`` to look at. Waits for the filter."""
    from studio.overlay.render import render_question_card, write_png_atomic

    if raw:
        empty = ScrubResult(text, lang)
        return write_png_atomic(render_question_card(text, lang, ctx.theme), out), AirPreview("", lang, text, empty)
    privacy.wait(ctx, privacy.PUBLICATION_WAIT)
    pv = preview_of_text(ctx, text, lang)
    return write_png_atomic(render_question_card(pv.aired, lang, ctx.theme), out), pv


def write_slate(ctx: Studio, kind: str, lang: str, topic: str, out: str | Path, *, when: datetime | None = None,
                now: datetime | None = None) -> Path:
    """A slate (starting, pause, end) rendered to ``out`` (atomically: OBS may be showing that file). The
    topic passes the privacy filter like every text that airs unseen; if the filter cannot, it is left out."""
    from studio.overlay.render import render_slate, write_png_atomic

    shown_topic = privacy.public_text(ctx, topic, lang) or ""
    return write_png_atomic(render_slate(kind, lang, shown_topic, when=when, now=now), out)


def record_offset_ms(ctx: Studio) -> int | None:
    """Milliseconds since the recording started, None when OBS is not recording."""
    try:
        status = ctx.obs.record_status()
    except StudioError:
        return None
    return status.duration_ms if status.active else None


@dataclass(frozen=True)
class OnAir:
    question_id: str
    card: Path
    aired: str
    record_ms: int | None


NOT_READY = "de privacyfilter is nog niet klaar: er gaat niets in beeld"
NOT_READY_HINT = "wacht tot de melding 'privacyfilter wordt geladen' weg is en probeer het opnieuw"


def checked_preview(ctx: Studio, question_id: str, shown: str | None) -> AirPreview:
    """The preview of what would air now, if it is what the moderator saw (``shown``: the digest the panel
    showed; None: the digest approved earlier in the Questions screen). Else OnAirError, nothing aired."""
    from studio.store import redactions

    question = ctx.questions.get(question_id)
    try:
        pv = preview(ctx, question)
    except ScrubberNotReady:
        raise OnAirError(NOT_READY, NOT_READY_HINT) from None
    if not pv.aired.strip():
        raise OnAirError("deze vraag heeft geen tekst om in beeld te brengen")
    if shown is None:
        approved = redactions.approval(ctx.store, question_id)
        if approved is None:
            raise OnAirError("deze vraag is nog niet nagekeken: zo gaat ze niet in beeld",
                             "bekijk haar in het Vragen-scherm (F4) en kies haar daar (s) of breng haar in beeld (b)")
        if approved.digest != pv.digest:
            raise OnAirError("deze vraag zou anders in beeld komen dan de moderator haar zag",
                             "bekijk haar opnieuw in het Vragen-scherm (F4) en kies haar daar nogmaals (s)")
    elif shown != pv.digest:
        raise OnAirError("wat in beeld zou komen is veranderd sinds het voorbeeld: er gaat niets in beeld",
                         "kijk het voorbeeld opnieuw na en druk dan nogmaals op b")
    return pv


def approve(ctx: Studio, pv: AirPreview) -> None:
    """The moderator saw this final text (a key pressed with the preview in view): other screens may air it."""
    from studio.store import redactions

    redactions.approve(ctx.store, pv.question_id, pv.digest, privacy.moderator())


def put_on_air(ctx: Studio, question_id: str, shown: str | None = None) -> OnAir:
    """The question on screen: card rendered, state stored, OBS shows the card in the question scene.

    ``shown``: the digest of the final text the panel showed the moderator (``AirPreview.digest``); None
    airs only what was approved before (see ``checked_preview``). Refused, with nothing on air, when the
    privacy filter is not ready or the text would differ from what the moderator saw."""
    from studio.obs.errors import ObsError

    qb = ctx.questions
    pv = checked_preview(ctx, question_id, shown)
    if shown is not None:
        approve(ctx, pv)
    card = prepare_card(ctx, pv)
    scene, overlay = SCENE_QUESTION, INPUT_QUESTION_OVERLAY
    with _air_lock:
        qb.mark_on_air(question_id)  # refuses when another question is on air; stored before OBS acts
        try:
            _load_card(ctx, overlay, card)
            ctx.obs.set_source_visible(scene, overlay, True)
            current = ctx.obs.program_scene()
            if current != scene:
                if current:
                    ctx.store.set_state("onair.previous_scene", current)
                ctx.obs.switch_scene(scene)
        except ObsError:
            qb.mark_off_air(answered=False)
            raise
    record_ms = record_offset_ms(ctx)
    qb.start_airing(question_id, pv.aired, record_ms)
    return OnAir(question_id, card, pv.aired, record_ms)


def preload_card(ctx: Studio, question: Question) -> bool:
    """Load the card into OBS's hidden overlay ahead of the key press (only while nothing is on air).

    OBS decodes an image and uploads the texture while it handles SetInputSettings, waiting for its render
    thread: that is most of the time airing takes. Done here, when the moderator selects a question, the
    key press only shows the source and switches the scene. While the privacy filter loads this waits for
    it (a few seconds at most) and then loads nothing: not even a hidden card is made of unscrubbed text.
    """
    try:
        pv = preview(ctx, question, wait=AHEAD_WAIT)
    except ScrubberNotReady:
        return False
    if not pv.aired.strip():
        return False
    card = prepare_card(ctx, pv)
    overlay = INPUT_QUESTION_OVERLAY
    with _air_lock:
        if ctx.questions.on_air() is not None:
            return False
        _load_card(ctx, overlay, card)
    return True


def replace_card_on_air(ctx: Studio, pv: AirPreview) -> bool:
    """The question on air now shows ``pv.aired`` (a mask or restore the moderator just confirmed on its
    final text); False when this question is no longer on air."""
    card = prepare_card(ctx, pv)
    with _air_lock:
        current = ctx.questions.on_air()
        if current is None or current.id != pv.question_id:
            return False
        _load_card(ctx, INPUT_QUESTION_OVERLAY, card)
    return True


def _load_card(ctx: Studio, overlay: str, card: Path) -> None:
    if ctx.obs.image_file(overlay) != str(card):
        ctx.obs.set_image_file(overlay, card)


def clear_overlay(ctx: Studio) -> None:
    """Hide and clear the card in OBS and go back to the scene before; the queue is not touched."""
    scene, overlay = SCENE_QUESTION, INPUT_QUESTION_OVERLAY
    obs = ctx.obs
    with _air_lock:
        obs.set_source_visible(scene, overlay, False)
        obs.set_image_file(overlay, "")
        previous = ctx.store.get_state("onair.previous_scene")
        if previous and previous != scene and ctx.obs.program_scene() == scene:
            obs.switch_scene(str(previous))


def take_off_air(ctx: Studio, *, answered: bool = False) -> Question | None:
    """Off screen first (so nothing lingers on air), then the queue: back to 'gekozen' or 'beantwoord'."""
    qb = ctx.questions
    current = qb.on_air()
    clear_overlay(ctx)
    record_ms = record_offset_ms(ctx)
    qb.end_airing(record_ms)
    if current is None:
        return None
    qb.mark_off_air(answered=answered)
    _remove_cards(ctx, current.id)
    return current


def on_removed_while_on_air(ctx: Studio, question_id: str) -> None:
    """The chat deleted a message that is on air (or banned its author): off screen at once."""
    try:
        clear_overlay(ctx)
    finally:
        ctx.questions.end_airing(record_offset_ms(ctx))
        _remove_cards(ctx, question_id)
        ctx.store.audit("question.removed_on_air", {"id": question_id})


def _remove_cards(ctx: Studio, question_id: str) -> None:
    for f in card_dir(ctx).glob(f"question-{question_id}-*.png"):
        f.unlink(missing_ok=True)


def purge_cards(ctx: Studio, retention_days: int) -> int:
    """Card PNGs show question text: they go after the same retention period as the text."""
    cutoff = time.time() - max(0, retention_days) * 86400.0
    removed = 0
    for f in card_dir(ctx).glob("question-*.png"):
        try:
            if f.stat().st_mtime < cutoff:
                f.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed
