"""The probe policy: from the question, the answer's findings and the history, choose the next prompt.

Pure and deterministic for a given seed: the same set, history and options give the same prompt.
Every prompt carries the reason it was chosen (the finding and its evidence, or why the
interview moved on). Rules, in the order they apply:

1. After an answer, probe the most important gap (FINDING_PRIORITY) that the question has a
   probe for, unless the question's depth limit is reached, that finding was already probed on
   this question, or every phrasing of it was already spoken in this interview (a probe is never
   repeated word for word).
2. A question brought back from round one may be probed once more, and gets a "deeper" probe
   (why that method, what went wrong, can it be repeated here) when the answer shows no gap.
3. Otherwise ask the next main question of the plan; when the time budget would not leave room
   for the reverse questions, skip straight to them. After the reverse questions (and at most
   one reaction to them) the interview ends.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.interview.question_sets import PLACEHOLDERS, Question, QuestionSet

if TYPE_CHECKING:
    from simulator.interview.company import CompanyProfile
    from simulator.interview.round_one import RoundOne

# Most important gap first: what a hiring manager would dig into before anything else.
FINDING_PRIORITY = (
    "no_questions",
    "conditions_question",
    "generic_motivation",
    "negative_reason",
    "blame",
    "abstract",
    "no_process",
    "no_numbers",
    "no_learning",
    "too_long",
    "too_short",
    "not_conclusion_first",
    "long_answer",
    "hesitant_start",
    "many_fillers",
)

# The kind of follow-up each finding calls for. Delivery findings (fillers, a slow start, a
# slightly long answer) are fed back after the interview, not probed: an interviewer does not
# ask about them.
PROBE_FAMILY: dict[str, str | None] = {
    "abstract": "specifics",
    "no_numbers": "figures",
    "no_process": "process",
    "no_learning": "lesson",
    "blame": "ownership",
    "negative_reason": "forward",
    "generic_motivation": "why_us",
    "not_conclusion_first": "conclusion",
    "too_long": "summary",
    "too_short": "elaborate",
    "no_questions": "reverse_reaction",
    "conditions_question": "reverse_redirect",
    "long_answer": None,
    "hesitant_start": None,
    "many_fillers": None,
    "deeper": "deeper",
}

# What a phrasing of each family must say (used by `sets validate` and `eval findings`).
FAMILY_MARKERS: dict[str, re.Pattern] = {
    "specifics": re.compile(r"具体"),
    "figures": re.compile(r"数字|数値|どのくらい|どれくらい|何名|何人|何件|規模"),
    "process": re.compile(r"どのように|どうやって|手順|進め|どう身につけ"),
    "lesson": re.compile(r"学|教訓|生か|活か|次に"),
    "ownership": re.compile(r"ご自身|あなた自身|ご自分|責任"),
    "forward": re.compile(r"解決|実現|今後|これから|やりたい"),
    "why_us": re.compile(r"当社|弊社"),
    "conclusion": re.compile(r"結論|一言|要するに|つまり"),
    "summary": re.compile(r"要点|一言|まとめ|絞る|一つに"),
    "elaborate": re.compile(r"詳しく|具体"),
    "reverse_reaction": re.compile(r"質問|関心|よろしいですか"),
    "reverse_redirect": re.compile(r"内定後|仕事の中身|業務|ほかに質問"),
    "deeper": re.compile(r"なぜ|どう|何を|何から|何か試し|具体的|一次面接|役割"),
}


def family_matches(probe_key: str, text: str) -> bool:
    family = PROBE_FAMILY.get(probe_key)
    return family is None or bool(FAMILY_MARKERS[family].search(text))


@dataclass(frozen=True)
class Prompt:
    kind: str  # "question" | "probe"
    question_id: str
    category: str
    text: str
    reason: dict = field(default_factory=dict)  # {"why": ..., "finding": ..., "evidence": ...}

    def to_dict(self) -> dict:
        return {"kind": self.kind, "question_id": self.question_id, "category": self.category, "text": self.text, "reason": self.reason}

    @classmethod
    def from_dict(cls, d: dict) -> "Prompt":
        return cls(d["kind"], d["question_id"], d.get("category", ""), d["text"], d.get("reason", {}))


@dataclass(frozen=True)
class Exchange:
    """What the policy needs to know of a completed turn."""

    prompt: Prompt
    findings: tuple[tuple[str, str], ...]  # (finding id, evidence)
    answer_s: float = 0.0  # time the candidate took (silence before answering included)


@dataclass(frozen=True)
class ModeSpec:
    budget_s: float  # the whole interview
    probes_per_question: int
    reverse_reserve_s: float  # kept free for the reverse questions at the end


MODES = {
    # A real second round runs 45-60 minutes: plan for 50 and keep 5 for the reverse questions.
    "full": ModeSpec(budget_s=50 * 60, probes_per_question=2, reverse_reserve_s=5 * 60),
    # A practice run in a lunch break: one question per family, one probe each.
    "short": ModeSpec(budget_s=15 * 60, probes_per_question=1, reverse_reserve_s=2 * 60),
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
    return Prompt("question", q.id, q.category, q.text, {"why": why, **extra})


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
        return _ask(nxt, "next question of the set")
    if reverse:
        if mains:
            why = (f"time budget: {elapsed / 60:.0f} of {opts.budget / 60:.0f} min used, moving to the reverse questions"
                   if out_of_time else "question limit reached, moving to the reverse questions")
            return _ask(reverse[0], why)
        return _ask(reverse[0], "the reverse questions close the interview")
    return None


def _choose_probe(qset: QuestionSet, current: Question, history: list[Exchange], opts: PolicyOptions) -> Prompt | None:
    last = history[-1]
    on_current = [h for h in history if h.prompt.question_id == current.id]
    probes_so_far = sum(1 for h in on_current if h.prompt.kind == "probe")
    from_round_one = current.id.startswith("round1_")
    limit = 1 if current.category == "reverse" else opts.probes_limit + (1 if from_round_one else 0)
    if probes_so_far >= limit:
        return None
    probed = {h.prompt.reason.get("probe") or h.prompt.reason.get("finding") for h in on_current if h.prompt.kind == "probe"}
    spoken = {h.prompt.text for h in history}
    found = dict(last.findings)
    company = opts.company
    keys = [f for f in FINDING_PRIORITY if f in found and PROBE_FAMILY.get(f)]
    if from_round_one:
        keys.append("deeper")
    for key in keys:
        if key in probed:
            continue
        evidence = found.get(key, "")
        quote = m.group(1) if (m := _QUOTE.search(evidence)) else None
        values = {
            "quote": quote,
            "competitor": company.named_competitor() if company else None,
            "company": company.name if company else None,
        }
        pairs = [(p, t) for p in qset.probes_for(current, key) if (t := _fill(p, values)) and t not in spoken]
        if not pairs:
            continue
        # Quote the candidate's words, or name the competitor, whenever it is possible: it shows
        # the answer was heard, which the fixed phrasings cannot.
        personal = tuple(t for p, t in pairs if "{" in p)
        pool = personal or tuple(t for _, t in pairs)
        text = _pick(pool, opts.seed, current.id, key, len(history))
        if key == "deeper":
            reason = {"why": "a question from round one: asked deeper", "probe": "deeper", "finding": None,
                      "evidence": "一次面接で聞かれた質問"}
        else:
            reason = {"why": f"answer showed {key}", "finding": key, "evidence": evidence, "family": PROBE_FAMILY[key]}
        return Prompt("probe", current.id, current.category, text, reason)
    return None
