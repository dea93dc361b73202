"""Question sets: human-editable TOML files in question_sets/ (or any path), loaded safely.

tomllib only parses data: nothing in a question set is ever executed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from simulator.errors import QuestionSetError
from simulator.paths import question_sets_dir

DEFAULT_SET = "core"
CATEGORIES = (
    "self_introduction",
    "experience",
    "motivation",
    "values",
    "reason_for_leaving",
    "management",
    "technical",
    "career_change",
    "reverse",
)


@dataclass(frozen=True)
class Question:
    id: str
    category: str
    text: str
    probes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # finding id -> phrasings


@dataclass(frozen=True)
class QuestionSet:
    id: str
    title: str
    questions: tuple[Question, ...]
    description: str = ""
    path: Path | None = None

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)


def available_sets(folder: Path | None = None) -> list[Path]:
    folder = folder or question_sets_dir()
    return sorted(p for p in folder.glob("*.toml") if not p.name.startswith("_"))


def resolve_set(name_or_path: str | None) -> Path:
    name = name_or_path or DEFAULT_SET
    path = Path(name).expanduser()
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise QuestionSetError(f"{path}: question set file not found.")
        return path
    candidate = question_sets_dir() / f"{name}.toml"
    if not candidate.is_file():
        known = ", ".join(p.stem for p in available_sets()) or "none"
        raise QuestionSetError(f"Unknown question set {name!r} (available: {known}).")
    return candidate


def load_question_set(name_or_path: str | None = None) -> QuestionSet:
    path = resolve_set(name_or_path)
    try:
        raw = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QuestionSetError(f"{path}: not UTF-8 text.") from None
    except OSError as exc:
        raise QuestionSetError(f"{path}: cannot be read ({exc.strerror}).") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise QuestionSetError(f"{path}: {exc}") from None
    return parse_question_set(data, path, raw)


def _line_of(raw: str, needle: str) -> int | None:
    for n, line in enumerate(raw.splitlines(), 1):
        if needle in line:
            return n
    return None


def parse_question_set(data: dict, path: Path, raw: str = "") -> QuestionSet:
    def fail(problem: str, needle: str | None = None) -> QuestionSetError:
        line = _line_of(raw, needle) if needle else None
        where = f"{path}, line {line}" if line else f"{path}"
        return QuestionSetError(f"{where}: {problem}")

    for key in ("id", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise fail(f"missing top-level string '{key}'.")
    items = data.get("questions")
    if not isinstance(items, list) or not items:
        raise fail("no [[questions]] entries.")
    questions: list[Question] = []
    seen: set[str] = set()
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise fail(f"question #{n} is not a table.", "[[questions]]")
        qid = item.get("id")
        if not isinstance(qid, str) or not qid.strip():
            raise fail(f"question #{n} has no 'id'.")
        if qid in seen:
            raise fail(f"question id {qid!r} is used twice.", f'"{qid}"')
        seen.add(qid)
        category = item.get("category")
        if category not in CATEGORIES:
            raise fail(f"question {qid!r}: category {category!r} is not one of {', '.join(CATEGORIES)}.", f'"{qid}"')
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise fail(f"question {qid!r} has no 'text'.", f'"{qid}"')
        probes_raw = item.get("probes", {})
        if not isinstance(probes_raw, dict):
            raise fail(f"question {qid!r}: 'probes' must be a table of finding = [phrasings].", f'"{qid}"')
        probes: dict[str, tuple[str, ...]] = {}
        for finding, phrasings in probes_raw.items():
            if isinstance(phrasings, str):
                phrasings = [phrasings]
            if not isinstance(phrasings, list) or not phrasings or not all(isinstance(p, str) and p.strip() for p in phrasings):
                raise fail(f"question {qid!r}: probes.{finding} must be a non-empty list of texts.", f"{finding}")
            probes[finding] = tuple(p.strip() for p in phrasings)
        questions.append(Question(qid, category, text.strip(), probes))
    return QuestionSet(data["id"], data["title"], tuple(questions), data.get("description", ""), path)
