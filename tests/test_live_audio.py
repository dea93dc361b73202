"""The REAL live audio path: PortAudio -> PulseAudio virtual devices -> `practice` in a pseudo-terminal.

A private PulseAudio daemon (simulator/devtools/virtual_audio.py) provides a virtual microphone
(answer WAVs are played into it in real time with paplay) and a virtual speaker (its monitor is
recorded with parecord to check the interviewer was heard). `practice` runs as a user runs it, in
a pty driven by pexpect: Enter, the repeat key and Ctrl-C are real key presses.

Timing checks are loose on purpose: they catch a wrong pipeline (seconds off), not a slow machine.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import REPO, SAMPLES

pexpect = pytest.importorskip("pexpect")

ANSWER = SAMPLES / "02_achievement_vague.wav"  # 14 s: 1.5 s silence, speech, 1 s silence
LISTENING = "考えがまとまったら"  # shown when the microphone is open (the prompt has been spoken)
CHECKING = "マイク確認中"  # the level check listens (its phrase has been spoken)


def at_peak(src: Path, peak_dbfs: float, dest: Path, seconds: float | None = None) -> Path:
    """A copy of a WAV scaled to a given peak level (and cut to its first seconds)."""
    from simulator.audio.clip import AudioClip
    from simulator.audio.decode import load_audio
    from simulator.audio.wavfile import write_wav

    x = load_audio(src).samples
    if seconds is not None:
        x = x[: int(seconds * 16000)]
    write_wav(dest, AudioClip((x / np.abs(x).max() * 10 ** (peak_dbfs / 20)).astype(np.float32)))
    return dest


def pass_mic_check(child, pulse, tmp_path: Path, peak_dbfs: float = -20.0) -> None:
    """Say a few words at the level check, as a candidate does (the first 4.5 s of an answer)."""
    words = at_peak(ANSWER, peak_dbfs, tmp_path / f"check{peak_dbfs:.0f}.wav", seconds=4.5)
    child.expect(CHECKING)
    speak(child, pulse.play_into_mic(words))
    child.expect("マイクの音")  # the verdict (良好 / 小さめ)



def spawn_practice(pulse, model_dir, out: Path, home: Path, *extra: str, log: Path, silence_only: bool = True):
    # These tests check capture, transcription and the keys on a whole answer: the bundled sample
    # pauses 0.8 s after 「一生懸命頑張りました。」, where the words rule may take the turn
    # (tests/test_turntaking.py and `bench turns` cover that rule), so they end answers by silence;
    # test_the_default_turn_taking_keeps_the_whole_answer runs the default path.
    extra = ("--silence-only", *extra) if silence_only else extra
    env = {**pulse.env, "PYTHONPATH": str(REPO), "MENSETSU_HOME": str(home), "TERM": "xterm-256color"}
    child = pexpect.spawn(
        sys.executable,
        ["-m", "simulator", "practice", "--model", str(model_dir), "--out", str(out), *extra],
        env=env,
        cwd=str(REPO),
        encoding="utf-8",
        timeout=180,
        dimensions=(50, 140),
    )
    child.logfile_read = open(log, "w", encoding="utf-8")
    return child


def speak(child, player) -> None:
    """Wait for paplay to finish while reading the screen (a full pty would stall the program)."""
    while player.poll() is None:
        child.expect([pexpect.TIMEOUT, "振り返り"], timeout=0.3)
        if child.after == "振り返り":
            raise AssertionError("the answer ended while still speaking")


def enter_until_saved(child) -> None:
    """The follow-up, then the closing reverse question: Enter ends each at once, up to the saved session."""
    for _ in range(6):
        if child.expect([LISTENING, "セッションを保存しました"]) == 1:
            break
        child.send("\r")
    else:
        raise AssertionError("the interview did not end")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def only_session(out: Path) -> Path:
    sessions = [p for p in out.iterdir() if (p / "meta.json").is_file()]
    assert len(sessions) == 1, sessions
    return sessions[0]


def test_practice_through_virtual_devices(pulse, model_dir, tmp_path, mensetsu_home):
    """Answer spoken into the virtual mic ends by silence, transcribed; Enter ends the follow-up; the interviewer is heard."""
    from simulator.audio.decode import load_audio
    from simulator.store.session_store import load_session
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    out = tmp_path / "sessions"
    speaker_wav = tmp_path / "speaker.wav"
    recorder = pulse.record_speaker(speaker_wav)
    time.sleep(0.5)
    child = spawn_practice(pulse, model_dir, out, mensetsu_home, "--max-questions", "1", "--short", "--end-silence", "1.5", log=tmp_path / "pty.log")
    pass_mic_check(child, pulse, tmp_path)
    child.expect("自己紹介")
    child.expect(LISTENING)
    speak(child, pulse.play_into_mic(ANSWER))
    child.expect("振り返り")  # the delivery card of turn 1
    enter_until_saved(child)
    recorder.terminate()
    recorder.wait(10)

    session = load_session(only_session(out))
    assert session.meta["status"] == "completed" and session.meta["mode"] == "live"
    first, second = session.turns[0], session.turns[1]
    assert first["answer"]["ended_by"] == "silence"
    a = first["analysis"]
    assert "売" in a["transcript"] and "頑張" in a["transcript"], a["transcript"]
    # the file has 1.5 s of silence before speech; paplay started right after the mic opened
    assert 1.2 <= a["response_latency_s"] <= 4.0, a["response_latency_s"]
    assert 10.0 <= a["answer_s"] <= 13.0, a["answer_s"]  # the spoken part of the file is ~11.5 s
    answer_clip = load_audio(session.folder / first["answer"]["audio"])
    assert answer_clip.duration_s <= 14.0 + 1.5 + 1.5  # ended ~1.5 s after speech, not much later
    assert second["prompt"]["kind"] == "probe" and second["answer"]["ended_by"] == "enter"

    # the interviewer's voice reached the speaker: opening + question + probe + closing, as speech
    heard = load_audio(speaker_wav)
    spans = get_speech_timestamps(heard.samples, VadOptions(min_silence_duration_ms=300))
    heard_s = sum(s["end"] - s["start"] for s in spans) / 16000
    prompt_clip = load_audio(session.folder / first["prompt"]["audio"])
    assert heard_s >= prompt_clip.duration_s, (heard_s, prompt_clip.duration_s)
    # and no self-echo: the candidate's answer file holds the candidate, not the interviewer
    assert np.abs(answer_clip.samples[: int(1.2 * 16000)]).max() < 0.01


def test_the_default_turn_taking_keeps_the_whole_answer(pulse, model_dir, tmp_path, mensetsu_home):
    """The words rule and barge-in through real devices: whether the turn is taken at the sample's
    0.8 s pause after 「頑張りました。」 (the candidate then goes on over the acknowledgement, which
    stops, and the same answer continues) or not, the first answer holds both sentences."""
    from simulator.store.session_store import load_session

    out = tmp_path / "sessions"
    child = spawn_practice(pulse, model_dir, out, mensetsu_home, "--max-questions", "1", "--short", "--no-mic-check",
                           log=tmp_path / "pty.log", silence_only=False)
    child.expect("自己紹介")
    child.expect(LISTENING)
    speak(child, pulse.play_into_mic(ANSWER))
    child.expect("振り返り")  # the delivery card of turn 1
    enter_until_saved(child)
    session = load_session(only_session(out))
    first = session.turns[0]
    text = first["analysis"]["transcript"]
    assert first["answer"]["ended_by"] == "silence"
    assert "頑張" in text and "結果" in text, text  # both sentences, one answer
    assert 10.0 <= first["analysis"]["answer_s"] <= 14.0, first["analysis"]["answer_s"]


def test_repeat_key_and_ctrl_c_keep_the_partial_answer(pulse, model_dir, tmp_path, mensetsu_home):
    out = tmp_path / "sessions"
    child = spawn_practice(pulse, model_dir, out, mensetsu_home, "--max-questions", "1", "--no-mic-check", log=tmp_path / "pty.log")
    child.expect("自己紹介")
    child.expect(LISTENING)
    child.send("r")  # hear the question again
    child.expect("もう一度お聞きします")
    child.expect("面接官が話しています")  # the question again
    child.expect(LISTENING)
    player = pulse.play_into_mic(ANSWER)
    child.expect(pexpect.TIMEOUT, timeout=6.0)  # mid-answer (reading the screen meanwhile, as a terminal does)
    child.sendintr()  # Ctrl-C
    child.expect("中断しました")
    child.expect(pexpect.EOF)
    child.close()
    player.wait(30)
    assert child.exitstatus == 130, (child.exitstatus, child.signalstatus, child.before[-2000:])
    folder = only_session(out)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    assert meta["status"] == "interrupted" and meta["turns"] == 0
    assert meta["partial_answer"] == "audio/partial-answer.wav"
    from simulator.audio.decode import load_audio

    partial = load_audio(folder / "audio" / "partial-answer.wav")
    assert 3.0 <= partial.duration_s <= 9.0, partial.duration_s
    assert np.abs(partial.samples).max() > 0.05  # it holds the candidate's speech
    assert str(folder) in child.before or str(folder) in (tmp_path / "pty.log").read_text(encoding="utf-8")


def test_devices_and_doctor_see_the_virtual_devices(pulse, model_dir, tmp_path):
    import subprocess

    env = {**pulse.env, "PYTHONPATH": str(REPO), "MENSETSU_HOME": str(tmp_path / "home")}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "simulator", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)

    def checks(done):
        try:
            return {c["name"]: c for c in json.loads(done.stdout)["checks"]}
        except ValueError:
            raise AssertionError(f"doctor printed no JSON (exit {done.returncode}): {done.stderr[-2000:]}") from None

    listed = cli("devices", "--json")
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert any(d["inputs"] and d["default_input"] for d in json.loads(listed.stdout))

    silent = cli("doctor", "--json", "--level-seconds", "1", "--model", str(model_dir))
    report = checks(silent)
    assert report["PortAudio"]["ok"] and report["speaker"]["ok"] and report["transcription model"]["ok"], report
    mic = report["microphone"]
    assert not mic["ok"] and mic["level"]["verdict"] == "silent" and "ミュート" in mic["detail"], report  # the null sink is digital silence
    assert silent.returncode == 1

    player = pulse.play_into_mic(SAMPLES / "01_self_intro.wav")  # speech from 1.2 s on
    try:
        spoken = cli("doctor", "--json", "--level-seconds", "4", "--model", str(model_dir))
    finally:
        player.terminate()
    report = checks(spoken)
    assert report["microphone"]["ok"], report["microphone"]

    bad = cli("practice", "--input-device", "no-such-microphone", "--model", str(model_dir), "--out", str(tmp_path / "s"))
    assert bad.returncode == 7 and "no-such-microphone" in bad.stderr and "Traceback" not in bad.stderr, (bad.returncode, bad.stderr[-2000:])
    assert not (tmp_path / "s").exists() or not any((tmp_path / "s").iterdir())  # no empty session left behind


@pytest.mark.parametrize("peak_dbfs", [-50.0, -20.0])
def test_quiet_and_loud_answers_are_heard_whole_and_doctor_agrees(pulse, model_dir, tmp_path, mensetsu_home, peak_dbfs):
    """A -50 dBFS voice (a microphone set far too low) and a -20 dBFS one: the level check sets the
    gain, the answer is captured whole, and doctor judges the same microphone the same way."""
    import subprocess

    from simulator.audio.decode import load_audio
    from simulator.store.session_store import load_session

    answer = at_peak(ANSWER, peak_dbfs, tmp_path / "answer.wav")
    out = tmp_path / "sessions"
    child = spawn_practice(pulse, model_dir, out, mensetsu_home, "--max-questions", "1", "--short",
                           "--end-silence", "1.5", log=tmp_path / "pty.log")
    pass_mic_check(child, pulse, tmp_path, peak_dbfs)
    child.expect("自己紹介")
    child.expect(LISTENING)
    speak(child, pulse.play_into_mic(answer))
    child.expect("振り返り")  # the card
    for _ in range(6):  # the follow-ups and the closing reverse question: Enter ends each
        if child.expect([LISTENING, "セッションを保存しました"]) == 1:
            break
        child.send("\r")
    child.expect(pexpect.EOF)
    child.close()
    session = load_session(only_session(out))
    check = session.meta["level_check"]
    assert check["verdict"] == ("quiet" if peak_dbfs < -40 else "ok"), check
    first = session.turns[0]
    assert first["answer"]["ended_by"] == "silence"
    a = first["analysis"]
    assert 10.0 <= a["answer_s"] <= 13.0, a["answer_s"]  # the whole ~11.5 s of speech, not cut short
    assert "頑張" in a["transcript"] or "がんば" in a["transcript"], a["transcript"]
    answer_audio = load_audio(session.folder / first["answer"]["audio"]).samples
    assert np.abs(answer_audio).max() > 10 ** (-30 / 20)  # recorded with the gain: a normal level for Whisper

    env = {**pulse.env, "PYTHONPATH": str(REPO), "MENSETSU_HOME": str(mensetsu_home)}
    player = pulse.play_into_mic(at_peak(ANSWER, peak_dbfs, tmp_path / "doctor.wav", seconds=5.0))
    try:
        done = subprocess.run([sys.executable, "-m", "simulator", "doctor", "--json", "--level-seconds", "5", "--model", str(model_dir)],
                              env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
    finally:
        player.wait(30)
    mic = {c["name"]: c for c in json.loads(done.stdout)["checks"]}["microphone"]
    assert mic["ok"] and mic["level"]["verdict"] == check["verdict"], mic  # doctor and practice agree


def test_a_silent_microphone_is_said_plainly_and_leaves_no_session(pulse, model_dir, tmp_path, mensetsu_home):
    out = tmp_path / "sessions"
    child = spawn_practice(pulse, model_dir, out, mensetsu_home, "--max-questions", "2", log=tmp_path / "pty.log")
    child.expect(CHECKING)
    child.expect("マイクから音が届いていません")  # the null sink is digital silence
    child.expect("q: 終了")
    child.send("\r")  # try again: still silent
    child.expect(CHECKING)
    child.expect("q: 終了")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 7
    assert not out.exists() or not any(out.iterdir())  # nothing was heard: no session at all


def test_a_microphone_that_goes_silent_pauses_the_interview_within_two_answers(pulse, model_dir, tmp_path, mensetsu_home):
    from simulator.store.session_store import load_session

    out = tmp_path / "sessions"
    started = time.monotonic()
    child = spawn_practice(pulse, model_dir, out, mensetsu_home, "--no-answer", "3", log=tmp_path / "pty.log")
    pass_mic_check(child, pulse, tmp_path)  # heard at the start, then the microphone goes quiet
    child.expect("お声が聞こえないようです", timeout=120)
    child.expect("q: 終了")
    child.send("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 7
    session = load_session(only_session(out))
    assert session.meta["status"] == "no_speech" and len(session.turns) == 2, session.meta  # paused after 2 answers
    assert all(t["answer"]["ended_by"] == "no_answer" for t in session.turns)
    assert time.monotonic() - started < 150
