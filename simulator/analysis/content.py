"""Content and delivery findings for one answer: stable ids, each with its evidence.

Pure functions over the transcript and the measured figures. The ids are a public contract
(`analyze --json`, saved sessions, question-set probe keys); the catalogue is in docs/findings.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    id: str
    evidence: str

    def to_dict(self) -> dict:
        return {"id": self.id, "evidence": self.evidence}


@dataclass(frozen=True)
class ContentOptions:
    too_long_s: float = 180.0
    long_answer_s: float = 90.0
    too_short_s: float = 8.0
    many_fillers_per_min: float = 8.0
    hesitant_latency_s: float = 5.0


_ABSTRACT = re.compile(r"頑張りました|がんばりました|一生懸命|精一杯|全力で|努力しました")
_NUMBER = re.compile(r"[0-9０-９]|[一二三四五六七八九十百千万億]+(?:割|倍|件|人|名|社|円|年|か月|ヶ月|カ月|%|パーセント)|パーセント|割")
_BLAME = re.compile(r"上司が悪|環境が悪|会社が悪|(?:上司|会社|周り|チーム|部下)のせい|評価してくれな|理解してくれな")
_NEGATIVE_REASON = re.compile(r"給料が低|給与が低|残業が多|人間関係が|休みが少な|評価されな|ブラック")
_NO_QUESTIONS = re.compile(r"特に(?:ありません|ないです|ございません|無いです)")
_CONDITIONS = re.compile(r"残業|リモート|在宅勤務|給与|給料|年収|休日|有給|福利厚生")
_HESITANT = re.compile(r"考えさせてください|少々お待ちください|ちょっと待ってください")
_GENERIC = re.compile(r"御社の事業に興味|成長できる環境|貴社の理念に共感|御社の理念に共感")


def content_findings(
    transcript: str,
    category: str | None,
    answer_s: float,
    response_latency_s: float | None,
    fillers_per_min: float,
    opts: ContentOptions = ContentOptions(),
) -> list[Finding]:
    text = transcript
    out: list[Finding] = []
    if not text.strip():
        return out
    if answer_s > opts.too_long_s:
        out.append(Finding("too_long", f"{answer_s:.0f} s"))
    elif answer_s > opts.long_answer_s:
        out.append(Finding("long_answer", f"{answer_s:.0f} s"))
    elif answer_s < opts.too_short_s and category not in ("reverse",):
        out.append(Finding("too_short", f"{answer_s:.0f} s"))
    if response_latency_s is not None and response_latency_s >= opts.hesitant_latency_s:
        out.append(Finding("hesitant_start", f"{response_latency_s:.1f} s silence before answering"))
    elif m := _HESITANT.search(text):
        out.append(Finding("hesitant_start", m.group(0)))
    if fillers_per_min >= opts.many_fillers_per_min:
        out.append(Finding("many_fillers", f"{fillers_per_min:.1f} / min"))
    if m := _ABSTRACT.search(text):
        out.append(Finding("abstract", m.group(0)))
    if category in ("experience", "self_introduction", "management", "technical") and not _NUMBER.search(text):
        out.append(Finding("no_numbers", "no figure in the answer"))
    if m := _BLAME.search(text):
        out.append(Finding("blame", m.group(0)))
    if category == "reason_for_leaving" and (m := _NEGATIVE_REASON.search(text)):
        out.append(Finding("negative_reason", m.group(0)))
    if category == "motivation" and (m := _GENERIC.search(text)):
        out.append(Finding("generic_motivation", m.group(0)))
    if category == "reverse":
        if m := _NO_QUESTIONS.search(text):
            out.append(Finding("no_questions", m.group(0)))
        elif m := _CONDITIONS.search(text):
            out.append(Finding("conditions_question", m.group(0)))
    return out
