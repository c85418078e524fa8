"""Shared test set-up.

Fixtures that start real components live in tests/fixtures/<thing>.py (obs, pulse, emulator, media...) and
are loaded here as plugins. A fixture that needs a missing program skips with how to install it, except
with STUDIO_REQUIRE_OBS=1 (CI), where it fails: CI must never pass by skipping.
"""

from __future__ import annotations

import os
import pathlib

import pytest

_FIXTURES = pathlib.Path(__file__).parent / "fixtures"
pytest_plugins = sorted(
    f"tests.fixtures.{p.stem}" for p in _FIXTURES.glob("*.py") if not p.name.startswith("_")
)

REQUIRE_REAL = os.environ.get("STUDIO_REQUIRE_OBS") == "1"


def skip_or_fail(reason: str) -> None:
    """Skip locally, fail in CI (STUDIO_REQUIRE_OBS=1)."""
    if REQUIRE_REAL:
        pytest.fail(f"{reason} (STUDIO_REQUIRE_OBS=1: this test must run)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture
def settings(tmp_path, monkeypatch):
    """Settings isolated from the user's own: a temporary config and data dir, no STUDIO_* from outside."""
    for var in list(os.environ):
        if var.startswith("STUDIO_") and not var.startswith(("STUDIO_REQUIRE_", "STUDIO_TEST_")):
            monkeypatch.delenv(var)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from studio.config import load_settings

    s = load_settings(env={"STUDIO_DATA_DIR": str(tmp_path / "data" / "studio")})
    return s


@pytest.fixture
def store(settings):
    from studio.store import open_store

    st = open_store(settings)
    yield st
    st.close()


@pytest.fixture(scope="session", autouse=True)
def _no_emulator_outlives_the_run(tmp_path_factory):
    """A rehearsal emulator started by a test as the panel's shared one (it outlives the panel by design) is
    stopped when the run ends, and named, so the test that left it behind can be fixed."""
    yield
    import warnings

    from studio.youtube.rehearsal_emulator import STATE_FILE, _read

    for state in tmp_path_factory.getbasetemp().rglob(STATE_FILE):
        info = _read(state)
        if info is None:
            continue
        try:
            os.kill(info.pid, 9)
        except OSError:
            continue  # stopped already
        warnings.warn(f"a test left the rehearsal emulator running: {state.parent}", stacklevel=1)
