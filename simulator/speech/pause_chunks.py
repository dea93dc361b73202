"""Transcribing while the candidate is still talking, cut at their own pauses.

Waiting for the end of a 60 s answer and then transcribing it all makes the candidate wait many
seconds for the next question. Here the live source reports pauses; the audio up to a pause is
transcribed in a background thread while the candidate goes on. Two kinds of work:

- committed chunks: once >= chunk_s of speech has accumulated, the audio up to the current pause
  is transcribed for good (Whisper works on 30 s windows anyway, cut blindly; cutting at a pause
  is kinder to it). Chunks are kept long because Whisper pads every input to 30 s: many short
  chunks would cost more than one long one;
- a speculative tail: once a pause has lasted tail_after_s, the rest of the answer is transcribed
  in case this pause is the end of the turn. If the candidate goes on, it is dropped.

When the turn ends, transcribe(clip) waits for the work already under way and only transcribes
what is left (usually nothing). Words keep their times in the whole answer (chunk offsets added).
A clip it did not follow (another source, a repeated question) is transcribed whole, as before.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from simulator.audio.clip import AudioClip
from simulator.speech.transcriber import Transcript, Word


@dataclass
class _Job:
    start_s: float
    end_s: float
    future: Future


@dataclass
class PauseChunkTranscriber:
    inner: object  # any Transcriber
    chunk_s: float = 15.0
    tail_after_s: float = 0.8
    pad_s: float = 0.2  # a little of the pause goes with the chunk, so the last mora is not clipped
    name: str = field(default="", init=False)
    stats: dict = field(default_factory=lambda: {"chunks": 0, "tails_used": 0, "tails_dropped": 0, "fallbacks": 0}, init=False)

    def __post_init__(self):
        self.name = getattr(self.inner, "name", "?")
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="transcribe-ahead")
        self.begin()

    # --- called by the live source, from the listening loop -----------------------------
    def begin(self) -> None:
        """A new answer starts (also after a repeated question): forget the previous one."""
        self._jobs: list[_Job] = []
        self._tail: _Job | None = None
        self._committed_s = 0.0
        self._final: tuple[float, list[_Job]] | None = None

    def on_pause(self, clip: AudioClip, speech_end_s: float, silence_s: float) -> None:
        """The candidate has been silent for silence_s after speaking until speech_end_s."""
        cut = min(speech_end_s + self.pad_s, clip.duration_s)
        if speech_end_s - self._committed_s >= self.chunk_s:
            self._drop_tail()
            self._jobs.append(self._submit(clip, self._committed_s, cut))
            self.stats["chunks"] += 1
            self._committed_s = cut
        elif silence_s >= self.tail_after_s and cut - self._committed_s > 0.3 and (self._tail is None or self._tail.end_s < cut):
            self._drop_tail()
            self._tail = self._submit(clip, self._committed_s, cut)

    def on_end(self, clip: AudioClip, speech_end_s: float | None) -> None:
        """The turn ended: keep the tail if it covers all the speech, else start the rest now."""
        jobs = list(self._jobs)
        if speech_end_s is None:
            self._drop_tail()
        elif self._tail is not None and self._tail.start_s == self._committed_s and self._tail.end_s >= speech_end_s:
            jobs.append(self._tail)
            self.stats["tails_used"] += 1
            self._tail = None
        else:
            self._drop_tail()
            if speech_end_s > self._committed_s:
                jobs.append(self._submit(clip, self._committed_s, min(speech_end_s + self.pad_s, clip.duration_s)))
        self._final = (clip.duration_s, jobs)

    # --- the Transcriber protocol, called by the interview loop ---------------------------
    def transcribe(self, clip: AudioClip) -> Transcript:
        clip = clip.resampled()
        final, self._final = self._final, None
        if final is None or abs(final[0] - clip.duration_s) > 0.05:
            self.stats["fallbacks"] += 1
            return self.inner.transcribe(clip)
        texts, words = [], []
        language = "ja"
        for job in final[1]:
            t = job.future.result()
            language = t.language
            if t.text:
                texts.append(t.text)
            words.extend(Word(w.text, round(w.start_s + job.start_s, 3), round(w.end_s + job.start_s, 3), w.probability) for w in t.words)
        return Transcript(("" if language == "ja" else " ").join(texts), tuple(words), language)

    def load(self):
        return self.inner.load() if hasattr(self.inner, "load") else None

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def _submit(self, clip: AudioClip, start_s: float, end_s: float) -> _Job:
        part = clip.slice_s(start_s, end_s)
        return _Job(start_s, end_s, self._pool.submit(self.inner.transcribe, part))

    def _drop_tail(self) -> None:
        if self._tail is not None:
            self._tail.future.cancel()  # harmless if already running: its result is ignored
            self.stats["tails_dropped"] += 1
            self._tail = None
