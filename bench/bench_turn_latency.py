"""Turn latency of live practice, measured through PulseAudio virtual devices.

    latency = (first sound of the next prompt) - (end of the candidate's speech) - (end-of-turn silence)

Target: <= 1.0 s for 60 s answers. The candidate's answer is played (paplay, real time) into a
combined sink that feeds both the virtual microphone and the virtual speaker, so ONE recording of
the speaker's monitor holds the candidate and the interviewer on the same clock: no alignment
error between two recorders. The program runs the real live path in-process (Microphone and
Speaker through PortAudio, LiveAnswers, run_interview, the real transcriber).

Paths: how the answer gets transcribed. "whole" (transcribe the finished answer in one go, what
the loop does today) is the baseline and always runs first, in the same run, on the same answers;
other paths (streaming transcription) register in PATHS and are printed as ratios to it. Each
row also splits the latency into the time the loop waited on transcription and the rest (devices,
endpointing, analysis, prompt start), measured in the same turn.

Usage:
    python bench/bench_turn_latency.py [--answer-s 15 60] [--end-silence 2.5] [--model PATH] [--paths whole ...] [--json OUT]
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

from simulator.evaluation.streaming import cer  # noqa: E402  one CER for every benchmark

FRAME_S = 0.02
SOUND_DB = -45.0


def compose_answer(target_s: float, out: Path) -> tuple[Path, float, str]:
    """Sample answers joined with 1 s thinking pauses until target_s; returns (wav, speech end in file, text)."""
    from simulator.audio.clip import AudioClip, concat
    from simulator.audio.decode import load_audio
    from simulator.audio.wavfile import write_wav
    from simulator.paths import samples_dir

    manifest = json.loads((samples_dir() / "manifest.json").read_text(encoding="utf-8"))
    speeches = []
    for item in manifest["items"]:
        a, b = item["speech_spans_s"][0][0], item["speech_spans_s"][-1][1]
        speeches.append((load_audio(samples_dir() / item["file"]).slice_s(a, b), item["text"]))
    parts, total, texts = [AudioClip.silence(1.0)], 1.0, []
    while target_s - total > 3.0:  # the sample whose length best fills what is left, with 1 s pauses
        speech, text = min(speeches, key=lambda s: abs(target_s - total - s[0].duration_s - 1.0))
        parts += [speech, AudioClip.silence(1.0)]
        texts.append(text)
        total += speech.duration_s + 1.0
    clip = concat(parts)
    write_wav(out, clip)
    return out, clip.duration_s - 1.0, "".join(texts)


def sound_frames(samples: np.ndarray, rate: int) -> np.ndarray:
    n = int(FRAME_S * rate)
    frames = samples[: len(samples) // n * n].reshape(-1, n).astype(np.float64)
    db = 20 * np.log10(np.sqrt((frames**2).mean(axis=1)) + 1e-10)
    return db > SOUND_DB


class TimedTranscriber:
    """Wraps the transcriber of a path: how long the loop waited on transcription, per turn."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.capabilities = inner.capabilities
        self.seconds: list[float] = []

    def for_question(self, category):
        self.inner.for_question(category)

    def transcribe_snippet(self, clip):
        return self.inner.transcribe_snippet(clip)

    def transcribe(self, clip):
        t = time.monotonic()
        try:
            return self.inner.transcribe(clip)
        finally:
            self.seconds.append(time.monotonic() - t)


def whole_answer_path(transcriber, live):
    """The baseline: transcribe the finished answer in one go (what run_interview does today)."""
    return transcriber


def streaming_path(transcriber, live):
    """Transcribe while the candidate speaks (simulator/streaming), as `practice` does."""
    from simulator.streaming.transcriber import StreamingTranscriber

    live.new_stream = lambda: StreamingTranscriber(transcriber)
    return transcriber


