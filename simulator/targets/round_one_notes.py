"""Round-one notes as the candidate writes them: each question, how it went, what the interviewer doubted.

Pure. The notes are Markdown (what `prepare` writes, and what a person would write):

    ## 質問: これまでの一番の成果を教えてください。
    - 手応え: ×（どうやったかをうまく説明できなかった）
    - 気にされた点: 成果がチームの力なのか、本人の力なのか

They become interview/round_one.py's RoundOne, weakest first (× before △ before ○), so the
questions come back in the second round the way a round-one file's do; a doubt becomes the
first follow-up on its question (questions.py). A round-one TOML file (docs/question-sets.md)
is read as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.interview.round_one import RoundOne, RoundOneQuestion, guess_category
from simulator.targets.lines import heading_of

_QUESTION_LABEL = re.compile(r"^(?:質問|Q|Ｑ)\s*[0-9０-９]*\s*[:：.．、]?\s*(?P<text>.+)$")
_LOOKS_LIKE_QUESTION = re.compile(r"(?:か|ください|下さい|お願いします)[。？?]?$|[？?]$")
_HOW = re.compile(r"^(?:手応え|手ごたえ|出来|でき|評価|結果|感触|自己評価|how)\s*[:：]\s*(?P<value>.*)$", re.I)
_DOUBT = re.compile(r"^(?:気にされた点|気にしていた(?:こと|点)?|懸念|疑問|突っ込まれた(?:点|こと)?|疑われた(?:点|こと)?|面接官の反応|doubt)\s*[:：]\s*(?P<value>.*)$", re.I)
_NOTE = re.compile(r"^(?:メモ|備考|note)\s*[:：]\s*(?P<value>.*)$", re.I)
_BULLET = re.compile(r"^\s*(?:[-*+・•●○◦]\s+|[0-9０-９]{1,2}[.．)）]\s*)")

# How it went, worst first: a mark or the words people use.
_BAD = re.compile(r"[×✕✖❌]|バツ|NG|ダメ|だめ|詰ま|つまっ|答えられなかった|答えられず|うまく(?:答え|説明|言え|話せ)(?:られ)?な|失敗|悪か|できなかった|不十分|沈黙")
_SO_SO = re.compile(r"[△▲]|まあまあ|まずまず|普通|微妙|少し|やや|一部")
_GOOD = re.compile(r"[○◯〇◎]|OK|良|うまく|できた|答えられた|問題な")
SCORES = {"bad": 2, "so_so": 1, "good": 0}
MARKS = {2: "×", 1: "△", 0: "○"}


@dataclass(frozen=True)
class NoteQuestion:
    text: str  # verbatim
    weakness: int  # 2 went badly, 1 so-so, 0 well
    how: str = ""  # verbatim
    doubt: str = ""  # verbatim: what the interviewer seemed to doubt
    line: int = 0


def weakness_of(how: str) -> int:
    if _BAD.search(how):
        return 2
    if _SO_SO.search(how):
        return 1
    if _GOOD.search(how):
        return 0
    return 1


def parse_notes(text: str) -> list[NoteQuestion]:
    """Every question of the notes, in the order written."""
    out: list[dict] = []
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line:
            continue
        md = re.match(r"^#{1,6}\s+(.+?)\s*#*$", line)
        body = md.group(1) if md else _BULLET.sub("", line, count=1).strip()
        if not md and (h := heading_of(line)) is not None and not _HOW.match(line) and not _DOUBT.match(line):
            body = h
        if m := _HOW.match(body):
            if out:
                out[-1]["how"] = m.group("value").strip()
            continue
        if m := _DOUBT.match(body):
            if out and m.group("value").strip():
                out[-1]["doubt"] = m.group("value").strip()
            continue
        if _NOTE.match(body):
            continue
        question = None
        if m := _QUESTION_LABEL.match(body):
            question = m.group("text").strip()
        elif _LOOKS_LIKE_QUESTION.search(body) and len(body) >= 6:
            question = body
        if question:
            out.append({"text": question, "how": "", "doubt": "", "line": n})
    return [NoteQuestion(q["text"], weakness_of(q["how"]), q["how"], q["doubt"], q["line"]) for q in out]


def weakest_first(questions: list[NoteQuestion]) -> list[NoteQuestion]:
    return sorted(questions, key=lambda q: -q.weakness)  # stable: the order written within a level


def round_one(questions: list[NoteQuestion]) -> RoundOne | None:
    """The RoundOne of interview/round_one.py, weakest first; the badly answered ones are `stalled`.

    RoundOne.as_questions() puts stalled questions first and keeps the order otherwise, so the
    n-th question here is `round1_n` in the interview.
    """
    ordered = weakest_first([q for q in questions if q.text])
    if not ordered:
        return None
    return RoundOne(tuple(RoundOneQuestion(q.text, guess_category(q.text), q.weakness >= 2) for q in ordered))


def render_notes(questions: list[NoteQuestion], title: str = "一次面接のふりかえり") -> str:
    """The notes file `prepare` writes from the answers it was given (what parse_notes reads back)."""
    out = [f"# {title}", ""]
    for q in questions:
        out.append(f"## 質問: {q.text}")
        out.append(f"- 手応え: {q.how or MARKS[q.weakness]}")
        if q.doubt:
            out.append(f"- 気にされた点: {q.doubt}")
        out.append("")
    return "\n".join(out)
