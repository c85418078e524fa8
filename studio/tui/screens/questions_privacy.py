"""The Questions screen's privacy keys: 'm' masks, 'h' restores, and the preview every key on air depends on.

A mixin of ``QuestionsScreen`` (kept apart so that the queue's table and the privacy preview can change
independently). Each decision runs the use case (studio.usecases.redactions) in the screen's action worker,
which writes the key press to the audit log; the use case writes each decision itself (kind, offsets, who,
never the text). Afterwards the preview is made again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from studio.tui.widgets.air_preview import AirPreviewPane
from studio.tui.widgets.redaction_pickers import MaskChoice, MaskPicker, RestoreChoice, RestorePicker
from studio.usecases import onair, redactions

if TYPE_CHECKING:
    from studio.domain.questions import Question
    from studio.tui.app import StudioApp


class PrivacyActions:
    app: StudioApp

    if TYPE_CHECKING:  # provided by the screen (never defined here: they would hide the real ones)
        def act(self, action: str, params: dict[str, Any], fn: Any) -> Any: ...
        def _need(self) -> Question | None: ...
        def query_one(self, selector: Any, expect_type: Any = None) -> Any: ...
        def notify(self, message: str, **kwargs: Any) -> None: ...

    @property
    def preview_pane(self) -> AirPreviewPane:
        pane: AirPreviewPane = self.query_one(AirPreviewPane)
        return pane

    def _previewed(self, q: Question, what: str) -> onair.AirPreview | None:
        """The preview on screen of this question; None (and why, in Dutch) when there is none to act on."""
        pv = self.preview_pane.matches(q)
        if pv is None:
            status = self.app.privacy_status
            why = status.message if not status.ready else "het voorbeeld wordt nog gemaakt"
            self.notify(f"{what}: {why}. Er gaat niets in beeld zonder voorbeeld.", severity="warning",
                        markup=False)
        return pv

    def _decide(self, action: str, params: dict[str, Any], fn: Any) -> None:
        """A mask or restore, off the event loop; the preview is made again afterwards, whatever happened."""
        pane = self.preview_pane

        def run() -> None:
            try:
                fn()
            finally:
                self.app.call_from_thread(pane.invalidate)

        self.act(action, params, run)

    def action_mask(self) -> None:
        q = self._need()
        pv = self._previewed(q, "Maskeren kan nog niet") if q is not None else None
        if q is None or pv is None:
            return

        def done(choice: MaskChoice | None) -> None:
            if choice is not None:
                self._decide("question.mask", {"id": q.id, "spans": len(choice.masks)},
                             lambda: redactions.mask(self.app.ctx, q.id, choice.masks, text_digest=pv.text_digest,
                                                     shown=choice.shown))

        self.app.push_screen(MaskPicker(pv), done)

    def action_restore(self) -> None:
        q = self._need()
        pv = self._previewed(q, "Herstellen kan nog niet") if q is not None else None
        if q is None or pv is None:
            return
        if not pv.result.certain and not pv.masks:
            self.notify("Er is niets verborgen om te herstellen", severity="warning")
            return

        def done(choice: RestoreChoice | None) -> None:
            if choice is None:
                return
            ctx = self.app.ctx
            if choice.restore is not None:
                r = choice.restore
                self._decide("question.restore", {"id": q.id, "kind": r.kind},
                             lambda: redactions.restore(ctx, q.id, r, text_digest=pv.text_digest, shown=choice.shown))
            elif choice.unmask is not None:
                m = choice.unmask
                self._decide("question.unmask", {"id": q.id, "kind": m.kind},
                             lambda: redactions.unmask(ctx, q.id, m, text_digest=pv.text_digest, shown=choice.shown))

        self.app.push_screen(RestorePicker(pv), done)