# name -> factory(transcriber, live) returning the transcriber the loop uses. "whole" is the
# baseline. A streaming path registers here, and may also hook `live` (e.g. to see audio blocks).
PATHS = {"whole": whole_answer_path, "streaming": streaming_path}


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

    spoken_prompt = None

    def exhausted(self):
        return False

    def next_answer(self, prompt, audio):
        self.calls += 1
        if self.calls > self.n:
            self.live.view.prompt(prompt.text, audio is not None)
            if audio is not None:
                self.live.say(audio)
            else:
                self.live.say_text(prompt.text)
            return None
        return self.live.next_answer(prompt, audio)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--answer-s", type=float, nargs="+", default=[15.0, 60.0], help="answer lengths to test (seconds)")
    ap.add_argument("--end-silence", type=float, default=2.5)
    ap.add_argument("--model", default=None, help="faster-whisper model folder or name (default: bundled base)")
    ap.add_argument("--paths", nargs="+", choices=sorted(PATHS), help="paths to measure (the baseline 'whole' always runs)")
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
    from simulator.speech.transcriber import WhisperTranscriber

    answers = [compose_answer(s, work / f"answer-{int(s)}s.wav") for s in args.answer_s]
    transcriber = WhisperTranscriber(model=args.model)
    transcriber.load()
    paths = args.paths or list(PATHS)
    if paths[0] != "whole":
        paths = ["whole", *[p for p in paths if p != "whole"]]  # the baseline always runs, first
    results = {name: run_path(name, args, pulse, work, answers, transcriber) for name in paths}
    base = results["whole"]
    print(f"\nturn latency through PulseAudio virtual devices (model {transcriber.name}, {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}, end silence {args.end_silence} s); target: latency <= 1.0 s")
    print(f"{'path':>12} {'answer':>7} {'gap':>7} {'latency':>8} {'waiting on transcription':>25} {'rest':>6} {'vs whole':>9} {'CER':>6}")
    for name, rows in results.items():
        for r, b in zip(rows, base):
            ratio = r["latency_s"] / b["latency_s"] if b["latency_s"] > 0 else float("nan")
            r["ratio_to_whole"] = round(ratio, 2)
            print(
                f"{name:>12} {r['answer_s']:>6.0f}s {r['speech_end_to_prompt_s']:>6.2f}s {r['latency_s']:>7.2f}s "
                f"{r['transcribe_in_loop_s']:>24.2f}s {r['latency_s'] - r['transcribe_in_loop_s']:>5.2f}s {ratio:>8.2f}x {r['cer']:>6.3f}"
                f"  {'ok' if r['latency_s'] <= 1.0 else 'over target'}"
            )
    if args.json:
        Path(args.json).write_text(json.dumps({"paths": results, "model": transcriber.name, "cpus": os.cpu_count()}, indent=2), encoding="utf-8")
    return 0


def run_path(name, args, pulse, work, answers, transcriber) -> list[dict]:
    from simulator.audio.decode import load_audio
    from simulator.audio.endpoint import EndpointOptions
    from simulator.audio.live import LiveAnswers, LiveOptions
    from simulator.audio.microphone import Microphone
    from simulator.audio.speaker import Speaker
    from simulator.interview.policy import PolicyOptions
    from simulator.interview.question_sets import load_question_set
    from simulator.interview.session import run_interview
    from simulator.speech.voice import build_live_voices
    from simulator.store.session_store import SessionWriter, load_session

    loop_voice, speech_voice = build_live_voices()
    qset = load_question_set("core")
    record_wav = work / f"speaker-{name}.wav"
    recorder = pulse.record_speaker(record_wav)
    time.sleep(0.5)
    t0 = time.monotonic()
    view = BenchView(pulse, [a for a, _, _ in answers], t0)
    live = LiveAnswers(Microphone(), Speaker(), speech_voice, view=view, options=LiveOptions(EndpointOptions(end_silence_s=args.end_silence)))
    timed = TimedTranscriber(PATHS[name](transcriber, live))
    live.start()
    writer = SessionWriter.create(work / "sessions", set=qset.id, mode="bench")
    source = StopAfter(live, len(answers))
    policy = PolicyOptions(max_probes_per_question=0, max_questions=len(answers) + 1)
    try:
        run_interview(qset, source, timed, loop_voice, writer, policy)
    finally:
        live.close()
        time.sleep(0.5)
        recorder.terminate()
        recorder.wait(10)

    rec = load_audio(record_wav)
    sound = sound_frames(rec.samples, rec.rate_hz)
    rows = []
    session = load_session(writer.folder)
    for (wav, speech_end_in_file, truth), event, log, tr_s, turn in zip(answers, view.events, live.log, timed.seconds, session.turns):
        # Locate the answer in the recording from the wall clock (the recorder started 0.5 s before t0),
        # then refine on the audio itself: its last sound, then the first sound after it (the prompt).
        start_frame = int((event["play_wall"] + 0.5 - 0.3) / FRAME_S)
        approx_end = start_frame + int((speech_end_in_file + 0.6 + 0.3) / FRAME_S)
        window = sound[start_frame : approx_end + int(0.3 / FRAME_S)]
        last = start_frame + int(np.nonzero(window)[0][-1])
        skip = int(0.3 / FRAME_S)
        after = np.nonzero(sound[last + skip :])[0]
        if not len(after):
            raise SystemExit("no prompt after the answer in the recording")
        gap_s = (skip + int(after[0])) * FRAME_S
        rows.append(
            {
                "answer_s": round(speech_end_in_file, 1),
                "end_silence_s": round(log["end_silence_s"], 2),
                "speech_end_to_prompt_s": round(gap_s, 2),
                "latency_s": round(gap_s - log["end_silence_s"], 2),
                "transcribe_in_loop_s": round(tr_s, 2),
                "cer": round(cer(truth, turn["analysis"]["transcript"]), 3),
                "ended_by": log["reason"],
                "transcript": turn["analysis"]["transcript"],
            }
        )
    return rows


if __name__ == "__main__":
    raise SystemExit(main())
