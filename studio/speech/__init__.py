"""Speech recognition on the studio PC (faster-whisper); see transcribe.py."""
