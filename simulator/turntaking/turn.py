"""One answer's end of turn: the silence (endpoint.py), and the words heard before each pause.

Fed block by block on audio time, as the endpointer is. When a pause reaches `listen_after_s`,
the sentence under way (since the candidate went on after the last sentence heard complete; at
most `hear_max_s`) is heard by the recogniser (hear_ending: a short-context decode, about
0.05-0.3 s; heard again whole when it has too few morae for its speech) and its ending
classified (ending.py); from the moment that result
exists on audio time (the pause's time + what the decode took), the silence that ends the turn is
decision.py's. When the candidate goes on, the cue is dropped and the next pause is heard again.

A recogniser without the `ending` capability (the fake) leaves the fixed rule in charge.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from simulator.analysis.morae import count_morae
from simulator.audio.clip import TARGET_RATE_HZ
from simulator.audio.endpoint import EndpointOptions, EndReason, TurnEndpointer, TurnState
from simulator.turntaking.decision import Decision, TurnCues, TurnOptions, Why, decide
from simulator.turntaking.ending import Ending, classify_ending, expects_more, is_greeting, sentence_ends

_KEEP_S = 6.0  # audio kept for hearing an ending (hear_ending takes the last 3 s of speech)
_END_PAD_S = 0.15  # a little of the pause after the last word, so its end is not cut
_START_PAD_S = 0.1  # and a little before a sentence's first word


@dataclass(frozen=True)
class HeardEnding:
    """What was heard before one pause, and when the decision could use it (audio time)."""

    pause_start_s: float
    text: str
    ending: Ending
    expects_more: bool
    ready_at_s: float  # audio time the request was made + the decode's wall time
    required_s: float | None = None  # the silence the decision asked for (None: not decided yet)
    why: Why | None = None  # the rule that set it

    def to_dict(self) -> dict:
        return {"pause_start_s": round(self.pause_start_s, 3), "text": self.text, "ending": self.ending.value,
                "expects_more": self.expects_more, "ready_at_s": round(self.ready_at_s, 3),
                "required_s": None if self.required_s is None else round(self.required_s, 3),
                "why": None if self.why is None else self.why.value}


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
        self._speech: list[bool] = []  # the voice gate's call for each kept block
        self._audio_start_s = 0.0  # audio time of the first kept sample
        self._kept = 0
        self._current: HeardEnding | None = None
        self._thinking: set[int] = set()  # indices into ep.pauses_s of pauses held as open or a hesitant start
        self._sentence_start_s: float | None = None  # audio time the sentence under way began (after one heard complete)
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
        self._keep(block, is_speech)
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
    def _keep(self, block: np.ndarray, is_speech: bool) -> None:
        self._audio.append(np.asarray(block, np.float32))
        self._speech.append(bool(is_speech))
        self._kept += len(block)
        while self._audio and self._kept - len(self._audio[0]) >= _KEEP_S * TARGET_RATE_HZ:
            first = self._audio.pop(0)
            self._speech.pop(0)
            self._kept -= len(first)
            self._audio_start_s += len(first) / TARGET_RATE_HZ

    def _hear(self) -> None:
        ep = self.ep
        end_s = (ep.last_speech_end_s or ep.elapsed_s) + _END_PAD_S
        audio = np.concatenate(self._audio)
        stop = int(round((end_s - self._audio_start_s) * TARGET_RATE_HZ))
        stop = max(0, min(len(audio), stop))
        first = max(0, stop - int(self.options.hear_max_s * TARGET_RATE_HZ))
        start = max(first, self._window_start(stop))
        t0 = self.clock()
        text = self.recogniser.hear_ending(audio[start:stop])
        took_s = self.clock() - t0
        rate = self._morae_per_s(text, start, stop)
        if rate < self.options.min_morae_per_s and start > first:
            # Fewer words than the speech holds: Whisper stopped early (「新規開」 for 2.4 s of
            # 「新規開拓ができなくなりました。」) or wrote a bare 「です。」. Hear the whole last
            # seconds instead, and keep the reading that accounts for more of the speech.
            t0 = self.clock()
            again = self.recogniser.hear_ending(audio[first:stop])
            took_s += self.clock() - t0
            if self._morae_per_s(again, first, stop) > rate:
                text = again
        heard_so_far = self.context()
        self._context_sentences = sentence_ends(heard_so_far)
        # The streamed text lags the audio by a piece; the ending heard now brings it up to date.
        more = expects_more(heard_so_far + "。" + text) if heard_so_far else expects_more(text)
        self._current = HeardEnding(ep.last_speech_end_s or ep.elapsed_s, text, classify_ending(text), more, ep.elapsed_s + took_s)

    def _decision(self, cur: HeardEnding) -> Decision:
        ep = self.ep
        speech_s = max(0.0, ep.answer_s - sum(ep.pauses_s) - ep.silence_s)
        ended = sum(1 for h in self.heard if h.ending in (Ending.COMPLETE, Ending.CLOSING))
        sentences = max(ended + 1, self._context_sentences + 1)
        cues = TurnCues(cur.ending, cur.expects_more, speech_s, self._patient_s(), self.longest_continued_s,
                        sentences, self.sentences_needed, is_greeting(cur.text))
        return decide(cues, self.options)

    def _patient_s(self) -> float:
        """The fixed rule's silence, stretched by this answer's pauses except those the words
        explained as thinking inside a sentence (after an open ending or in a hesitant start):
        5 s after 「えーと、」 before the answer began said nothing about how long this speaker
        pauses once a sentence is complete, and stretched every unsettled end to 4 s."""
        ep = self.ep
        return ep.stretched_s([p for i, p in enumerate(ep.pauses_s) if i not in self._thinking])

    def _decide(self) -> None:
        cur = self._current
        d = self._decision(cur)
        self._current = HeardEnding(cur.pause_start_s, cur.text, cur.ending, cur.expects_more, cur.ready_at_s,
                                    d.silence_s, d.why)
        self.heard.append(self._current)
        self.ep.required_silence_s = d.silence_s

    def _morae_per_s(self, text: str, start: int, stop: int) -> float:
        """Morae heard per second of speech (the voice gate's) between start and stop (samples)."""
        pos, speech = 0, 0
        for block, is_speech in zip(self._audio, self._speech):
            a, b = max(pos, start), min(pos + len(block), stop)
            if is_speech and b > a:
                speech += b - a
            pos += len(block)
        return count_morae(text) / max(speech / TARGET_RATE_HZ, 0.3) if text else 0.0

    def _window_start(self, stop: int) -> int:
        """Where the audio to hear starts (samples into the kept audio): where the candidate went
        on after the last sentence heard complete, but at least `hear_min_s` before the end.

        Whisper given [the end of the last sentence, a pause, a new clause] often writes only the
        sentence (「山本と申します。」 for 「…申します。現在は、」) or a bare 「です。」, and that
        misheard end was read as complete (4 of bench/turns' 5 cut-ins): the decode hears the
        sentence under way. Its start stays in (a lone 「まず、」 before a short pause is part
        of it, and says a sequence has begun)."""
        o = self.options
        if not o.hear_from_sentence or self._sentence_start_s is None:
            return 0
        at = int(round((self._sentence_start_s - self._audio_start_s) * TARGET_RATE_HZ))
        return max(0, min(stop - int(o.hear_min_s * TARGET_RATE_HZ), at))

    def _went_on(self) -> None:
        """The candidate spoke again. Where the rule had yielded (a complete sentence, nothing
        owed), that pause says how long this speaker takes between sentences. Where it held (an
        open ending, a list or story owed, a main question's headline), going on was what it
        expected: a speaker who pauses 1.8 s after a headline has told nothing about how long
        they pause once done, and learning from it made every later sentence wait 1.3 x that."""
        cur = self._current
        if cur.required_s is None:  # went on before the decision existed: what it would have been
            d = self._decision(cur)
            cur = HeardEnding(cur.pause_start_s, cur.text, cur.ending, cur.expects_more, cur.ready_at_s, None, d.why)
            self.heard.append(cur)
        if cur.why in (Why.OPEN, Why.START) and self.ep.pauses_s:
            self._thinking.add(len(self.ep.pauses_s) - 1)
        if cur.why is not None and cur.why.yields and self.ep.pauses_s:
            self.longest_continued_s = max(self.longest_continued_s, self.ep.pauses_s[-1])
        if cur.ending in (Ending.COMPLETE, Ending.CLOSING):  # a new sentence begins with this voice (a little before it was sure)
            self._sentence_start_s = self.ep.elapsed_s - self.ep.options.min_speech_s - _START_PAD_S
        self._current = None
        self.ep.required_silence_s = None
