"""The interview loop with fakes: turns saved as they complete, probes chosen from findings, failures keep turns."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio.clip import AudioClip
from simulator.audio.sources import ArrayAnswers
from simulator.interview.question_sets import load_question_set
from simulator.interview.session import run_interview
from simulator.testing import FakeTranscriber
from simulator.speech.voice import TextOnlyVoice
from simulator.store.session_store import SessionWriter, load_session


def speechlike(duration_s: float, lead_s: float = 1.0) -> AudioClip:
    """Noise bursts shaped like syllables: Silero VAD hears them as speech-ish; the fake transcriber supplies text."""
    rng = np.random.default_rng(0)
    rate = 16000
    out = np.zeros(int((lead_s + duration_s + 0.5) * rate), np.float32)
    t = np.arange(int(duration_s * rate)) / rate
    voiced = 0.3 * np.sin(2 * np.pi * 150 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t)) + 0.02 * rng.standard_normal(len(t))
    out[int(lead_s * rate) : int(lead_s * rate) + len(t)] = voiced
    return AudioClip(out, rate)


class FakeVoice:
    name = "fake"

    def __init__(self):
        self.spoken = []

    def render(self, text):
        self.spoken.append(text)
        return AudioClip(np.zeros(800, np.float32))


def test_vague_answer_gets_a_probe_and_turns_are_saved(tmp_path):
    qset = load_question_set("core")
    texts = ["山田と申します。営業を七年、売上を百二十パーセントにしました。", "一生懸命頑張りました。", "毎週訪問して受注率を二割上げました。"]
    voice = FakeVoice()
    writer = SessionWriter.create(tmp_path, set=qset.id)
    result = run_interview(qset, ArrayAnswers([speechlike(12.0)] * 3), FakeTranscriber(texts), voice, writer)
    assert result.status == "answers_exhausted"
    session = load_session(writer.folder)
    assert len(session.turns) == 3
    kinds = [t["prompt"]["kind"] for t in session.turns]
    assert kinds[1] == "question" and kinds[2] == "probe"
    assert session.turns[2]["prompt"]["reason"]["finding"] == "abstract"
    assert "一生懸命" in session.turns[2]["prompt"]["reason"]["evidence"]
    assert all((writer.folder / t["answer"]["audio"]).is_file() for t in session.turns)
    assert all((writer.folder / t["prompt"]["audio"]).is_file() for t in session.turns)
    assert voice.spoken[0] == qset.questions[0].text


def test_failure_mid_interview_keeps_completed_turns(tmp_path):
    qset = load_question_set("core")

    class Exploding(FakeTranscriber):
        def transcribe(self, clip):
            if self.calls == 2:
                raise RuntimeError("model crashed")
            return super().transcribe(clip)

    writer = SessionWriter.create(tmp_path)
    with pytest.raises(RuntimeError):
        run_interview(qset, ArrayAnswers([speechlike(2.0)] * 5), Exploding(["はい。"]), TextOnlyVoice(), writer)
    session = load_session(writer.folder)
    assert len(session.turns) == 2
    assert session.meta["status"] == "failed"
    # the third answer's audio was saved before the model crashed: the recording is not lost
    assert (writer.folder / "audio" / "turn-003-answer.wav").is_file()


def test_keyboard_interrupt_marks_session_interrupted(tmp_path):
    qset = load_question_set("core")

    class InterruptingSource(ArrayAnswers):
        def next_answer(self, prompt, prompt_audio):
            if self._next == 1:
                raise KeyboardInterrupt
            return super().next_answer(prompt, prompt_audio)

    writer = SessionWriter.create(tmp_path)
    with pytest.raises(KeyboardInterrupt):
        run_interview(qset, InterruptingSource([speechlike(2.0)] * 3), FakeTranscriber(["はい。"]), TextOnlyVoice(), writer)
    session = load_session(writer.folder)
    assert session.meta["status"] == "interrupted" and len(session.turns) == 1


def test_silent_answer_is_not_transcribed(tmp_path):
    qset = load_question_set("core")
    fake = FakeTranscriber(["ご視聴ありがとうございました"])  # what Whisper invents on silence
    writer = SessionWriter.create(tmp_path)
    run_interview(qset, ArrayAnswers([AudioClip.silence(3.0)]), fake, TextOnlyVoice(), writer)
    turn = load_session(writer.folder).turns[0]
    assert fake.calls == 0
    assert turn["analysis"]["transcript"] == "" and turn["analysis"]["response_latency_s"] is None
