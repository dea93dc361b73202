"""Transcribing at the candidate's pauses during the answer (PauseChunkTranscriber), with fakes.

Accuracy against the whole-answer path, on real speech with the real model, is measured by
bench/bench_turn_latency.py (both paths, same run).
"""

from __future__ import annotations

import threading

import numpy as np
import pytest

from simulator.audio.clip import AudioClip, concat
from simulator.audio.decode import load_audio
from simulator.audio.live import FakeKeys, LiveAnswers, NullView
from simulator.audio.microphone import FakeMicrophone
from simulator.audio.speaker import FileSink
from simulator.speech.pause_chunks import PauseChunkTranscriber
from simulator.speech.transcriber import Transcript, Word

from conftest import SAMPLES

PROMPT = AudioClip(np.full(1600, 0.05, np.float32))


class LengthTranscriber:
    """Writes each clip's length as its text, with one word spanning the clip: checks offsets and order."""

    name = "length"

    def __init__(self):
        self.calls: list[float] = []
        self.lock = threading.Lock()

    def transcribe(self, clip: AudioClip) -> Transcript:
        with self.lock:
            self.calls.append(round(clip.duration_s, 2))
        return Transcript(f"[{clip.duration_s:.1f}]", (Word("w", 0.0, clip.duration_s),))


@pytest.fixture(scope="module")
def long_answer() -> AudioClip:
    """About 55 s of real speech with 1 s thinking pauses between sentences."""
    parts = [AudioClip.silence(1.0)]
    for name in ("01_self_intro.wav", "03_achievement_specific.wav", "05_motivation_specific.wav", "02_achievement_vague.wav"):
        clip = load_audio(SAMPLES / name)
        parts += [clip.slice_s(0.8, clip.duration_s - 1.0), AudioClip.silence(1.0)]
    return concat(parts)


def run_answer(clip: AudioClip, ahead, keys=()):
    mic = FakeMicrophone(concat([AudioClip.silence(PROMPT.duration_s), clip]))
    live = LiveAnswers(mic, FileSink(), None, FakeKeys(mic, list(keys)), NullView(), ahead=ahead)
    live.start()
    return live.next_answer("質問", PROMPT)


def test_long_answer_is_transcribed_in_chunks_during_the_answer(long_answer):
    inner = LengthTranscriber()
    ahead = PauseChunkTranscriber(inner, chunk_s=15.0)
    answer = run_answer(long_answer, ahead)
    transcript = ahead.transcribe(answer.clip)
    assert answer.ended_by == "silence"
    assert ahead.stats["chunks"] >= 2 and ahead.stats["tails_used"] == 1 and ahead.stats["fallbacks"] == 0
    # committed chunks hold >= 15 s of speech (+ the pad); speculative tails hold less
    assert sum(c >= 15.19 for c in inner.calls) == ahead.stats["chunks"]
    assert min(inner.calls) > 0.3
    # chunks tile the answer: word times run on without gaps or overlaps, in order
    spans = [(w.start_s, w.end_s) for w in transcript.words]
    assert spans[0][0] == pytest.approx(0.0)
    for (a0, a1), (b0, b1) in zip(spans, spans[1:]):
        assert b0 == pytest.approx(a1, abs=0.01)
    last_speech = answer.clip.duration_s - 2.5
    assert spans[-1][1] == pytest.approx(last_speech + 0.2, abs=0.1)
    ahead.close()


def test_dropped_tail_when_the_candidate_goes_on(long_answer):
    inner = LengthTranscriber()
    ahead = PauseChunkTranscriber(inner, chunk_s=100.0, tail_after_s=0.8)  # no commits: tails only
    answer = run_answer(long_answer, ahead)
    transcript = ahead.transcribe(answer.clip)
    assert ahead.stats["tails_dropped"] >= 2 and ahead.stats["tails_used"] == 1
    assert len(transcript.words) == 1  # one tail covering the whole answer
    ahead.close()


def test_enter_mid_speech_transcribes_the_rest(long_answer):
    inner = LengthTranscriber()
    ahead = PauseChunkTranscriber(inner, chunk_s=15.0)
    answer = run_answer(long_answer, ahead, keys=[(PROMPT.duration_s + 30.3, "enter")])
    assert answer.ended_by == "enter"
    transcript = ahead.transcribe(answer.clip)
    assert transcript.words[-1].end_s == pytest.approx(answer.clip.duration_s, abs=0.25)
    ahead.close()


def test_a_clip_it_did_not_follow_is_transcribed_whole():
    inner = LengthTranscriber()
    ahead = PauseChunkTranscriber(inner)
    t = ahead.transcribe(AudioClip.silence(3.0))
    assert t.text == "[3.0]" and ahead.stats["fallbacks"] == 1
    ahead.close()
