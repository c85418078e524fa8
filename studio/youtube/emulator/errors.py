"""Errors the emulator answers with, in Google's JSON error shape.

``{"error": {"code", "message", "errors": [{"domain", "reason", "message", ...}], "status"}}``; googleapiclient
exposes ``errors`` as ``HttpError.error_details`` and the reason as ``error_details[0]["reason"]``.
"""

from __future__ import annotations

from typing import Any

STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ALREADY_EXISTS",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    502: "UNAVAILABLE",
    503: "UNAVAILABLE",
    504: "DEADLINE_EXCEEDED",
}

# Reasons the emulator knows, with YouTube's HTTP status and error domain; used for injected faults
# (inject_fault("liveBroadcasts.transition", reason="errorStreamInactive")) so tests name only the reason.
KNOWN_REASONS: dict[str, tuple[int, str]] = {
    "backendError": (503, "global"),
    "internalError": (500, "global"),
    "errorExecutingTransition": (500, "youtube.liveBroadcast"),
    "rateLimitExceeded": (403, "youtube.quota"),
    "userRequestsExceedRateLimit": (403, "youtube.liveBroadcast"),
    "quotaExceeded": (403, "youtube.quota"),
    "forbidden": (403, "global"),
    "liveChatEnded": (403, "youtube.liveChat"),
    "liveChatDisabled": (403, "youtube.liveChat"),
    "liveChatNotFound": (404, "youtube.liveChat"),
    "errorStreamInactive": (403, "youtube.liveBroadcast"),
    "invalidTransition": (403, "youtube.liveBroadcast"),
    "redundantTransition": (403, "youtube.liveBroadcast"),
    "liveStreamingNotEnabled": (403, "youtube.liveBroadcast"),
    "insufficientLivePermissions": (403, "youtube.liveBroadcast"),
    "livePermissionBlocked": (403, "youtube.liveBroadcast"),
    "liveBroadcastNotFound": (404, "youtube.liveBroadcast"),
    "liveStreamNotFound": (404, "youtube.liveStream"),
    "videoNotFound": (404, "youtube.video"),
    "authError": (401, "global"),
    "uploadLimitExceeded": (400, "youtube.video"),
}


class ApiError(Exception):
    """One refused request; ``body()`` is what goes over the wire."""

    def __init__(
        self,
        code: int,
        reason: str,
        message: str,
        domain: str = "global",
        location: str | None = None,
        location_type: str | None = None,
    ) -> None:
        super().__init__(f"{code} {reason}: {message}")
        self.code = code
        self.reason = reason
        self.message = message
        self.domain = domain
        self.location = location
        self.location_type = location_type

    @classmethod
    def for_reason(cls, reason: str, status: int | None = None, message: str | None = None) -> ApiError:
        known_status, domain = KNOWN_REASONS.get(reason, (status or 400, "global"))
        return cls(status or known_status, reason, message or f"Injected fault: {reason}", domain)

    def body(self) -> dict[str, Any]:
        detail: dict[str, Any] = {"message": self.message, "domain": self.domain, "reason": self.reason}
        if self.location:
            detail["location"] = self.location
            detail["locationType"] = self.location_type or "parameter"
        return {
            "error": {
                "code": self.code,
                "message": self.message,
                "errors": [detail],
                "status": STATUS_NAMES.get(self.code, "UNKNOWN"),
            }
        }


def bad_request(reason: str, message: str, domain: str) -> ApiError:
    return ApiError(400, reason, message, domain)


def forbidden(reason: str, message: str, domain: str) -> ApiError:
    return ApiError(403, reason, message, domain)


def not_found(reason: str, message: str, domain: str) -> ApiError:
    return ApiError(404, reason, message, domain)
