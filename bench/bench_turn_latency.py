"""Turn latency of live practice, measured through PulseAudio virtual devices.

    latency = (first sound of the next prompt) - (end of the candidate's speech) - (end-of-turn silence)

Target: <= 1.0 s for 60 s answers. The candidate's answer is played (paplay, real time) into a
combined sink that feeds both the virtual microphone and the virtual speaker, so ONE recording of
the speaker's monitor holds the candidate and the interviewer on the same clock: no alignment
error between two recorders. The program runs the real live path in-process (Microphone and
Speaker through PortAudio, LiveAnswers, run_interview, the real transcriber).

Baseline, same run, same answers: the whole-answer path, i.e. the time the current loop spends
transcribing and analysing the finished answer (analyze_answer on the saved clip, nothing else
running). latency - baseline is what the devices, the endpointing and the prompt playback add.
The streaming-transcription work reuses this script: --transcriber picks the path under test.

Usage:
    python bench/bench_turn_latency.py [--answer-s 15 60] [--end-silence 2.5] [--model PATH] [--json OUT]
Needs: apt-get install pulseaudio pulseaudio-utils libasound2-plugins libportaudio2
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FRAME_S = 0.02
SOUND_DB = -45.0


def compose_answer(target_s: float, out: Path) -> tuple[Path, float]:
    """Sample answers joined with 1 s thinking pauses until target_s; returns (wav, speech end in file)."""
    from simulator.audio.clip import AudioClip, concat
    from simulator.audio.decode import load_audio
    from simulator.audio.wavfile import write_wav
    from simulator.paths import samples_dir

    manifest = json.loads((samples_dir() / "manifest.json").read_text(encoding="utf-8"))
    items = [i for i in manifest["items"] if i["duration_s"] > 8]
    parts, total, k = [AudioClip.silence(1.0)], 1.0, 0
    while total < target_s - 1:
        item = items[k % len(items)]
        k += 1
        a, b = item["speech_spans_s"][0][0], item["speech_spans_s"][-1][1]
        speech = load_audio(samples_dir() / item["file"]).slice_s(a, b)
        if total + speech.duration_s > target_s + 5 and total > target_s * 0.6:
            break
        parts += [speech, AudioClip.silence(1.0)]
        total += speech.duration_s + 1.0
    clip = concat(parts)
    write_wav(out, clip)
    return out, clip.duration_s - 1.0


def sound_frames(samples: np.ndarray, rate: int) -> np.ndarray:
    n = int(FRAME_S * rate)
    frames = samples[: len(samples) // n * n].reshape(-1, n).astype(np.float64)
    db = 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-10)
    return db > SOUND_DB


class BenchView:
    """Starts the candidate's answer (paplay) when the microphone opens, as a person would answer."""

    def __init__(self, pulse, answers: list[Path], t0: float):
        self.pulse, self.answers, self.t0 = pulse, answers, t0
        self.k = 0
        self.listening_now = False
        self.events: list[dict] = []

    def prompt(self, text, spoken):
        self.listening_now = False

    def notice(self, text):
        pass

    def analysing(self):
        self.events[-1]["ended_wall"] = time.monotonic() - self.t0

    def listening(self, state):
        if not self.listening_now and self.k < len(self.answers):
            self.listening_now = True
            self.events.append({"answer": str(self.answers[self.k]), "play_wall": time.monotonic() - self.t0})
            self.pulse.play_into_mic(self.answers[self.k], also_speaker=True)
            self.k += 1


class StopAfter:
    """AnswerSource wrapper: after n answers, speak the next prompt (that is what is measured) and stop."""

    def __init__(self, live, n: int):
        self.live, self.n, self.calls = live, n, 0
        self.prompt_walls: list[float] = []

    def next_answer(self, text, audio):
        self.calls += 1
        if self.calls > self.n:
            self.live.view.prompt(text, audio is not None)
            if audio is not None:
                self.live.say(audio)
            else:
                self.live.say_text(text)
            return None
        return self.live.next_answer(text, audio)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--answer-s", type=float, nargs="+", default=[15.0, 60.0], help="answer lengths to test (seconds)")
    ap.add_argument("--end-silence", type=float, default=2.5)
    ap.add_argument("--model", default=None, help="faster-whisper model folder or name (default: bundled base)")
    ap.add_argument("--json", metavar="OUT", help="also write the figures as JSON")
    args = ap.parse_args()

    from simulator.devtools import virtual_audio

    missing = virtual_audio.available()
    if missing:
        print(f"cannot run: {missing}", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="bench-latency-"))
    os.environ.setdefault("MENSETSU_HOME", str(work / "home"))
    pulse = virtual_audio.VirtualAudio(work)
    env = pulse.start()
    os.environ.update({k: env[k] for k in ("XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH")})  # before PortAudio starts
    try:
        return run(args, pulse, work)
    finally:
        pulse.stop()


