"""The live session around the loop (commands/practice.run_live) with fakes: no completed turn is lost
to Ctrl-C or to a device lost mid-answer, and the answer under way is kept as audio."""

from __future__ import annotations

import json

import pytest

from simulator.audio.clip import AudioClip, concat
from simulator.audio.decode import load_audio
from simulator.audio.live import LiveAnswers, NullView
from simulator.testing import FakeKeys, FakeMicrophone, FakeTranscriber
from simulator.audio.speaker import FileSink
from simulator.commands.practice import run_live
from simulator.errors import DeviceError
from simulator.interview.policy import PolicyOptions
from simulator.interview.question_sets import load_question_set
from simulator.speech.voice import TextOnlyVoice
from simulator.store.session_store import SessionWriter, load_session

from conftest import SAMPLES

# The answer sample used below: its length and where its speech ends (from the samples' manifest).
_SAMPLE = {i["file"]: i for i in json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))["items"]}["03_achievement_specific.wav"]
A_S, A_END_S = _SAMPLE["duration_s"], _SAMPLE["speech_spans_s"][-1][1]

TEXT = "前年比百二十パーセントの売上を、三十社の新規開拓で達成しました。手順は三つです。"


class ScreenView(NullView):
    def start(self, title, total):
        pass

    def on_prompt(self, prompt, number, total):
        pass

    def card(self, record):
        pass


class InterruptKeys(FakeKeys):
    """Ctrl-C at a given audio time, as the terminal would raise it."""

    def __init__(self, mic, at_s):
        super().__init__(mic)
        self.at_s = at_s

    def poll(self):
        if self.mic.position_s >= self.at_s:
            raise KeyboardInterrupt
        return None


@pytest.fixture()
def two_answers():
    a = load_audio(SAMPLES / "03_achievement_specific.wav")
    return concat([a, AudioClip.silence(3.0), a])


def session_parts(tmp_path, script, keys_factory=None, fail_after_s=None):
    qset = load_question_set("core")
    mic = FakeMicrophone(script, fail_after_s=fail_after_s)
    keys = keys_factory(mic) if keys_factory else FakeKeys(mic)
    live = LiveAnswers(mic, FileSink(), None, keys, ScreenView())
    live.start()
    writer = SessionWriter.create(tmp_path / "sessions", set=qset.id, mode="live")
    return qset, live, writer


def test_ctrl_c_mid_answer_keeps_completed_turns_and_the_partial_answer(tmp_path, two_answers):
    qset, live, writer = session_parts(tmp_path, two_answers, keys_factory=lambda mic: InterruptKeys(mic, A_S + 3.0 + 6.0))
    outcome, turns = run_live(qset, live, FakeTranscriber([TEXT]), TextOnlyVoice(), writer, PolicyOptions(), ScreenView(), 6)
    assert (outcome, turns) == ("interrupted", 1)
    session = load_session(writer.folder)
    assert session.meta["status"] == "interrupted" and len(session.turns) == 1
    partial = load_audio(writer.folder / session.meta["partial_answer"])
    # turn 1 ended 2.5 s after its speech (A_END_S); listening for turn 2 began there (no prompt audio)
    assert partial.duration_s == pytest.approx(A_S + 3.0 + 6.0 - (A_END_S + 2.5), abs=0.3)


def test_device_lost_mid_answer_is_reported_after_saving(tmp_path, two_answers):
    qset, live, writer = session_parts(tmp_path, two_answers, fail_after_s=A_S + 3.0 + 5.0)
    with pytest.raises(DeviceError):
        run_live(qset, live, FakeTranscriber([TEXT]), TextOnlyVoice(), writer, PolicyOptions(), ScreenView(), 6)
    meta = json.loads((writer.folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["status"] == "failed" and meta["turns"] == 1
    assert (writer.folder / "audio" / "partial-answer.wav").is_file()
    assert len(load_session(writer.folder).turns) == 1
