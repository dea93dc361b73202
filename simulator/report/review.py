"""Which questions to ask again, in order of need, spaced over sessions (pure functions).

The rule (docs/reports.md):
- An attempt is one question in one session: the findings of its main answer and of the
  answers to its probes, each finding id counted once. Its score is the sum of the findings'
  severities (simulator/analysis/catalogue.py), so 0 means a clean attempt.
- A question needs review once any attempt had findings. The clean attempts since the last
  attempt with findings form its streak. It is due again after 2**streak sessions (next
  session, then after 2, then after 4: Leitner-style spacing), and it leaves the review once
  the streak reaches MASTERED_STREAK.
- Due questions are ordered by need = (score of the last attempt with findings) / 2**streak,
  then by how many attempts had findings, then by how overdue they are, then by the order
  given (the question set's), then by id, so the order is fully deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from simulator.analysis.catalogue import rank_key, severity

MASTERED_STREAK = 3


@dataclass(frozen=True)
class Attempt:
    question_id: str
    session_index: int  # 0-based position of the session among all sessions, oldest first
    findings: tuple[str, ...]  # finding ids over the question's turns in that session


@dataclass(frozen=True)
class ReviewItem:
    question_id: str
    need: float
    findings: tuple[str, ...]  # of the last attempt with findings, most serious first
    attempts: int
    bad_attempts: int
    streak: int  # clean attempts since the last attempt with findings
    last_session_index: int
    due_in_sessions: int  # 0: due in the next session

    @property
    def due(self) -> bool:
        return self.due_in_sessions <= 0


def attempt_score(findings: Iterable[str]) -> int:
    return sum(severity(f) for f in set(findings))


def review_plan(attempts: Iterable[Attempt], sessions_count: int, order: Sequence[str] = ()) -> list[ReviewItem]:
    """Every question still under review (due or not), most needed first."""
    by_question: dict[str, list[Attempt]] = {}
    for a in attempts:
        by_question.setdefault(a.question_id, []).append(a)
    items: list[ReviewItem] = []
    for qid, history in by_question.items():
        history.sort(key=lambda a: a.session_index)
        bad = [a for a in history if attempt_score(a.findings) > 0]
        if not bad:
            continue
        last_bad = bad[-1]
        streak = sum(1 for a in history if a.session_index > last_bad.session_index)
        if streak >= MASTERED_STREAK:
            continue
        last_index = history[-1].session_index
        interval = 2**streak
        elapsed = sessions_count - last_index  # the coming session is number sessions_count
        items.append(
            ReviewItem(
                question_id=qid,
                need=round(attempt_score(last_bad.findings) / interval, 3),
                findings=tuple(sorted(set(last_bad.findings), key=rank_key)),
                attempts=len(history),
                bad_attempts=len(bad),
                streak=streak,
                last_session_index=last_index,
                due_in_sessions=max(0, interval - elapsed),
            )
        )
    position = {qid: i for i, qid in enumerate(order)}
    items.sort(
        key=lambda it: (
            it.due_in_sessions,
            -it.need,
            -it.bad_attempts,
            it.last_session_index,  # asked longer ago: more overdue
            position.get(it.question_id, len(position)),
            it.question_id,
        )
    )
    return items


def review_order(attempts: Iterable[Attempt], sessions_count: int, order: Sequence[str] = (), limit: int | None = None) -> list[ReviewItem]:
    """The questions due for review in the next session, in order of need."""
    due = [it for it in review_plan(attempts, sessions_count, order) if it.due]
    return due if limit is None else due[:limit]
