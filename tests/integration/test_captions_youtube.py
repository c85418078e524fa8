"""Caption tracks on YouTube: the emulator's captions methods through the real google-api-python-client, and
studio.youtube.captions (insert once, update on a rerun, adopt after a timeout, never a blind second insert)."""

from __future__ import annotations

import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaInMemoryUpload

from studio.domain.caption_track import make_track
from studio.domain.captions import RLM, Cue, layout_cues, strip_marks
from studio.subtitles import parse_subtitles, to_srt, to_webvtt, write_caption_files
from studio.youtube import captions as yt
from studio.youtube.api import build_youtube
from studio.youtube.errors import NotFound, OutcomeUnknown, YouTubeRefused

CUES = [Cue(0.5, 2.0, ("Goedenavond.",)), Cue(2.5, 4.0, ("Welkom bij het wijkspreekuur.",))]
VTT = to_webvtt(CUES, "nl").encode()


def _video(client) -> str:
    body = {"snippet": {"title": "Digitaal wijkspreekuur", "scheduledStartTime": "2026-11-24T18:00:00Z"},
            "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False}}
    return str(client.liveBroadcasts().insert(part="snippet,status", body=body).execute()["id"])


def _insert(client, video_id, data, language="nl", name="Nederlands", **snippet):
    body = {"snippet": {"videoId": video_id, "language": language, "name": name, **snippet}}
    media = MediaInMemoryUpload(data, mimetype="application/octet-stream", resumable=False)
    return client.captions().insert(part="snippet", body=body, media_body=media).execute()


def _reason(err) -> str:
    return err.value.error_details[0]["reason"]


def test_emulator_captions_insert_list_update_delete(emulator, emulator_client):
    client = emulator_client
    video_id = _video(client)
    created = _insert(client, video_id, VTT)
    assert created["kind"] == "youtube#caption" and created["snippet"]["language"] == "nl"
    assert created["snippet"]["name"] == "Nederlands" and created["snippet"]["status"] == "serving"
    listed = client.captions().list(part="snippet", videoId=video_id).execute()
    assert [i["id"] for i in listed["items"]] == [created["id"]]
    (stored,) = emulator.control.captions(video_id)
    assert stored["format"] == "vtt" and [c["text"] for c in stored["cues"]] == ["Goedenavond.",
                                                                                "Welkom bij het wijkspreekuur."]
    srt = to_srt([Cue(1.0, 3.0, ("Nieuwe tekst.",))], "nl").encode()
    media = MediaInMemoryUpload(srt, mimetype="application/octet-stream", resumable=False)
    client.captions().update(part="snippet", body={"id": created["id"], "snippet": {"isDraft": True}},
                             media_body=media).execute()
    (stored,) = emulator.control.captions(video_id)
    assert stored["format"] == "srt" and stored["isDraft"] and stored["cues"][0]["text"] == "Nieuwe tekst."
    assert client.videos().list(part="contentDetails", id=video_id).execute()["items"][0]["contentDetails"][
        "caption"] == "true"
    client.captions().delete(id=created["id"]).execute()
    assert emulator.control.captions(video_id) == []
    costs = [(m, c) for m, _s, c in emulator.control.state()["calls"] if m.startswith("captions.")]
    assert costs == [("captions.insert", 400), ("captions.list", 50), ("captions.update", 450),
                     ("captions.delete", 50)]


@pytest.mark.parametrize("data, reason", [
    (b"", "contentRequired"),
    (b"dit is geen ondertitelbestand", "unknownFormat"),
    (b"WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nEen\n\n00:00:02.000 --> 00:00:04.000\nTwee\n", "processingFailed"),
    (b"1\n00:00:01,000 --> 00:00:02,000\n\n2\n00:00:03,000 --> 00:00:04,000\nhoi\n", "processingFailed"),
    (f"1\n00:00:01,000 --> 00:00:02,000\n{RLM}\n".encode(), "processingFailed"),
    (b"1\n00:00:03,000 --> 00:00:02,000\nachteruit\n", "processingFailed"),
])
def test_emulator_refuses_bad_caption_files(emulator, emulator_client, data, reason):
    video_id = _video(emulator_client)
    with pytest.raises(HttpError) as err:
        _insert(emulator_client, video_id, data)
    assert err.value.resp.status == 400 and _reason(err) == reason
    assert emulator.control.captions() == []


def test_emulator_checks_metadata_like_youtube(emulator, emulator_client):
    client = emulator_client
    video_id = _video(client)
    with pytest.raises(HttpError) as err:
        _insert(client, "bestaatniet", VTT)
    assert err.value.resp.status == 404 and _reason(err) == "videoNotFound"
    with pytest.raises(HttpError) as err:
        client.captions().insert(part="snippet", body={"snippet": {"videoId": video_id, "name": "x"}},
                                 media_body=MediaInMemoryUpload(VTT, mimetype="application/octet-stream",
                                                                resumable=False)).execute()
    assert _reason(err) == "invalidMetadata"
    _insert(client, video_id, VTT)
    with pytest.raises(HttpError) as err:
        _insert(client, video_id, VTT)
    assert err.value.resp.status == 409 and _reason(err) == "captionExists"
    _insert(client, video_id, VTT, name="Nederlands (2)")  # another name for the same language is allowed
    # the discovery document makes videoId required (the client library refuses before sending: send it raw)
    import json
    import urllib.error
    import urllib.request

    raw = urllib.request.Request(emulator.endpoint + "youtube/v3/captions?part=snippet",
                                 headers={"Authorization": "Bearer test-token"})
    with pytest.raises(urllib.error.HTTPError) as raw_err:
        urllib.request.urlopen(raw, timeout=10)
    assert raw_err.value.code == 400
    assert json.loads(raw_err.value.read())["error"]["errors"][0]["reason"] == "required"
    with pytest.raises(HttpError) as err:
        client.captions().insert(part="snippet,status", body={"snippet": {"videoId": video_id}}).execute()
    assert _reason(err) == "unknownPart"
    with pytest.raises(HttpError) as err:
        client.captions().delete(id="onbekend").execute()
    assert err.value.resp.status == 404 and _reason(err) == "captionNotFound"


# --- the adapter -------------------------------------------------------------------------------------------


@pytest.fixture
def api(youtube_settings, store):
    return build_youtube(youtube_settings, store, max_retries=3, backoff=0.01)


def test_publish_inserts_once_then_updates(api, emulator, emulator_client, youtube_settings):
    video_id = _video(emulator_client)
    base = youtube_settings.youtube.endpoint
    assert yt.publish_cost(existing=False) == 450 and yt.publish_cost(existing=True) == 500
    first = yt.publish_track(api, video_id, "nl", VTT, upload_base=base)
    assert first.action == "inserted" and first.track.name == "Nederlands" and first.track.language == "nl"
    again = yt.publish_track(api, video_id, "nl", to_webvtt(CUES[:1], "nl").encode(), upload_base=base)
    assert again.action == "updated" and again.track.caption_id == first.track.caption_id
    (stored,) = emulator.control.captions(video_id)
    assert [c["text"] for c in stored["cues"]] == ["Goedenavond."]
    assert api.ledger.usage().by_method == {"captions.list": 100, "captions.insert": 400, "captions.update": 450}
    assert [t.caption_id for t in yt.list_tracks(api, video_id)] == [first.track.caption_id]
    yt.delete_track(api, first.track)
    assert yt.find_track(api, video_id, "nl") is None


def test_an_insert_that_times_out_is_adopted_not_repeated(youtube_settings, store, emulator, emulator_client):
    api = build_youtube(youtube_settings, store, max_retries=3, backoff=0.01, timeout=1.0)
    video_id = _video(emulator_client)
    emulator.control.inject_fault("captions.insert", delay=2.0)  # the track is made, the answer comes too late
    result = yt.insert_track(api, video_id, "nl", VTT, upload_base=youtube_settings.youtube.endpoint)
    assert result.action == "adopted" and result.track.name == "Nederlands"
    assert len(emulator.control.captions(video_id)) == 1
    inserts = [m for m, _s, _c in emulator.control.state()["calls"] if m == "captions.insert"]
    assert len(inserts) == 1
    assert api.ledger.usage().by_method["captions.insert"] == 400


def test_a_5xx_on_insert_is_not_retried_blindly(api, youtube_settings, emulator, emulator_client):
    video_id = _video(emulator_client)
    emulator.control.inject_fault("captions.insert", status=503, times=1)
    waited = []
    with pytest.raises(OutcomeUnknown):  # every create: sent once, then looked for (studio.youtube.api)
        yt.insert_track(api, video_id, "nl", VTT, upload_base=youtube_settings.youtube.endpoint, sleep=waited.append)
    calls = [m for m, _s, _c in emulator.control.state()["calls"] if m.startswith("captions.")]
    # the one insert (the emulator logs injected faults too), then three looks for what it might have made
    assert calls == ["captions.insert"] + ["captions.list"] * 3
    assert waited == [1.5, 4.0]
    assert emulator.control.captions(video_id) == []
    # the next run inserts (nothing was created)
    assert yt.insert_track(api, video_id, "nl", VTT, upload_base=youtube_settings.youtube.endpoint).action == "inserted"


def test_a_track_that_appeared_after_all_is_adopted_on_the_next_insert(api, youtube_settings, emulator,
                                                                       emulator_client):
    video_id = _video(emulator_client)
    _insert(emulator_client, video_id, to_webvtt(CUES[:1], "nl").encode())  # the late first attempt
    result = yt.insert_track(api, video_id, "nl", VTT, upload_base=youtube_settings.youtube.endpoint)
    assert result.action == "adopted"
    (stored,) = emulator.control.captions(video_id)
    assert len(stored["cues"]) == 2  # and it now holds this run's file


def test_refusals_are_typed(api, youtube_settings, emulator_client):
    video_id = _video(emulator_client)
    with pytest.raises(YouTubeRefused) as err:
        yt.publish_track(api, video_id, "nl", b"geen ondertitels", upload_base=youtube_settings.youtube.endpoint)
    assert err.value.reason == "unknownFormat" and "ondertitels toevoegen" in str(err.value)
    with pytest.raises(NotFound):
        yt.list_tracks(api, "bestaatniet")


def test_real_speech_captions_published_on_the_emulator(api, youtube_settings, emulator, emulator_client,
                                                        dutch_transcript, arabic_transcript, tmp_path):
    """From the model's words to the track YouTube stores, in both languages."""
    video_id = _video(emulator_client)
    recording = tmp_path / "2026-11-24 19-00-00.mp4"
    recording.write_bytes(b"video")
    for transcript in (dutch_transcript, arabic_transcript):
        lang = transcript.language
        track = make_track(layout_cues(transcript.words(), lang, end_of_media=transcript.duration), lang,
                           model=transcript.model)
        files = write_caption_files(track.as_cues(), lang, recording)
        result = yt.publish_track(api, video_id, lang, files.vtt.read_bytes(),
                                  upload_base=youtube_settings.youtube.endpoint)
        assert result.track.name == {"nl": "Nederlands", "ar": "العربية"}[lang]
        (stored,) = [t for t in emulator.control.captions(video_id) if t["language"] == lang]
        _kind, mine = parse_subtitles(files.vtt.read_bytes())
        assert [(c["start"], c["end"]) for c in stored["cues"]] == [(c.start, c.end) for c in mine]
        assert [strip_marks(c["text"]).replace("&amp;", "&") for c in stored["cues"]] == \
               [c.text for c in track.cues]
        if lang == "ar":
            assert all(line.startswith(RLM) for c in stored["cues"] for line in c["text"].split("\n"))
    assert {t["language"] for t in emulator.control.captions(video_id)} == {"nl", "ar"}