def run(args, pulse, work: Path) -> int:
    from simulator.analysis.answer import analyze_answer
    from simulator.audio.decode import load_audio
    from simulator.audio.endpoint import EndpointOptions
    from simulator.audio.live import LiveAnswers, LiveOptions
    from simulator.audio.microphone import Microphone
    from simulator.audio.speaker import Speaker
    from simulator.interview.policy import PolicyOptions
    from simulator.interview.question_sets import load_question_set
    from simulator.interview.session import run_interview
    from simulator.speech.transcriber import WhisperTranscriber
    from simulator.speech.voice import build_live_voices
    from simulator.store.session_store import SessionWriter

    answers = [compose_answer(s, work / f"answer-{int(s)}s.wav") for s in args.answer_s]
    transcriber = WhisperTranscriber(model=args.model)
    transcriber.load()
    loop_voice, speech_voice = build_live_voices()
    qset = load_question_set("core")
    record_wav = work / "speaker.wav"
    recorder = pulse.record_speaker(record_wav)
    time.sleep(0.5)
    t0 = time.monotonic()
    view = BenchView(pulse, [a for a, _ in answers], t0)
    live = LiveAnswers(Microphone(), Speaker(), speech_voice, view=view, options=LiveOptions(EndpointOptions(end_silence_s=args.end_silence)))
    live.start()
    writer = SessionWriter.create(work / "sessions", set=qset.id, mode="bench")
    source = StopAfter(live, len(answers))
    policy = PolicyOptions(max_probes_per_question=0, max_questions=len(answers) + 1)
    try:
        run_interview(qset, source, transcriber, loop_voice, writer, policy)
    finally:
        live.close()
        time.sleep(0.5)
        recorder.terminate()
        recorder.wait(10)

    rec = load_audio(record_wav)
    sound = sound_frames(rec.samples, rec.rate_hz)
    rows = []
    for (wav, speech_end_in_file), event, log in zip(answers, view.events, [entry for entry in live.log]):
        # Locate the answer in the recording from the wall clock (±0.3 s), then refine on the audio itself.
        start_frame = int((event["play_wall"] - 0.3) / FRAME_S) + int(0.5 / FRAME_S)  # recorder started 0.5 s before t0
        approx_end = start_frame + int((speech_end_in_file + 0.6) / FRAME_S)
        window = sound[start_frame : approx_end + int(0.3 / FRAME_S)]
        last = start_frame + int(np.nonzero(window)[0][-1])
        after = np.nonzero(sound[last + int(0.3 / FRAME_S) :])[0]
        if not len(after):
            raise SystemExit("no prompt after the answer in the recording")
        first_prompt = last + int(0.3 / FRAME_S) + int(after[0])
        gap_s = (first_prompt - last) * FRAME_S
        clip = load_audio(wav)
        t = time.monotonic()
        analyze_answer(clip, transcriber)
        whole_s = time.monotonic() - t
        rows.append(
            {
                "answer_s": round(speech_end_in_file, 1),
                "end_silence_s": round(log["end_silence_s"], 2),
                "speech_end_to_prompt_s": round(gap_s, 2),
                "latency_s": round(gap_s - log["end_silence_s"], 2),
                "baseline_whole_answer_s": round(whole_s, 2),
                "ended_by": log["reason"],
            }
        )
    print(f"turn latency through PulseAudio virtual devices (model {transcriber.name}, cpu count {os.cpu_count()}, end silence {args.end_silence} s)")
    print(f"{'answer':>7} {'end sil.':>8} {'gap':>6} {'latency':>8} {'whole-answer':>13} {'latency/baseline':>17}  target <= 1.0 s")
    for r in rows:
        ratio = r["latency_s"] / r["baseline_whole_answer_s"] if r["baseline_whole_answer_s"] else float("nan")
        r["ratio_to_baseline"] = round(ratio, 2)
        ok = "ok" if r["latency_s"] <= 1.0 else "over"
        print(
            f"{r['answer_s']:>6.0f}s {r['end_silence_s']:>7.2f}s {r['speech_end_to_prompt_s']:>5.2f}s {r['latency_s']:>7.2f}s "
            f"{r['baseline_whole_answer_s']:>12.2f}s {ratio:>17.2f}  {ok} ({r['ended_by']})"
        )
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "model": transcriber.name, "cpus": os.cpu_count()}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
