"""The probe policy: from the question, the answer's findings and the history, choose the next prompt.

Pure and deterministic for a given seed: the same set, history and options give the same prompt.
Every prompt carries the reason it was chosen (the finding and its evidence, the rung of the
ladder, or why the interview moved on), and its family (`analyze --json` "next"). In order:

1. An answer that missed the question or was not Japanese gets the question again, once.
   With a target (simulator/targets/), what only the candidate's documents give comes next: a
   motivation praising what a competitor also has, a round-one doubt (PolicyOptions.grounding).
2. The most important gap (the catalogue's order) that the question has a probe for, unless it
   was already probed on this question or every phrasing of it was already spoken.
3. A contradiction with an earlier answer (reason for leaving, motivation, five-year plan).
4. Experience, management and technical answers are dug down the ladder (why that method, your
   own role, the hardest obstacle, the figure behind the result, would it repeat here), each
   rung named with the candidate's own claim and skipped when the answer already gave it.
   A question brought back from round one is dug once more.
5. In the reverse stage the interviewer answers each question (from the company profile, or says
   it will check), redirects a conditions question, reacts once to 'no questions', and asks for
   another; then the interview ends.
6. Otherwise the next main question; when the time budget would not leave room for the reverse
   questions, straight to them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Mapping

from simulator.analysis.catalogue import DEEPER_RUNGS, EPISODE, FINDINGS
from simulator.interview.question_sets import PLACEHOLDERS, Question, QuestionSet

if TYPE_CHECKING:
    from simulator.interview.company import CompanyProfile
    from simulator.interview.round_one import RoundOne
    from simulator.targets.questions import Grounding

FINDING_PRIORITY = tuple(f.id for f in FINDINGS)  # most important gap first (the catalogue's order)
PROBE_FAMILY: dict[str, str | None] = {f.id: f.family for f in FINDINGS}


class PromptKind(StrEnum):
    QUESTION = "question"  # a main question of the set (or of the candidate's documents)
    PROBE = "probe"  # a follow-up on the answer just given


@dataclass(frozen=True)
class Prompt:
    kind: PromptKind
    question_id: str
    category: str
    text: str
    reason: dict = field(default_factory=dict)  # {"why": ..., "finding": ..., "evidence": ...}

    def to_dict(self) -> dict:
        return {"kind": str(self.kind), "question_id": self.question_id, "category": self.category, "text": self.text, "reason": self.reason}

    @classmethod
    def from_dict(cls, d: dict) -> "Prompt":
        return cls(PromptKind(d["kind"]), d["question_id"], d.get("category", ""), d["text"], d.get("reason", {}))


@dataclass(frozen=True)
class Exchange:
    """What the policy needs to know of a completed turn."""

    prompt: Prompt
    findings: tuple[tuple[str, str], ...]  # (finding id, evidence)
    answer_s: float = 0.0  # time the candidate took (silence before answering included)
    text: str = ""  # the transcript: contradictions are looked for across answers
    claim: str | None = None  # the main claim, as the analysis phrased it for a probe
    covered: frozenset[str] = frozenset()  # ladder rungs the answer already gave
    answered: bool = True  # False: no answer came (live); the interviewer moves on, no digging into silence


@dataclass(frozen=True)
class ModeSpec:
    budget_s: float  # the whole interview
    probes_per_question: int
    reverse_reserve_s: float  # kept free for the reverse questions at the end
    episode_probes: int  # experience, management, technical: the ladder goes this deep
    reverse_turns: int  # reverse questions the interviewer takes before closing


MODES = {
    # A real second round runs 45-60 minutes and drills 3-5 levels into an episode: plan for 50,
    # keep 5 for the reverse questions.
    "full": ModeSpec(budget_s=50 * 60, probes_per_question=2, reverse_reserve_s=5 * 60, episode_probes=4, reverse_turns=3),
    # A practice run in a lunch break: one question per family, one probe each (two on an episode).
    "short": ModeSpec(budget_s=15 * 60, probes_per_question=1, reverse_reserve_s=2 * 60, episode_probes=2, reverse_turns=2),
}
TURN_OVERHEAD_S = 5.0  # hearing the prompt start, settling, ending the answer
PROMPT_S_PER_CHAR = 0.16  # the interviewer's voice: about 6 characters a second
ANSWER_ESTIMATE_S = 60.0  # an unanswered question: about one minute, as advised


@dataclass(frozen=True)
class PolicyOptions:
    seed: int = 0
    max_probes_per_question: int | None = None  # None: from the mode
    max_questions: int | None = None
    mode: str = "full"
    budget_s: float | None = None  # None: from the mode
    round_one: "RoundOne | None" = None
    company: "CompanyProfile | None" = None
    # question id -> at most this many follow-ups on it (reverse-stage reactions included); ids not
    # named keep the limits above. `run --script` gives the number of probe answers it has, `--no-probes` 0.
    probes_by_question: "Mapping[str, int] | None" = None
    # The candidate's own documents (a target, simulator/targets/): their questions in the plan,
    # and the follow-ups only they give (a competitor's same strength, a round-one doubt, a
    # reverse question the research already answers).
    grounding: "Grounding | None" = None

    @property
    def spec(self) -> ModeSpec:
        if self.mode not in MODES:
            raise ValueError(f"unknown interview mode {self.mode!r} (expected: {', '.join(MODES)})")
        return MODES[self.mode]

    @property
    def probes_limit(self) -> int:
        return self.max_probes_per_question if self.max_probes_per_question is not None else self.spec.probes_per_question

    @property
    def budget(self) -> float:
        return self.budget_s if self.budget_s is not None else self.spec.budget_s


def plan(qset: QuestionSet, opts: PolicyOptions = PolicyOptions()) -> tuple[Question, ...]:
    """The main questions in the order they will be asked; one reverse question last."""
    from simulator.interview.round_one import similar

    main = [q for q in qset.questions if q.category != "reverse"]
    reverse = [q for q in qset.questions if q.category == "reverse"][:1]
    if opts.grounding is not None:
        main = opts.grounding.arrange(main)
    if opts.mode == "short":
        seen: set[str] = set()
        kept = []
        for q in main:
            first_of_category = q.category not in seen
            seen.add(q.category)
            if q.short is True or (q.short is None and first_of_category):
                kept.append(q)
        main = kept
    if opts.round_one is not None:
        back = [q for q in opts.round_one.as_questions() if q.category != "reverse"]
        # A set question asking the same thing is replaced by the round-one version.
        main = [q for q in main if not any(b.category == q.category and similar(b.text, q.text) >= 0.3 for b in back)]
        head = 1 if main and main[0].category == "self_introduction" else 0
        main = main[:head] + back + main[head:]
    return tuple(main + reverse)


def _pick(options: tuple[str, ...], *key: object) -> str:
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return options[int.from_bytes(digest[:4], "big") % len(options)]


_QUOTE = re.compile(r"「([^「」…]{2,24})」")


def _say(phrasings, spoken: set[str], pick_key: tuple, **values) -> str | None:
    """A phrasing not spoken yet in this interview, preferring the ones that name what the candidate said."""
    pairs = [(p, t) for p in phrasings if (t := _fill(p, values)) and t not in spoken]
    if not pairs:
        return None
    personal = tuple(t for p, t in pairs if "{" in p)
    return _pick(personal or tuple(t for _, t in pairs), *pick_key)


def _fill(phrasing: str, values: dict[str, str | None]) -> str | None:
    """The phrasing with its placeholders filled, or None when one has no value."""
    out = phrasing
    for name in PLACEHOLDERS:
        token = "{" + name + "}"
        if token in out:
            if not values.get(name):
                return None
            out = out.replace(token, values[name])
    return out


def _elapsed_s(history: list[Exchange]) -> float:
    return sum(h.answer_s + TURN_OVERHEAD_S + len(h.prompt.text) * PROMPT_S_PER_CHAR for h in history)


def _ask(q: Question, why: str, **extra) -> Prompt:
    return Prompt(PromptKind.QUESTION, q.id, q.category, q.text, {"why": why, **extra})


def next_prompt(qset: QuestionSet, history: list[Exchange], opts: PolicyOptions = PolicyOptions()) -> Prompt | None:
    questions = plan(qset, opts)
    if not questions:
        return None
    if not history:
        return _ask(questions[0], "first question of the interview")
    by_id = {q.id: q for q in questions}
    last = history[-1]
    current = by_id.get(last.prompt.question_id)
    if current is None:  # a history from another plan: carry on with the set
        current = next((q for q in qset.questions if q.id == last.prompt.question_id), questions[0])

    if current.category == "reverse":
        return _reverse_turn(qset, current, history, opts)
    elapsed = _elapsed_s(history)
    spec = opts.spec
    room_for_probe = elapsed + ANSWER_ESTIMATE_S + spec.reverse_reserve_s <= opts.budget or current.category == "reverse"
    probe = _choose_probe(qset, current, history, opts) if room_for_probe else None
    if probe is not None:
        return probe

    asked = {h.prompt.question_id for h in history}
    main_asked = len({h.prompt.question_id for h in history if h.prompt.category != "reverse"})
    remaining = [q for q in questions if q.id not in asked]
    if not remaining:
        return None
    reverse = [q for q in remaining if q.category == "reverse"]
    mains = [q for q in remaining if q.category != "reverse"]
    if current.category == "reverse":
        return None  # the reverse questions close the interview
    out_of_questions = opts.max_questions is not None and main_asked >= opts.max_questions
    per_question_s = ANSWER_ESTIMATE_S * (1 + opts.probes_limit) + TURN_OVERHEAD_S * (1 + opts.probes_limit)
    out_of_time = elapsed + per_question_s + spec.reverse_reserve_s > opts.budget
    if mains and not out_of_questions and not out_of_time:
        nxt = mains[0]
        if nxt.id.startswith("round1_"):
            return _ask(nxt, "a question from round one, asked again deeper", source="round_one")
        if opts.grounding is not None and (why := opts.grounding.reason(nxt)) is not None:
            return _ask(nxt, **why)
        return _ask(nxt, "next question of the set")
    if reverse:
        if mains:
            why = (f"time budget: {elapsed / 60:.0f} of {opts.budget / 60:.0f} min used, moving to the reverse questions"
                   if out_of_time else "question limit reached, moving to the reverse questions")
            return _ask(reverse[0], why)
        return _ask(reverse[0], "the reverse questions close the interview")
    return None


def _probe(current: Question, text: str, family: str, **reason) -> Prompt:
    return Prompt(PromptKind.PROBE, current.id, current.category, text, {**reason, "family": family})


def _choose_probe(qset: QuestionSet, current: Question, history: list[Exchange], opts: PolicyOptions) -> Prompt | None:
    last = history[-1]
    on_current = [h for h in history if h.prompt.question_id == current.id]
    probes = [h for h in on_current if h.prompt.kind == "probe"]
    from_round_one = current.id.startswith("round1_")
    spec = opts.spec
    if opts.max_probes_per_question is not None:
        limit = opts.max_probes_per_question
    else:
        limit = spec.episode_probes if current.category in EPISODE else spec.probes_per_question
    limit += 1 if from_round_one else 0
    if opts.probes_by_question is not None and current.id in opts.probes_by_question:
        limit = min(limit, opts.probes_by_question[current.id])
    if len(probes) >= limit or not last.answered:
        return None
    probed = {h.prompt.reason.get("probe") or h.prompt.reason.get("finding") for h in probes}
    spoken = {h.prompt.text for h in history}
    found = dict(last.findings)
    company = opts.company
    claim = next((h.claim for h in on_current if h.claim), None)

    def say(phrasings, key, **values):
        return _say(phrasings, spoken, (opts.seed, current.id, key, len(history)), **values)

    # 1. The question was missed: ask it again, once.
    for fid in ("not_japanese", "off_question"):
        if fid in found and "reask" not in probed:
            if text := say(qset.extra("reask", fid), fid, question=current.text):
                return _probe(current, text, "reask", why=f"answer showed {fid}", finding=fid, probe="reask", evidence=found[fid])
    # 1b. What only the candidate's documents give (a target): a competitor's same strength, a round-one doubt.
    if opts.grounding is not None and (g := opts.grounding.probe(current, last.text, probed, spoken)) is not None:
        text, reason = g
        return _probe(current, text, **reason)
    # 2. The most important gap.
    values = {
        "competitor": company.named_competitor() if company else None,
        "company": company.name if company else None,
        "claim": claim,
    }
    for spec_ in FINDINGS:
        key = spec_.id
        if key not in found or spec_.family in (None, "reask") or key in probed:
            continue
        evidence = found[key]
        quote = m.group(1) if (m := _QUOTE.search(evidence)) else None
        if text := say(qset.probes_for(current, key), key, quote=quote, **values):
            return _probe(current, text, spec_.family, why=f"answer showed {key}", finding=key, evidence=evidence)
    # 3. A contradiction with an earlier answer.
    if "contradiction" not in {h.prompt.reason.get("probe") for h in history}:
        from simulator.interview.consistency import contradiction

        if (c := contradiction(last, history[:-1])) is not None:
            earlier, now, why = c
            if text := say(qset.extra("contradiction", "any"), "contradiction", earlier=earlier, now=now):
                return _probe(current, text, "deeper", why=why, probe="contradiction", finding=None,
                              evidence=f"「{earlier}」と「{now}」")
    # 4. The ladder down one episode, even with no gap (but not down an answer that said nothing).
    if current.category in EPISODE and last.text.strip():
        covered = frozenset().union(*(h.covered for h in on_current))
        for rung in DEEPER_RUNGS:
            key = f"deeper:{rung}"
            if key in probed or rung in covered:
                continue
            phrasings = current.probes.get(key) or qset.extra("ladder", rung)
            if text := say(phrasings, key, claim=claim):
                return _probe(current, text, key, why=f"digging deeper: {rung}", probe=key, finding=None,
                              evidence=f"「{claim}」" if claim else "")
    if from_round_one and "deeper" not in probed:
        if text := say(qset.probes_for(current, "deeper"), "deeper"):
            return _probe(current, text, "deeper", why="a question from round one: asked deeper", probe="deeper",
                          finding=None, evidence="一次面接で聞かれた質問")
    return None


def _reverse_turn(qset: QuestionSet, current: Question, history: list[Exchange], opts: PolicyOptions) -> Prompt | None:
    """The reverse stage: react to each question, redirect conditions, and close."""
    on_current = [h for h in history if h.prompt.question_id == current.id]
    last = history[-1]
    found = dict(last.findings)
    spoken = {h.prompt.text for h in history}
    if len(on_current) >= opts.spec.reverse_turns + 1 or not last.answered or not last.text.strip():
        return None  # nothing said: nothing to react to
    if opts.probes_by_question is not None and len(on_current) - 1 >= opts.probes_by_question.get(current.id, len(on_current)):
        return None  # no more follow-ups wanted here (run --script, --no-probes)
    asked_before = any(h.prompt.kind == "probe" for h in on_current)

    def say(phrasings, key, **values):
        return _say(phrasings, spoken, (opts.seed, current.id, key, len(history)), **values)

    if "not_japanese" in found and not asked_before:
        if text := say(qset.extra("reask", "not_japanese"), "not_japanese", question=current.text):
            return _probe(current, text, "reask", why="answer showed not_japanese", finding="not_japanese",
                          probe="reask", evidence=found["not_japanese"])
    if "no_questions" in found:
        if asked_before:
            return None  # they asked, and have no more: the interview ends
        text = say(qset.probes_for(current, "no_questions"), "no_questions")
        return _probe(current, text, "reverse_reaction", why="answer showed no_questions", finding="no_questions",
                      evidence=found["no_questions"]) if text else None
    if "conditions_question" in found:
        text = say(qset.probes_for(current, "conditions_question"), "conditions_question")
        if text:
            return _probe(current, text, "reverse_redirect", why="answer showed conditions_question",
                          finding="conditions_question", evidence=found["conditions_question"],
                          judgement="条件面の質問: 仕事への関心はまだ見えない")
    if opts.grounding is not None and (g := opts.grounding.reverse(last.text, {h.prompt.reason.get("probe") for h in on_current}, spoken)):
        text, reason = g
        return _probe(current, text, **reason)
    answer = _answer_from_profile(last.text, opts.company)
    if answer:
        text = say(qset.extra("reverse", "answer"), "reverse_answer", answer=answer)
    else:
        text = say(qset.extra("reverse", "check"), "reverse_check")
    if text is None:
        return None
    return _probe(current, text, "reverse_reaction", why="a reverse question about the work: answered", finding=None,
                  probe="reverse_answer", evidence="", judgement="仕事の中身についての質問: 入社後を具体的に考えていることが伝わる")


def _answer_from_profile(question: str, company: "CompanyProfile | None") -> str | None:
    """One sentence from the profile that shares a specific term with the candidate's question."""
    if company is None or not question:
        return None
    from simulator.interview.company import _content_terms

    for item in (*company.policies, *company.strengths, *company.business):
        if any(surface in question for surface, _ in _content_terms(item) if len(surface) >= 2):
            return f"当社では、{item}という点に力を入れています。"
    return None


