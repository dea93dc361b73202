"""The browser's twins of the live devices (simulator/web/devices.py), without a browser: the page is
simulated by a thread that answers `play` with `played` and streams a sample answer while the
interview listens. The whole live composition (commands/practice.conduct) runs on them."""

from __future__ import annotations

import base64
import io
import threading
import time
import wave
from argparse import Namespace

import numpy as np
import pytest

from simulator.audio.clip import AudioClip
from simulator.audio.decode import load_audio
from simulator.errors import DeviceError
from simulator.web.devices import BLOCK, BrowserLink, wav_bytes

from simulator.testing import FakeTranscriber

from conftest import SAMPLES


def link_with_outbox():
    events: list[dict] = []
    link = BrowserLink(events.append)
    return link, events


def frames(samples: np.ndarray) -> bytes:
    return np.asarray(samples, "<f4").tobytes()


# --- the microphone ------------------------------------------------------------------------------------
def test_frames_of_any_size_become_20_ms_blocks_in_order():
    link, _ = link_with_outbox()
    mic = link.mic
    mic.start()
    mic.unmute()
    signal = np.arange(1000, dtype=np.float32) / 1000.0
    for a, b in ((0, 128), (128, 700), (700, 1000)):
        mic.feed(frames(signal[a:b]))
    blocks = [mic.read(0.01) for _ in range(3)]
    assert [len(b) for b in blocks] == [BLOCK, BLOCK, BLOCK]
    assert np.allclose(np.concatenate(blocks), signal[: 3 * BLOCK])
    assert mic.read(0.01) is None  # 40 samples wait for the rest of their block


def test_muted_audio_is_dropped_and_unmute_starts_afresh():
    link, _ = link_with_outbox()
    mic = link.mic
    mic.start()
    mic.feed(frames(np.ones(BLOCK * 3)))  # muted: the interviewer is speaking
    assert mic.read(0.01) is None
    mic.unmute()
    mic.feed(frames(np.full(BLOCK, 0.5)))
    mic.mute()
    mic.unmute()  # what was queued before is dropped
    assert mic.read(0.01) is None
    assert mic.listening


def test_bad_samples_are_made_safe():
    link, _ = link_with_outbox()
    link.mic.unmute()
    link.mic.feed(frames(np.array([np.nan, np.inf, -np.inf, 4.0] * 80)) + b"\x01\x02")  # a torn last sample too
    block = link.mic.read(0.01)
    assert np.isfinite(block).all() and np.abs(block).max() <= 1.0


def test_a_page_gone_is_a_lost_device():
    link, _ = link_with_outbox()
    link.mic.unmute()
    link.disconnect()
    with pytest.raises(DeviceError, match="ブラウザとの接続が切れた"):
        link.mic.read(0.01)
    with pytest.raises(DeviceError):
        link.speaker.play(AudioClip.silence(0.1))


# --- the speaker -------------------------------------------------------------------------------------------
def test_play_sends_a_wav_and_waits_for_the_page():
    link, events = link_with_outbox()
    clip = AudioClip((0.2 * np.sin(np.arange(2400) / 5.0)).astype(np.float32), 24000)
    done = threading.Event()
    t = threading.Thread(target=lambda: (link.speaker.play(clip), done.set()))
    t.start()
    deadline = time.monotonic() + 5
    while not events and time.monotonic() < deadline:
        time.sleep(0.01)
    assert events[0]["type"] == "play" and not done.wait(0.2)  # blocked until the page says so
    with wave.open(io.BytesIO(base64.b64decode(events[0]["wav"]))) as w:
        assert (w.getframerate(), w.getnchannels(), w.getnframes()) == (24000, 1, 2400)
    link.receive({"type": "played", "id": events[0]["id"] + 1})  # another clip's: not this one
    assert not done.wait(0.1)
    link.receive({"type": "played", "id": events[0]["id"]})
    assert done.wait(2)
    t.join()


