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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.domain.privacy import Finding, scrub
from studio.domain.questions import Question
from studio.domain.sanitize import clean_chat_text
from studio.errors import StudioError

if TYPE_CHECKING:
    from studio.context import StudioContext
    from studio.store.questions import QuestionBook
    from studio.youtube.chat import ChatIntake

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


def book(ctx: StudioContext) -> QuestionBook:
    """The question book of this context (one per context, created on first use)."""
    found: QuestionBook | None = getattr(ctx, "_question_book", None)
    if found is None:
        from studio.store.questions import QuestionBook

        found = QuestionBook(ctx.store)
        ctx._question_book = found  # type: ignore[attr-defined]
    return found


def card_dir(ctx: StudioContext) -> Path:
    return Path(ctx.settings.data_dir) / CARD_DIR


def card_path(ctx: StudioContext, pv: AirPreview) -> Path:
    digest = hashlib.sha256(f"{pv.lang}\0{pv.aired}".encode()).hexdigest()[:12]
    return card_dir(ctx) / f"question-{pv.question_id}-{digest}.png"


def _theme(ctx: StudioContext) -> Any:
    theme = getattr(ctx, "_overlay_theme", None)
    if theme is None:
        from studio.overlay.theme import load_theme

        theme = load_theme()
        ctx._overlay_theme = theme  # type: ignore[attr-defined]
    return theme


def prepare_card(ctx: StudioContext, question: Question | AirPreview) -> Path:
    """Render the card for this question (if not rendered yet); returns the PNG's path."""
    pv = question if isinstance(question, AirPreview) else preview(question)
    path = card_path(ctx, pv)
    with _card_lock:
        if path.exists():
            return path
        from studio.overlay.render import render_question_card, write_png_atomic

        image = render_question_card(pv.aired, pv.lang, _theme(ctx))
        path.parent.mkdir(parents=True, exist_ok=True)
        write_png_atomic(image, path)
    return path


def _scene_names() -> tuple[str, str]:
    from studio.domain.scenes import INPUT_QUESTION_OVERLAY, SCENE_QUESTION

    return SCENE_QUESTION, INPUT_QUESTION_OVERLAY


def record_offset_ms(ctx: StudioContext) -> int | None:
    """Milliseconds since the recording started, None when OBS is not recording."""
    try:
        status = ctx.obs.request("GetRecordStatus")
    except StudioError:
        return None
    if not status.get("outputActive"):
        return None
    return int(status.get("outputDuration") or 0)


@dataclass(frozen=True)
class OnAir:
    question_id: str
    card: Path
    aired: str
    record_ms: int | None


def put_on_air(ctx: StudioContext, question_id: str) -> OnAir:
    """The question on screen: card rendered, state stored, OBS shows the card in the question scene."""
    from studio.obs.errors import ObsError

    qb = book(ctx)
    question = qb.get(question_id)
    pv = preview(question)
    if not pv.aired.strip():
        raise OnAirError("deze vraag heeft geen tekst om in beeld te brengen")
    card = prepare_card(ctx, pv)
    scene, overlay = _scene_names()
    with _air_lock:
        qb.mark_on_air(question_id)  # refuses when another question is on air; stored before OBS acts
        try:
            _load_card(ctx, overlay, card)
            ctx.obs.set_source_visible(scene, overlay, True)
            current = _program_scene(ctx)
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


def preload_card(ctx: StudioContext, question: Question) -> bool:
    """Load the card into OBS's hidden overlay ahead of the key press (only while nothing is on air).

    OBS decodes an image and uploads the texture while it handles SetInputSettings, waiting for its render
    thread: that is most of the time airing takes. Done here, when the moderator selects a question, the
    key press only shows the source and switches the scene.
    """
    pv = preview(question)
    if not pv.aired.strip():
        return False
    card = prepare_card(ctx, pv)
    _, overlay = _scene_names()
    with _air_lock:
        if book(ctx).on_air() is not None:
            return False
        _load_card(ctx, overlay, card)
    return True


def _load_card(ctx: StudioContext, overlay: str, card: Path) -> None:
    loaded = ctx.obs.request("GetInputSettings", inputName=overlay).get("inputSettings", {}).get("file")
    if loaded != str(card):
        ctx.obs.set_image_file(overlay, card)


def clear_overlay(ctx: StudioContext) -> None:
    """Hide and clear the card in OBS and go back to the scene before; the queue is not touched."""
    scene, overlay = _scene_names()
    obs = ctx.obs
    with _air_lock:
        obs.set_source_visible(scene, overlay, False)
        obs.set_image_file(overlay, "")
        previous = ctx.store.get_state("onair.previous_scene")
        if previous and previous != scene and _program_scene(ctx) == scene:
            obs.switch_scene(str(previous))


def _program_scene(ctx: StudioContext) -> str | None:
    """Asked, not taken from the snapshot: an event may still be on its way right after a switch."""
    name = ctx.obs.request("GetCurrentProgramScene").get("currentProgramSceneName")
    return str(name) if name else None


