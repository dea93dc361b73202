"""StreamingTranscriber behind the live source's `ahead` hook (main's LiveAnswers, issue 5).

LiveAnswers calls begin() when it starts listening, on_block(block) for every 16 kHz block the
answer is made of, on_end(clip, ...) when the turn ends, and the interview loop then calls
transcribe(clip). Every block goes to the streaming VAD as it arrives, so a piece is cut (and
its transcription starts) the moment its pause is long enough; an earlier version pushed audio
only when the endpointer reported a pause, which started the last piece late (issue 5's
benchmark, docs/live.md). on_end() pushes whatever of the clip was not pushed yet.
analysis_for() also gives the answer's timing from the streamed VAD, saving the whole-clip VAD
pass at the end of the turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.audio.clip import AudioClip
from simulator.speech.transcriber import Transcript
from simulator.streaming.policy import CutPolicy
from simulator.streaming.transcriber import StreamingTranscriber


@dataclass
class StreamingAhead:
    inner: object  # any Transcriber (a PreloadingTranscriber for a fast start)
    policy: CutPolicy = field(default_factory=CutPolicy)
    worker_factory: object = None  # () -> Worker; None: a ThreadWorker per answer
    vad_factory: object = None  # () -> vad callable; None: Silero
    name: str = field(default="", init=False)
    stats: dict = field(default_factory=lambda: {"answers": 0, "fallbacks": 0, "pieces": 0, "pieces_left_at_end": 0}, init=False)

    def __post_init__(self):
        self.name = getattr(self.inner, "name", "?")
        self._stream: StreamingTranscriber | None = None
        self._pushed = 0
        self._ended_n: int | None = None

    # --- the live source's hook ------------------------------------------------------------
    def begin(self) -> None:
        if self._stream is not None:
            self._stream.close()
        worker = self.worker_factory() if self.worker_factory else None
        vad = self.vad_factory() if self.vad_factory else None
        self._stream = StreamingTranscriber(self.inner, self.policy, vad=vad, worker=worker)
        self._pushed = 0
        self._ended_n = None

    def _catch_up(self, clip: AudioClip | None) -> None:
        if self._stream is None or clip is None:
            return
        samples = clip.resampled().samples
        if len(samples) > self._pushed:
            self._stream.push(samples[self._pushed :])
            self._pushed = len(samples)

    def on_block(self, block) -> None:
        if self._stream is not None and len(block):
            self._stream.push(block)
            self._pushed += len(block)

    def on_end(self, clip: AudioClip | None, speech_end_s: float | None = None) -> None:
        self._catch_up(clip)
        self._ended_n = self._pushed

    # --- the Transcriber protocol ----------------------------------------------------------------
    def _follows(self, clip: AudioClip) -> bool:
        return self._stream is not None and self._ended_n is not None and abs(len(clip.resampled().samples) - self._ended_n) <= 1

    def __getattr__(self, name: str):
        # The fallback (a clip this stream did not follow) is analysed as a whole answer, with
        # filler recovery where the wrapped transcriber has its probe.
        if name == "transcribe_snippet":
            return getattr(self.inner, name)
        raise AttributeError(name)

    def transcribe(self, clip: AudioClip) -> Transcript:
        if not self._follows(clip):
            self.stats["fallbacks"] += 1
            return self.inner.transcribe(clip)
        stream, self._stream = self._stream, None
        transcript = stream.finish()
        self._count(stream)
        return transcript

    def analysis_for(self, clip: AudioClip, category=None, file=None, options=None):
        """The whole AnswerAnalysis from the streamed transcript and VAD, or None if this clip was not followed."""
        if not self._follows(clip):
            return None
        stream, self._stream = self._stream, None
        analysis = stream.finish_analysis(category, file, options)
        self._count(stream)
        return analysis

    def _count(self, stream: StreamingTranscriber) -> None:
        self.stats["answers"] += 1
        self.stats["pieces"] += len(stream.stats.pieces)
        self.stats["pieces_left_at_end"] += stream.stats.pieces_left_at_finish

    def for_question(self, category) -> None:
        """The vocabulary of the question about to be answered: every piece of the answer gets it."""
        from simulator.speech.transcriber import hear_question

        hear_question(self.inner, category)

    def load(self):
        return self.inner.load() if hasattr(self.inner, "load") else None

    def close(self, wait_s: float = 0.0) -> None:
        if self._stream is not None:
            self._stream.close(wait_s)
            self._stream = None
