"""How serious each finding is, shared by the report's advice ranking and the review order.

3: can sink a second-round interview on its own (a hiring manager reads it as a red flag).
2: weakens the answer clearly (no evidence, no structure).
1: delivery polish; worth fixing after the rest.
Ties are broken by the probe policy's own priority, so the report, the probes and the review
agree on what matters most.
"""

from __future__ import annotations

from simulator.interview.policy import FINDING_PRIORITY

SEVERITY: dict[str, int] = {
    "no_questions": 3,
    "negative_reason": 3,
    "blame": 3,
    "generic_motivation": 3,
    "too_long": 3,
    "conditions_question": 2,
    "abstract": 2,
    "no_numbers": 2,
    "no_process": 2,
    "no_learning": 2,
    "not_conclusion_first": 2,
    "too_short": 2,
    "long_answer": 1,
    "hesitant_start": 1,
    "many_fillers": 1,
}
DEFAULT_SEVERITY = 1  # an id this table does not know yet (a newer analyser) still counts


def severity(finding_id: str) -> int:
    return SEVERITY.get(finding_id, DEFAULT_SEVERITY)


def priority_index(finding_id: str) -> int:
    return FINDING_PRIORITY.index(finding_id) if finding_id in FINDING_PRIORITY else len(FINDING_PRIORITY)


def rank_key(finding_id: str) -> tuple[int, int, str]:
    """Sort key: most serious first, then the policy's order, then the id (stable for unknown ids)."""
    return (-severity(finding_id), priority_index(finding_id), finding_id)
