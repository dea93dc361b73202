"""The interview vocabulary Whisper is told to expect: the words that matter, per question.

Whisper base mishears the words an interviewer listens for (御社 as 音車, 志望 as 死亡); told
them in advance (faster-whisper `hotwords`, text placed before its prompt) it writes them more
often. `hotwords_for(category, company, round_one)` builds that text for one question: the core
interview terms below, the company profile's names and products, and the terms of the round-one
questions, in an order that depends on what the question is about (a motivation answer names the
company; a reason for leaving names the former job). Pure: the same inputs give the same text.
Measured in docs/metrics.md ("Interview vocabulary"; `python -m simulator bench vocabulary`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # type hints only: this module needs neither at import time
    from simulator.interview.company import CompanyProfile
    from simulator.interview.round_one import RoundOne

# The core list, defined once, grouped by what the words are about. Short on purpose: every
# term is prompt text, and a long prompt made Whisper drop speech (docs/metrics.md).
CORE_TERMS: dict[str, tuple[str, ...]] = {
    # How a candidate names the company (御社 spoken, 貴社 written, 弊社 for one's own).
    "company": ("御社", "貴社", "弊社"),
    "motivation": ("志望", "志望動機", "社風"),
    "career": ("前職", "転職", "退職"),
    # The figures and work an interviewer digs into.
    "results": ("売上", "解約率", "新規開拓", "受注", "既存顧客"),
}

# Which groups come first for which question category (the rest follow in CORE_TERMS order).
_FIRST: dict[str, tuple[str, ...]] = {
    "motivation": ("company", "motivation"),
    "reverse": ("company", "motivation"),
    "reason_for_leaving": ("career", "motivation"),
    "career_change": ("career", "motivation"),
    "experience": ("results",),
    "management": ("results",),
    "technical": ("results",),
    "self_introduction": ("career", "results"),
    "values": ("motivation", "career"),
}
# Categories where the company profile's own words come before the core terms.
_COMPANY_FIRST = frozenset({"motivation", "reverse"})

# The most characters of hotword text: faster-whisper keeps at most 223 tokens of it, and each
# term is prompt text the decoder has to read past (a kanji is one to three tokens).
MAX_CHARS = 120

_KANJI_WORD = re.compile(r"[\u4e00-\u9fff々]+")
_LATIN = re.compile(r"[A-Za-z]")
_LEGAL_FORMS = re.compile(r"株式会社|有限会社|合同会社|（株）|\(株\)|㈱")
# Nouns too common to be worth telling Whisper (it writes them right without help).
_PLAIN_NOUNS = frozenset("こと もの ため 方 点 何 今回 以前 現在 最初 一番 自分 私 皆様 お客様 工夫 提案 重点 理由 件 中".split())


def hotwords_for(category: str | None, company: "CompanyProfile | None" = None,
                 round_one: "RoundOne | None" = None, max_chars: int = MAX_CHARS) -> str:
    """The hotword text for a question of `category` (None: any), '、'-separated, at most max_chars."""
    core_order = [*(_FIRST.get(category or "", ())), *CORE_TERMS]
    core = _unique(t for group in dict.fromkeys(core_order) for t in CORE_TERMS[group])
    company_terms = company_vocabulary(company) if company is not None else []
    round_terms = round_one_vocabulary(round_one, category) if round_one is not None else []
    names = company_names(company) if company is not None else []
    if category in _COMPANY_FIRST:
        lead = [t for g in _FIRST[category] for t in CORE_TERMS[g]]
        ordered = [*names, *lead, *company_terms, *core, *round_terms]
    else:
        # Elsewhere the company is named less, but its name still is: keep the name early.
        ordered = [*core, *round_terms, *names, *company_terms]
    return _join(_unique(ordered), max_chars)


def company_names(company: "CompanyProfile") -> list[str]:
    """The company's name (without 株式会社 and the like) and its aliases."""
    return _unique([_plain_name(company.name), *(_plain_name(a) for a in company.aliases)])


def company_vocabulary(company: "CompanyProfile") -> list[str]:
    """Names first, then competitors and keywords whole, then the noun compounds of the rest
    (compounds and katakana or Latin words before single kanji words such as 配送, which Whisper
    writes right without help)."""
    out = [*company_names(company), *(_nfkc(c) for c in company.competitors), *(_nfkc(k) for k in company.keywords)]
    compounds = [t for item in (*company.business, *company.strengths, *company.policies) for t in noun_compounds(item)]
    plain = [t for t in compounds if _KANJI_WORD.fullmatch(t) and len(t) <= 3]
    return _unique([*out, *(t for t in compounds if t not in plain), *plain])


def round_one_vocabulary(round_one: "RoundOne", category: str | None = None) -> list[str]:
    """Noun compounds of the round-one questions: those of `category` first, stalled ones before others."""
    ranked = sorted(round_one.questions, key=lambda q: (q.category != category, not q.stalled))
    return _unique(t for q in ranked for t in noun_compounds(q.text))


def noun_compounds(text: str) -> list[str]:
    """Runs of adjacent nouns (SudachiPy), e.g. 冷凍冷蔵倉庫, 3PL物流, DX支援; generic words dropped."""
    from simulator.analysis.japanese import tokenize
    from simulator.interview.company import _GENERIC_TERMS

    def flush(run: list) -> None:
        # A leading figure says nothing (2030年), unless it is part of a name (3PL).
        while run and run[0].pos[1] == "数詞" and not (len(run) > 1 and _LATIN.match(run[1].surface)):
            run = run[1:]
        if not run:
            return
        surfaces = [t.surface for t in run]
        word = "".join(surfaces)
        if all(s in _GENERIC_TERMS or s in _PLAIN_NOUNS for s in surfaces):
            return
        if len(word) < 2:
            return
        out.append(word)

    out: list[str] = []
    run: list = []
    for tok in tokenize(_nfkc(text)):
        if tok.pos[0] == "名詞" or (run and tok.pos[0] == "接尾辞" and tok.pos[1] == "名詞的" and tok.surface != "向け"):
            run.append(tok)
        else:
            flush(run)
            run = []
    flush(run)
    return out


def _plain_name(name: str) -> str:
    return _LEGAL_FORMS.sub("", _nfkc(name)).strip()


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


def _unique(terms) -> list[str]:
    return [t for t in dict.fromkeys(t for t in terms if t)]


def _join(terms: list[str], max_chars: int) -> str:
    out: list[str] = []
    n = 0
    for t in terms:
        extra = len(t) + (1 if out else 0)
        if n + extra > max_chars:
            continue  # a shorter term further on may still fit
        out.append(t)
        n += extra
    return "、".join(out)


@dataclass
class QuestionVocabulary:
    """What the transcriber needs to build each question's hotwords: the company and round one.

    The session tells it the category of the question being asked (`for_question`); the
    transcriber reads `hotwords` on every window it decodes, whole answers and streamed pieces
    alike, so an answer is heard with the vocabulary of the question it answers.
    """

    company: "CompanyProfile | None" = None
    round_one: "RoundOne | None" = None
    max_chars: int = MAX_CHARS
    _cache: dict = field(default_factory=dict, repr=False)

    def hotwords(self, category: str | None) -> str:
        if category not in self._cache:
            self._cache[category] = hotwords_for(category, self.company, self.round_one, self.max_chars)
        return self._cache[category]
