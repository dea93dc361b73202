"""Reading the user's TOML files (question sets, company profiles, round-one lists) safely.

tomllib only parses data, so nothing in these files is ever executed. Every failure is one
QuestionSetError naming the file and, where one applies, the line.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from simulator.errors import QuestionSetError


def read_toml(path: Path, what: str = "file") -> tuple[dict, str]:
    """(data, raw text) of a TOML file."""
    path = Path(path)
    if not path.is_file():
        raise QuestionSetError(f"{path}: {what} not found.")
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise QuestionSetError(f"{path}: cannot be read ({exc.strerror}).") from None
    try:
        raw = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = blob[: exc.start].count(b"\n") + 1
        raise QuestionSetError(f"{path}, line {line}: not UTF-8 text (save the file as UTF-8).") from None
    try:
        return tomllib.loads(raw), raw
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already says "(at line N, column M)".
        raise QuestionSetError(f"{path}: TOML syntax error: {exc}") from None
