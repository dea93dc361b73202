"""Hold or yield: how much silence ends the answer now. A pure function of the cues.

The fixed rule waits `end_silence_s` (2.5 s, growing with the candidate's own pauses) after every
answer, even after 「…以上です。」. People answer within 0.2-0.7 s. Here the silence that ends the
turn depends on what was said before the pause (ending.py):

- a closing formula (以上です, よろしくお願いします) after `closing_min_answer_s` of speech:
  `closing_yield_s` (earlier it is a greeting, and the fixed rule applies);
- a complete sentence, with nothing promised still to come and at least `min_answer_s` of
  speech: `yield_s` once the answer is as long as the question calls for (expected_answer_s),
  `early_yield_s` before; when this candidate has already gone on after a complete sentence in this
  answer, a little longer than that pause was (they take their time between sentences);
- an open ending (〜ですが、 えーと、 一つ目は、): held up to `open_hold_s`;
- nothing heard yet, or an ending the grammar does not settle: the fixed rule, unchanged.

Enter still ends the answer at once, and the no-answer and time limits are the endpointer's.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.analysis.catalogue import THRESHOLDS
from simulator.turntaking.ending import Ending


@dataclass(frozen=True)
class TurnOptions:
    listen_after_s: float = 0.3  # the ending is heard after this much silence (shorter ones are breaths)
    yield_s: float = 0.7  # silence after a complete sentence
    closing_yield_s: float = 0.5  # silence after 以上です / よろしくお願いします
    open_hold_s: float = 6.0  # an open ending is held this long (hesitant starts: 3-6 s)
    min_answer_s: float = 3.0  # less speech than this is a start, not an answer: no fast yield
    # A closing formula this early is a greeting (「山田と申します。本日はよろしくお願いいたします。」),
    # after which a self-introduction goes on: the fixed rule then.
    closing_min_answer_s: float = 8.0
    continued_factor: float = 1.3  # after going on from a complete sentence: wait this x that pause
    # Before the answer reaches the length this question calls for (expected_answer_s), a
    # complete sentence is more often a step than the end (「一生懸命頑張りました。」 0.8 s 「チームの…」):
    # a listener waits longer, though less than the fixed rule.
    early_yield_s: float = 1.5
    probe_answer_s: float = 4.0  # what a follow-up's answer calls for at least


@dataclass(frozen=True)
class TurnCues:
    ending: Ending | None  # None: the words before this pause are not heard yet
    expects_more: bool  # a list announced and not finished, a conclusion given first
    speech_s: float  # speech in the answer so far
    patient_s: float  # the fixed rule's silence now (TurnEndpointer.end_silence_s)
    longest_continued_s: float = 0.0  # the longest pause after a complete sentence that the candidate went on from
    expected_s: float = 0.0  # the least speech this question calls for (expected_answer_s)


def required_silence_s(cues: TurnCues, opts: TurnOptions = TurnOptions()) -> float:
    """The silence after the last speech that ends the turn, given what was said."""
    if cues.ending is None or cues.ending == Ending.UNKNOWN:
        return cues.patient_s
    if cues.ending == Ending.OPEN:
        return max(cues.patient_s, opts.open_hold_s)
    if cues.ending == Ending.CLOSING:
        return opts.closing_yield_s if cues.speech_s >= opts.closing_min_answer_s else cues.patient_s
    if cues.expects_more or cues.speech_s < opts.min_answer_s:
        return cues.patient_s
    base = opts.yield_s if cues.speech_s >= cues.expected_s else opts.early_yield_s
    return min(cues.patient_s, max(base, opts.continued_factor * cues.longest_continued_s))


def expected_answer_s(prompt, opts: TurnOptions = TurnOptions()) -> float:
    """The least speech a prompt calls for: a main question as long as an answer that is not
    too short (the catalogue's too_short, 10 s), a follow-up a few seconds, the reverse stage
    and practical questions nothing (「特にありません」 and 「来月から可能です」 are whole answers)."""
    if prompt is None or prompt.category in ("reverse", "logistics"):
        return 0.0
    return THRESHOLDS.too_short_s if prompt.kind == "question" else opts.probe_answer_s
