"""Uploads and publishing: resumable videos.insert through googleapiclient's own MediaFileUpload (with a
dropped connection and a 5xx on the way), the raw protocol rules, thumbnails.set, videos.update, playlists."""

from __future__ import annotations

import http.client
import io
import json
import os
import ssl
import urllib.parse

import httplib2
import pytest
from googleapiclient.errors import HttpError
from googleapiclient.http import MediaFileUpload, MediaIoBaseUpload

from tests.fixtures.emulator import build_client
from tests.integration.test_emulator_lifecycle import BROADCAST, reason

CHUNK = 256 * 1024
METADATA = {"snippet": {"title": "Wijkspreekuur inbraak", "categoryId": "25"}, "status": {"privacyStatus": "private"}}


@pytest.fixture
def video_file(tmp_path):
    path = tmp_path / "sessie.mp4"
    path.write_bytes(os.urandom(CHUNK * 3 + 1234))
    return path


def upload_all(request, attempts=20, num_retries=0):
    errors = []
    for _ in range(attempts):
        try:
            _, response = request.next_chunk(num_retries=num_retries)
        except (OSError, HttpError, httplib2.HttpLib2Error) as exc:
            errors.append(exc)
            continue
        if response is not None:
            return response, errors
    raise AssertionError(f"upload did not finish: {errors}")


def test_resumable_upload_survives_a_dropped_connection(emulator, emulator_client, video_file):
    media = MediaFileUpload(str(video_file), mimetype="video/mp4", chunksize=CHUNK * 2, resumable=True)
    request = emulator_client.videos().insert(part="snippet,status", body=METADATA, media_body=media)
    assert request.uri.startswith("https://127.0.0.1:")  # the library keeps https for uploads: see the docstring
    emulator.control.inject_fault("upload.chunk", reason="dropConnection")
    video, errors = upload_all(request)
    assert len(errors) == 1 and isinstance(errors[0], ConnectionError)
    assert video["snippet"]["title"] == "Wijkspreekuur inbraak" and video["status"]["privacyStatus"] == "private"
    assert video["status"]["uploadStatus"] == "uploaded"
    upload = next(iter(emulator.world.uploads.values()))
    assert bytes(upload.data) == video_file.read_bytes()  # the kept 256 KiB units plus the resent rest
    assert emulator.control.quota_used() == 0  # an upload counts in its own bucket, not the daily quota
    assert emulator.control.state()["bucket_used"] == {"videos.insert": 1}


def test_resumable_upload_retries_a_server_error(emulator, emulator_client, video_file):
    media = MediaFileUpload(str(video_file), mimetype="video/mp4", chunksize=CHUNK, resumable=True)
    request = emulator_client.videos().insert(part="snippet,status", body=METADATA, media_body=media)
    status, response = request.next_chunk()
    assert response is None and status.resumable_progress == CHUNK
    emulator.control.inject_fault("upload.chunk", status=503, reason="backendError")
    with pytest.raises(HttpError) as err:
        request.next_chunk()
    assert err.value.resp.status == 503
    video, errors = upload_all(request)  # asks the session how far it got, then goes on
    assert errors == []
    assert bytes(next(iter(emulator.world.uploads.values())).data) == video_file.read_bytes()
    listed = emulator_client.videos().list(part="status,processingDetails", id=video["id"]).execute()["items"][0]
    assert listed["processingDetails"]["processingStatus"] in ("processing", "succeeded")


def test_upload_with_the_scheme_rewritten_to_the_endpoints(emulator, video_file):
    yt = build_client(emulator, trust_tls=False)
    media = MediaIoBaseUpload(io.BytesIO(video_file.read_bytes()), mimetype="video/mp4", chunksize=CHUNK, resumable=True)
    request = yt.videos().insert(part="snippet", body=METADATA, media_body=media)
    with pytest.raises(ssl.SSLError):  # an untrusted certificate: refused
        request.next_chunk()
    request.uri = "http" + request.uri.removeprefix("https")
    video, _ = upload_all(request)
    assert set(video) == {"kind", "etag", "id", "snippet"}


def _raw_session(emu, total):
    conn = http.client.HTTPConnection("127.0.0.1", emu.port, timeout=10)
    conn.request(
        "POST", "/upload/youtube/v3/videos?uploadType=resumable&part=snippet",
        body=json.dumps({"snippet": {"title": "x"}}),
        headers={"Authorization": "Bearer t", "Content-Type": "application/json",
                 "X-Upload-Content-Length": str(total), "X-Upload-Content-Type": "video/mp4"},
    )  # fmt: skip
    response = conn.getresponse()
    response.read()
    assert response.status == 200
    location = urllib.parse.urlsplit(response.getheader("Location"))
    assert location.netloc == f"127.0.0.1:{emu.port}" and location.scheme == "http"
    return conn, f"{location.path}?{location.query}"


def _put(conn, url, data, content_range):
    conn.request("PUT", url, body=data, headers={"Content-Range": content_range, "Content-Length": str(len(data))})
    response = conn.getresponse()
    return response.status, response.getheader("Range"), response.read()


