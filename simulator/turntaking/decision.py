"""Hold or yield: how much silence ends the answer now. A pure function of the cues.

The fixed rule waits `end_silence_s` (2.5 s, growing with the candidate's own pauses) after every
answer, even after 「…以上です。」. People answer within 0.2-0.7 s. Here the silence that ends the
turn depends on what was said before the pause (ending.py):

- a closing formula (以上です, よろしくお願いします): `closing_yield_s`; a greeting one before
  `closing_min_answer_s` of speech opens an answer and counts as a plain sentence;
- a complete sentence, with nothing promised still to come (a list, a sequence begun with まず, a
  conclusion given first) and as many sentences as the prompt calls for (a main question two:
  the headline, then the substance): `yield_s`; when this candidate has gone on after a complete
  sentence earlier (in this answer or the session) where this rule had yielded (it expected
  nothing more, and they went on: a surprise), a little longer than that pause was (they take
  their time between sentences); with fewer sentences, the fixed rule;
- less than `min_answer_s` of speech on a question that needs an answer: a hesitant start, held
  as an open ending;
- an open ending (〜ですが、 えーと、 一つ目は、): held up to `open_hold_s`;
- nothing heard yet, or an ending the grammar does not settle: the fixed rule, unchanged.

Enter still ends the answer at once, and the no-answer and time limits are the endpointer's.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from simulator.turntaking.ending import Ending


class Why(str, Enum):
    """Which rule set the silence: kept in the turn record, and it says whether a candidate who
    went on surprised the rule (only a yield can be surprised; a hold expected more)."""

    CLOSING = "closing"  # 以上です / よろしくお願いします
    YIELD = "yield"  # a complete sentence, nothing owed
    OPEN = "open"  # an open ending: held
    START = "start"  # a hesitant start: held as an open ending
    OWED = "owed"  # a list, a sequence or a story still owed: the fixed rule
    HEADLINE = "headline"  # a main question's one short sentence: the substance follows; the fixed rule
    UNSETTLED = "unsettled"  # nothing heard, or the grammar does not settle it: the fixed rule

    @property
    def yields(self) -> bool:
        """Did the words say the answer may be over? A candidate going on from here surprised the rule."""
        return self in (Why.CLOSING, Why.YIELD)


@dataclass(frozen=True)
class Decision:
    silence_s: float  # the silence after the last speech that ends the turn
    why: Why

    @property
    def yields(self) -> bool:
        return self.why.yields


@dataclass(frozen=True)
class TurnOptions:
    listen_after_s: float = 0.3  # the ending is heard after this much silence (shorter ones are breaths)
    # What is heard: the sentence under way, from where the candidate went on after the last
    # sentence heard complete (False: the last hear_max_s, the earlier sentence and all), and at
    # least hear_min_s of audio (a short clause alone is too little for Whisper).
    hear_from_sentence: bool = True
    hear_min_s: float = 1.0
    hear_max_s: float = 3.0  # the most audio heard (only the end matters, and a short one decodes fast)
    # Speech runs at 6-9 morae a second (fillers drawn out: 3-5); a decode with fewer than this
    # per second of the speech it was given lost words (bench/turns: 0.8-2.2 for the misheard).
    min_morae_per_s: float = 3.0
    yield_s: float = 0.7  # silence after a complete sentence
    closing_yield_s: float = 0.5  # silence after 以上です / よろしくお願いします
    open_hold_s: float = 7.0  # an open ending is held this long (hesitant starts: 3-6 s)
    min_answer_s: float = 3.0  # less speech than this is a start, not an answer (held as an open ending)
    continued_factor: float = 1.3  # after going on from a complete sentence: wait this x that pause
    # A greeting formula this early (「山田と申します。本日はよろしくお願いいたします。」) opens a
    # self-introduction: it counts as a plain sentence.
    closing_min_answer_s: float = 8.0
    # A main question's answer of one sentence is whole only with this much speech (one long
    # sentence of several clauses); a short one is a headline, and the substance follows.
    body_s: float = 6.0


@dataclass(frozen=True)
class TurnCues:
    ending: Ending | None  # None: the words before this pause are not heard yet
    expects_more: bool  # a list announced and not finished, a sequence begun, a conclusion given first
    speech_s: float  # speech in the answer so far
    patient_s: float  # the fixed rule's silence now (TurnEndpointer.end_silence_s)
    longest_continued_s: float = 0.0  # the longest unpredicted pause after a sentence that the candidate went on from
    sentences: int = 1  # sentences the answer has ended so far, this one included
    sentences_needed: int = 1  # the fewest a whole answer to this prompt has (sentences_needed())
    greeting: bool = False  # the closing formula is one that also greets (よろしくお願いします)


def decide(cues: TurnCues, opts: TurnOptions = TurnOptions()) -> Decision:
    """The silence after the last speech that ends the turn, given what was said, and why."""
    c = cues
    if c.ending is None or c.ending == Ending.UNKNOWN:
        return Decision(c.patient_s, Why.UNSETTLED)
    if c.ending == Ending.OPEN:
        return Decision(max(c.patient_s, opts.open_hold_s), Why.OPEN)  # more is coming
    if c.speech_s < opts.min_answer_s and c.sentences_needed > 1:
        return Decision(max(c.patient_s, opts.open_hold_s), Why.START)  # only a hesitant start so far
    if c.ending == Ending.CLOSING and not (c.greeting and c.speech_s < opts.closing_min_answer_s):
        return Decision(opts.closing_yield_s, Why.CLOSING)
    if c.expects_more:
        return Decision(c.patient_s, Why.OWED)
    if c.sentences < c.sentences_needed and c.speech_s < opts.body_s:
        return Decision(c.patient_s, Why.HEADLINE)
    return Decision(min(c.patient_s, max(opts.yield_s, opts.continued_factor * c.longest_continued_s)), Why.YIELD)


def sentences_needed(prompt) -> int:
    """The fewest sentences a whole answer has: a main question's answer gives its point and
    then its substance (「成功体験は、赤字の店舗を黒字にしたことです。」 is a headline: the how
    follows); a follow-up, the reverse stage and practical questions can be answered in one
    (「特にありません」, 「来月から可能です」)."""
    if prompt is None or prompt.category in ("reverse", "logistics"):
        return 1
    return 2 if prompt.kind == "question" else 1
