"""The probe policy: from the question, the answer's findings and the history, choose the next prompt.

Pure and deterministic for a given seed. Every prompt carries the reason it was chosen.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from simulator.interview.question_sets import Question, QuestionSet

# Most important gap first: what a hiring manager would dig into before anything else.
FINDING_PRIORITY = (
    "no_questions",
    "conditions_question",
    "negative_reason",
    "blame",
    "generic_motivation",
    "abstract",
    "no_numbers",
    "no_process",
    "no_learning",
    "not_conclusion_first",
    "too_long",
    "long_answer",
    "too_short",
    "hesitant_start",
    "many_fillers",
)


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


@dataclass(frozen=True)
class PolicyOptions:
    seed: int = 0
    max_probes_per_question: int = 2
    max_questions: int | None = None


def _pick(options: tuple[str, ...], *key: object) -> str:
    digest = hashlib.sha256("|".join(map(str, key)).encode()).digest()
    return options[digest[0] % len(options)]


def _ask(q: Question, why: str) -> Prompt:
    return Prompt("question", q.id, q.category, q.text, {"why": why})


def next_prompt(qset: QuestionSet, history: list[Exchange], opts: PolicyOptions = PolicyOptions()) -> Prompt | None:
    if not history:
        return _ask(qset.questions[0], "first question of the set")
    last = history[-1]
    current = qset.question(last.prompt.question_id)
    on_current = [h for h in history if h.prompt.question_id == current.id]
    probes_so_far = sum(1 for h in on_current if h.prompt.kind == "probe")
    probed = {h.prompt.reason.get("finding") for h in on_current if h.prompt.kind == "probe"}
    asked_texts = {h.prompt.text for h in history}
    if probes_so_far < opts.max_probes_per_question:
        found = dict(last.findings)
        for finding in sorted(found, key=lambda f: FINDING_PRIORITY.index(f) if f in FINDING_PRIORITY else 99):
            if finding in probed or finding not in current.probes:
                continue
            phrasings = tuple(p for p in current.probes[finding] if p not in asked_texts) or current.probes[finding]
            text = _pick(phrasings, opts.seed, current.id, finding, len(history))
            return Prompt(
                "probe",
                current.id,
                current.category,
                text,
                {"why": f"answer showed {finding}", "finding": finding, "evidence": found[finding]},
            )
    index = [q.id for q in qset.questions].index(current.id)
    main_asked = len({h.prompt.question_id for h in history})
    if index + 1 >= len(qset.questions) or (opts.max_questions is not None and main_asked >= opts.max_questions):
        return None
    return _ask(qset.questions[index + 1], "next question of the set")
