"""Microphone truth: the level check, Silero on gain-normalised audio, and what a silent microphone
does to an interview (fake devices on virtual time; the real devices are in tests/test_live_audio.py)."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio.clip import AudioClip, concat
from simulator.audio.decode import load_audio
from simulator.audio.endpoint import EndpointOptions
from simulator.interview.policy import Prompt
from simulator.audio.live import LiveAnswers, LiveOptions, NullView
from simulator.testing import FakeKeys, FakeMicrophone, FakeTranscriber
from simulator.audio.sources import ArrayAnswers, InterviewStopped
from simulator.audio.speaker import FileSink
from simulator.audio.voice_gate import LevelVerdict, VoiceGate, block_level_db, measure_level
from simulator.interview.policy import PolicyOptions
from simulator.interview.question_sets import load_question_set
from simulator.interview.session import run_interview

QUESTION = Prompt("question", "q", "experience", "質問です。")
from simulator.speech.voice import TextOnlyVoice
from simulator.store.session_store import SessionStatus, SessionWriter, counts_as_practice

from conftest import SAMPLES


def at_peak(clip: AudioClip, peak_dbfs: float) -> AudioClip:
    x = clip.samples / np.abs(clip.samples).max()
    return AudioClip((x * 10 ** (peak_dbfs / 20)).astype(np.float32))


@pytest.fixture(scope="module")
def intro() -> AudioClip:
    return load_audio(SAMPLES / "01_self_intro.wav")  # speech from 1.2 s


@pytest.fixture(scope="module")
def answer() -> AudioClip:
    return load_audio(SAMPLES / "02_achievement_vague.wav")  # 1.5 s silence, ~11.5 s speech, 1 s silence


@pytest.mark.parametrize("peak, verdict", [(-20, LevelVerdict.OK), (-50, LevelVerdict.QUIET), (6, LevelVerdict.LOUD)])
def test_the_level_check_hears_quiet_and_loud_voices(intro, peak, verdict):
    check = measure_level(np.clip(at_peak(intro, peak).samples[: 5 * 16000], -1.0, 1.0))  # +6: clipped
    assert check.verdict == verdict and check.heard
    assert check.speech_s >= 1.0
    # the gain brings the voice to about the same level, whatever the microphone gives
    assert check.speech_db + check.gain_db == pytest.approx(-30.0, abs=3.0) or check.gain_db == 0.0
    assert "dBFS" in check.message()


def test_the_level_check_says_plainly_what_is_wrong():
    silent = measure_level(np.zeros(5 * 16000, np.float32))
    assert silent.verdict == LevelVerdict.SILENT and not silent.heard
    assert "ミュート" in silent.message() and "--input-device" in silent.message()
    hiss = np.random.default_rng(0).normal(0, 0.01, 5 * 16000).astype(np.float32)  # sound, no voice
    noise = measure_level(hiss)
    assert noise.verdict == LevelVerdict.NO_SPEECH and not noise.heard
    assert "声が聞き取れませんでした" in noise.message()


def test_the_gain_lets_silero_hear_a_voice_an_absolute_level_would_miss(intro):
    quiet = at_peak(intro, -58).samples
    check = measure_level(quiet[: 5 * 16000])
    assert check.heard and check.gain_db > 30

    def voiced_s(gate):
        blocks = [quiet[i : i + 800] for i in range(0, len(quiet), 800)]
        return sum(gate.update(gate.lift(b)) for b in blocks) * 0.05

    plain, lifted = VoiceGate(), VoiceGate()
    lifted.calibrate(check)
    heard_plain, heard_lifted = voiced_s(plain), voiced_s(lifted)
    assert heard_lifted > 12.0  # Silero finds about 14 s of speech in this clip at a normal level
    assert heard_plain < 0.3 * heard_lifted  # unlifted, it hardly hears -58 dBFS
    block = quiet[3 * 16000 : 3 * 16000 + 800]  # inside speech
    lifted.update(lifted.lift(block))
    assert lifted.level_db == pytest.approx(block_level_db(block) + lifted.gain_db, abs=0.5)  # the meter shows what is heard


def make_live(script: AudioClip, keys=(), **endpoint):
    mic = FakeMicrophone(script)
    live = LiveAnswers(mic, FileSink(), None, FakeKeys(mic, list(keys)), NullView(),
                       LiveOptions(EndpointOptions(**endpoint)))
    live.start()
    return live, mic


def test_a_quiet_answer_is_captured_whole_after_the_level_check(intro, answer):
    quiet = at_peak(concat([intro, AudioClip.silence(1.0), answer]), -50)
    check_part = AudioClip(quiet.samples[: int(5.0 * 16000)])
    answer_part = AudioClip(quiet.samples[int((intro.duration_s + 1.0) * 16000):])
    live, mic = make_live(concat([check_part, answer_part]))
    check = live.ensure_heard()
    assert check.verdict == LevelVerdict.QUIET and live.gate.gain_db > 30
    got = live.next_answer(QUESTION, None)
    assert got.ended_by == "silence"
    log = live.log[-1]
    assert 1.2 <= log["speech_start_s"] <= 2.6  # the file's short 「はい。」 at 1.5 s may go unnoticed
    assert log["speech_end_s"] == pytest.approx(answer.duration_s - 1.0, abs=0.5)  # not cut off
    assert got.clip.duration_s >= answer.duration_s - 0.5
    # recorded as heard: lifted by the gain, so Whisper gets a voice at a normal level
    assert np.abs(got.clip.samples).max() > 10 ** (-30 / 20)


def test_two_silent_answers_pause_the_interview_and_q_stops_it(tmp_path):
    qset = load_question_set("core")
    # each silent answer: 3 s, the re-ask, 3 s more; q is pressed once the interview has paused
    live, mic = make_live(AudioClip.silence(0.0), keys=[(12.5, "quit")], no_answer_s=3.0)
    writer = SessionWriter.create(tmp_path / "sessions", set=qset.id)
    result = run_interview(qset, live, FakeTranscriber([""]), TextOnlyVoice(), writer, PolicyOptions())
    assert len(result.turns) == 2  # paused before the third question
    assert result.status == SessionStatus.NO_SPEECH  # nothing was heard: never `completed`
    assert "マイク" in result.stopped_because
    assert writer.meta["status"] == "no_speech" and not counts_as_practice(writer.meta)


def test_enter_at_the_pause_checks_the_microphone_again(intro):
    live, mic = make_live(AudioClip.silence(0.0), keys=[(12.5, "enter")], no_answer_s=3.0)
    for _ in range(2):
        assert live.next_answer(QUESTION, None).ended_by == "no_answer"
    assert live.silent_answers == 2
    mic.queue_clip(intro, gap_s=1.0)  # the candidate fixes the microphone and speaks at the check
    live.next_answer(QUESTION, None)
    assert live.silent_answers in (0, 1)  # the check heard the voice and reset the count
    assert any("マイクの音量" in n for n in live.view.notices)


def test_a_session_with_no_voice_is_saved_as_no_speech(tmp_path):
    qset = load_question_set("core")
    writer = SessionWriter.create(tmp_path / "sessions", set=qset.id)
    silence = [AudioClip.silence(2.0)] * 3
    result = run_interview(qset, ArrayAnswers(silence), FakeTranscriber([""]), TextOnlyVoice(), writer, PolicyOptions())
    assert result.status == SessionStatus.NO_SPEECH and len(result.turns) == 3


def test_a_session_with_a_voice_is_completed_as_before(tmp_path, answer):
    qset = load_question_set("core")
    writer = SessionWriter.create(tmp_path / "sessions", set=qset.id)
    result = run_interview(qset, ArrayAnswers([answer]), FakeTranscriber(["はい。"]), TextOnlyVoice(), writer, PolicyOptions())
    assert result.status == SessionStatus.ANSWERS_EXHAUSTED and counts_as_practice(writer.meta)


