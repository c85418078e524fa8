"""YouTube's refusals as the studio's own errors: one Dutch line with what to do, and YouTube's reason.

Nothing here ever carries a token, a client secret or a stream key: messages are built from our own
texts and YouTube's reason code, not from URLs or request bodies. Use ``mask_secret`` when a key has to
be referred to.
"""

from __future__ import annotations

from studio.errors import StudioError

TESTING_EXPIRY_HINT = (
    "voer 'studio auth' opnieuw uit (staat het OAuth-toestemmingsscherm op 'Testing', dan verloopt de "
    "toegang na 7 dagen: zet het op 'In production', zie credentials.example/README.md)"
)


def mask_secret(secret: str | None) -> str:
    """'••••wxyz' for a long secret, '••••' for a short or empty one: enough to recognise, not to use."""
    if not secret or len(secret) < 12:
        return "••••"
    return "••••" + secret[-4:]


class YouTubeError(StudioError):
    """Any YouTube problem. ``reason`` is YouTube's reason code (e.g. 'quotaExceeded'), ``status`` the HTTP code."""

    def __init__(self, message: str, hint: str | None = None, *, reason: str = "", status: int = 0) -> None:
        super().__init__(message, hint)
        self.reason = reason
        self.status = status


class YouTubeAuthError(YouTubeError):
    """Sign-in is missing or no longer valid (exit code 2: fix the configuration, then retry)."""

    exit_code = 2


class ClientSecretMissing(YouTubeAuthError):
    pass


class ClientSecretInvalid(YouTubeAuthError):
    pass


class NotSignedIn(YouTubeAuthError):
    pass


class TokenRevoked(YouTubeAuthError):
    pass


class LiveStreamingNotEnabled(YouTubeError):
    exit_code = 2


class QuotaExceeded(YouTubeError):
    pass


class RateLimited(YouTubeError):
    pass


class YouTubeUnreachable(YouTubeError):
    pass


class YouTubeServerError(YouTubeError):
    pass


class NotFound(YouTubeError):
    pass


class TransitionRefused(YouTubeError):
    pass


class StreamNotActive(YouTubeError):
    pass


class ChatEnded(YouTubeError):
    pass


class OutcomeUnknown(YouTubeError):
    """A call that creates something got no clear answer (timeout, 5xx, dropped connection): YouTube may
    have carried it out. Never simply send it again: look for what the first attempt made (reconcile)."""


class YouTubeRefused(YouTubeError):
    """Any other 4xx: YouTube understood the request and said no."""


# reason -> (class, message, what to do)
_REASONS: dict[str, tuple[type[YouTubeError], str, str]] = {
    "quotaExceeded": (QuotaExceeded, "het dagquotum van de YouTube API is op",
                      "het quotum wordt om middernacht Pacific-tijd (09:00 in Nederland) weer aangevuld; "
                      "'studio quota' toont het verbruik"),
    "dailyLimitExceeded": (QuotaExceeded, "het dagquotum van de YouTube API is op",
                           "wacht tot middernacht Pacific-tijd of vraag Google om meer quotum"),
    "rateLimitExceeded": (RateLimited, "YouTube krijgt te veel verzoeken tegelijk", "wacht even en probeer opnieuw"),
    "userRateLimitExceeded": (RateLimited, "YouTube krijgt te veel verzoeken tegelijk",
                              "wacht even en probeer opnieuw"),
    "userRequestsExceedRateLimit": (RateLimited, "te veel verzoeken voor dit kanaal",
                                    "wacht een minuut en probeer opnieuw"),
    "liveStreamingNotEnabled": (LiveStreamingNotEnabled, "livestreamen is niet ingeschakeld voor dit YouTube-kanaal",
                                "schakel het in via youtube.com/features (telefoonverificatie); de eerste keer "
                                "kan het tot 24 uur duren voor het werkt"),
    "insufficientLivePermissions": (LiveStreamingNotEnabled, "dit account mag niet live uitzenden op dit kanaal",
                                    "log met 'studio auth' in met het account van het kanaal @politieheerlen"),
    "livePermissionBlocked": (LiveStreamingNotEnabled, "livestreamen is voor dit kanaal geblokkeerd",
                              "kijk in YouTube Studio bij 'Livestreamen' waarom, en los dat daar op"),
    "errorStreamInactive": (StreamNotActive, "YouTube ontvangt (nog) geen beeld van OBS",
                            "controleer dat OBS streamt en de internetverbinding werkt, en probeer opnieuw"),
    "invalidTransition": (TransitionRefused, "YouTube staat deze stap nu niet toe",
                          "ververs de status van de uitzending; een afgelopen uitzending kan niet opnieuw live"),
    "errorExecutingTransition": (YouTubeServerError, "YouTube kon de uitzending niet omzetten",
                                 "probeer het over enkele seconden opnieuw"),
    "liveBroadcastBindingNotAllowed": (YouTubeRefused, "deze uitzending kan nu niet aan de stream gekoppeld worden",
                                       "een uitzending die al live of afgelopen is, kan niet opnieuw gekoppeld worden"),
    "liveBroadcastNotFound": (NotFound, "YouTube kent deze uitzending niet (meer)",
                              "controleer het id met 'studio broadcast list', of maak een nieuwe aan"),
    "liveStreamNotFound": (NotFound, "YouTube kent de stream niet (meer)",
                           "probeer opnieuw: de studio maakt dan een nieuwe stream aan"),
    "invalidScheduledStartTime": (YouTubeRefused, "de geplande begintijd is ongeldig",
                                  "kies een tijd in de toekomst (--start)"),
    "liveChatEnded": (ChatEnded, "de livechat is afgelopen", "maak een nieuwe uitzending voor een nieuwe sessie"),
    "liveChatDisabled": (ChatEnded, "de livechat staat uit voor deze uitzending",
                         "zet de chat aan in YouTube Studio (en niet 'gemaakt voor kinderen')"),
    "authError": (TokenRevoked, "YouTube accepteert de aanmelding niet meer", TESTING_EXPIRY_HINT),
    "forbidden": (YouTubeRefused, "YouTube weigert dit verzoek",
                  "controleer met 'studio auth' dat u met het kanaalaccount bent aangemeld"),
    "insufficientPermissions": (TokenRevoked, "de aanmelding heeft niet de juiste rechten",
                                "voer 'studio auth' opnieuw uit en geef alle gevraagde toestemming"),
}


def error_for(status: int, reason: str, what: str = "") -> YouTubeError:
    """The typed error for an HTTP error answer. ``what`` names the call in Dutch ('uitzending aanmaken')."""
    prefix = f"{what}: " if what else ""
    if reason in _REASONS:
        cls, message, hint = _REASONS[reason]
        return cls(prefix + message, hint, reason=reason, status=status)
    if status == 401:
        return TokenRevoked(prefix + "YouTube accepteert de aanmelding niet meer", TESTING_EXPIRY_HINT,
                            reason=reason or "unauthorized", status=status)
    if status == 404:
        return NotFound(prefix + "YouTube kent dit niet (meer)", "controleer het id", reason=reason, status=status)
    if status >= 500:
        return YouTubeServerError(prefix + f"YouTube heeft een storing (HTTP {status})",
                                  "probeer het over een minuut opnieuw", reason=reason or "backendError",
                                  status=status)
    code = f" ({reason})" if reason else ""
    return YouTubeRefused(prefix + f"YouTube weigert het verzoek: HTTP {status}{code}",
                          "controleer de invoer; zie 'studio --debug' voor details", reason=reason, status=status)
