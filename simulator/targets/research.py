"""What the candidate found about the company (HP, IR, interviews): its facts, its competitors.

Pure apart from the Japanese tokenizer (SudachiPy, through interview/company.py). Each sentence of
the notes that names something specific is a fact, kept verbatim. A sentence naming a competitor
with も (「クラウドブックスも税理士事務所との連携を強みにしている」) is *shared*: praising it is no
reason to choose this company, and the interviewer says so. The facts make the CompanyProfile that
the motivation judgement and the reverse-question answers already use (interview/company.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.interview.company import CompanyProfile, _content_terms, _norm, _reading
from simulator.targets.lines import document_lines, sentences

_POLICY = re.compile(r"計画|方針|目指|掲げ|重点|注力|戦略|ビジョン|までに|目標|方向|狙い|今後|これから|語って|語ら|考え")
_STRENGTH = re.compile(r"強み|シェア|No\.?\s*1|ナンバーワン|唯一|独自|特許|だけ|最大|最多|他社にない|差別化|初の|業界初|トップ")
_COMPETITOR_LABEL = re.compile(r"^(?:主な)?(?:競合|競合他社|競合企業|ライバル|他社)(?:他社|企業)?\s*[：:]\s*(?P<names>.+)$")
_COMPETITOR_HEADING = re.compile(r"競合|ライバル|他社")
_COMPANY_LABEL = re.compile(r"^(?:会社名|社名|企業名)\s*[：:]\s*(?P<name>.+)$")
_LEGAL_FORM = re.compile(r"^(?:株式会社|有限会社|合同会社|（株）|\(株\))\s*|\s*(?:株式会社|有限会社|合同会社|（株）|\(株\))$")
_PRODUCT = re.compile(r"「([^「」]{2,24})」")
# 「クラウドブックスも…」「会計ワンさんにも…」「…はクラウドブックスと同様」: the competitor has it too.
_SHARED = re.compile(r"(?:さん|社)?(?:に|で|と)?も|.*(?:同様|同じく|同等|並んで)")
_NAME_SPLIT = re.compile(r"[、,，/／・]\s*|\s+と\s*")
# Words that name no fact of one company (on top of interview/company.py's generic list).
_TARGET_GENERIC = frozenset("競合 他社 社長 インタビュー 記事 資料 年度 時点 調べ メモ 出典 ホームページ HP IR 公式 サイト 自社 従業員 企業向け 法人向け 個人向け".split())


@dataclass(frozen=True)
class Fact:
    text: str  # the sentence, verbatim
    kind: str  # "business" | "strength" | "policy"
    terms: tuple[str, ...]  # its specific terms (the profile matches answers on them)
    line: int


@dataclass(frozen=True)
class SharedFact:
    competitor: str
    text: str  # verbatim
    terms: tuple[str, ...]  # what the competitor also has
    line: int


@dataclass(frozen=True)
class Research:
    company: str
    competitors: tuple[str, ...]
    facts: tuple[Fact, ...]
    shared: tuple[SharedFact, ...]
    keywords: tuple[str, ...]  # product and programme names quoted in the notes

    def profile(self) -> CompanyProfile | None:
        """The company profile of interview/company.py built from the notes (None: nothing to judge by)."""
        if not (self.facts or self.competitors or self.keywords):
            return None
        by = {k: tuple(f.text for f in self.facts if f.kind == k) for k in ("business", "strength", "policy")}
        alias = _LEGAL_FORM.sub("", self.company).strip()
        return CompanyProfile(
            self.company,
            aliases=(alias,) if alias and alias != self.company else (),
            business=by["business"],
            strengths=by["strength"],
            policies=by["policy"],
            competitors=self.competitors,
            keywords=self.keywords,
        )


def parse_research(text: str, company: str = "", competitors: tuple[str, ...] = ()) -> Research:
    """Facts, shared facts and competitors from the notes; `company` and `competitors` as the user gave them."""
    lines = document_lines(text) if text.strip() else []
    names = list(dict.fromkeys(c.strip() for c in competitors if c.strip()))
    for ln in lines:
        if m := _COMPETITOR_LABEL.match(ln.text):
            names.extend(n.strip(" 。") for n in _NAME_SPLIT.split(m.group("names")) if n.strip(" 。"))
        elif not company and (m := _COMPANY_LABEL.match(ln.text)):
            company = m.group("name").strip()
    names = list(dict.fromkeys(n for n in names if n))
    company = company.strip()
    own = {_norm(company), _norm(_LEGAL_FORM.sub("", company))} - {""}
    facts: list[Fact] = []
    shared: list[SharedFact] = []
    keywords: list[str] = []
    for ln in lines:
        if _COMPETITOR_LABEL.match(ln.text) or _COMPANY_LABEL.match(ln.text):
            continue
        for sentence in sentences(ln.text):
            if len(sentence) < 6 or re.fullmatch(r"\S*https?://\S*", sentence):
                continue
            named = [c for c in names if c in sentence]
            terms = _terms(sentence, exclude={*own, *map(_norm, names)})
            if named:
                after = sentence[sentence.find(named[0]) + len(named[0]):]
                if _SHARED.match(after):
                    # 「会計ワンも…を出しているが、主な顧客は個人事業主」: what follows が is the difference.
                    terms = _terms(re.split(r"が、|けれど|けど|一方", sentence)[0], exclude={*own, *map(_norm, names)})
                    if terms:
                        shared.append(SharedFact(named[0], sentence, terms, ln.number))
                    continue
                if not terms:
                    continue
                facts.append(Fact(sentence, "strength", terms, ln.number))  # a contrast with a competitor
                continue
            if not terms:
                continue
            kind = "policy" if _POLICY.search(sentence) else "strength" if _STRENGTH.search(sentence) else "business"
            facts.append(Fact(sentence, kind, terms, ln.number))
            for m in _PRODUCT.finditer(sentence):
                word = m.group(1)
                if _norm(word) not in own and word not in keywords and not re.search(r"[。、]", word):
                    keywords.append(word)
    # A competitor heading with "- クラウドブックス：…" lines names them too.
    for ln in lines:
        if _COMPETITOR_LABEL.match(ln.text):
            continue
        if any(_COMPETITOR_HEADING.search(h) for h in ln.headings) and (m := re.match(r"^([^：:、。\s]{2,20})\s*[：:]", ln.text)):
            if m.group(1) not in names and _norm(m.group(1)) not in own:
                names.append(m.group(1))
    return Research(company, tuple(names), tuple(facts), tuple(shared), tuple(keywords))


def _terms(sentence: str, exclude: set[str]) -> tuple[str, ...]:
    out = []
    for surface, _reading_ in _content_terms(sentence):
        if surface in exclude or surface in _TARGET_GENERIC or any(surface in e for e in exclude if len(surface) >= 2):
            continue
        if re.fullmatch(r"[0-9０-９,.]+", surface):
            continue  # a bare number names nothing; 「4万社」「1,200」 are kept with the sentence
        out.append(surface)
    return tuple(dict.fromkeys(out))


def named_terms(terms: tuple[str, ...], text: str) -> list[str]:
    """The terms the text names, by spelling or by katakana reading (Whisper's other spellings)."""
    norm = _norm(text)
    reading = None
    hits = []
    for term in terms:
        if term in norm:
            hits.append(term)
            continue
        term_reading = _reading(term)
        if len(term_reading) >= 4:
            reading = reading if reading is not None else _reading(norm)
            if term_reading in reading:
                hits.append(term)
    return hits


def overlap(a_terms: tuple[str, ...], text: str) -> float:
    """How much of a fact the text names: its named terms weighted by length (long terms say more)."""
    return sum(2.0 if len(t) >= 3 else 1.0 for t in named_terms(a_terms, text))
