"""YouTube's refusals mapped to typed Dutch errors; secrets masked; retry decisions."""

from __future__ import annotations

import json

import pytest

from studio.youtube import errors as ye
from studio.youtube.api import http_error_reason, is_retryable


class FakeResp(dict):
    def __init__(self, status: int) -> None:
        super().__init__()
        self.status = status
        self.reason = "x"


def http_error(status: int, reason: str):
    from googleapiclient.errors import HttpError

    body = {"error": {"code": status, "message": "m", "errors": [{"domain": "youtube.liveBroadcast",
                                                                 "reason": reason, "message": "m"}]}}
    return HttpError(FakeResp(status), json.dumps(body).encode(), uri="https://x/?access_token=SECRET")


@pytest.mark.parametrize(("status", "reason", "cls", "needle"), [
    (403, "quotaExceeded", ye.QuotaExceeded, "Pacific"),
    (403, "liveStreamingNotEnabled", ye.LiveStreamingNotEnabled, "youtube.com/features"),
    (403, "errorStreamInactive", ye.StreamNotActive, "OBS"),
    (403, "invalidTransition", ye.TransitionRefused, "status"),
    (404, "liveBroadcastNotFound", ye.NotFound, "studio broadcast list"),
    (401, "authError", ye.TokenRevoked, "7 dagen"),
    (401, "", ye.TokenRevoked, "studio auth"),
    (503, "backendError", ye.YouTubeServerError, "storing"),
    (400, "weirdNewReason", ye.YouTubeRefused, "weirdNewReason"),
])
def test_reason_mapping(status, reason, cls, needle):
    err = ye.error_for(status, reason, "uitzending aanmaken")
    assert isinstance(err, cls) and isinstance(err, ye.YouTubeError)
    assert err.status == status and needle in str(err) and str(err).startswith("uitzending aanmaken: ")


def test_reason_from_http_error_and_no_url_in_message():
    exc = http_error(403, "redundantTransition")
    assert http_error_reason(exc) == "redundantTransition"
    assert "SECRET" not in str(ye.error_for(403, http_error_reason(exc)))


def test_retry_decisions():
    assert is_retryable(500, "") and is_retryable(503, "backendError") and is_retryable(429, "")
    assert is_retryable(403, "rateLimitExceeded")
    assert not is_retryable(403, "quotaExceeded") and not is_retryable(403, "errorStreamInactive")
    assert not is_retryable(404, "liveBroadcastNotFound")


def test_mask_secret():
    assert ye.mask_secret("abcd-efgh-ijkl-mnop-qrst") == "••••qrst"
    assert ye.mask_secret("short") == "••••" and ye.mask_secret(None) == "••••"
    from studio.youtube.streams import Ingest

    ingest = Ingest("rtmp://a.rtmp.youtube.com/live2", "abcd-efgh-ijkl-mnop-qrst")
    assert "abcd-efgh" not in str(ingest) and "abcd-efgh" not in repr(ingest) and "qrst" in str(ingest)
