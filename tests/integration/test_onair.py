"""Questions on air in a real OBS: chat -> queue -> card in the program output -> off air.

OBS gets a minimal version of the show's two scenes that matter here: the officer's scene and the question
scene with the overlay image source (names from studio.obs.scenes), over a solid background colour, so a
screenshot of the program output tells whether the card is there.
"""

from __future__ import annotations

import io
import time

import pytest

from studio.domain.questions import Source, State
from studio.domain.scenes import INPUT_QUESTION_OVERLAY, SCENE_OFFICER, SCENE_QUESTION
from studio.usecases.context import Studio
from studio.usecases.onair import preview, put_on_air, take_off_air
from tests.fixtures.obs_supervisor import ask
from tests.waiting import wait_until as wait_for

pytestmark = pytest.mark.obs

BACKGROUND = (0x20, 0x80, 0x30)  # green: nothing of the card's colours


def setup_scenes(ctx: Studio, raw) -> None:
    """A question scene on a green background, made with a raw client (the test's own hands on OBS)."""
    assert ctx.obs.wait_connected(15), "OBS did not connect"
    bg = {"color": 0xFF000000 | (BACKGROUND[2] << 16) | (BACKGROUND[1] << 8) | BACKGROUND[0],
          "width": 1920, "height": 1080}
    for scene in (SCENE_OFFICER, SCENE_QUESTION):
        create_scene(raw, scene)
    ask(raw, "CreateInput", sceneName=SCENE_OFFICER, inputName="Achtergrond", inputKind="color_source_v3",
                inputSettings=bg)
    ask(raw, "CreateSceneItem", sceneName=SCENE_QUESTION, sourceName="Achtergrond")
    ask(raw, "CreateInput", sceneName=SCENE_QUESTION, inputName=INPUT_QUESTION_OVERLAY, inputKind="image_source",
                inputSettings={"file": ""}, sceneItemEnabled=False)
    # fit every item to the canvas, as scenes/wijkspreekuur.toml does ("fit"): the test OBS is not 1080p
    video = ask(raw, "GetVideoSettings")
    fit = {"boundsType": "OBS_BOUNDS_SCALE_INNER", "boundsAlignment": 0, "alignment": 5,
           "boundsWidth": float(video["baseWidth"]), "boundsHeight": float(video["baseHeight"]),
           "positionX": 0.0, "positionY": 0.0}
    for scene in (SCENE_OFFICER, SCENE_QUESTION):
        for item in ask(raw, "GetSceneItemList", sceneName=scene)["sceneItems"]:
            ask(raw, "SetSceneItemTransform", sceneName=scene, sceneItemId=item["sceneItemId"],
                        sceneItemTransform=fit)
    ctx.obs.switch_scene(SCENE_OFFICER)
    wait_for(lambda: ctx.obs.snapshot.program_scene == SCENE_OFFICER)


def create_scene(raw, name: str, timeout: float = 10.0) -> None:
    """OBS frees a removed scene only when its last reference goes (the previous test's): retry a little."""
    from obsws_python.error import OBSSDKRequestError

    deadline = time.monotonic() + timeout
    while True:
        try:
            ask(raw, "CreateScene", sceneName=name)
            return
        except OBSSDKRequestError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def program_pixels(ctx: Studio):
    from PIL import Image

    scene = ctx.obs.program_scene()
    png = ctx.obs.screenshot(scene, 960, 540)
    return scene, Image.open(io.BytesIO(png)).convert("RGB")


def card_region_differs(img) -> bool:
    """The card sits in the lower third between the side margins: sample a grid there."""
    w, h = img.size
    points = [(int(w * x / 10), int(h * y / 100)) for x in range(2, 9) for y in (80, 84, 88)]
    off = [p for p in points if max(abs(a - b) for a, b in zip(img.getpixel(p), BACKGROUND, strict=True)) > 40]
    return len(off) >= len(points) // 2


def background_everywhere(img) -> bool:
    w, h = img.size
    points = [(int(w * x / 10), int(h * y / 10)) for x in range(1, 10) for y in range(1, 10)]
    return all(max(abs(a - b) for a, b in zip(img.getpixel(p), BACKGROUND, strict=True)) <= 12 for p in points)


def air(ctx: Studio, question_id: str):
    """What the panel does on 'b': put on air what the preview showed (its digest)."""
    return put_on_air(ctx, question_id, shown=preview(ctx, ctx.questions.get(question_id)).digest)


