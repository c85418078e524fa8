"""Preflight checks of YouTube: signed in, enough quota for tonight, tonight's broadcast ready."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from studio.usecases import quota
from studio.usecases.preflight.runner import CheckEnv, Outcome, check


@check("youtube.token", "YouTube-aanmelding", group="youtube", timeout=15.0)
def check_youtube_token(env: CheckEnv) -> Outcome:
    from studio.youtube import auth

    if auth.is_rehearsal(env.settings):
        return Outcome("ok", "oefenmodus", "OEFENMODUS: de uitzending gaat naar de emulator, niet naar YouTube")
    creds = auth.load_credentials(env.settings)  # refreshes when due; typed errors with the fix
    if not creds.valid:
        return Outcome("fail", None, "YouTube-aanmelding is niet geldig: voer 'studio auth' uit")
    return Outcome("ok", "geldig")


@check("youtube.quota", "YouTube-quotum voor vanavond", group="youtube", timeout=10.0, unit="eenheden over")
def check_youtube_quota(env: CheckEnv) -> Outcome:
    ledger = quota.ledger(env.ctx)
    usage = ledger.usage()
    need = quota.session_need(env.ctx)
    if usage.remaining < need:
        return Outcome("fail", usage.remaining, f"nog {usage.remaining} quota-eenheden over, {need} nodig voor een "
                                                "uitzending: wacht tot de reset (09:00 NL-tijd) of verlaag [chat] quota_budget")
    if ledger.should_warn(need):
        return Outcome("warning", usage.remaining, f"quotum wordt krap: {usage.used} van {usage.limit} gebruikt")
    return Outcome("ok", usage.remaining)


@check("youtube.broadcast", "Uitzending van vanavond klaar", group="youtube", blocking=False, timeout=15.0)
def check_youtube_broadcast(env: CheckEnv) -> Outcome:
    """Tonight's broadcast (the store's record for today's date) exists on YouTube and is bound to the stream.

    Not blocking: the show flow's 'broadcast' step comes after the preflight and creates and binds it when
    it is not there yet; a broadcast YouTube has ended or removed is a 'fail' the technician must see.
    """
    from studio.store import youtube as repo
    from studio.youtube import auth

    settings = env.settings
    target = auth.target_name(settings)
    today = datetime.now(ZoneInfo(settings.schedule.timezone)).date().isoformat()
    tonight = [r for r in repo.list_broadcasts(env.ctx.store, target)
               if r.session_key.startswith(today) and r.broadcast_id]
    if not tonight:
        return Outcome("warning", None, "nog geen uitzending voor vanavond klaargezet: de show-stap "
                                        "'YouTube-uitzending klaarzetten' maakt hem aan")
    bid = str(tonight[0].broadcast_id)
    if auth.is_rehearsal(settings) and not settings.youtube.endpoint:
        return Outcome("ok", bid, "OEFENMODUS: de uitzending staat in de emulator van het paneel")
    status = env.ctx.youtube.broadcasts.status(bid, with_health=False)
    if status.lifecycle in ("complete", "revoked"):
        return Outcome("fail", bid, f"de uitzending van vanavond is al {status.label}: "
                                    "maak een nieuwe aan ('studio broadcast create')")
    if not status.bound_stream_id:
        return Outcome("warning", bid, "de uitzending is nog niet aan de stream gekoppeld: de show-stap koppelt hem")
    return Outcome("ok", bid)
