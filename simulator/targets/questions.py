"""Questions and follow-ups from the candidate's own documents, fed into the interview's machinery.

A target gives the interview (interview/policy.py) what it already knows how to use: a company
profile (the generic-motivation judgement, the reverse-question answers), round-one questions
(weakest first), and, through `Grounding` (PolicyOptions.grounding), what only documents give:

- résumé achievement and role lines → deep-dive questions quoting them word for word
  (「職務経歴書に『…』とありますが、どのように達成されたのですか。」), in the place of the set's first
  experience question;
- the posting's required skills → 即戦力 checks; its duties → 入社後 situational questions;
- a motivation praising what the notes say a competitor also has → 「それは〇〇にもありますが…」;
- a round-one doubt → the first follow-up on that question;
- a reverse question asking what the notes already answer → pointed out.

Every quoted span is a substring of the saved document (the `quote` of the prompt's reason).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from simulator.interview.question_sets import Question

DOC_PREFIX = "doc_"
# How many document questions a mode asks, and how many follow-ups each gets (the interview has
# a time budget: a deep-dive per achievement would leave no time for the motivation question).
PER_MODE = {
    "full": {"resume": 3, "skill": 2, "situation": 1},
    "short": {"resume": 1, "skill": 1, "situation": 0},
}
PROBE_CAPS = {"resume": 2, "skill": 1, "situation": 1}
WHY_DOCUMENT = "a question grounded in the candidate's documents"
WHY_SHARED = "the motivation praises what a competitor also has"
WHY_DOUBT = "what round one doubted, asked first"
WHY_KNOWN = "a reverse question the research already answers"
# 「…と拝見しましたが」: a reverse question that builds on the research is a good one, not a lapse.
_PREMISE = re.compile(r"拝見|拝読|読みました|読んで|伺いました|聞きました|とありますが|と存じ|されていますが|ていますが|ですが、|踏まえ|とのことですが|と知り")


@dataclass(frozen=True)
class GroundedQuestion:
    question: Question
    document: str  # "resume" | "posting"
    quote: str  # verbatim in the document
    kind: str  # "resume" | "skill" | "situation"


def grounded_questions(target, mode: str = "full") -> list[GroundedQuestion]:
    """The document questions of a mode, in the order they are asked."""
    from simulator.targets.posting import situation_question, skill_question
    from simulator.targets.resume import question_for

    counts = PER_MODE.get(mode, PER_MODE["full"])
    out: list[GroundedQuestion] = []
    for n, a in enumerate(target.achievements[: counts["resume"]], 1):
        out.append(GroundedQuestion(Question(f"{DOC_PREFIX}resume_{n}", "experience", question_for(a), {}, n == 1), "resume", a.quote, "resume"))
    skills = target.posting.required[: counts["skill"]]
    for n, item in enumerate(skills, 1):
        out.append(GroundedQuestion(Question(f"{DOC_PREFIX}skill_{n}", "experience", skill_question(item), {}, n == 1), "posting", item.quote, "skill"))
    situations = target.posting.duties or target.posting.required
    for n, item in enumerate(situations[: counts["situation"]], 1):
        out.append(GroundedQuestion(Question(f"{DOC_PREFIX}situation_{n}", "values", situation_question(item, n - 1), {}, False),
                                    "posting", item.quote, "situation"))
    return out


@dataclass(frozen=True, eq=False)
class Grounding:
    """What the documents add to the policy (interview/policy.py calls each method at its step)."""

    target: str
    questions: tuple[GroundedQuestion, ...] = ()
    research: object = None  # targets.research.Research
    doubts: dict = field(default_factory=dict)  # round-one question id -> the doubt, verbatim
    insert: bool = True  # False: the plan already holds the document questions it asks (run --script)

    def scripted(self) -> "Grounding":
        """The same grounding for a set an answer script has narrowed: it adds no question of its own."""
        return replace(self, insert=False)

    def probe_caps(self) -> dict[str, int]:
        return {g.question.id: PROBE_CAPS[g.kind] for g in self.questions}

    def arrange(self, main: list[Question]) -> list[Question]:
        """The set's main questions with the document questions in their places.

        Résumé deep-dives, then the posting's skill checks and its situational questions, stand
        where the set's first experience question was (the résumé replaces 「一番大きな成果」
        when there is one), after the self-introduction and round one: early enough that the
        time budget never drops them, and before the motivation questions.
        """
        if not self.insert:
            return list(main)
        present = {q.id for q in main}
        resume = [g.question for g in self.questions if g.kind == "resume" and g.question.id not in present]
        posting = [g.question for g in self.questions if g.kind in ("skill", "situation") and g.question.id not in present]
        out = list(main)
        first_exp = next((i for i, q in enumerate(out) if q.category == "experience"), None)
        if first_exp is None:
            at = 1 if out and out[0].category == "self_introduction" else 0
            out[at:at] = resume + posting
        elif resume:
            out[first_exp:first_exp + 1] = resume + posting
        else:
            out[first_exp + 1:first_exp + 1] = posting
        return out

    def reason(self, q: Question) -> dict | None:
        """Why a document question is asked (the saved prompt's reason), None for other questions."""
        for g in self.questions:
            if g.question.id == q.id:
                return {"why": WHY_DOCUMENT, "source": "target", "document": g.document, "quote": g.quote, "target": self.target}
        return None

    def probe(self, current: Question, answer: str, probed: set, spoken: set) -> tuple[str, dict] | None:
        """A follow-up only the documents give, or None: the competitor's same strength, a round-one doubt."""
        if current.category == "motivation" and "competitor_shared" not in probed and self.research is not None:
            if (hit := self.shared_praise(answer)) is not None:
                shared, term = hit
                text = f"それは{shared.competitor}にもありますが、{term}のほかに、当社でなければならない理由はありますか。"
                # the candidate's own words: 「税理士事務所との連携」
                if text not in spoken:
                    return text, {"why": WHY_SHARED, "family": "why_us", "probe": "competitor_shared", "finding": None,
                                  "evidence": f"「{term}」（調べたメモ: 『{shared.text}』）", "document": "company_notes",
                                  "quote": shared.text, "competitor": shared.competitor, "term": term}
        doubt = self.doubts.get(current.id)
        if doubt and "round_one_doubt" not in probed:
            text = f"一次面接の記録に『{doubt}』とありました。その点を、今日は具体的に伺えますか。"
            if text not in spoken:
                return text, {"why": WHY_DOUBT, "family": "deeper", "probe": "round_one_doubt", "finding": None,
                              "evidence": f"『{doubt}』", "document": "round_one", "quote": doubt}
        return None

    def shared_praise(self, answer: str):
        """(shared fact, the term the answer praises) when the answer names what a competitor also has."""
        from simulator.targets.research import named_terms

        if not answer.strip():
            return None
        for shared in self.research.shared:
            if shared.competitor in answer:
                continue  # the candidate compares with that competitor already
            hits = named_terms(shared.terms, answer)
            if sum(2 if len(t) >= 3 else 1 for t in hits) >= 2:
                return shared, _span(answer, hits) or max(hits, key=len)
        return None

    def reverse(self, answer: str, probed: set, spoken: set) -> tuple[str, dict] | None:
        """The reverse question asks what the research notes already answer: say so, and ask for another."""
        if "reverse_known" in probed or self.research is None:
            return None
        fact = self.known_fact(answer)
        if fact is None:
            return None
        text = f"『{fact.text}』という点は、公開している情報のとおりです。それを踏まえて、さらに知りたいことはありますか。"
        if text in spoken:
            return None
        return text, {"why": WHY_KNOWN, "family": "reverse_reaction", "probe": "reverse_known", "finding": None,
                      "evidence": f"調べたメモ: 『{fact.text}』", "document": "company_notes", "quote": fact.text,
                      "judgement": "調べれば分かることを聞いている: 調べた内容を踏まえて、その先を聞く質問にすると準備の深さが伝わる"}

    def known_fact(self, question: str):
        from simulator.targets.research import overlap

        if not question.strip() or _PREMISE.search(question):
            return None
        best = max(((overlap(f.terms, question), -f.line, f) for f in self.research.facts), default=None, key=lambda x: x[:2])
        return best[2] if best is not None and best[0] >= 2.0 else None


def _span(answer: str, terms: list[str], max_chars: int = 20) -> str | None:
    """The candidate's words from the first named term to the last, within one clause (「税理士事務所との連携」)."""
    spots = sorted((answer.find(t), answer.find(t) + len(t)) for t in terms if t in answer)
    if not spots:
        return None
    start, end = spots[0][0], max(e for _, e in spots)
    span = answer[start:end]
    if len(span) > max_chars or re.search(r"[。、！？]", span):
        span = answer[spots[0][0]:spots[0][1]]
    return span


def grounding_for(target, mode: str = "full", with_questions: bool = True) -> Grounding:
    questions = tuple(grounded_questions(target, mode)) if with_questions else ()
    doubts = {}
    if target.round_one is not None:
        from simulator.targets.round_one_notes import weakest_first

        for n, q in enumerate(weakest_first(target.round_one_notes), 1):
            if q.doubt:
                doubts[f"round1_{n}"] = q.doubt
    return Grounding(target.name, questions, target.research, doubts)