@pytest.fixture
def ctx(obs_settings, youtube_settings, obs_raw, ready_scrubber):
    c = Studio(obs_settings, scrubber=ready_scrubber)
    setup_scenes(c, obs_raw)
    yield c
    c.close()


def overlay_enabled(ctx: Studio) -> bool:
    return ctx.obs.source_visible(SCENE_QUESTION, INPUT_QUESTION_OVERLAY)


def test_chat_question_goes_on_air_scrubbed_and_comes_off(ctx, emulator):
    broadcast = ctx.youtube.api.insert_broadcast({
        "snippet": {"title": "Wijkspreekuur", "scheduledStartTime": "2030-01-01T18:00:00Z"},
        "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
    })
    live_chat_id = broadcast["snippet"]["liveChatId"]
    emulator.control.post_chat(live_chat_id, "Mijn buurman (06-12345678) parkeert op de stoep, mag dat?",
                               author="Karel de Vries")
    intake = ctx.chat.start(live_chat_id)
    try:
        qb = ctx.questions
        question = wait_for(lambda: next(iter(qb.queue().ordered()), None))
        pv = preview(ctx, question)
        assert "06-12345678" in pv.original and "06-12345678" not in pv.aired and pv.findings

        _, before = program_pixels(ctx)
        assert background_everywhere(before)

        result = air(ctx, question.id)
        assert result.card.exists() and result.card.parent == ctx.settings.data_dir / "overlay"
        assert qb.get(question.id).state is State.ON_AIR
        assert overlay_enabled(ctx)
        assert ctx.obs.image_file(INPUT_QUESTION_OVERLAY) == str(result.card)
        scene, img = wait_for(lambda: (lambda s, i: (s, i) if card_region_differs(i) else None)(*program_pixels(ctx)))
        assert scene == SCENE_QUESTION
        # the top of the frame is untouched: the card is a lower third
        assert max(abs(a - b) for a, b in zip(img.getpixel((480, 60)), BACKGROUND, strict=True)) <= 12

        take_off_air(ctx, answered=True)
        assert qb.get(question.id).state is State.ANSWERED
        assert not overlay_enabled(ctx)
        assert ctx.obs.image_file(INPUT_QUESTION_OVERLAY) == ""
        wait_for(lambda: ctx.obs.snapshot.program_scene == SCENE_OFFICER)
        assert not result.card.exists()
        (airing,) = qb.airings()
        assert airing.question_id == question.id and "06-12345678" not in airing.aired_text
        assert airing.ended_at is not None
    finally:
        intake.stop()


def test_deleted_message_leaves_the_screen(ctx, emulator):
    broadcast = ctx.youtube.api.insert_broadcast({
        "snippet": {"title": "Wijkspreekuur", "scheduledStartTime": "2030-01-01T18:00:00Z"},
        "status": {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False},
    })
    live_chat_id = broadcast["snippet"]["liveChatId"]
    emulator.control.set_polling_interval(100)
    message = emulator.control.post_chat(live_chat_id, "Een vraag die straks wordt verwijderd")
    intake = ctx.chat.start(live_chat_id, budget_units=100_000)
    try:
        qb = ctx.questions
        question = wait_for(lambda: next(iter(qb.queue().ordered()), None))
        air(ctx, question.id)
        assert overlay_enabled(ctx)
        emulator.control.delete_chat(message["id"])
        wait_for(lambda: not overlay_enabled(ctx))
        assert qb.get(question.id).state is State.REMOVED
        wait_for(lambda: ctx.obs.snapshot.program_scene == SCENE_OFFICER)
        wait_for(lambda: background_everywhere(program_pixels(ctx)[1]))
    finally:
        intake.stop()


def test_on_air_times_are_relative_to_the_recording(ctx, tmp_path):
    ctx.obs.set_record_directory(tmp_path / "rec")
    qb = ctx.questions
    q = qb.add_manual("Per telefoon: hoe meld ik een verdachte situatie?", Source.PHONE)
    ctx.obs.start_record()
    try:
        time.sleep(1.0)
        air(ctx, q.id)
        time.sleep(0.5)
        take_off_air(ctx)
    finally:
        ctx.obs.stop_record()
    (airing,) = qb.airings()
    assert airing.record_start_ms is not None and airing.record_start_ms >= 500
    assert airing.record_end_ms is not None and airing.record_end_ms >= airing.record_start_ms + 300
    assert qb.get(q.id).state is State.SHORTLISTED  # off air without an answer: back in the shortlist


