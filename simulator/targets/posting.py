"""The job posting (求人票): required and welcome skills, and the duties of the position.

Pure. Items are read under their headings (「必須スキル」「応募資格」「歓迎」「業務内容」...) or from
an inline label (「必須：法人営業の経験」). Required skills become 即戦力 checks, duties the
situations of 入社後 questions; each question quotes its item verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.targets.lines import document_lines, last_clause, quote_span, sentences

_WELCOME = re.compile(r"歓迎|尚可|あれば|望まし|優遇|プラス|WANT|Want|want|Nice to have")
_REQUIRED = re.compile(r"必須|応募資格|応募条件|応募要件|資格要件|求める(?:経験|スキル|能力)|必要な(?:経験|スキル|能力)|MUST|Must|must|Requirements")
_DUTIES = re.compile(r"業務内容|仕事内容|職務内容|お任せ|担当業務|ミッション|具体的な業務|業務詳細|仕事の内容|役割")
_INLINE = re.compile(r"^(?P<label>[^：:、。]{1,14})[：:]\s*(?P<value>.+)$")
_NOT_SKILL = re.compile(r"^(?:雇用形態|勤務地|給与|年収|休日|福利厚生|勤務時間|待遇|選考|応募方法)")


@dataclass(frozen=True)
class Item:
    text: str  # verbatim
    quote: str  # the verbatim span a question quotes
    line: int


@dataclass(frozen=True)
class Posting:
    required: tuple[Item, ...] = ()
    welcome: tuple[Item, ...] = ()
    duties: tuple[Item, ...] = ()


def section_kind(heading: str) -> str | None:
    if _WELCOME.search(heading):
        return "welcome"
    if _REQUIRED.search(heading):
        return "required"
    if _DUTIES.search(heading):
        return "duties"
    return None


def parse_posting(text: str) -> Posting:
    found: dict[str, list[Item]] = {"required": [], "welcome": [], "duties": []}
    for ln in document_lines(text):
        kind = next((k for h in reversed(ln.headings) if (k := section_kind(h))), None)
        body = ln.text
        if (m := _INLINE.match(body)) and (inline := section_kind(m.group("label"))):
            kind, body = inline, m.group("value").strip()
        if kind is None or _NOT_SKILL.match(body):
            continue
        for piece in sentences(body):
            piece = piece.strip()
            if len(piece) < 4:
                continue
            quote = last_clause(piece) if kind == "duties" else _skill_quote(piece)
            if not any(i.text == piece for i in found[kind]):
                found[kind].append(Item(piece, quote, ln.number))
    return Posting(tuple(found["required"]), tuple(found["welcome"]), tuple(found["duties"]))


def _skill_quote(text: str) -> str:
    span = quote_span(text, 40)
    # 「…改善できる方」: the person is the position; the quote says what they can do.
    return re.sub(r"(?:な|の)?方$", "", span) if len(span) > 6 else span


def skill_question(item: Item) -> str:
    """The 即戦力 check: 「このポジションでは『…』が必須ですが、近い経験を教えてください。」"""
    if re.search(r"(?:る|た|ない|できる)$", item.quote):
        return f"このポジションでは『{item.quote}』ことが必須ですが、そうした経験を具体的に教えてください。"
    return f"このポジションでは『{item.quote}』が必須ですが、近い経験を教えてください。"


# The situations of 入社後 questions: what goes wrong in a new job, in the candidate's own duty.
# The duty is quoted as the posting writes it (a noun phrase or a whole sentence both read well).
SITUATIONS = (
    "求人票の業務内容に『{duty}』とあります。入社後、最初の3か月で思うような成果が出なかったとしたら、どう動きますか。",
    "求人票に『{duty}』とありますが、入社後、関係する部署や社外の方と方針が合わなかったとしたら、どう進めますか。",
    "求人票に『{duty}』とありますが、入社後、前職のやり方がそのままでは通用しないと分かったとしたら、どうしますか。",
)


def situation_question(item: Item, n: int) -> str:
    return SITUATIONS[n % len(SITUATIONS)].format(duty=item.quote)