def test_raw_resumable_protocol_rules(emulator):
    total = CHUNK * 2 + 10
    conn, url = _raw_session(emulator, total)
    assert _put(conn, url, b"", f"bytes */{total}")[:2] == (308, None)  # nothing yet: no Range header
    status, _, body = _put(conn, url, b"a" * 1000, f"bytes 0-999/{total}")
    assert status == 400 and b"262144" in body  # not the last chunk: must be whole 256 KiB units
    assert _put(conn, url, b"a" * CHUNK, f"bytes 0-{CHUNK - 1}/{total}")[:2] == (308, f"bytes=0-{CHUNK - 1}")
    status, _, _ = _put(conn, url, b"b" * CHUNK, f"bytes 0-{CHUNK - 1}/{total}")
    assert status == 400  # does not continue where the session is
    assert _put(conn, url, b"", f"bytes */{total}")[:2] == (308, f"bytes=0-{CHUNK - 1}")
    status, _, body = _put(conn, url, b"c" * (CHUNK + 10), f"bytes {CHUNK}-{total - 1}/{total}")
    assert status == 200 and json.loads(body)["kind"] == "youtube#video"
    status, _, _ = _put(conn, "/upload/youtube/v3/videos?uploadType=resumable&upload_id=gone", b"", f"bytes */{total}")
    assert status == 404


def test_thumbnail_update_and_playlist(emulator, emulator_client, tmp_path):
    yt = emulator_client
    video_id = yt.liveBroadcasts().insert(part="snippet,status", body=BROADCAST).execute()["id"]
    png = tmp_path / "thumb.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(2000))
    result = yt.thumbnails().set(videoId=video_id, media_body=MediaFileUpload(str(png), mimetype="image/png")).execute()
    assert result["items"][0]["maxres"]["width"] == 1280
    assert emulator.control.state()["videos"][video_id]["thumbnail"] is True
    text = tmp_path / "not-an-image.png"
    text.write_bytes(b"hello")
    with pytest.raises(HttpError) as err:
        yt.thumbnails().set(videoId=video_id, media_body=MediaFileUpload(str(text), mimetype="image/png")).execute()
    assert err.value.resp.status == 400 and reason(err.value) == "invalidImage"
    with pytest.raises(HttpError) as err:
        yt.thumbnails().set(videoId="nope", media_body=MediaFileUpload(str(png), mimetype="image/png")).execute()
    assert err.value.resp.status == 404 and reason(err.value) == "videoNotFound"

    video = yt.videos().list(part="snippet,status", id=video_id).execute()["items"][0]
    snippet = {"title": "Terugkijken: inbraak", "description": "0:00 Begin\n1:00 Vragen\n2:00 Einde", "categoryId": "25"}
    updated = yt.videos().update(part="snippet", body={"id": video_id, "snippet": snippet}).execute()
    assert updated["snippet"]["title"] == "Terugkijken: inbraak"
    with pytest.raises(HttpError) as err:  # the whole snippet must be sent back, categoryId included
        yt.videos().update(part="snippet", body={"id": video_id, "snippet": {"title": "x"}}).execute()
    assert reason(err.value) == "invalidCategoryId"
    with pytest.raises(HttpError) as err:
        yt.videos().update(part="snippet", body={"id": video_id, "snippet": {**snippet, "description": "<b>"}}).execute()
    assert reason(err.value) == "invalidDescription"
    assert video["status"]["privacyStatus"] == "public"

    playlists = yt.playlists().list(part="snippet", mine=True).execute()["items"]
    assert [p["snippet"]["title"] for p in playlists] == ["Digitaal wijkspreekuur"]
    item_body = {"snippet": {"playlistId": playlists[0]["id"], "resourceId": {"kind": "youtube#video", "videoId": video_id}}}
    item = yt.playlistItems().insert(part="snippet", body=item_body).execute()
    assert item["snippet"]["resourceId"]["videoId"] == video_id and item["snippet"]["position"] == 0
    assert emulator.control.state()["playlists"][playlists[0]["id"]]["items"] == 1
    missing = {"snippet": {"playlistId": "PLnope", "resourceId": {"kind": "youtube#video", "videoId": video_id}}}
    with pytest.raises(HttpError) as err:
        yt.playlistItems().insert(part="snippet", body=missing).execute()
    assert err.value.resp.status == 404 and reason(err.value) == "playlistNotFound"


def test_multipart_upload_in_one_request(emulator, emulator_client, tmp_path):
    small = tmp_path / "kort.mp4"
    small.write_bytes(os.urandom(5000))
    media = MediaFileUpload(str(small), mimetype="video/mp4", resumable=False)
    video = emulator_client.videos().insert(part="snippet,status", body=METADATA, media_body=media).execute()
    assert video["snippet"]["title"] == METADATA["snippet"]["title"]
    assert bytes(next(iter(emulator.world.uploads.values())).data) == small.read_bytes()
    bad = {"snippet": {"title": "x", "categoryId": "25", "kategorie": "y"}}
    with pytest.raises(HttpError) as err:  # the metadata part is validated like any body
        emulator_client.videos().insert(part="snippet", body=bad, media_body=MediaFileUpload(str(small), mimetype="video/mp4")).execute()
    assert err.value.resp.status == 400 and reason(err.value) == "badRequest"