def test_stop_cuts_the_clip_short_and_tells_the_page():
    link, events = link_with_outbox()
    t = threading.Thread(target=link.speaker.play, args=(AudioClip.silence(30.0),))
    t0 = time.monotonic()
    t.start()
    time.sleep(0.2)
    link.speaker.stop()  # a barge-in, from the listening thread
    t.join(3)
    assert not t.is_alive() and time.monotonic() - t0 < 3
    assert [e["type"] for e in events] == ["play", "stop_audio"]


def test_the_stop_button_is_ctrl_c_in_the_interview_thread_only():
    link, _ = link_with_outbox()
    link.owner = threading.current_thread()
    link.keys.push("enter")
    link.keys.push("sudo rm")  # unknown keys are ignored
    assert link.keys.poll() == "enter" and link.keys.poll() is None
    raised = []
    other = threading.Thread(target=lambda: raised.append(link.keys.poll()))
    link.receive({"type": "stop"})
    other.start()
    other.join()
    assert raised == [None]  # not raised in a thread that is not the interview's
    with pytest.raises(KeyboardInterrupt):
        link.keys.poll()
    with pytest.raises(KeyboardInterrupt):
        link.mic.read(0.01)


def test_wav_bytes_clip_and_rate():
    data = wav_bytes(AudioClip(np.array([2.0, -2.0, np.nan], np.float32), 16000))
    with wave.open(io.BytesIO(data)) as w:
        raw = np.frombuffer(w.readframes(3), "<i2")
    assert list(raw) == [32767, -32767, 0]


# --- the view ------------------------------------------------------------------------------------------------
def test_the_view_sends_what_the_screen_shows():
    from simulator.audio.live import ListenState

    link, events = link_with_outbox()
    heard = ["", "売上を"]
    link.view.heard = lambda: heard[-1]
    link.view.every_s = 0.0
    link.view.start("二次面接（基本）", 5)
    link.view.prompt("自己紹介をお願いします。", True)
    link.view.listening(ListenState(1.0, 0.5, True, True, -30.0, 0.0, 2.5))
    link.view.listening(ListenState(1.1, 0.6, True, True, float("-inf"), 0.0, 2.5))
    link.view.notice("面接官: はい。")
    link.view.analysing()
    kinds = [e["type"] for e in events]
    assert kinds == ["start", "prompt", "listening", "listening", "notice", "analysing"]
    assert events[2]["heard"] == "売上を" and "heard" not in events[3]  # sent when it changes
    assert events[3]["level_db"] == -100.0


# --- the whole live composition on the browser's devices ----------------------------------------------------
class FakePage:
    """The page: plays each clip at once, and speaks the sample answer each time the interview listens."""

    def __init__(self, answer: AudioClip, speed: float = 16.0):
        self.answer = np.concatenate([answer.resampled().samples, np.zeros(16000 * 6, np.float32)])
        self.speed = speed
        self.events: list[dict] = []
        self.link = BrowserLink(self.on_event)
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self.speak, daemon=True)

    def on_event(self, event: dict) -> None:
        self.events.append(event)
        if event["type"] == "play":
            self.link.receive({"type": "played", "id": event["id"]})

    def speak(self) -> None:
        pos, was = 0, False
        while not self._stop.is_set():
            listening = self.link.mic.listening
            if listening and not was:
                pos = 0  # a new listen: the answer from its start
            was = listening
            chunk = self.answer[pos : pos + BLOCK * 4] if listening else np.zeros(BLOCK * 4, np.float32)
            if len(chunk) < BLOCK * 4:
                chunk = np.concatenate([chunk, np.zeros(BLOCK * 4 - len(chunk), np.float32)])
            self.link.receive_audio(frames(chunk))
            pos += BLOCK * 4
            time.sleep(BLOCK * 4 / 16000 / self.speed)

    def close(self):
        self._stop.set()
        self.thread.join(2)


