"""What can go wrong with speech recognition, as one Dutch line each with what to do."""

from __future__ import annotations

from studio.errors import StudioError

FETCH_HINT = "haal het op met 'studio models fetch {name}' (op een pc met internet)"


class SpeechError(StudioError):
    """Captions could not be made; the recording is untouched."""


class ModelError(SpeechError):
    """The model is not configured, not there or not usable: fix the configuration (exit code 2)."""

    exit_code = 2


class ModelNotConfigured(ModelError):
    pass


class ModelMissing(ModelError):
    pass


class ModelBroken(ModelError):
    pass


class ModelFetchFailed(ModelError):
    pass


class NoSound(SpeechError):
    """The recording's sound is silent (or there is none)."""


class NoSpeech(SpeechError):
    """There is sound, but nobody speaking in it (music, noise)."""


class WrongLanguage(SpeechError):
    """Someone speaks, but clearly in another language than the session's."""


class TranscriptionCancelled(SpeechError):
    pass


# Dutch names of the languages a recording is most likely to be in by mistake.
LANGUAGE_NAMES = {
    "nl": "Nederlands", "ar": "Arabisch", "en": "Engels", "de": "Duits", "fr": "Frans", "tr": "Turks",
    "pl": "Pools", "es": "Spaans", "it": "Italiaans", "pt": "Portugees", "ru": "Russisch", "uk": "Oekraïens",
    "fa": "Perzisch", "so": "Somalisch", "ro": "Roemeens", "bg": "Bulgaars", "zh": "Chinees", "af": "Afrikaans",
}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code, f"taal '{code}'")
