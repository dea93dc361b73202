"""Where the program keeps its data: one user data folder, overridable with MENSETSU_HOME.

Tests point MENSETSU_HOME at a temporary folder so they never touch the user's real data.
Folders the program creates are private (0700): they hold personal recordings. A folder that
cannot be created is one clear sentence naming it, never a traceback.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def data_home() -> Path:
    """The user data folder (sessions, the joined model), created on first use."""
    override = os.environ.get("MENSETSU_HOME")
    if override:
        base = Path(override).expanduser()
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support" / "mensetsu-sim"
    elif sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local")) / "mensetsu-sim"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "mensetsu-sim"
    return _ensure(base, "data")


def sessions_dir() -> Path:
    return _ensure(data_home() / "sessions", "sessions")


def models_dir() -> Path:
    return _ensure(data_home() / "models", "models")


def _ensure(path: Path, what: str) -> Path:
    from simulator.errors import ModelError, SessionError
    from simulator.fsutil import private_dir

    try:
        return private_dir(path)
    except OSError as exc:
        error = ModelError if what == "models" else SessionError
        raise error(
            f"Cannot create the {what} folder {path}: {exc.strerror or exc}; set MENSETSU_HOME to a writable folder."
        ) from None


def question_sets_dir() -> Path:
    """Built-in question sets: the repository's question_sets/ folder."""
    return Path(os.environ.get("MENSETSU_QUESTION_SETS") or PROJECT_ROOT / "question_sets")


def audio_prompts_dir() -> Path:
    """Pre-rendered interviewer audio: the repository's audio_prompts/ folder."""
    return Path(os.environ.get("MENSETSU_AUDIO_PROMPTS") or PROJECT_ROOT / "audio_prompts")


def samples_dir() -> Path:
    """Bundled sample answers used when `run` is given no answers."""
    return Path(__file__).resolve().parent / "data" / "samples"
