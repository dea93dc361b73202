"""Question sets: human-editable TOML files, loaded safely and validated.

tomllib only parses data: nothing in a question set is ever executed. Every problem is
reported as one sentence naming the file, the line and what is wrong. Format: docs/question-sets.md.

Where sets come from: the built-in folder (question_sets/ in the repository), the user's own
folder (<data home>/question_sets/), or any path given on the command line. Files whose name
starts with "_" are not sets: `_probes.toml` holds the default probe phrasings shared by all sets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from simulator.analysis.catalogue import CATEGORIES, DEEPER_RUNGS
from simulator.errors import QuestionSetError
from simulator.interview.toml_file import read_toml, where as _where
from simulator.paths import data_home, question_sets_dir

DEFAULT_SET = "core"
DEFAULT_PROBES_FILE = "_probes.toml"
# Probe keys besides the finding ids: "deeper" digs into a round-one question even when the
# answer shows no gap (why that method, what went wrong, can it be repeated here).
EXTRA_PROBE_KEYS = ("deeper", *(f"deeper:{r}" for r in DEEPER_RUNGS), "contradiction")
PLACEHOLDERS = ("quote", "competitor", "company", "claim", "earlier", "now", "question", "answer")
# Tables of _probes.toml besides [probes] and [deeper], each keyed as named here.
EXTRA_TABLES = {
    "ladder": DEEPER_RUNGS,
    "contradiction": ("any",),
    "reask": ("off_question", "not_japanese"),
    "reverse": ("answer", "check"),
}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_QUESTION_KEYS = {"id", "category", "text", "probes", "short"}
_SET_KEYS = {"id", "title", "description", "base", "questions"}


@dataclass(frozen=True)
class Question:
    id: str
    category: str
    text: str
    probes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # probe key -> phrasings
    short: bool | None = None  # in the short mode? None: only if first of its category

    @property
    def own_probes(self) -> dict[str, tuple[str, ...]]:
        return self.probes


@dataclass(frozen=True)
class QuestionSet:
    id: str
    title: str
    questions: tuple[Question, ...]
    description: str = ""
    path: Path | None = None
    default_probes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    default_deeper: dict[str, tuple[str, ...]] = field(default_factory=dict)  # category -> phrasings
    # ladder / contradiction / reask / reverse -> key -> phrasings (see _probes.toml)
    default_extra: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)

    def extra(self, table: str, key: str) -> tuple[str, ...]:
        return self.default_extra.get(table, {}).get(key, ())

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def probes_for(self, q: Question, key: str) -> tuple[str, ...]:
        """The question's own phrasings for a probe key, else the shared defaults for its category."""
        from simulator.analysis.catalogue import BY_ID

        if key in q.probes:
            return q.probes[key]
        if key == "deeper":
            return self.default_deeper.get(q.category, ())
        if key in BY_ID and BY_ID[key].applies(q.category):
            return self.default_probes.get(key, ())
        return ()


def user_sets_dir() -> Path:
    return data_home() / "question_sets"


def _folders() -> list[Path]:
    return [question_sets_dir(), user_sets_dir()]


def available_sets(folder: Path | None = None) -> list[Path]:
    """The set files in the built-in and user folders (or in `folder`), not yet loaded."""
    folders = [folder] if folder else _folders()
    out: list[Path] = []
    for f in folders:
        if f.is_dir():
            out.extend(sorted(p for p in f.glob("*.toml") if not p.name.startswith("_")))
    return out


def skipped_note(error: QuestionSetError) -> str:
    """The one line that reports a broken set being left out (the error names file and line)."""
    return f"使えない質問セットを飛ばします: {error}"


def load_available_sets(folder: Path | None = None, on_skip=None) -> list[QuestionSet]:
    """Every available set, loaded. A file that fails to parse or validate is left out, and
    on_skip(path, error) told, so one broken user file never stops the others (sets list,
    eval, the render plan); a set named on the command line still fails with its error."""
    out: list[QuestionSet] = []
    for path in available_sets(folder):
        try:
            out.append(load_question_set(str(path)))
        except QuestionSetError as exc:
            if on_skip is not None:
                on_skip(path, exc)
    return out


def broken_user_sets() -> list[tuple[Path, QuestionSetError]]:
    """The user's set files (<data home>/question_sets/) that cannot be used, with why."""
    broken: list[tuple[Path, QuestionSetError]] = []
    load_available_sets(user_sets_dir(), on_skip=lambda path, exc: broken.append((path, exc)))
    return broken


