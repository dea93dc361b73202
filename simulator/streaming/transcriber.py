"""Transcribe an answer while it is being spoken, so that almost nothing is left when it ends.

Blocks of 16 kHz float32 audio are pushed as the microphone delivers them. Each full 512-sample
frame goes through the VAD at once (cheap); the cut policy (policy.py) closes a piece at a
pause, and a worker transcribes that piece in the background while the answer goes on. Word
times are shifted from piece time to answer time. `finish()` closes the last piece, waits for
the worker and returns the whole-answer Transcript; `timing()` gives the answer's Timing from
the same VAD probabilities, so analysis (analyze_transcript) and the probe choice follow at once.

Cut decisions are made per VAD frame on audio time. With idle cuts off (CutPolicy
idle_cut_pause_s=None) they depend on the audio only, so the transcript is the same whether
audio arrives in real time or all at once; with idle cuts on (the default) a piece also ends
earlier when the worker happens to be idle at that frame. Each piece is transcribed after the
text before it (Whisper's prompt), which the in-order worker always has by then.
"""

from __future__ import annotations

import queue
import threading
import time
from dataclasses import dataclass, field, replace
from typing import Callable, Protocol

import numpy as np

from simulator.analysis.content import prepare
from simulator.analysis.filler_recovery import RecoveryOptions, recover_with
from simulator.analysis.timing import Timing, TimingOptions, measure_timing
from simulator.audio import playback_gate
from simulator.audio.clip import TARGET_RATE_HZ, AudioClip
from simulator.speech.transcriber import Transcriber, Transcript, Word
from simulator.audio.speech_activity import FRAME_SAMPLES, SpeechFlags, spans_from_probs
from simulator.streaming.policy import CutPolicy, choose_cut, final_piece_end, silent_lead_to_drop


@dataclass(frozen=True)
class Piece:
    index: int
    start_sample: int  # in answer samples
    end_sample: int

    @property
    def start_s(self) -> float:
        return self.start_sample / TARGET_RATE_HZ

    @property
    def duration_s(self) -> float:
        return (self.end_sample - self.start_sample) / TARGET_RATE_HZ


@dataclass
class StreamStats:
    pieces: list[Piece] = field(default_factory=list)
    pieces_left_at_finish: int = 0  # pieces not yet transcribed when finish() was called (the last one included)
    audio_left_at_finish_s: float = 0.0  # seconds of audio those pieces hold
    idle_cuts: int = 0  # pieces cut early because the worker had nothing to do
    transcribe_s: float = 0.0  # worker wall time spent transcribing
    piece_cut_at_s: list[float] = field(default_factory=list)  # answer audio received when each piece was cut
    piece_work_s: list[tuple[float, float]] = field(default_factory=list)  # per piece: (queued, transcribing) wall seconds
    finish_wait_s: float = 0.0  # wall time finish() spent waiting for the worker
    analysis_s: float = 0.0  # wall time of the analysis after finish(): fillers, morae, the judgement

    def to_dict(self) -> dict:
        return {
            "pieces": len(self.pieces),
            "piece_s": [round(p.duration_s, 2) for p in self.pieces],
            "pieces_left_at_finish": self.pieces_left_at_finish,
            "audio_left_at_finish_s": round(self.audio_left_at_finish_s, 3),
            "idle_cuts": self.idle_cuts,
            "transcribe_s": round(self.transcribe_s, 3),
            "piece_cut_at_s": [round(t, 2) for t in self.piece_cut_at_s],
            "piece_work_s": [(round(q, 2), round(w, 2)) for q, w in self.piece_work_s],
            "finish_wait_s": round(self.finish_wait_s, 3),
            "analysis_s": round(self.analysis_s, 3),
        }


class Worker(Protocol):
    def submit(self, job: Callable[[], None]) -> None: ...
    def pending(self) -> int: ...
    def join(self) -> None: ...
    def close(self, wait_s: float = 0.0) -> None: ...


