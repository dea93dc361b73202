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


# --- the world outside the test run ---------------------------------------------------------------
# The user's own data folders, as they were before any test ran (MENSETSU_HOME if the shell sets it,
# and the platform default the program would use without it).
_USER_DATA = tuple(dict.fromkeys(
    Path(p).expanduser()
    for p in (
        os.environ.get("MENSETSU_HOME"),
        Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "mensetsu-sim",
    )
    if p
))


def pytest_configure(config):
    """Before any fixture or test module runs: point every data folder the program could use at a
    folder of this run. Module- and session-scoped fixtures run before the per-test folder below
    exists, and subprocesses inherit the environment, so this is what keeps them off the user's data."""
    import tempfile

    run_home = Path(tempfile.mkdtemp(prefix="mensetsu-test-run-"))
    os.environ["MENSETSU_HOME"] = str(run_home / "mensetsu-home")
    os.environ["XDG_DATA_HOME"] = str(run_home / "xdg-data")  # a test that unsets MENSETSU_HOME lands here
    config._mensetsu_run_home = run_home


def pytest_unconfigure(config):
    import shutil

    run_home = getattr(config, "_mensetsu_run_home", None)
    if run_home is not None:
        shutil.rmtree(run_home, ignore_errors=True)


def _tree_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Every file under folder with its size and modification time (empty when it does not exist)."""
    state = {}
    if folder.is_dir():
        for path in folder.rglob("*"):
            try:
                st = path.lstat()
            except OSError:
                continue
            state[str(path)] = (st.st_size, st.st_mtime_ns)
    return state


def _git_state() -> str | None:
    """`git status` of the checkout (tracked changes and untracked files), None outside a git checkout."""
    try:
        r = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=REPO, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return r.stdout if r.returncode == 0 else None


def _changes(before: dict, after: dict) -> list[str]:
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))


@pytest.fixture(scope="session", autouse=True)
def leaves_the_world_alone():
    """Fails the run when any test changed the user's data folder or the checkout (a tracked file
    edited, a stray file left behind)."""
    data_before = {str(f): _tree_state(f) for f in _USER_DATA}
    git_before = _git_state()
    yield
    touched = []
    for f in _USER_DATA:
        changed = _changes(data_before[str(f)], _tree_state(f))
        if changed:
            touched.append(f"the user's data folder {f}: " + ", ".join(changed[:5]) + (" ..." if len(changed) > 5 else ""))
    git_after = _git_state()
    if git_before is not None and git_after is not None and git_after != git_before:
        before, after = set(git_before.splitlines()), set(git_after.splitlines())
        touched.append("the checkout: " + ", ".join(sorted(after ^ before)[:10]))
    if touched:
        pytest.fail("The test run changed what it must leave alone:\n" + "\n".join(touched), pytrace=False)


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


@pytest.fixture(scope="module")
def pulse(tmp_path_factory):
    """A private PulseAudio daemon with a virtual microphone and speaker, for the real audio path."""
    from simulator.devtools import virtual_audio

    missing = virtual_audio.available()
    if missing:
        if os.environ.get("CI"):  # CI installs them: a missing package there is a failure, not a skip
            pytest.fail(f"virtual audio: {missing}")
        pytest.skip(f"virtual audio: {missing}")
    va = virtual_audio.VirtualAudio(tmp_path_factory.mktemp("pulse"))
    va.start()
    yield va
    va.stop()  # the daemon ends with the module that used it


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
