"""One answer's end of turn: the silence (endpoint.py), and the words heard before each pause.

Fed block by block on audio time, as the endpointer is. When a pause reaches `listen_after_s`,
the last seconds of speech before it are heard by the recogniser (hear_ending: a short-context
decode, about 0.05-0.3 s) and their ending classified (ending.py); from the moment that result
exists on audio time (the pause's time + what the decode took), the silence that ends the turn is
decision.py's. When the candidate goes on, the cue is dropped and the next pause is heard again.

A recogniser without the `ending` capability (the fake) leaves the fixed rule in charge.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ
from simulator.audio.endpoint import EndpointOptions, EndReason, TurnEndpointer, TurnState
from simulator.turntaking.decision import TurnCues, TurnOptions, required_silence_s
from simulator.turntaking.ending import Ending, classify_ending, expects_more, is_greeting, sentence_ends

_KEEP_S = 6.0  # audio kept for hearing an ending (hear_ending takes the last 3 s of speech)
_END_PAD_S = 0.15  # a little of the pause after the last word, so its end is not cut


@dataclass(frozen=True)
class HeardEnding:
    """What was heard before one pause, and when the decision could use it (audio time)."""

    pause_start_s: float
    text: str
    ending: Ending
    expects_more: bool
    ready_at_s: float  # audio time the request was made + the decode's wall time
    required_s: float | None = None  # the silence the decision asked for (None: not decided yet)

    def to_dict(self) -> dict:
        return {"pause_start_s": round(self.pause_start_s, 3), "text": self.text, "ending": self.ending.value,
                "expects_more": self.expects_more, "ready_at_s": round(self.ready_at_s, 3),
                "required_s": None if self.required_s is None else round(self.required_s, 3)}


@dataclass
class TurnTaker:
    endpoint: EndpointOptions = field(default_factory=EndpointOptions)
    options: TurnOptions | None = field(default_factory=TurnOptions)  # None: the fixed rule alone
    recogniser: object = None  # a Transcriber; its hear_ending is used when it declares `ending`
    context: Callable[[], str] = lambda: ""  # the answer's text heard so far (streamed pieces)
    clock: Callable[[], float] = time.perf_counter
    sentences_needed: int = 1  # the fewest sentences a whole answer to the prompt has (decision.sentences_needed)
    # The longest pause after a complete sentence the candidate went on from, in earlier answers
    # of the session: how long this speaker takes between sentences (a property of the person).
    sentence_pause_s: float = 0.0
    heard: list[HeardEnding] = field(default_factory=list, init=False)  # every pause heard (the record)
    longest_continued_s: float = field(default=0.0, init=False)

    def __post_init__(self):
        self.ep = TurnEndpointer(self.endpoint)
        self._audio: list[np.ndarray] = []
        self._audio_start_s = 0.0  # audio time of the first kept sample
        self._kept = 0
        self._current: HeardEnding | None = None
        self._context_sentences = 0
        rec = self.recogniser
        self._hears = self.options is not None and rec is not None and rec.capabilities.ending
        self.longest_continued_s = self.sentence_pause_s

    def press_enter(self) -> EndReason | None:
        return self.ep.press_enter()

    def reopen(self) -> None:
        """The candidate went on over the acknowledgement: the turn had not ended. When their voice
        is back, that whole pause teaches how long this speaker pauses between sentences."""
        self.ep.reopen()

    def feed(self, block: np.ndarray, is_speech: bool) -> EndReason | None:
        """Advance by one block; returns the end reason when the turn ends with it."""
        self._keep(block)
        reason = self.ep.feed(is_speech, len(block) / TARGET_RATE_HZ)
        if reason is not None:
            return reason
        ep = self.ep
        if ep.state == TurnState.SPEAKING and ep.required_silence_s == float("inf"):
            ep.required_silence_s = None  # reopened, and the voice is back
        if not self._hears:
            return None
        if ep.state == TurnState.SPEAKING and self._current is not None:
            self._went_on()
        if ep.state == TurnState.PAUSING:
            if self._current is None and ep.silence_s >= self.options.listen_after_s:
                self._hear()
            if self._current is not None and self._current.required_s is None and ep.elapsed_s >= self._current.ready_at_s:
                self._decide()
                return ep.check()
        return None

    # --- inside ------------------------------------------------------------------------------
    def _keep(self, block: np.ndarray) -> None:
        self._audio.append(np.asarray(block, np.float32))
        self._kept += len(block)
        while self._audio and self._kept - len(self._audio[0]) >= _KEEP_S * TARGET_RATE_HZ:
            first = self._audio.pop(0)
            self._kept -= len(first)
            self._audio_start_s += len(first) / TARGET_RATE_HZ

    def _hear(self) -> None:
        ep = self.ep
        end_s = (ep.last_speech_end_s or ep.elapsed_s) + _END_PAD_S
        audio = np.concatenate(self._audio)
        stop = int(round((end_s - self._audio_start_s) * TARGET_RATE_HZ))
        samples = audio[: max(0, min(len(audio), stop))]
        t0 = self.clock()
        text = self.recogniser.hear_ending(samples)
        took_s = self.clock() - t0
        heard_so_far = self.context()
        self._context_sentences = sentence_ends(heard_so_far)
        # The streamed text lags the audio by a piece; the ending heard now brings it up to date.
        more = expects_more(heard_so_far + "。" + text) if heard_so_far else expects_more(text)
        self._current = HeardEnding(ep.last_speech_end_s or ep.elapsed_s, text, classify_ending(text), more, ep.elapsed_s + took_s)

    def _decide(self) -> None:
        ep, cur = self.ep, self._current
        speech_s = max(0.0, ep.answer_s - sum(ep.pauses_s) - ep.silence_s)
        ended = sum(1 for h in self.heard if h.ending in (Ending.COMPLETE, Ending.CLOSING))
        sentences = max(ended + 1, self._context_sentences + 1)
        cues = TurnCues(cur.ending, cur.expects_more, speech_s, ep.end_silence_s, self.longest_continued_s,
                        sentences, self.sentences_needed, is_greeting(cur.text))
        required = required_silence_s(cues, self.options)
        self._current = HeardEnding(cur.pause_start_s, cur.text, cur.ending, cur.expects_more, cur.ready_at_s, required)
        self.heard.append(self._current)
        ep.required_silence_s = required

    def _went_on(self) -> None:
        """The candidate spoke again: after a complete sentence with nothing promised (no list, no
        まず…), that pause says how long this speaker takes between sentences."""
        cur = self._current
        if cur.ending in (Ending.COMPLETE, Ending.CLOSING) and not cur.expects_more and self.ep.pauses_s:
            self.longest_continued_s = max(self.longest_continued_s, self.ep.pauses_s[-1])
        if cur.required_s is None:
            self.heard.append(cur)
        self._current = None
        self.ep.required_silence_s = None