def take_off_air(ctx: StudioContext, *, answered: bool = False) -> Question | None:
    """Off screen first (so nothing lingers on air), then the queue: back to 'gekozen' or 'beantwoord'."""
    qb = book(ctx)
    current = qb.on_air()
    clear_overlay(ctx)
    record_ms = record_offset_ms(ctx)
    qb.end_airing(record_ms)
    if current is None:
        return None
    qb.mark_off_air(answered=answered)
    _remove_cards(ctx, current.id)
    return current


def on_removed_while_on_air(ctx: StudioContext, question_id: str) -> None:
    """The chat deleted a message that is on air (or banned its author): off screen at once."""
    try:
        clear_overlay(ctx)
    finally:
        book(ctx).end_airing(record_offset_ms(ctx))
        _remove_cards(ctx, question_id)
        ctx.store.audit("question.removed_on_air", {"id": question_id})


def _remove_cards(ctx: StudioContext, question_id: str) -> None:
    for f in card_dir(ctx).glob(f"question-{question_id}-*.png"):
        f.unlink(missing_ok=True)


def purge_cards(ctx: StudioContext, retention_days: int) -> int:
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


def purge(ctx: StudioContext) -> dict[str, int]:
    """Chat text older than ``[chat] retention_days`` removed (also at panel start)."""
    days = ctx.settings.chat.retention_days
    counts = book(ctx).purge(days)
    counts["cards"] = purge_cards(ctx, days)
    ctx.store.audit("questions.purge", {"retention_days": days, **counts})
    return counts


def purge_at_start(ctx: StudioContext) -> None:
    """`studio purge` when the panel starts; a problem here is logged, it never keeps the panel from starting."""
    try:
        purge(ctx)
    except (StudioError, OSError) as exc:
        log.warning("purge at panel start failed: %s", exc)


# --- the chat ------------------------------------------------------------------------------------------
def canned_replies(ctx: StudioContext, lang: str) -> list[str]:
    chat = ctx.settings.chat
    return list(chat.canned_ar if lang == "ar" else chat.canned_nl)


def post_canned_reply(ctx: StudioContext, index: int, lang: str, live_chat_id: str | None = None) -> str:
    """Post canned reply ``index`` (0-based) in the session's language into the live chat."""
    from studio.youtube.chat import post_chat_message

    replies = canned_replies(ctx, lang)
    if not 0 <= index < len(replies):
        raise OnAirError(f"er is geen standaardantwoord {index + 1}",
                         "de antwoorden staan in [chat] canned_nl / canned_ar van de configuratie")
    chat_id = live_chat_id or book(ctx).last_live_chat_id()
    if not chat_id:
        raise OnAirError("er is geen livechat om in te antwoorden", "start eerst de uitzending en de chat")
    text = replies[index]
    post_chat_message(ctx.youtube.api, chat_id, text)
    ctx.store.audit("chat.canned_reply", {"index": index, "lang": lang})
    return text


def start_intake(ctx: StudioContext, live_chat_id: str, **options: Any) -> ChatIntake:
    """Chat intake for this live chat, in its own thread; a message deleted while on air leaves the screen."""
    from studio.youtube.chat import ChatIntake

    chat = ctx.settings.chat
    skip = [*chat.canned_nl, *chat.canned_ar]

    def removed_on_air(qid: str) -> None:
        try:
            on_removed_while_on_air(ctx, qid)
        except StudioError as exc:
            log.warning("could not take a removed question off air: %s", exc)

    kwargs: dict[str, Any] = {"budget_units": chat.quota_budget, "budget_minutes": chat.budget_minutes,
                              "skip_texts": skip, "on_removed_on_air": removed_on_air, **options}
    previous = current_intake(ctx)
    if previous is not None:
        previous.stop()
    intake = ChatIntake(ctx.youtube.api, book(ctx), live_chat_id, **kwargs)
    if previous is None:
        ctx._closers.append(_IntakeCloser(ctx))  # stopped when the context closes, before the store
    ctx._chat_intake = intake  # type: ignore[attr-defined]
    return intake.start()


class _IntakeCloser:
    def __init__(self, ctx: StudioContext) -> None:
        self.ctx = ctx

    def close(self) -> None:
        stop_intake(self.ctx)


def current_intake(ctx: StudioContext) -> ChatIntake | None:
    """The chat intake this context started (running or finished), if any."""
    return getattr(ctx, "_chat_intake", None)


def stop_intake(ctx: StudioContext) -> None:
    intake = current_intake(ctx)
    if intake is not None:
        intake.stop()


def find_live_chat_id(ctx: StudioContext) -> str | None:
    """The live chat to read: the one intake used last, unless it ended; else the newest broadcast's."""
    qb = book(ctx)
    last = qb.last_live_chat_id()
    if last:
        pos = qb.chat_position(last)
        if pos is not None and not pos.ended:
            return last
    for record in ctx.youtube.broadcasts.pending():  # the broadcast being taken live or live now
        if record.live_chat_id:
            return str(record.live_chat_id)
    return None