def resolve_set(name_or_path: str | None) -> Path:
    name = name_or_path or DEFAULT_SET
    path = Path(name).expanduser()
    if path.suffix == ".toml" or path.exists():
        if not path.is_file():
            raise QuestionSetError(f"質問セットのファイル {path} が見つかりません。")
        return path
    for folder in _folders():
        candidate = folder / f"{name}.toml"
        if candidate.is_file():
            return candidate
    known = ", ".join(p.stem for p in available_sets()) or "なし"
    raise QuestionSetError(f"質問セット {name!r} が見つかりません（あるもの: {known}）。")


def _read_toml(path: Path) -> tuple[dict, str]:
    return read_toml(path, "質問セット")


def load_question_set(name_or_path: str | None = None, _seen: tuple[Path, ...] = ()) -> QuestionSet:
    path = resolve_set(name_or_path)
    if path.resolve() in _seen:
        raise QuestionSetError(f"質問セット {path} の 'base' が互いを指していて、循環しています。")
    data, raw = _read_toml(path)
    qset = parse_question_set(data, path, raw)
    defaults, deeper, extra = load_default_probes()
    base_name = data.get("base")
    if base_name:
        base_path = resolve_set(base_name) if not (path.parent / f"{base_name}.toml").is_file() else path.parent / f"{base_name}.toml"
        base = load_question_set(str(base_path), (*_seen, path.resolve()))
        qset = _merge_base(base, qset, path, raw)
    return QuestionSet(qset.id, qset.title, qset.questions, qset.description, path, defaults, deeper, extra)


def _merge_base(base: QuestionSet, own: QuestionSet, path: Path, raw: str) -> QuestionSet:
    """The set's questions go into its base set, before the base's reverse questions."""
    base_ids = {q.id for q in base.questions}
    for q in own.questions:
        if q.id in base_ids:
            loc = _Locator(raw, path)
            raise loc.error(f"質問 ID {q.id!r} は元のセット {base.id!r} ですでに使われています。", loc.line_of_value(q.id))
    # Role questions come right after the base's opening and experience questions: they are
    # what this kind of second round is mostly about.
    main = [q for q in base.questions if q.category != "reverse"]
    tail = [q for q in base.questions if q.category == "reverse"]
    cut = max((i + 1 for i, q in enumerate(main) if q.category in ("self_introduction", "experience")), default=0)
    own_rev = [q for q in own.questions if q.category == "reverse"]
    own_main = [q for q in own.questions if q.category != "reverse"]
    return QuestionSet(own.id, own.title, tuple(main[:cut] + own_main + main[cut:] + tail + own_rev), own.description, path)


def load_default_probes(folder: Path | None = None):
    """The shared default phrasings (question_sets/_probes.toml): (finding -> phrasings, category -> deeper,
    table -> key -> phrasings for the ladder, contradictions, re-asking and the reverse stage)."""
    path = (folder or question_sets_dir()) / DEFAULT_PROBES_FILE
    if not path.is_file():
        return {}, {}, {}
    data, raw = _read_toml(path)
    loc = _Locator(raw, path)
    from simulator.analysis.catalogue import FINDING_IDS

    tables = ("probes", "deeper", *EXTRA_TABLES)
    for key in data:
        if key not in tables:
            raise loc.error(f"表 [{key}] は使えません（使えるのは {', '.join(f'[{t}]' for t in tables)} です）。", loc.line_of_key(key))
    probes = _phrasings_table(data.get("probes", {}), set(FINDING_IDS), "probes", loc)
    deeper = _phrasings_table(data.get("deeper", {}), set(CATEGORIES), "deeper", loc)
    extra = {t: _phrasings_table(data.get(t, {}), set(keys), t, loc) for t, keys in EXTRA_TABLES.items()}
    return probes, deeper, extra


def _phrasings_table(table, allowed: set[str], where: str, loc: "_Locator", start: int = 0, label: str | None = None) -> dict[str, tuple[str, ...]]:
    label = label or where  # how the table is named in messages (where: its key in the file)
    if not isinstance(table, dict):
        raise loc.error(f"{label} は「キー = [言い回し, ...]」の表にしてください。", loc.line_of_key(where, start))
    out: dict[str, tuple[str, ...]] = {}
    for key, phrasings in table.items():
        line = loc.line_of_key(key, start)
        if key not in allowed:
            raise loc.error(f"{label} のキー {key!r} は使えません（使えるのは {', '.join(sorted(allowed))} です）。", line)
        if isinstance(phrasings, str):
            phrasings = [phrasings]
        if not isinstance(phrasings, list) or not phrasings or not all(isinstance(p, str) and p.strip() for p in phrasings):
            raise loc.error(f"{label}.{key} は空でない文字列のリストにしてください。", line)
        for p in phrasings:
            for name in _PLACEHOLDER.findall(p):
                if name not in PLACEHOLDERS:
                    raise loc.error(f"{label}.{key} の差し込み {{{name}}} は使えません（使えるのは {', '.join('{' + n + '}' for n in PLACEHOLDERS)} です）。", line)
        out[key] = tuple(p.strip() for p in phrasings)
    return out


