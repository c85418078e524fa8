"""Speech recognition on the studio PC: faster-whisper (CTranslate2), offline, in the session's language.

The only package that imports faster_whisper, ctranslate2 and huggingface_hub (an import-linter contract
says so). ``transcribe`` holds the job, ``words`` the rules for the words it hands on (times, sound
annotations, loops), ``models`` where the models are and how to fetch one, ``errors`` every way it can fail
as one Dutch line.
"""