def test_second_question_waits_until_the_first_is_off_air(ctx):
    from studio.store.questions import QuestionError

    qb = ctx.questions
    a = qb.add_manual("eerste", Source.SOCIAL)
    b = qb.add_manual("tweede", Source.SOCIAL)
    air(ctx, a.id)
    with pytest.raises(QuestionError, match="al een vraag in beeld"):
        air(ctx, b.id)
    assert f"question-{a.id}-" in (ctx.obs.image_file(INPUT_QUESTION_OVERLAY) or "")  # the first card stays
    take_off_air(ctx)
    air(ctx, b.id)
    assert qb.on_air().id == b.id


def test_preload_loads_the_card_hidden_and_never_touches_a_card_on_air(ctx):
    from studio.usecases.onair import card_path, preload_card

    qb = ctx.questions
    a = qb.add_manual("eerste vraag", Source.SOCIAL)
    b = qb.add_manual("tweede vraag", Source.SOCIAL)
    assert preload_card(ctx, qb.get(a.id))
    loaded = ctx.obs.image_file(INPUT_QUESTION_OVERLAY)
    assert loaded == str(card_path(ctx, preview(ctx, qb.get(a.id))))
    assert not overlay_enabled(ctx)  # loaded, not shown
    assert ctx.obs.program_scene() == SCENE_OFFICER
    air(ctx, a.id)
    assert not preload_card(ctx, qb.get(b.id))  # a question is on air: its card stays
    assert ctx.obs.image_file(INPUT_QUESTION_OVERLAY) == loaded


def test_arabic_question_airs_as_the_shaped_card_of_its_scrubbed_text(ctx):
    from PIL import Image, ImageChops

    from studio.overlay.render import render_question_card

    qb = ctx.questions
    q = qb.add_manual("سُرقت دراجتي قرب المحطة، رقمي 0612345678", Source.PHONE)
    assert q.lang == "ar"
    result = air(ctx, q.id)
    assert "0612345678" not in result.aired
    # the file OBS shows is exactly the renderer's card of the scrubbed text, right-to-left and shaped
    expected = render_question_card(result.aired, "ar").convert("RGBA")
    with Image.open(result.card) as shown:
        assert ImageChops.difference(shown.convert("RGBA"), expected).getbbox() is None
    wait_for(lambda: card_region_differs(program_pixels(ctx)[1]))
    take_off_air(ctx)


def test_the_spreekuur_key_airs_a_question_only_as_it_was_approved(ctx):
    from studio.usecases import moderation
    from studio.usecases.onair import OnAirError

    qb = ctx.questions
    q = qb.add_manual("Mijn buurman Piet Jansen parkeert altijd op de stoep", Source.PHONE)
    with pytest.raises(OnAirError, match="nog niet nagekeken"):
        put_on_air(ctx, q.id)  # 'v' on the Spreekuur screen: nobody looked at this one
    assert ctx.obs.image_file(INPUT_QUESTION_OVERLAY) == "" and not overlay_enabled(ctx)
    moderation.shortlist(ctx, q.id, shown=preview(ctx, q).digest)  # chosen with the preview in view
    result = put_on_air(ctx, q.id)
    assert result.aired == "Mijn buurman [naam] parkeert altijd op de stoep" and overlay_enabled(ctx)


def test_a_mask_made_while_on_air_replaces_the_card_at_once(ctx, obs_raw):
    from studio.domain.redaction import Mask
    from studio.usecases import redactions
    from studio.usecases.onair import air_digest

    qb = ctx.questions
    text = "Die jongen van de snackbar verkoopt lachgas"
    q = qb.add_manual(text, Source.PHONE)
    first = air(ctx, q.id)
    pv = preview(ctx, qb.get(q.id))
    snackbar = Mask(text.index("snackbar"), text.index("snackbar") + len("snackbar"))
    shown = air_digest("nl", pv.result.final([snackbar], ()))
    after = redactions.mask(ctx, q.id, [snackbar], text_digest=pv.text_digest, shown=shown)
    assert after.aired == "Die jongen van de [weggelaten] verkoopt lachgas"
    on_screen = ask(obs_raw, "GetInputSettings", inputName=INPUT_QUESTION_OVERLAY)["inputSettings"]["file"]
    assert on_screen != str(first.card) and after.digest[:12] in on_screen and overlay_enabled(ctx)
    (airing,) = qb.airings()
    assert airing.aired_text == after.aired  # the chapter later says what was on screen last