def test_a_live_interview_on_the_browser_devices_is_saved_as_terminal_practice_saves_it(mensetsu_home):
    from simulator.audio.live import LiveOptions
    from simulator.commands.practice import LivePlan, build_live, conduct, planned_questions
    from simulator.interview.policy import PolicyOptions
    from simulator.interview.question_sets import load_question_set
    from simulator.speech.voice import TextOnlyVoice
    from simulator.store.session_store import load_session

    qset = load_question_set("core")
    policy = PolicyOptions(max_questions=1, max_probes_per_question=0)
    args = Namespace(mic_check=True, company=None, target=None, silence_only=True, end_silence=2.5, out=None, mode="full")
    text = "前年比百二十パーセントの売上を、三十社の新規開拓で達成しました。"
    plan = LivePlan(args, qset, policy, None, planned_questions(qset, policy), FakeTranscriber([text, text]), None,
                    TextOnlyVoice(), None, None, LiveOptions(turn=None, acknowledge=False))
    page = FakePage(load_audio(SAMPLES / "03_achievement_specific.wav"))
    link = page.link
    link.owner = threading.current_thread()
    live = build_live(plan, link.mic, link.speaker, link.keys, link.view)
    page.thread.start()
    try:
        result = conduct(plan, live, link.keys, link.view, say=lambda text, err=False: None)
    finally:
        page.close()
    assert (result.outcome, result.code) == ("completed", 0) and result.turns >= 2
    session = load_session(result.folder)
    assert session.meta["status"] == "completed" and session.meta["mode"] == "live"
    assert session.meta["input_device"] == "browser microphone" and session.meta["level_check"]["verdict"] in ("ok", "quiet")
    ids = [t["prompt"]["question_id"] for t in session.turns]
    assert ids[0] == "self_intro" and set(ids[1:]) == {"reverse"} and len(ids) == result.turns
    for turn in session.turns:
        assert turn["answer"]["ended_by"] == "silence"
        assert (session.folder / turn["answer"]["audio"]).is_file()
        assert turn["analysis"]["answer_s"] > 10  # the whole sample answer was heard
    kinds = [e["type"] for e in page.events]
    assert kinds[0] == "start" and kinds.count("card") == result.turns and "listening" in kinds and "prompt" in kinds


def test_stop_from_the_page_mid_answer_keeps_the_completed_turns(mensetsu_home):
    from simulator.audio.live import LiveOptions
    from simulator.commands.practice import LivePlan, build_live, conduct, planned_questions
    from simulator.interview.policy import PolicyOptions
    from simulator.interview.question_sets import load_question_set
    from simulator.speech.voice import TextOnlyVoice
    from simulator.store.session_store import load_session

    qset = load_question_set("core")
    policy = PolicyOptions(max_questions=2, max_probes_per_question=0)
    args = Namespace(mic_check=False, company=None, target=None, silence_only=True, end_silence=2.5, out=None, mode="full")
    plan = LivePlan(args, qset, policy, None, planned_questions(qset, policy), FakeTranscriber(["回答です。"] * 3), None,
                    TextOnlyVoice(), None, None, LiveOptions(turn=None, acknowledge=False))
    page = FakePage(load_audio(SAMPLES / "03_achievement_specific.wav"))
    link = page.link
    link.owner = threading.current_thread()

    def stop_in_second_answer(event, base=page.on_event):
        base(event)
        if event["type"] == "card":
            threading.Timer(0.5, lambda: link.receive({"type": "stop"})).start()

    link._send = stop_in_second_answer
    live = build_live(plan, link.mic, link.speaker, link.keys, link.view)
    page.thread.start()
    try:
        result = conduct(plan, live, link.keys, link.view, say=lambda text, err=False: None)
    finally:
        page.close()
    assert (result.outcome, result.turns, result.code) == ("interrupted", 1, 130)
    session = load_session(result.folder)
    assert session.meta["status"] == "interrupted" and len(session.turns) == 1
