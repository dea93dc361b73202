"""Where answers come from. The loop asks a source for the reply to each prompt.

WavFileAnswers is the headless source (scripts, tests, coaches); the live microphone source
implements the same protocol. A source returns None when it has no more answers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from simulator.audio.clip import AudioClip
from simulator.audio.decode import load_audio


@dataclass(frozen=True)
class Answer:
    clip: AudioClip
    source: str | None = None  # where it came from (a file path, "microphone")
    ended_by: str = "end_of_file"  # end_of_file | silence | enter | time_limit | interrupted


class InterviewStopped(Exception):
    """The candidate chose to stop (e.g. q at the microphone check); str() says why, in Japanese.

    Not an error: the loop ends the session as `stopped` (or `no_speech` when nothing was heard).
    """


class AnswerSource(Protocol):
    def next_answer(self, prompt_text: str, prompt_audio: AudioClip | None) -> Answer | None: ...

    # Optional: `exhausted() -> bool` lets the loop stop before rendering a prompt no one will answer.


@dataclass
class WavFileAnswers:
    paths: list[Path]
    _next: int = field(default=0, init=False)
    _clips: dict[int, AudioClip] = field(default_factory=dict, init=False, repr=False)

    def preload(self) -> None:
        """Decode every file now, so a bad one is reported before a session is created."""
        for i, path in enumerate(self.paths):
            self._clips[i] = load_audio(path)

    def exhausted(self) -> bool:
        return self._next >= len(self.paths)

    def next_answer(self, prompt_text: str, prompt_audio: AudioClip | None) -> Answer | None:
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

    def exhausted(self) -> bool:
        return self._next >= len(self.clips)

    def next_answer(self, prompt_text: str, prompt_audio: AudioClip | None) -> Answer | None:
        if self._next >= len(self.clips):
            return None
        self._next += 1
        return Answer(self.clips[self._next - 1], f"array:{self._next - 1}")
