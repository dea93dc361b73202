"""Where answers come from. The loop asks a source for the reply to each prompt.

WavFileAnswers is the headless source (scripts, tests, coaches); the live microphone source
implements the same protocol. A source returns None when it has no more answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from simulator.audio.clip import AudioClip
from simulator.audio.decode import load_audio

if TYPE_CHECKING:
    from simulator.interview.policy import Prompt


@dataclass(frozen=True)
class Answer:
    clip: AudioClip
    source: str | None = None  # where it came from (a file path, "microphone")
    ended_by: str = "end_of_file"  # an EndReason (audio/endpoint.py): a str, saved as it is
    # The StreamingTranscriber that followed this answer as it was spoken (live practice): its
    # transcript and timing are nearly done when the answer ends. None: analysed from the clip.
    stream: object | None = None


class InterviewStopped(Exception):
    """The candidate chose to stop (e.g. q at the microphone check); str() says why, in Japanese.

    Not an error: the loop ends the session as `stopped` (or `no_speech` when nothing was heard).
    """


class AnswerSource(Protocol):
    # The prompt audio the source synthesized itself (live: dynamic text spoken sentence by
    # sentence), for the session record; None when the loop's prompt audio was used.
    spoken_prompt: AudioClip | None

    def next_answer(self, prompt: "Prompt", prompt_audio: AudioClip | None) -> Answer | None: ...

    def exhausted(self) -> bool:
        """True when no answer is left: the loop stops before speaking a prompt no one will answer."""
        ...


@dataclass
class WavFileAnswers:
    paths: list[Path]
    spoken_prompt = None
    _next: int = field(default=0, init=False)
    _clips: dict[int, AudioClip] = field(default_factory=dict, init=False, repr=False)

    def preload(self) -> None:
        """Decode every file now, so a bad one is reported before a session is created."""
        for i, path in enumerate(self.paths):
            self._clips[i] = load_audio(path)

    def exhausted(self) -> bool:
        return self._next >= len(self.paths)

    def next_answer(self, prompt: "Prompt", prompt_audio: AudioClip | None) -> Answer | None:
        if self._next >= len(self.paths):
            return None
        i, path = self._next, Path(self.paths[self._next])
        self._next += 1
        clip = self._clips.pop(i, None) or load_audio(path)
        return Answer(clip, str(path))


@dataclass
class ArrayAnswers:
    """In-memory answers, for unit tests of the loop."""

    clips: list[AudioClip]
    _next: int = field(default=0, init=False)
    spoken_prompt = None

    def exhausted(self) -> bool:
        return self._next >= len(self.clips)

    def next_answer(self, prompt: "Prompt", prompt_audio: AudioClip | None) -> Answer | None:
        if self._next >= len(self.clips):
            return None
        self._next += 1
        return Answer(self.clips[self._next - 1], f"array:{self._next - 1}")
