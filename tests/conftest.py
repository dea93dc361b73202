"""Shared fixtures: an isolated user data folder per test, and one real Whisper model per test run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLES = REPO / "simulator" / "data" / "samples"
SHARED_CORPUS = REPO.parent / "shared" / "corpus" / "real"


@pytest.fixture(autouse=True)
def mensetsu_home(tmp_path, monkeypatch):
    """Every test gets its own data folder: no test touches the user's real sessions."""
    home = tmp_path / "mensetsu-home"
    monkeypatch.setenv("MENSETSU_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory) -> Path:
    """The bundled Whisper base model, joined once for the whole test run."""
    from simulator.speech.model import ensure_base_model

    return ensure_base_model(tmp_path_factory.mktemp("models"))


@pytest.fixture(scope="session")
def whisper(model_dir):
    """One loaded real faster-whisper transcriber shared by all tests."""
    from simulator.speech.transcriber import WhisperTranscriber

    t = WhisperTranscriber(model=str(model_dir))
    t.load()
    return t


def run_cli(*args: str, env: dict | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run `python -m simulator ...` as a user would, in a separate process."""
    full_env = {**os.environ, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "simulator", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=REPO,
        timeout=timeout,
    )
