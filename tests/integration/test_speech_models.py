"""Which model, where, how big (studio/speech/models.py) and `studio models`, with the real test model."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from studio.speech.errors import ModelBroken, ModelFetchFailed, ModelMissing, ModelNotConfigured
from studio.speech.models import _progress_bar_class, fetch_model, list_models, resolve_model
from studio.speech.transcribe import SpeechModel, load_model, unload_models
from tests.fixtures._obs_process import free_port


def _copy(model_dir, dst):
    shutil.copytree(model_dir, dst)
    return dst


def test_resolve_a_name_or_a_folder(whisper_model_dir, tmp_path):
    folder = tmp_path / "models"
    _copy(whisper_model_dir, folder / "base")
    assert resolve_model("base", folder) == ("base", folder / "base")
    assert resolve_model(str(whisper_model_dir), folder) == ("whisper-base", whisper_model_dir)


@pytest.mark.parametrize("setting, error, words", [
    ("", ModelNotConfigured, "[captions] model"),
    ("small", ModelMissing, "studio models fetch small"),
    ("/nergens/model", ModelMissing, "map met model.bin"),
])
def test_missing_model_says_what_to_do(setting, error, words, tmp_path):
    with pytest.raises(error) as err:
        resolve_model(setting, tmp_path / "models")
    assert words in str(err.value) and err.value.exit_code == 2


def test_broken_model_folders(whisper_model_dir, tmp_path):
    incomplete = _copy(whisper_model_dir, tmp_path / "onvolledig")
    (incomplete / "tokenizer.json").unlink()
    with pytest.raises(ModelBroken, match=r"tokenizer\.json ontbreekt"):
        resolve_model(str(incomplete), tmp_path)
    cut = _copy(whisper_model_dir, tmp_path / "afgebroken")
    with open(cut / "model.bin", "r+b") as f:
        f.truncate(40 * 1024 * 1024)
    with pytest.raises(ModelBroken, match="kan niet geladen worden") as err:
        SpeechModel(cut)
    assert "studio models fetch" in str(err.value) and "Traceback" not in str(err.value)


def test_load_model_once_per_process(whisper_model_dir):
    unload_models()
    first = load_model(str(whisper_model_dir), whisper_model_dir.parent, threads=1)
    assert load_model(str(whisper_model_dir), whisper_model_dir.parent, threads=1) is first
    unload_models()


def test_list_models_with_sizes(whisper_model_dir, tmp_path):
    folder = tmp_path / "models"
    _copy(whisper_model_dir, folder / "base")
    (folder / "half").mkdir()
    (folder / ".small.partial").mkdir()  # an interrupted fetch is not a model
    found = {m.name: m for m in list_models(folder, configured=str(whisper_model_dir))}
    assert set(found) == {"base", "half", "whisper-base"}
    expected = sum(p.stat().st_size for p in whisper_model_dir.iterdir())
    assert found["base"].size == expected and found["base"].usable
    assert found["whisper-base"].size == expected
    assert not found["half"].usable and "model.bin" in found["half"].problem


def test_fetch_without_internet_is_one_dutch_line(tmp_path, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{free_port()}")
    import huggingface_hub.constants as hub

    monkeypatch.setattr(hub, "ENDPOINT", os.environ["HF_ENDPOINT"])
    with pytest.raises(ModelFetchFailed, match="kan spraakmodel 'tiny' niet ophalen") as err:
        fetch_model("tiny", tmp_path / "models")
    assert "pc met internet" in str(err.value)
    assert not (tmp_path / "models" / "tiny").exists()
    with pytest.raises(ModelMissing, match="onbekend model"):
        fetch_model("reuze", tmp_path / "models")


def test_fetch_does_nothing_when_the_model_is_there(whisper_model_dir, tmp_path):
    _copy(whisper_model_dir, tmp_path / "models" / "base")
    info = fetch_model("base", tmp_path / "models")  # no network needed: nothing to fetch
    assert info.usable and info.path == tmp_path / "models" / "base"


def test_progress_reports_bytes_as_the_hub_counts_them():
    seen = []
    bar = _progress_bar_class(lambda done, total: seen.append((done, total)))(total=1000, unit="B",
                                                                                 name="huggingface_hub.x")
    bar.update(400)
    bar.update(600)
    bar.close()
    files = _progress_bar_class(lambda d, t: seen.append(("files", d)))(total=5, desc="Fetching 5 files")
    files.update(1)
    assert seen == [(400, 1000), (1000, 1000)]


def _studio(*args, env):
    return subprocess.run([sys.executable, "-m", "studio", *args], capture_output=True, text=True, env=env, timeout=120)


def test_studio_models_lists_and_fetch_fails_cleanly_offline(whisper_model_dir, settings, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_")}
    env.update(STUDIO_DATA_DIR=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               HF_ENDPOINT=f"http://127.0.0.1:{free_port()}")
    out = _studio("models", env=env)
    assert out.returncode == 1
    assert "geen spraakmodellen" in out.stdout and "studio models fetch small" in out.stdout
    _copy(whisper_model_dir, tmp_path / "data" / "models" / "small")
    out = _studio("models", env=env)
    assert out.returncode == 0, out.stderr
    from studio.domain.labels import size

    model_bytes = sum(p.stat().st_size for p in whisper_model_dir.iterdir())
    assert "small" in out.stdout and size(model_bytes) in out.stdout and "in orde" in out.stdout
    assert "ondertitels gebruiken: small" in out.stdout
    out = _studio("models", "fetch", "small", env=env)
    assert out.returncode == 0 and "staat er al" in out.stdout
    out = _studio("models", "fetch", "tiny", env=env)
    assert out.returncode == 2
    assert out.stderr.startswith("fout: kan spraakmodel 'tiny' niet ophalen") and out.stderr.count("\n") == 1
    out = _studio("models", "fetch", env=env)
    assert out.returncode == 2 and "studio models fetch small" in out.stderr


def test_model_from_the_config_file_and_the_environment(tmp_path):
    from studio.config import load_settings

    empty = tmp_path / "leeg.toml"
    empty.write_text("", encoding="utf-8")
    assert load_settings(empty, env={}).captions.model == "small"  # a name to fetch, never the test model
    config = tmp_path / "studio.toml"
    config.write_text('[captions]\nmodel = "base"\n', encoding="utf-8")
    assert load_settings(config, env={}).captions.model == "base"
    assert load_settings(config, env={"STUDIO_CAPTIONS_MODEL": "/modellen/eigen"}).captions.model == "/modellen/eigen"
