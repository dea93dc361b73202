"""Reading the user's TOML files (question sets, company profiles, round-one lists) safely.

tomllib only parses data, so nothing in these files is ever executed. Every failure is one
QuestionSetError naming the file and, where one applies, the line, in Japanese (the reader is
the user); tomllib's English reason follows in parentheses.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from simulator.errors import QuestionSetError

# What a file is, as the user reads it; callers may still pass the English names.
_LABELS = {
    "file": "ファイル",
    "question set file": "質問セット",
    "company profile file": "会社プロフィール",
    "round-one file": "一次面接の質問ファイル",
    "answer script": "回答の台本",
}
_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")


def where(label: str, path: Path | str | None, line: int | None = None) -> str:
    """「質問セット /x/y.toml の6行目」: the file (and line) a message is about."""
    label = _LABELS.get(label, label)
    place = f"{label} {path}" if path else label
    return f"{place} の{line}行目" if line else place


def read_toml(path: Path, what: str = "file") -> tuple[dict, str]:
    """(data, raw text) of a TOML file; `what` names the kind of file in the messages."""
    path = Path(path)
    if not path.is_file():
        raise QuestionSetError(f"{where(what, path)} が見つかりません。")
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise QuestionSetError(f"{where(what, path)} を読み込めません（{exc.strerror}）。") from None
    try:
        raw = blob.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = blob[: exc.start].count(b"\n") + 1
        raise QuestionSetError(f"{where(what, path, line)} が UTF-8 ではないため、UTF-8 で保存し直してください。") from None
    try:
        return tomllib.loads(raw), raw
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message ends with "(at line N, column M)" or "(at end of document)".
        reason = str(exc)
        at = _POSITION.search(reason)
        if at:
            place = f"{where(what, path, int(at.group(1)))}（{at.group(2)}文字目）"
        elif _AT_END.search(reason):
            place = f"{where(what, path)} のファイルの末尾"
        else:
            place = where(what, path)
        reason = _AT_END.sub("", _POSITION.sub("", reason))
        raise QuestionSetError(f"{place}に TOML の書き方の誤りがあります（{reason}）。") from None
