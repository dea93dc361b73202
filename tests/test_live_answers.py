"""LiveAnswers with fake devices on virtual time: turn-taking rules, keys, no self-echo, device loss.

The real devices are covered by tests/test_live_audio.py (PulseAudio virtual sinks).
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio.clip import AudioClip, concat
from simulator.audio.decode import load_audio
from simulator.audio.endpoint import EndpointOptions
from simulator.interview.policy import Prompt
from simulator.audio.live import LiveAnswers, LiveOptions, NullView
from simulator.testing import FakeKeys, FakeMicrophone
from simulator.audio.speaker import FileSink
from simulator.errors import DeviceError
from simulator.speech.voice import INTERVIEWER_PHRASES

from conftest import SAMPLES

QUESTION = Prompt("question", "q", "experience", "質問です。")
PROMPT = AudioClip(np.full(8000, 0.05, np.float32))  # 0.5 s "question"
ACK = INTERVIEWER_PHRASES["ack_thanks"]  # said the moment a voiced answer's turn is taken


class ToneVoice:
    """A fake voice: 0.1 s per character of text, so each phrase has a recognisable length."""

    name = "tone"

    def __init__(self):
        self.rendered: list[str] = []

    def render(self, text: str) -> AudioClip:
        self.rendered.append(text)
        return AudioClip(np.full(int(1600 * len(text)), 0.05, np.float32))


@pytest.fixture(scope="module")
def speech() -> AudioClip:
    return load_audio(SAMPLES / "02_achievement_vague.wav")  # ~14 s, 1.5 s silence first


def make(script: AudioClip, keys=(), **endpoint) -> tuple[LiveAnswers, FakeMicrophone, FileSink, ToneVoice]:
    mic = FakeMicrophone(script)
    sink = FileSink()
    voice = ToneVoice()
    live = LiveAnswers(mic, sink, voice, FakeKeys(mic, list(keys)), NullView(), LiveOptions(EndpointOptions(**endpoint)))
    live.start()
    return live, mic, sink, voice


def test_answer_ends_after_patient_silence(speech):
    script = concat([AudioClip.silence(0.5), speech])  # the first 0.5 s pass while the prompt plays
    live, mic, sink, voice = make(script)
    answer = live.next_answer(QUESTION, PROMPT)
    assert answer.ended_by == "silence"
    assert sink.played[0] is PROMPT and len(sink.played) == 2
    assert voice.rendered == [ACK]  # 「はい、ありがとうございます。」 once the turn is taken
    # the answer holds the whole reply plus the patient silence, and not much more
    assert speech.duration_s - 0.5 <= answer.clip.duration_s <= speech.duration_s + 2.6
    log = live.log[-1]
    assert log["speech_start_s"] == pytest.approx(1.5, abs=0.25)  # Silero needs a few frames to be sure
    assert log["audio_s"] - log["speech_end_s"] == pytest.approx(2.5, abs=0.05)


def test_the_answer_is_recorded_from_the_end_of_the_prompt(speech):
    live, mic, sink, _ = make(speech)  # the 0.5 s prompt plays over the sample's first silence
    answer = live.next_answer(QUESTION, PROMPT)
    assert sink.played[0] is PROMPT
    expected = speech.samples[8000 : 8000 + 16000]
    assert np.allclose(answer.clip.samples[:16000], expected)  # recording starts after the prompt


def _spoken(name: str) -> AudioClip:
    return load_audio(SAMPLES / name)


def test_speaking_over_the_question_stops_it_and_starts_the_answer(speech):
    """Barge-in with headphones: the voice stops within 0.3 s and the answer starts with the candidate."""
    question = _spoken("05_motivation_specific.wav")  # 14.9 s of speech: the interviewer's long question
    live, mic, sink, _ = make(speech)  # the candidate's voice begins 1.5 s in
    answer = live.next_answer(QUESTION, question)
    onset = 1.5
    barge_at = live.log[-1].get("barge_in_at_s")
    assert barge_at is not None and 0 < barge_at - onset <= 0.3
    assert answer.ended_by == "silence"
    # the answer holds the candidate from (just before) the first sound to the end
    speech_end = 13.785  # the sample's last word (manifest.json)
    assert answer.clip.duration_s == pytest.approx(speech_end - onset + 2.5 + live.options.barge_in_preroll_s, abs=0.35)


def test_the_interviewers_own_voice_on_loudspeakers_does_not_stop_it():
    """Barge-in on loudspeakers: the microphone hears the question back (delayed, quieter, with a
    reflection) and no candidate: the question plays out."""
    question = _spoken("05_motivation_specific.wav")
    q = question.samples
    d, r = int(0.25 * 16000), int(0.03 * 16000)
    echo = np.zeros(len(q) + d + r, np.float32)
    echo[d : d + len(q)] += 0.3 * q
    echo[d + r : d + r + len(q)] += 0.12 * q
    live, mic, sink, _ = make(AudioClip(echo), no_answer_s=4.0)
    answer = live.next_answer(QUESTION, question)
    assert "barge_in_at_s" not in live.log[0]
    assert sink.played[0] is question and answer.ended_by == "no_answer"


def test_going_on_over_the_acknowledgement_resumes_the_same_answer():
    """The turn was taken 0.7 s after a complete sentence; the candidate goes on 1.2 s after it,
    over 「はい、ありがとうございます。」: the acknowledgement stops and the answer continues."""
    from simulator.testing import FakeTranscriber
    from simulator.turntaking.decision import TurnOptions

    first = _spoken("03_achievement_specific.wav").slice_s(0.7, 7.2)  # 具体的には、…聞き取りました。
    second = _spoken("03_achievement_specific.wav").slice_s(7.3, 16.0)
    script = concat([AudioClip.silence(0.5), first, AudioClip.silence(1.2), second])
    mic = FakeMicrophone(script)
    sink, voice = FileSink(), ToneVoice()
    rec = FakeTranscriber([], endings=["…ました。"] * 30)  # every pause after a complete sentence
    live = LiveAnswers(mic, sink, voice, FakeKeys(mic, []), NullView(), LiveOptions(EndpointOptions(), turn=TurnOptions()),
                       recogniser=rec)
    live.start()
    answer = live.next_answer(QUESTION, PROMPT)
    assert live.log[0]["reason"] == "silence" and live.log[0].get("resumed")
    assert answer.ended_by == "silence"
    assert answer.clip.duration_s > first.duration_s + second.duration_s  # both parts, one answer
    assert voice.rendered.count(ACK) == 1 and INTERVIEWER_PHRASES["ack_understood"] in voice.rendered


def test_enter_ends_the_answer_at_once(speech):
    live, mic, sink, _ = make(concat([AudioClip.silence(0.5), speech]), keys=[(5.0, "enter")])
    answer = live.next_answer(QUESTION, PROMPT)
    assert answer.ended_by == "enter"
    assert answer.clip.duration_s == pytest.approx(4.5, abs=0.05)


def test_repeat_key_replays_the_question_and_keeps_listening(speech):
    live, mic, sink, voice = make(concat([AudioClip.silence(6.0), speech]), keys=[(1.0, "repeat")])
    answer = live.next_answer(QUESTION, PROMPT)
    assert voice.rendered == [INTERVIEWER_PHRASES["repeat"], ACK]
    assert sink.played[0] is PROMPT and sink.played[2] is PROMPT and len(sink.played) == 4
    assert answer.ended_by == "silence"
    assert answer.clip.duration_s > 10


def test_no_answer_reasks_once_then_moves_on():
    live, mic, sink, voice = make(AudioClip.silence(0.0), no_answer_s=4.0)
    answer = live.next_answer(QUESTION, PROMPT)
    assert answer.ended_by == "no_answer"
    assert voice.rendered == [INTERVIEWER_PHRASES["reask"], INTERVIEWER_PHRASES["move_on"]]
    assert [c is PROMPT for c in sink.played] == [True, False, True, False]
    assert answer.clip.duration_s == pytest.approx(4.0, abs=0.05)


def test_answer_after_the_reask_is_kept(speech):
    reask_s = len(INTERVIEWER_PHRASES["reask"]) * 0.1
    script = concat([AudioClip.silence(0.5 + 4.0 + reask_s + 0.5 + 1.0), speech])
    live, mic, sink, voice = make(script, no_answer_s=4.0)
    answer = live.next_answer(QUESTION, PROMPT)
    assert answer.ended_by == "silence"
    assert voice.rendered == [INTERVIEWER_PHRASES["reask"], ACK]


def test_long_answer_is_interrupted_politely(speech):
    live, mic, sink, voice = make(concat([AudioClip.silence(0.5), speech]), max_answer_s=5.0)
    answer = live.next_answer(QUESTION, PROMPT)
    assert answer.ended_by == "time_limit"
    assert voice.rendered == [INTERVIEWER_PHRASES["interrupt"]]


def test_device_lost_mid_answer_keeps_the_partial_answer(speech):
    live, mic, sink, _ = make(concat([AudioClip.silence(0.5), speech]))
    mic.fail_after_s = 4.0
    with pytest.raises(DeviceError):
        live.next_answer(QUESTION, PROMPT)
    partial = live.partial_answer()
    assert partial is not None and partial.duration_s == pytest.approx(3.5, abs=0.05)


def test_text_only_prompt_is_said_clearly():
    mic = FakeMicrophone(AudioClip.silence(0.0))
    view = NullView()
    live = LiveAnswers(mic, FileSink(), None, FakeKeys(mic, [(1.0, "enter")]), view)
    live.start()
    answer = live.next_answer(QUESTION, None)
    assert answer.ended_by == "enter"
    assert view.prompts == [("質問です。", False)]
    assert any("文字" in n for n in view.notices)


def test_dynamic_text_is_synthesized_sentence_by_sentence():
    mic = FakeMicrophone(AudioClip.silence(0.0))
    voice = ToneVoice()
    sink = FileSink()
    live = LiveAnswers(mic, sink, voice, FakeKeys(mic, [(5.0, "enter")]), NullView())
    live.start()
    live.next_answer(Prompt("probe", "q", "experience", "「頑張った」とおっしゃいました。具体的には？"), None)
    assert voice.rendered == ["「頑張った」とおっしゃいました。", "具体的には？"]
    assert len(sink.played) == 2
    assert live.spoken_prompt.duration_s == pytest.approx(sum(c.duration_s for c in sink.played))  # saved with the turn


def test_live_loop_saves_turns_and_moves_on_after_no_answer(tmp_path, speech):
    """run_interview with LiveAnswers: answered turns saved; a silent turn goes to the next question."""
    from simulator.interview.policy import PolicyOptions
    from simulator.interview.question_sets import load_question_set
    from simulator.interview.session import run_interview
    from simulator.testing import FakeTranscriber
    from simulator.speech.voice import TextOnlyVoice
    from simulator.store.session_store import SessionWriter, load_session

    qset = load_question_set("core")
    mic = FakeMicrophone(concat([AudioClip.silence(0.5), speech]))
    sink = FileSink()
    live = LiveAnswers(mic, sink, ToneVoice(), FakeKeys(mic), NullView(), LiveOptions(EndpointOptions(no_answer_s=3.0)))
    live.start()
    writer = SessionWriter.create(tmp_path, set=qset.id, mode="live")
    text = "前年比百二十パーセントの売上を、三十社の新規開拓で達成しました。手順は三つです。"
    result = run_interview(qset, live, FakeTranscriber([text]), TextOnlyVoice(), writer, PolicyOptions(max_questions=2))
    session = load_session(writer.folder)
    ended = [t["answer"]["ended_by"] for t in session.turns]
    assert ended[0] == "silence"
    assert all(t["prompt"]["audio"] for t in session.turns)  # synthesized by the live source, saved by the loop
    assert "no_answer" in ended
    after = ended.index("no_answer")
    # after the silent turn the next prompt is a new main question (or the end), never a probe
    if after + 1 < len(session.turns):
        assert session.turns[after + 1]["prompt"]["kind"] == "question"
    assert result.status == "completed"