class ThreadWorker:
    """One background thread running jobs in order (one at a time: the model already uses every core)."""

    def __init__(self):
        self._q: queue.Queue = queue.Queue()
        self._pending = 0
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._thread = threading.Thread(target=self._run, name="streaming-transcriber", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            job = self._q.get()
            if job is None:
                return
            # The next piece waits while the interviewer speaks: the voice needs the CPU (issue 15).
            playback_gate.wait_until_quiet()
            try:
                job()
            finally:
                with self._lock:
                    self._pending -= 1
                    self._idle.notify_all()

    def submit(self, job) -> None:
        with self._lock:
            self._pending += 1
        self._q.put(job)

    def pending(self) -> int:
        with self._lock:
            return self._pending

    def join(self) -> None:
        with self._lock:
            while self._pending:
                self._idle.wait()

    def close(self, wait_s: float = 0.0) -> None:
        """Drop the jobs not started; with wait_s, give the running one that long to finish.

        Waiting matters at program exit: a daemon thread still inside CTranslate2 while the
        interpreter shuts down can abort the process instead of letting it exit cleanly.
        """
        while True:
            try:
                job = self._q.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                with self._lock:
                    self._pending -= 1
        self._q.put(None)
        if wait_s > 0:
            self._thread.join(wait_s)


class InlineWorker:
    """Runs each job at once, in the caller's thread: deterministic, for tests and offline evaluation."""

    def submit(self, job) -> None:
        job()

    def pending(self) -> int:
        return 0

    def join(self) -> None:
        pass

    def close(self, wait_s: float = 0.0) -> None:
        pass


class StreamingTranscriber:
    """One answer's incremental transcription. Not reusable: make one per answer.

    transcriber: any Transcriber (WhisperTranscriber, FakeTranscriber). vad: a callable
    frames(n, 512) -> probabilities (StreamingVad by default; EnergyVad in unit tests).
    recovery: filler recovery run on each piece right after its transcription, as the
    whole-answer analysis runs it on the whole answer (None: off; a transcriber without
    transcribe_snippet, such as the fake, has none either).
    """

    def __init__(
        self,
        transcriber: Transcriber,
        policy: CutPolicy = CutPolicy(),
        vad=None,
        worker: Worker | None = None,
        timing_options: TimingOptions = TimingOptions(),
        language: str = "ja",
        recovery: RecoveryOptions | None = RecoveryOptions(),
    ):
        if vad is None:
            from simulator.audio.speech_activity import StreamingVad

            vad = StreamingVad()
        self.transcriber = transcriber
        self.policy = policy
        self.timing_options = timing_options
        self.language = language
        self.recovery = recovery
        self._vad = vad
        self._flags_of = SpeechFlags(timing_options.vad_threshold)
        self._worker = worker if worker is not None else ThreadWorker()
        self._blocks: list[np.ndarray] = []
        self._n = 0  # samples received
        self._tail = np.zeros(0, np.float32)  # samples not yet a full VAD frame
        self._probs: list[np.ndarray] = []
        self._flags: list[bool] = []  # per frame, whole answer
        self._piece_start_frame = 0
        self._checked = 0  # frames the cut policy has seen
        self._results: dict[int, Transcript] = {}
        self._error: BaseException | None = None
        self._lock = threading.Lock()
        self._audio: np.ndarray | None = None
        self._finished = False
        self.stats = StreamStats()

    # --- while the answer goes on ---------------------------------------------------------
    def push(self, block: np.ndarray) -> np.ndarray:
        """Add audio (16 kHz mono float32) as it arrives. Cheap: VAD on new frames, maybe a cut.

        Returns the speech probabilities of the frames this block completed, so the live
        source's voice gate uses them instead of running Silero a second time."""
        if self._finished:
            raise RuntimeError("push() after finish()")
        block = np.asarray(block, np.float32).reshape(-1)
        if not len(block):
            return np.zeros(0, np.float32)
        self._blocks.append(block)
        self._n += len(block)
        data = np.concatenate([self._tail, block]) if len(self._tail) else block
        n_frames = len(data) // FRAME_SAMPLES
        self._tail = data[n_frames * FRAME_SAMPLES :].copy()
        if n_frames:
            probs = self._vad(data[: n_frames * FRAME_SAMPLES].reshape(n_frames, FRAME_SAMPLES))
            self._probs.append(probs)
            self._flags.extend(self._flags_of(probs))
            self._maybe_cut()
            return probs
        return np.zeros(0, np.float32)

    def heard_text(self) -> str:
        """The text of the pieces transcribed so far, in order up to the first one still pending
        (the turn-taking decision reads it: a list announced and not finished)."""
        sep = "" if self.language == "ja" else " "
        with self._lock:
            out = []
            for p in self.stats.pieces:
                if p.index not in self._results:
                    break
                out.append(self._results[p.index].text)
        return sep.join(out)

    def _maybe_cut(self) -> None:
        # Frame by frame, so that where a piece ends depends on the audio only, never on how
        # the device happened to group samples into blocks.
        while self._checked < len(self._flags):
            self._checked += 1
            open_flags = self._flags[self._piece_start_frame : self._checked]
            drop = silent_lead_to_drop(open_flags, self.policy)
            if drop:
                self._piece_start_frame += drop
                open_flags = open_flags[drop:]
            idle = self._worker.pending() == 0
            cut = choose_cut(open_flags, self.policy, idle=idle)
            if cut is not None:
                if idle and choose_cut(open_flags, self.policy) is None:
                    self.stats.idle_cuts += 1
                start = self._piece_start_frame
                self._close_piece(start, start + cut)
                self._piece_start_frame = start + cut

    def _submit(self, start_sample: int, end_sample: int) -> None:
        piece = Piece(len(self.stats.pieces), start_sample, end_sample)
        self.stats.pieces.append(piece)
        self.stats.piece_cut_at_s.append(self._n / TARGET_RATE_HZ)
        samples = self._samples(start_sample, end_sample)
        queued_at = time.perf_counter()
        self._worker.submit(lambda: self._transcribe(piece, samples, queued_at))

    def _samples(self, a: int, b: int) -> np.ndarray:
        if len(self._blocks) > 1:
            self._blocks = [np.concatenate(self._blocks)]
        return self._blocks[0][a:b].copy()

    def _transcribe(self, piece: Piece, samples: np.ndarray, queued_at: float) -> None:
        t0 = time.perf_counter()
        # The worker runs pieces in order, so the text before this piece is known by now: it
        # goes into Whisper's prompt, which a short piece needs (docs/performance.md).
        with self._lock:
            sep = "" if self.language == "ja" else " "
            before = sep.join(self._results[i].text for i in range(piece.index) if i in self._results)
        try:
            clip = AudioClip(samples, TARGET_RATE_HZ)
            tr = self.transcriber.transcribe_in_context(clip, before) if before else self.transcriber.transcribe(clip)
            # Recovery probes run here, in the worker, while the candidate is still speaking;
            # only the last piece's probes fall after the end of the turn (docs/performance.md).
            if self.recovery is not None:
                tr = recover_with(self.transcriber, clip, tr, self.recovery)
        except BaseException as exc:  # reported by finish(), in the caller's thread
            with self._lock:
                self._error = self._error or exc
            return
        finally:
            with self._lock:
                self.stats.transcribe_s += time.perf_counter() - t0
                self.stats.piece_work_s.append((t0 - queued_at, time.perf_counter() - t0))
        off = piece.start_s
        words = tuple(Word(w.text, round(w.start_s + off, 3), round(w.end_s + off, 3), w.probability) for w in tr.words)
        with self._lock:
            self._results[piece.index] = replace(tr, words=words)
        if self.language == "ja":
            # Parse what has been said so far while the candidate speaks: judging the whole
            # answer at the end of the turn then parses only its last sentence.
            prepare(before + tr.text)

    @property
    def pieces_pending(self) -> int:
        """Pieces cut but not transcribed yet."""
        with self._lock:
            done = len(self._results)
        return len(self.stats.pieces) - done - (1 if self._error else 0)

    @property
    def received_s(self) -> float:
        return self._n / TARGET_RATE_HZ

    # --- when the answer has ended ------------------------------------------------------------
    def finish(self) -> Transcript:
        """Close the last piece, wait for the worker, and return the whole answer's transcript."""
        if not self._finished:
            self._finished = True
            self._close_last_piece()
            t0 = time.perf_counter()
            left = [p for p in self.stats.pieces if p.index not in self._results]
            self.stats.pieces_left_at_finish = len(left)
            self.stats.audio_left_at_finish_s = sum(p.duration_s for p in left)
            try:
                self._worker.join()
            finally:
                self._worker.close()
            self.stats.finish_wait_s = time.perf_counter() - t0
        if self._error is not None:
            raise self._error
        parts = [self._results[p.index] for p in self.stats.pieces]
        text = "".join(t.text for t in parts) if self.language == "ja" else " ".join(t.text for t in parts if t.text)
        words = tuple(w for t in parts for w in t.words)
        hotwords = next((t.hotwords for t in parts if t.hotwords), None)  # the question's vocabulary, the same on every piece
        return Transcript(text, words, parts[0].language if parts else self.language, hotwords=hotwords)

    def _close_last_piece(self) -> None:
        # The partial last frame goes through the VAD padded with zeros, as the whole-clip VAD does.
        pad = FRAME_SAMPLES - len(self._tail) % FRAME_SAMPLES
        last = np.concatenate([self._tail, np.zeros(pad, np.float32)]).reshape(-1, FRAME_SAMPLES)
        probs = self._vad(last)
        self._probs.append(probs)
        self._flags.extend(self._flags_of(probs))
        self._tail = np.zeros(0, np.float32)
        self._maybe_cut()
        self._close_piece(self._piece_start_frame, len(self._flags))

    def _close_piece(self, start: int, stop: int) -> None:
        """Send frames [start, stop) less their trailing silence (kept: the pad)."""
        end = final_piece_end(self._flags[start:stop], self.policy)
        if end is None:
            return  # nothing but silence (or a click): nothing to transcribe
        self._submit(start * FRAME_SAMPLES, min(self._n, (start + end) * FRAME_SAMPLES))

    def audio(self) -> AudioClip:
        """Everything pushed so far, as one clip (the answer to save)."""
        if not self._blocks:
            return AudioClip(np.zeros(0, np.float32), TARGET_RATE_HZ)
        return AudioClip(self._samples(0, self._n), TARGET_RATE_HZ)

    def timing(self) -> Timing:
        """The answer's Timing from the streamed VAD probabilities (call after finish()).

        Identical to measure_timing() on the whole clip, without running the VAD again.
        """
        if not self._finished:
            raise RuntimeError("timing() before finish()")
        clip = self.audio()
        if clip.duration_s < 0.1 or not np.any(np.abs(clip.samples) > 1e-4):
            spans: list = []
        else:
            probs = np.concatenate(self._probs) if self._probs else np.zeros(0, np.float32)
            spans = spans_from_probs(probs, self._n, self.timing_options.segmentation)
        return measure_timing(clip, self.timing_options, spans=spans)

    def finish_analysis(self, category: str | None = None, file: str | None = None, options=None):
        """finish() + timing() + analyze_transcript(): the AnswerAnalysis of the whole answer."""
        from simulator.analysis.answer import AnalysisOptions, analyze_transcript

        options = options or AnalysisOptions(timing=self.timing_options)
        transcript = self.finish()
        t0 = time.perf_counter()
        analysis = analyze_transcript(self.audio(), self.timing(), transcript, category, file, options)
        self.stats.analysis_s = time.perf_counter() - t0
        return analysis

    def close(self, wait_s: float = 0.0) -> None:
        """Abandon the answer (Ctrl-C, a lost device): drop queued pieces; wait_s bounds the wait for the running one."""
        self._finished = True
        self._worker.close(wait_s)
