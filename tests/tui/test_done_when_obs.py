"""Issue 11's Done-when in the panel against the real OBS: the neighbour's name, address and number are shown to
the moderator highlighted, and the card that airs holds none of them, in the file and in OBS.

Checked three ways, each independent of the panel's own idea of it: the preview the moderator saw (its pieces
and styles), the card file (pixel for pixel the renderer's card of the scrubbed text, not of the original),
and OBS itself through a raw client (the overlay source points at that file, is visible in the question
scene, and OBS's own picture of the source matches the scrubbed card, not the original's).
"""

from __future__ import annotations

import base64
import io

import pytest
from textual.widgets import DataTable

from studio.domain.questions import Source, State
from studio.domain.scenes import INPUT_QUESTION_OVERLAY, SCENE_QUESTION
from studio.tui.app import StudioApp
from studio.tui.widgets.air_preview import ROLE_STYLE
from studio.usecases.context import Studio
from tests.fixtures.obs_supervisor import ask
from tests.integration.test_onair import card_region_differs, program_pixels, setup_scenes
from tests.pilot import wait_until

pytestmark = [pytest.mark.obs, pytest.mark.timeout(180)]

DONE_WHEN = "Mijn buurman Piet Jansen op de Kampstraat 14a, bel 06-41234567"
AIRED = "Mijn buurman [naam] op de [adres], bel [telefoonnummer]"


def _on_black(img):
    from PIL import Image

    rgba = img.convert("RGBA")
    black = Image.new("RGBA", rgba.size, (0, 0, 0, 255))
    return Image.alpha_composite(black, rgba).convert("L")


def _distance(a, b) -> float:
    """Mean absolute difference of two greyscale pictures of the same size (0..255)."""
    from PIL import ImageChops, ImageStat

    return float(ImageStat.Stat(ImageChops.difference(a, b)).mean[0])


async def test_the_done_when_question_airs_with_no_name_address_or_number(obs_settings, obs_raw, ready_scrubber):
    from PIL import Image, ImageChops

    from studio.overlay.render import render_question_card

    ctx = Studio(obs_settings, scrubber=ready_scrubber)
    try:
        setup_scenes(ctx, obs_raw)
        q = ctx.questions.add_manual(DONE_WHEN, Source.PHONE)
        app = StudioApp(ctx, stats_interval=5)
        async with app.run_test(size=(150, 40)) as pilot:
            await pilot.press("f4")
            await wait_until(pilot, lambda: app.current_mode == "questions" and app.screen.query(DataTable)
                             and app.screen.query_one(DataTable).row_count == 1, "the queue")
            pane = app.screen.preview_pane
            await wait_until(pilot, lambda: pane.current is not None, "the preview")
            # shown to the moderator first, with all three highlighted
            original = pane.shown_original
            hidden = [original.plain[s.start : s.end] for s in original.spans if str(s.style) == ROLE_STYLE["hidden"]]
            assert original.plain == DONE_WHEN
            assert hidden == ["Piet Jansen", "Kampstraat 14a", "06-41234567"]
            assert pane.shown_aired.plain == AIRED
            pv = pane.current
            assert pv.aired == AIRED

            await pilot.press("b")
            await wait_until(pilot, lambda: ctx.questions.get(q.id).state is State.ON_AIR, "the question on air")
            (airing,) = ctx.questions.airings()
            assert airing.aired_text == AIRED

        # the file OBS shows: exactly the card of the scrubbed text
        card_file = ask(obs_raw, "GetInputSettings", inputName=INPUT_QUESTION_OVERLAY)["inputSettings"]["file"]
        assert card_file.startswith(str(ctx.settings.data_dir / "overlay")) and pv.digest[:12] in card_file
        scrubbed = render_question_card(AIRED, "nl").convert("RGBA")
        raw = render_question_card(DONE_WHEN, "nl").convert("RGBA")
        with Image.open(card_file) as shown:
            assert ImageChops.difference(shown.convert("RGBA"), scrubbed).getbbox() is None
            assert ImageChops.difference(shown.convert("RGBA"), raw).getbbox() is not None

        # OBS: the source is visible in the question scene, on program, and its own picture is the scrubbed card
        items = ask(obs_raw, "GetSceneItemList", sceneName=SCENE_QUESTION)["sceneItems"]
        overlay = next(i for i in items if i["sourceName"] == INPUT_QUESTION_OVERLAY)
        assert overlay["sceneItemEnabled"] is True
        assert ask(obs_raw, "GetCurrentProgramScene")["currentProgramSceneName"] == SCENE_QUESTION
        shot = ask(obs_raw, "GetSourceScreenshot", sourceName=INPUT_QUESTION_OVERLAY, imageFormat="png",
                   imageWidth=960, imageHeight=540)["imageData"]
        seen = _on_black(Image.open(io.BytesIO(base64.b64decode(shot.split(",", 1)[1]))))
        # compare where the cards are (the rest of the frame is transparent in all three)
        x0, y0, x1, y1 = scrubbed.getchannel("A").getbbox()
        kx, ky = seen.size[0] / scrubbed.size[0], seen.size[1] / scrubbed.size[1]
        box = (int(x0 * kx), int(min(y0, raw.getchannel("A").getbbox()[1]) * ky), int(x1 * kx), int(y1 * ky))

        def card(img):
            return _on_black(img.resize(seen.size, Image.Resampling.BILINEAR)).crop(box)

        to_scrubbed = _distance(seen.crop(box), card(scrubbed))
        to_raw = _distance(seen.crop(box), card(raw))
        assert to_scrubbed < to_raw / 2, (to_scrubbed, to_raw)
        from tests.waiting import wait_until as wait_for

        wait_for(lambda: card_region_differs(program_pixels(ctx)[1]), "the card in OBS's program output")
    finally:
        ctx.close()
