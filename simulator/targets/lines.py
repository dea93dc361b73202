"""The lines of a document with the heading each one is under, and verbatim quotes cut from them.

Pure. Every text a question quotes is a substring of the saved document, so what the interviewer
says the résumé says is what the résumé says (tests/test_targets_questions.py checks it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# 【職務経歴】, or a short ■/◆/▼ line with no sentence in it (■職務要約): a heading.
_BRACKET_HEADING = re.compile(r"^\s*【([^【】]{1,30})】\s*$")
_MARK_HEADING = re.compile(r"^\s*[■◆▼◇□]\s*([^、。，,]{1,20})\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+・•●○◦▪■□◆◇►▶]\s*|\d{1,2}[.．]\s+|\d{1,2}[)）]\s*|[（(]\d{1,2}[)）]\s*)")
# A line of its own that ends in a colon is a heading too: 「必須スキル：」「【業務内容】」.
_COLON_HEADING = re.compile(r"^\s*([^：:、。]{1,20})\s*[：:]\s*$")
_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]?")


@dataclass(frozen=True)
class Line:
    text: str  # the line without its bullet mark, verbatim otherwise
    heading: str  # the nearest heading above it ("" at the top)
    headings: tuple[str, ...]  # every heading above it, outermost first
    number: int  # 1-based line number in the document
    bullet: bool


def heading_of(raw: str) -> str | None:
    """The heading a non-Markdown heading line names, else None."""
    for pattern in (_BRACKET_HEADING, _MARK_HEADING, _COLON_HEADING):
        if m := pattern.match(raw):
            return m.group(1).strip()
    return None


def document_lines(text: str) -> list[Line]:
    """Each non-empty, non-heading line with the headings it is under."""
    out: list[Line] = []
    stack: list[tuple[int, str]] = []  # (level, heading)
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        level = None
        title = None
        if m := re.match(r"^\s*(#{1,6})\s+(.+?)\s*#*\s*$", raw):
            level, title = len(m.group(1)), m.group(2).strip()
        elif (h := heading_of(raw)) is not None:
            level, title = 7, h  # a bracketed or colon heading: below any Markdown heading
        if title is not None:
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, title))
            continue
        bullet = bool(_BULLET.match(raw))
        body = _BULLET.sub("", raw, count=1).strip() if bullet else raw.strip()
        if body:
            out.append(Line(body, stack[-1][1] if stack else "", tuple(h for _, h in stack), n, bullet))
    return out


def sentences(text: str) -> list[str]:
    """The sentences of one line, verbatim (each keeps its 。)."""
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def quote_span(text: str, max_chars: int = 40) -> str:
    """A verbatim piece of `text` short enough to say: the whole, or cut at a clause boundary.

    A trailing 。 and a trailing parenthesised note (「（2022年度）」) are left out; a long text is
    cut after the last 、 that keeps it within max_chars, else at max_chars.
    """
    span = text.strip().rstrip("。．.")
    while (m := re.search(r"[（(][^（()）]*[)）]$", span)) and m.start() >= 8:
        span = span[: m.start()].rstrip()
    if len(span) <= max_chars:
        return span
    cut = max((i for i, c in enumerate(span[:max_chars]) if c in "、，,"), default=-1)
    if cut >= 12:
        return span[:cut]
    return span[:max_chars]


def last_clause(text: str, max_chars: int = 40) -> str:
    """The last clause of a long text (after its last 、), verbatim: where a Japanese line names its thing."""
    span = quote_span(text, 10_000)
    if len(span) <= max_chars:
        return span
    tail = span[span.rfind("、") + 1:] if "、" in span else span
    return tail if 6 <= len(tail) <= max_chars else quote_span(span, max_chars)