class _Locator:
    """Finds the line a problem is on, for messages a person can act on."""

    def __init__(self, raw: str, path: Path):
        self.lines = raw.splitlines()
        self.path = path

    def error(self, problem: str, line: int | None = None) -> QuestionSetError:
        return QuestionSetError(f"{_where('質問セット', self.path, line)}: {problem}")

    def question_line(self, n: int) -> int | None:
        count = 0
        for i, ln in enumerate(self.lines, 1):
            if ln.strip().replace(" ", "") == "[[questions]]":
                count += 1
                if count == n:
                    return i
        return None

    def line_of_key(self, key: str, start: int = 0) -> int | None:
        pat = re.compile(rf"^\s*(?:\"{re.escape(key)}\"|{re.escape(key)})\s*=|^\s*\[+\s*(?:[\w.]*\.)?{re.escape(key)}\s*\]+")
        for i, ln in enumerate(self.lines[start:], start + 1):
            if pat.search(ln):
                return i
        return None

    def line_of_value(self, value: str) -> int | None:
        for i, ln in enumerate(self.lines, 1):
            if f'"{value}"' in ln or f"'{value}'" in ln:
                return i
        return None


def parse_question_set(data: dict, path: Path, raw: str = "") -> QuestionSet:
    from simulator.analysis.catalogue import FINDING_IDS

    loc = _Locator(raw, path)
    for key in data:
        if key not in _SET_KEYS:
            raise loc.error(f"最上位のキー {key!r} は使えません（使えるのは {', '.join(sorted(_SET_KEYS))} です）。", loc.line_of_key(key))
    for key in ("id", "title"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise loc.error(f"最上位に文字列の '{key}' がありません。", loc.line_of_key(key))
    if "base" in data and (not isinstance(data["base"], str) or not data["base"].strip()):
        raise loc.error("'base' には別の質問セットの名前を書いてください。", loc.line_of_key("base"))
    items = data.get("questions")
    if not isinstance(items, list) or not items:
        raise loc.error("[[questions]] が1つもありません。")
    questions: list[Question] = []
    seen: set[str] = set()
    allowed_probes = set(FINDING_IDS) | set(EXTRA_PROBE_KEYS)
    for n, item in enumerate(items, 1):
        start = loc.question_line(n)
        at = (start or 1) - 1
        if not isinstance(item, dict):
            raise loc.error(f"{n}番目の質問が表になっていません。", start)
        for key in item:
            if key not in _QUESTION_KEYS:
                raise loc.error(f"{n}番目の質問のキー {key!r} は使えません（使えるのは {', '.join(sorted(_QUESTION_KEYS))} です）。", loc.line_of_key(key, at))
        qid = item.get("id")
        if not isinstance(qid, str) or not re.fullmatch(r"[A-Za-z0-9_\-]+", qid or ""):
            raise loc.error(f"{n}番目の質問には、英数字と '_'、'-' だけでできた 'id' が必要です。", loc.line_of_key("id", at) or start)
        if qid in seen:
            raise loc.error(f"質問 ID {qid!r} が2回使われています。", loc.line_of_key("id", at))
        seen.add(qid)
        category = item.get("category")
        if category not in CATEGORIES:
            raise loc.error(f"質問 {qid!r} の category {category!r} は使えません（使えるのは {', '.join(CATEGORIES)} です）。", loc.line_of_key("category", at) or start)
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise loc.error(f"質問 {qid!r} に 'text' がありません。", loc.line_of_key("text", at) or start)
        short = item.get("short")
        if short is not None and not isinstance(short, bool):
            raise loc.error(f"質問 {qid!r} の 'short' は true か false にしてください。", loc.line_of_key("short", at))
        probes = _phrasings_table(item.get("probes", {}), allowed_probes, "probes", loc, at, label=f"質問 {qid!r} の probes")
        questions.append(Question(qid, category, text.strip(), probes, short))
    return QuestionSet(data["id"].strip(), data["title"].strip(), tuple(questions), data.get("description", ""), path)


def validate_file(path: str | Path) -> QuestionSet:
    """Load and check one set file (and the defaults it uses); raises QuestionSetError."""
    load_default_probes()
    return load_question_set(str(path))
