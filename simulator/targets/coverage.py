"""The report tied to the documents: achievements never used, required skills not evidenced,
whether the motivation used the company facts, and reverse questions the research already answered.

`snapshot(target)` is saved in the session's meta.json ("target") when the interview starts;
`document_coverage(meta_target, turns)` reads it back with the saved turns, so a report is the
same whatever happened to the target since. Matching is by the documents' own terms (nouns,
figures) in the transcripts, by spelling or by katakana reading.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

# Words that say nothing of one achievement or skill (「経験」「以上」「3年」).
_STOP = frozenset("経験 以上 以下 方 こと もの 年 月 日 名 件 社 円 ため 等 など 能力 スキル 知識 者 程度 年間 約 中 数 部 他 人 全体 現在 担当 業務 前 後 頃".split())
# An answer with one of these did not show the skill, whatever it named.
_NOT_EVIDENCE = frozenset({"abstract", "off_question", "too_short", "not_japanese"})


def doc_terms(text: str) -> list[str]:
    from simulator.analysis.japanese import tokenize

    out = []
    for tok in tokenize(text):
        if tok.pos[0] != "名詞" or tok.surface in _STOP:
            continue
        if tok.pos[1] == "数詞" and len(tok.surface) < 3:
            continue
        if len(tok.surface) < 2:
            continue
        out.append(tok.surface)
    return list(dict.fromkeys(out))


def snapshot(target, mode: str = "full") -> dict:
    """What the report needs of the target, as saved with the session."""
    from simulator.targets.questions import grounded_questions

    research = target.research
    return {
        "name": target.name,
        "builtin": target.builtin,
        "company": target.company_name,
        "competitors": list(research.competitors),
        "achievements": [{"text": a.text, "quote": a.quote, "kind": a.kind, "terms": doc_terms(a.text)} for a in target.achievements],
        "skills": [{"text": i.text, "quote": i.quote, "terms": doc_terms(i.text)} for i in target.posting.required],
        "facts": [{"text": f.text, "terms": list(f.terms)} for f in research.facts],
        "shared": [{"competitor": s.competitor, "text": s.text, "terms": list(s.terms)} for s in research.shared],
        "questions": {g.question.id: {"kind": g.kind, "document": g.document, "quote": g.quote}
                      for g in grounded_questions(target, mode)},
    }


@dataclass(frozen=True)
class ItemUse:
    text: str
    quote: str
    status: str  # achievements: "used" | "unused"; skills: "evidenced" | "vague" | "missing"
    turns: tuple[int, ...] = ()


@dataclass(frozen=True)
class DocumentCoverage:
    target: str
    company: str
    achievements: tuple[ItemUse, ...]
    skills: tuple[ItemUse, ...]
    motivation_asked: bool
    motivation_facts: tuple[str, ...]  # the company facts a motivation answer used, verbatim from the notes
    motivation_generic: bool  # a motivation answer named none of them
    shared_praised: tuple[str, ...]  # 「…」（競合 X にもある）: what was praised that a competitor has too
    reverse_known: tuple[str, ...]  # facts of the notes a reverse question asked about
    grounded_prompts: int  # prompts grounded in the documents (questions and follow-ups)

    @property
    def unused_achievements(self) -> tuple[ItemUse, ...]:
        return tuple(a for a in self.achievements if a.status == "unused")

    @property
    def unevidenced_skills(self) -> tuple[ItemUse, ...]:
        return tuple(s for s in self.skills if s.status != "evidenced")

    @property
    def motivation_summary(self) -> str:
        if not self.motivation_asked:
            return "志望動機の質問はありませんでした。"
        if self.motivation_facts:
            return f"志望動機で、調べた会社の情報を {len(self.motivation_facts)} 件使いました。"
        return "志望動機で、調べた会社の情報を使っていません（どの会社にも言える志望動機になっています）。"


def _weight(hits: list[str]) -> float:
    return sum(2.0 if len(t) >= 3 else 1.0 for t in hits)


def document_coverage(meta_target: dict, turns: list[dict]) -> DocumentCoverage:
    from simulator.targets.research import named_terms

    answers = []
    for t in turns:
        p, a = t.get("prompt", {}), t.get("analysis", {})
        text = str(a.get("transcript") or "")
        findings = {f.get("id") for f in a.get("findings", [])}
        answers.append((int(t.get("turn", 0)), p, text, findings))
    questions = meta_target.get("questions", {})

    def asked_about(quote: str) -> list[tuple[int, set]]:
        """Turns answering the document question quoting `quote` (its follow-ups included)."""
        ids = {qid for qid, q in questions.items() if q.get("quote") == quote}
        return [(n, f) for n, p, text, f in answers if p.get("question_id") in ids and text.strip()]

    achievements = []
    for item in meta_target.get("achievements", []):
        terms = tuple(item.get("terms", []))
        need = min(3.0, _weight(list(terms))) if terms else math.inf
        named = [n for n, _p, text, _f in answers if text and _weight(named_terms(terms, text)) >= need]
        answered = [n for n, f in asked_about(item.get("quote", "")) if "off_question" not in f]
        used = sorted(set(named) | set(answered))
        achievements.append(ItemUse(item["text"], item.get("quote", item["text"]), "used" if used else "unused", tuple(used)))

    skills = []
    for item in meta_target.get("skills", []):
        terms = tuple(item.get("terms", []))
        need = max(1, math.ceil(len(terms) / 2))
        touching = [(n, f) for n, _p, text, f in answers if text and terms and len(named_terms(terms, text)) >= need]
        touching += [x for x in asked_about(item.get("quote", "")) if x not in touching]
        good = sorted(n for n, f in touching if not (f & _NOT_EVIDENCE))
        status = "evidenced" if good else "vague" if touching else "missing"
        skills.append(ItemUse(item["text"], item.get("quote", item["text"]), status, tuple(good or sorted(n for n, _ in touching))))

    motivation = [(n, p, text, f) for n, p, text, f in answers if p.get("category") == "motivation"]
    used_facts = []
    for fact in meta_target.get("facts", []):
        terms = tuple(fact.get("terms", []))
        if any(text and _weight(named_terms(terms, text)) >= 2 for _n, _p, text, _f in motivation):
            used_facts.append(fact["text"])
    shared = tuple(
        f"「{p['reason'].get('term', '')}」（{p['reason'].get('competitor', '')}にもある: 『{p['reason'].get('quote', '')}』）"
        for _n, p, _t, _f in answers if p.get("reason", {}).get("probe") == "competitor_shared"
    )
    known = tuple(p.get("reason", {}).get("quote", "") for _n, p, _t, _f in answers if p.get("reason", {}).get("probe") == "reverse_known")
    grounded = sum(1 for _n, p, _t, _f in answers
                   if p.get("reason", {}).get("document") in ("resume", "posting", "company_notes", "round_one"))
    return DocumentCoverage(
        target=str(meta_target.get("name", "")),
        company=str(meta_target.get("company", "")),
        achievements=tuple(achievements),
        skills=tuple(skills),
        motivation_asked=bool(motivation),
        motivation_facts=tuple(used_facts),
        motivation_generic=any("generic_motivation" in f for _n, _p, _t, f in motivation) and not used_facts,
        shared_praised=shared,
        reverse_known=known,
        grounded_prompts=grounded,
    )


SKILL_LABELS = {"evidenced": "具体例で示せた", "vague": "触れたが具体例が弱い", "missing": "一度も示していない"}


def coverage_lines(c: DocumentCoverage) -> list[str]:
    """The report's documents section as plain lines (the terminal summary; HTML and Markdown use the same)."""
    out = [f"応募書類との対応（ターゲット {c.target}{'・' + c.company if c.company else ''}）:"]
    unused = c.unused_achievements
    out.append(f"  職務経歴書の実績: {len(c.achievements) - len(unused)}/{len(c.achievements)} 件を面接で使いました。"
               + ("" if not unused else " 使わなかった実績:"))
    out += [f"    - 『{a.quote}』" for a in unused]
    missing = c.unevidenced_skills
    out.append(f"  求人票の必須スキル: {len(c.skills) - len(missing)}/{len(c.skills)} 件を具体例で示しました。"
               + ("" if not missing else " 示せなかったスキル:"))
    out += [f"    - 『{s.quote}』（{SKILL_LABELS[s.status]}）" for s in missing]
    out.append(f"  志望動機: {c.motivation_summary}")
    out += [f"    - 『{f}』" for f in c.motivation_facts]
    out += [f"    ▲ 競合にもある点を挙げた: {s}" for s in c.shared_praised]
    out += [f"  逆質問: 調べたメモに答えがあることを聞きました（『{k}』）。" for k in c.reverse_known]
    return out
