"""Round-one reflection: the questions asked in the first interview come back in the second, deeper.

The user writes down, after round one, the questions they were asked and marks the ones they
stalled on (the practice loop in docs/question-sets.md). A TOML file:

    [[questions]]
    text = "これまでの一番の成果を教えてください。"
    category = "experience"   # optional: guessed from the text when absent
    stalled = true            # optional: they are asked first and with a gentler opening
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from simulator.errors import QuestionSetError
from simulator.interview.toml_file import read_toml, where as _where
from simulator.interview.question_sets import CATEGORIES, Question

@dataclass(frozen=True)
class RoundOneQuestion:
    text: str
    category: str
    stalled: bool = False


@dataclass(frozen=True)
class RoundOne:
    questions: tuple[RoundOneQuestion, ...]
    path: Path | None = None

    def as_questions(self) -> list[Question]:
        """Stalled questions first; each re-worded as coming back from round one."""
        ordered = sorted(enumerate(self.questions), key=lambda p: (not p[1].stalled, p[0]))
        out = []
        for n, (_, rq) in enumerate(ordered, 1):
            lead = (
                "一次面接では少し答えにくそうでしたので、改めて伺います。"
                if rq.stalled
                else "一次面接でもお聞きしましたが、今日はもう少し深く伺います。"
            )
            out.append(Question(f"round1_{n}", rq.category, lead + rq.text, {}, True))
        return out


def guess_category(text: str) -> str:
    """The question's category as the analysis infers it (analysis/topic.py); experience when unknown."""
    from simulator.analysis.topic import question_category

    return question_category(text) or "experience"


def similar(a: str, b: str) -> float:
    """Character-bigram Jaccard similarity: enough to tell two wordings of one question."""
    def grams(s: str) -> set[str]:
        s = re.sub(r"[、。？?！!\s「」]", "", s)
        return {s[i:i + 2] for i in range(len(s) - 1)}

    ga, gb = grams(a), grams(b)
    return len(ga & gb) / len(ga | gb) if ga and gb else 0.0


def load_round_one(path: str | Path) -> RoundOne:
    path = Path(path).expanduser()
    data, raw = read_toml(path, "一次面接の質問ファイル")
    return parse_round_one(data, path, raw)


def parse_round_one(data: dict, path: Path | None = None, raw: str = "") -> RoundOne:
    headers = [i for i, ln in enumerate(raw.splitlines(), 1) if ln.strip().replace(" ", "") == "[[questions]]"]

    def fail(n: int | None, problem: str) -> QuestionSetError:
        line = headers[n - 1] if n and n <= len(headers) else None
        return QuestionSetError(f"{_where('一次面接の質問ファイル', path, line)}: {problem}")

    items = data.get("questions")
    if not isinstance(items, list) or not items:
        raise fail(None, "[[questions]] が1つもないため、一次面接で聞かれた質問を書いてください。")
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise fail(n, f"{n}番目の質問が表になっていません。")
        unknown = set(item) - {"text", "category", "stalled", "note"}
        if unknown:
            raise fail(n, f"{n}番目の質問のキー {sorted(unknown)[0]!r} は使えません（使えるのは text, category, stalled, note です）。")
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise fail(n, f"{n}番目の質問に 'text' がありません。")
        category = item.get("category") or guess_category(text)
        if category not in CATEGORIES:
            raise fail(n, f"{n}番目の質問の category {category!r} は使えません（使えるのは {', '.join(CATEGORIES)} です）。")
        stalled = item.get("stalled", False)
        if not isinstance(stalled, bool):
            raise fail(n, f"{n}番目の質問の 'stalled' は true か false にしてください。")
        out.append(RoundOneQuestion(text.strip(), category, stalled))
    return RoundOne(tuple(out), path)