def move_family(prompt: Prompt | None) -> str:
    """The name of the interviewer's next move (the contract with scoring scripts)."""
    if prompt is None:
        return "end"
    if prompt.kind == "question":
        return "next_question"
    return prompt.reason.get("family") or "next_question"


def next_move_for_answer(question: str, category: str | None, text: str, findings, company=None,
                         claim: str | None = None, covered: frozenset[str] = frozenset()) -> str:
    """The family of what the interviewer would say right after this one answer to `question`."""
    return move_family(next_after_answer(question, category, text, findings, company, claim, covered))


def next_after_answer(question: str, category: str | None, text: str, findings, company=None,
                      claim: str | None = None, covered: frozenset[str] = frozenset()) -> Prompt | None:
    """The interviewer's next prompt after one answer to `question` (asked first, in a full interview)."""
    from simulator.interview.question_sets import load_default_probes

    category = category or "values"
    defaults, deeper, extra = load_default_probes()
    asked = Question("asked", category, question or "(質問)", {}, None)
    rest = [Question("next", "values" if category != "values" else "experience", "(次の質問)", {}, None)]
    if category != "reverse":
        rest.append(Question("closing", "reverse", "最後に、何か質問はありますか。", {}, None))
    qset = QuestionSet("one", "one answer", (asked, *rest), "", None, defaults, deeper, extra)
    first = Prompt(PromptKind.QUESTION, "asked", category, asked.text, {"why": "the question answered"})
    pairs = tuple((f.id, f.evidence) if hasattr(f, "id") else tuple(f) for f in findings)
    exchange = Exchange(first, pairs, 60.0, text, claim, covered)
    return next_prompt(qset, [exchange], PolicyOptions(company=company))
