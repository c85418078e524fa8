"""`studio purge`: chat text older than the retention period leaves the database and the card folder."""

from __future__ import annotations

import os
import time

from studio.cli import main
from studio.domain.questions import Source
from studio.store import open_store
from studio.store.questions import QuestionBook


def test_purge_command(settings, monkeypatch, capsys):
    monkeypatch.setenv("STUDIO_DATA_DIR", str(settings.data_dir))
    store = open_store(settings)
    old_clock = lambda: time.time() - 40 * 86400  # noqa: E731
    QuestionBook(store, clock=old_clock).add_manual("oude vraag", Source.PHONE)
    QuestionBook(store).add_manual("verse vraag", Source.PHONE)
    cards = settings.data_dir / "overlay"
    cards.mkdir(parents=True)
    old_card = cards / "question-abc-123.png"
    old_card.write_bytes(b"png")
    os.utime(old_card, (time.time() - 40 * 86400,) * 2)
    (cards / "question-new-123.png").write_bytes(b"png")
    store.close()

    assert main(["purge"]) == 0
    out = capsys.readouterr().out
    assert "1 vragen" in out and "1 vraagkaarten" in out
    store = open_store(settings)
    try:
        assert [q.text for q in QuestionBook(store).queue()] == ["verse vraag"]
        assert store.audit_entries(action="questions.purge")[0]["params"]["questions"] == 1
    finally:
        store.close()
    assert not old_card.exists() and (cards / "question-new-123.png").exists()

    assert main(["purge", "--days", "0"]) == 0
    assert main(["purge", "--days", "-3"]) == 2
    assert "--days" in capsys.readouterr().err
