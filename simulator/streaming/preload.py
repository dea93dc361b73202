"""Load the transcription model in the background while the first question is spoken.

Loading (joining/checking the model files, importing faster-whisper and CTranslate2, reading
145 MB) takes one to several seconds; the first question takes longer than that to say, and no
transcription is needed before the candidate has answered it. So the session starts the load,
speaks at once, and only waits (if at all) when the first piece of the first answer needs the model.

    transcriber = PreloadingTranscriber.start(WhisperTranscriber(model=...))
    speaker.play(first_prompt_audio)       # no waiting for the model
    ... StreamingTranscriber(transcriber)  # transcribe() waits for the load, then delegates
"""

from __future__ import annotations

import threading
import time

import numpy as np

from simulator.audio.clip import AudioClip
from simulator.errors import ModelError
from simulator.speech.transcriber import Capabilities, Transcript


class PreloadingTranscriber:
    """Wraps a transcriber whose load() runs in a background thread; transcribe() waits for it."""

    def __init__(self, inner):
        self.inner = inner
        self.started_at = time.perf_counter()
        self.load_s: float | None = None  # how long the load took, once done
        self._error: BaseException | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._load, name="model-preload", daemon=True)

    @classmethod
    def start(cls, inner) -> "PreloadingTranscriber":
        self = cls(inner)
        self._thread.start()
        return self

    def _load(self) -> None:
        try:
            self.inner.load()
            # The judgement's parser loads behind the first prompt too (about 1.5 s of Python
            # holding the GIL): after the prompt has been spoken, so the voice does not break up.
            from simulator.analysis import language
            from simulator.audio import playback_gate

            playback_gate.wait_until_quiet()

            language.load()
        except BaseException as exc:  # re-raised in the caller's thread by wait()
            self._error = exc
        finally:
            self.load_s = time.perf_counter() - self.started_at
            self._done.set()

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def capabilities(self) -> Capabilities:
        return self.inner.capabilities

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout_s: float | None = None):
        """Block until the model is loaded; raise the load's error (a ModelError) if it failed."""
        if not self._done.wait(timeout_s):
            raise ModelError("文字起こしモデルをまだ読み込んでいます。しばらく待ってから、もう一度お試しください。")
        if self._error is not None:
            raise self._error
        return self.inner

    def load(self) -> None:
        self.wait()

    def for_question(self, category: str | None) -> None:
        """The next answers' vocabulary (no waiting: it only sets options)."""
        self.inner.for_question(category)

    def transcribe(self, clip: AudioClip) -> Transcript:
        self.wait()
        return self.inner.transcribe(clip)

    def transcribe_in_context(self, clip: AudioClip, context: str) -> Transcript:
        self.wait()
        return self.inner.transcribe_in_context(clip, context)

    def transcribe_snippet(self, clip: AudioClip) -> str:
        self.wait()
        return self.inner.transcribe_snippet(clip)

    def hear_ending(self, samples: np.ndarray) -> str:
        # Never waits: while the model still loads, the end of turn falls back to the silence rule.
        return self.inner.hear_ending(samples) if self.ready and self._error is None else ""


def speak_first_while_loading(transcriber, voice, first_text: str, play) -> PreloadingTranscriber:
    """Start loading the model in the background, then render and play the first prompt at once.

    play(clip_or_None, text) hands the first prompt to the speaker (None: text only). Returns the
    preloading transcriber to use for the session; its transcribe() waits for the load if needed.
    """
    pre = transcriber if isinstance(transcriber, PreloadingTranscriber) else PreloadingTranscriber.start(transcriber)
    clip = voice.render(first_text)
    play(clip, first_text)
    return pre
