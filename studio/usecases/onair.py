"""Putting a viewer's question on air, taking it off, and answering in the chat: use cases.

``put_on_air`` makes the text safe (sanitised, then scrubbed of personal details), renders the question
card to a PNG in the data dir (atomically: OBS never reads half a file), records in SQLite that the question
is on air, then points OBS's overlay image source at the card, shows it and switches to the question scene.
The on-air start and end are stored relative to the recording's start (for chapters later).

Cards are rendered ahead when a question is shortlisted or previewed (``prepare_card``), so the key press
only costs a few OBS requests. The file name carries a hash of the text: a changed text is a new file, and
OBS always reloads (it may not re-read a file whose path did not change).

Nothing of the author ever reaches the card: the question has no author name, only the text.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from studio.domain.privacy import Finding, scrub
from studio.domain.questions import Question
from studio.domain.sanitize import clean_chat_text
from studio.domain.scenes import INPUT_QUESTION_OVERLAY, SCENE_QUESTION
from studio.errors import StudioError

if TYPE_CHECKING:
    from studio.usecases.context import Studio

log = logging.getLogger(__name__)

CARD_DIR = "overlay"
_card_lock = threading.Lock()
# One change of the overlay at a time: airing, taking off and preloading never interleave.
_air_lock = threading.RLock()


class OnAirError(StudioError):
    pass


@dataclass(frozen=True)
class AirPreview:
    """Exactly what will air, beside the original: what the moderator sees before pressing the key."""

    question_id: str
    lang: str
    original: str  # as the viewer wrote it (sanitised on entry), or as edited by the moderator
    aired: str  # sanitised and scrubbed: what the card shows
    findings: tuple[Finding, ...]

    @property
    def changed(self) -> bool:
        return self.aired != self.original


def preview(question: Question) -> AirPreview:
    original = question.display_text
    scrubbed = scrub(clean_chat_text(original), question.lang)
    return AirPreview(question.id, question.lang, original, scrubbed.text, scrubbed.findings)


def card_dir(ctx: Studio) -> Path:
    return Path(ctx.settings.data_dir) / CARD_DIR


def card_path(ctx: Studio, pv: AirPreview) -> Path:
    digest = hashlib.sha256(f"{pv.lang}\0{pv.aired}".encode()).hexdigest()[:12]
    return card_dir(ctx) / f"question-{pv.question_id}-{digest}.png"


def prepare_card(ctx: Studio, question: Question | AirPreview) -> Path:
    """Render the card for this question (if not rendered yet); returns the PNG's path."""
    pv = question if isinstance(question, AirPreview) else preview(question)
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
    """A question card as it would air (sanitised and scrubbed unless ``raw``) written to ``out`` to look at."""
    from studio.overlay.render import render_question_card, write_png_atomic

    scrubbed = scrub(clean_chat_text(text), lang)
    pv = AirPreview("", lang, text, text if raw else scrubbed.text, () if raw else scrubbed.findings)
    return write_png_atomic(render_question_card(pv.aired, lang, ctx.theme), out), pv


def write_slate(ctx: Studio, kind: str, lang: str, topic: str, out: str | Path, *, when: datetime | None = None,
                now: datetime | None = None) -> Path:
    """A slate (starting, pause, end) rendered to ``out`` (atomically: OBS may be showing that file)."""
    from studio.overlay.render import render_slate, write_png_atomic

    return write_png_atomic(render_slate(kind, lang, topic, when=when, now=now), out)


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


def put_on_air(ctx: Studio, question_id: str) -> OnAir:
    """The question on screen: card rendered, state stored, OBS shows the card in the question scene."""
    from studio.obs.errors import ObsError

    qb = ctx.questions
    question = qb.get(question_id)
    pv = preview(question)
    if not pv.aired.strip():
        raise OnAirError("deze vraag heeft geen tekst om in beeld te brengen")
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
    key press only shows the source and switches the scene.
    """
    pv = preview(question)
    if not pv.aired.strip():
        return False
    card = prepare_card(ctx, pv)
    overlay = INPUT_QUESTION_OVERLAY
    with _air_lock:
        if ctx.questions.on_air() is not None:
            return False
        _load_card(ctx, overlay, card)
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
