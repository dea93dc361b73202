"""End of turn: when has the candidate finished answering? A pure state machine on AUDIO time.

Whether a block is speech is voice_gate.py's call (Silero on gain-normalised audio); this module
knows nothing about audio: TurnEndpointer is fed (is_speech, duration_s) in audio order and
decides when the turn ends.

Rules (the interviewer is patient: thinking pauses are normal and welcome in Japanese interviews):
- the answer ends after `end_silence_s` of silence following speech (default 2.5 s), unless the
  turn-taking decision (turntaking/) has set `required_silence_s` from the words before the
  pause (shorter after 〜です。, longer after 〜ですが、); when the
  candidate's own pauses inside this answer are long, the wait grows to `pause_factor` x their
  longest pause, capped at `max_end_silence_s`, so a slow, deliberate speaker is not cut off;
- the candidate can end the answer at once (Enter) -> "enter";
- after `max_answer_s` of answering the interviewer interrupts politely -> "time_limit";
- no speech at all for `no_answer_s` after the prompt -> "no_answer" (the caller re-asks, then moves on);
- a noise shorter than `min_speech_s` (a click, a cough) neither starts an answer nor breaks a pause.
Nothing here reads a clock: tests feed seconds of virtual audio in microseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class TurnState(StrEnum):
    WAITING = "waiting"  # prompt finished, candidate has not started
    SPEAKING = "speaking"
    PAUSING = "pausing"  # started, currently silent
    ENDED = "ended"


WAITING, SPEAKING, PAUSING, ENDED = TurnState


class EndReason(StrEnum):
    """Why an answer ended: saved as the answer's `ended_by` (a string in the JSON)."""

    SILENCE = "silence"  # the silence after the last words (the fixed rule, or the words rule)
    ENTER = "enter"
    TIME_LIMIT = "time_limit"
    NO_ANSWER = "no_answer"
    REPEAT = "repeat"  # the candidate asked to hear the question again (live only; never saved)
    END_OF_FILE = "end_of_file"  # a headless answer: the file ended


END_REASONS = (EndReason.SILENCE, EndReason.ENTER, EndReason.TIME_LIMIT, EndReason.NO_ANSWER)


@dataclass(frozen=True)
class EndpointOptions:
    end_silence_s: float = 2.5
    max_end_silence_s: float = 4.0
    pause_factor: float = 1.3
    min_pause_s: float = 0.3  # shorter silences are breaths between words, not pauses
    min_speech_s: float = 0.2
    max_answer_s: float = 180.0
    no_answer_s: float = 12.0


class TurnEndpointer:
    def __init__(self, options: EndpointOptions = EndpointOptions()):
        self.options = options
        self.state = WAITING
        self.reason: EndReason | None = None
        self.elapsed_s = 0.0  # audio since the prompt ended
        self.speech_start_s: float | None = None  # when the answer began
        self.last_speech_end_s: float | None = None
        self.pauses_s: list[float] = []  # completed pauses inside the answer
        self._run_s = 0.0  # current run of speech not yet long enough to count
        self._silence_s = 0.0  # silence since the last counted speech
        # Set by the turn-taking decision (turntaking/turn.py) from the words before this pause;
        # None: the fixed rule (end_silence_s).
        self.required_silence_s: float | None = None

    @property
    def started(self) -> bool:
        return self.speech_start_s is not None

    @property
    def answer_s(self) -> float:
        return 0.0 if self.speech_start_s is None else self.elapsed_s - self.speech_start_s

    @property
    def silence_s(self) -> float:
        return self._silence_s

    @property
    def end_silence_s(self) -> float:
        """The silence that ends this answer now: the base, stretched by the speaker's own long pauses."""
        return self.stretched_s(self.pauses_s)

    def stretched_s(self, pauses_s) -> float:
        """The base silence, stretched by the longest of these pauses (and capped)."""
        o = self.options
        longest = max(pauses_s, default=0.0)
        return min(max(o.end_silence_s, o.pause_factor * longest), max(o.max_end_silence_s, o.end_silence_s))

    def reopen(self) -> None:
        """The turn was not over (the candidate spoke over the interviewer's acknowledgement): the
        pause goes on, and nothing ends it before the candidate's voice is back."""
        self.state = PAUSING
        self.reason = None
        self.required_silence_s = float("inf")

    def press_enter(self) -> EndReason | None:
        if self.state == ENDED:
            return None
        return self._end(EndReason.ENTER)

    def feed(self, is_speech: bool, duration_s: float) -> EndReason | None:
        """Advance by one block of audio; returns the end reason when the turn ends with it."""
        if self.state == ENDED:
            return None
        o = self.options
        self.elapsed_s += duration_s
        if is_speech:
            self._run_s += duration_s
            if self._run_s >= o.min_speech_s:
                run_start = self.elapsed_s - self._run_s
                if self.speech_start_s is None:
                    self.speech_start_s = run_start
                elif self.state == PAUSING:
                    pause = run_start - (self.last_speech_end_s or run_start)
                    if pause >= o.min_pause_s:
                        self.pauses_s.append(pause)
                self.state = SPEAKING
                self._silence_s = 0.0
                self.last_speech_end_s = self.elapsed_s
        else:
            if self._run_s and self._run_s < o.min_speech_s:
                self._silence_s += self._run_s  # a blip counts as part of the silence around it
            self._run_s = 0.0
            self._silence_s += duration_s
            if self.state == SPEAKING:
                self.state = PAUSING
        if self.started and self.answer_s >= o.max_answer_s:
            return self._end(EndReason.TIME_LIMIT)
        return self.check()

    def check(self) -> EndReason | None:
        """End the turn if the silence now is enough (the limit may have just changed)."""
        if self.state == PAUSING:
            limit = self.end_silence_s if self.required_silence_s is None else self.required_silence_s
            if self._silence_s >= limit:
                return self._end(EndReason.SILENCE)
        if self.state == WAITING and self.elapsed_s >= self.options.no_answer_s:
            return self._end(EndReason.NO_ANSWER)
        return None

    def _end(self, reason: EndReason) -> EndReason:
        self.state = ENDED
        self.reason = reason
        return reason
