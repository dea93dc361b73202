"""The interviewer's voice under CPU load, through PulseAudio virtual devices (issue 15).

A private PulseAudio daemon (simulator/devtools/virtual_audio.py) is the speaker. Busy processes
(pure-Python loops) load every core, and inside the player process Python threads do GIL-bound
work the way practice's background threads do (GiNZA parsing, kokoro, the Whisper worker's
Python side). Each variant plays the same interviewer prompts (pre-rendered audio_prompts/,
through PromptLibraryVoice as practice does) in its own fresh process, whose stderr stands for
the screen:

- "before": a faithful copy of Speaker.play as it was before issue 15 (a callback stream with
  latency="high", 35 ms on ALSA/PulseAudio; sounddevice imported plainly, so ALSA prints to the
  screen);
- "after": simulator.audio.speaker.Speaker as it is now; "after:latency=0.2,block=0.02,prime=0"
  tries other settings (keyword arguments of Speaker).

Reported per variant: audio length, playback wall time, wall/audio, that ratio against "before"
in the same run, callbacks flagged output_underflow, and the ALSA/PortAudio lines that reached
the screen (and how many went to the audio log instead).

    python bench/bench_playback_load.py [--busy 3] [--threads 2] [--rounds 2] [--variants before after] [--json OUT]

Target: wall <= 1.1 x audio, and no underrun line on the screen.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PHRASES = ("opening", "interrupt", "closing")  # 3.8 + 7.9 + 3.8 s of the interviewer's own phrases
BUSY_LOOP = "while True: pass"
NATIVE_LINE = re.compile(r"ALSA lib|PortAudio|pa_linux_alsa|Expression '.*' failed|underrun", re.I)


# --- "before": Speaker.play as it was before issue 15 (commit b151a0a), kept verbatim ---------------
class BeforeSpeaker:
    def __init__(self, device=None):
        self.device_spec = device
        self.name = "speaker"
        self._device = None
        self.rate_hz = 0
        self._stop = threading.Event()
        # Added for the benchmark, measurement only: underflow flags, and when the first and the
        # last frame reached the speaker (PortAudio's DAC time), as the new Speaker records them.
        self.underflows = 0
        self.voice_at_s = self.voice_end_s = 0.0

    def start(self) -> None:
        import sounddevice as sd  # as import_sounddevice() did then: a plain import

        info = sd.query_devices(None, "output")
        self._device = None
        self.name = info["name"]
        self.rate_hz = int(info["default_samplerate"])

    def play(self, clip) -> None:
        import numpy as np
        import sounddevice as sd

        if self.rate_hz == 0:
            self.start()
        self._stop.clear()
        samples = clip.resampled(self.rate_hz).samples.astype(np.float32)
        samples = np.concatenate([samples, np.zeros(int(0.05 * self.rate_hz), np.float32)])
        done = threading.Event()
        pos = 0
        t0 = time.perf_counter()

        def callback(outdata, frames, time_info, status):
            nonlocal pos
            if status.output_underflow:
                self.underflows += 1
            ahead = max(0.0, time_info.outputBufferDacTime - time_info.currentTime) if time_info.currentTime > 0 else 0.0
            if pos == 0:
                self.voice_at_s = time.perf_counter() - t0 + ahead
            if pos < len(samples) <= pos + frames:
                self.voice_end_s = time.perf_counter() - t0 + ahead + (len(samples) - pos) / self.rate_hz
            chunk = samples[pos : pos + frames]
            outdata[: len(chunk), 0] = chunk
            outdata[len(chunk) :, 0] = 0
            pos += frames
            if pos >= len(samples) or self._stop.is_set():
                raise sd.CallbackStop

        stream = sd.OutputStream(
            device=self._device,
            channels=1,
            samplerate=self.rate_hz,
            dtype="float32",
            callback=callback,
            finished_callback=done.set,
            latency="high",
        )
        with stream:
            while not done.wait(0.05):
                pass


def _parse_variant(spec: str) -> tuple[str, dict]:
    name, _, rest = spec.partition(":")
    kwargs: dict = {}
    keys = {"latency": "latency_s", "block": "block_s", "prime": "prime", "priority": "raise_priority", "lead": "lead_s"}
    for item in filter(None, rest.split(",")):
        k, _, v = item.partition("=")
        key = keys.get(k, k)
        kwargs[key] = bool(int(v)) if key in ("prime", "raise_priority") else float(v)
    return name, kwargs


def _gil_work(stop: threading.Event, honour_gate: bool) -> None:
    """Pure-Python work in slices of ~20 ms (a parser's or a tokenizer's inner loop holds the GIL)."""
    gate = None
    if honour_gate:
        from simulator.audio import playback_gate as gate
    words = [f"語{i}" for i in range(200)]
    while not stop.is_set():
        if gate is not None:
            gate.wait_until_quiet()
        t_end = time.perf_counter() + 0.02
        while time.perf_counter() < t_end:
            d: dict = {}
            for w in words:
                d[w] = d.get(w, 0) + len(w)


def child(args) -> None:
    """One variant in a fresh process: play the prompts with GIL-bound threads running."""
    from simulator.paths import audio_prompts_dir
    from simulator.speech.voice import INTERVIEWER_PHRASES, PromptLibraryVoice

    import av  # noqa: F401  (practice has PyAV loaded by then: the decoder, the microphone's resampler)

    voice = PromptLibraryVoice(audio_prompts_dir())
    clips = [voice.render(INTERVIEWER_PHRASES[k]) for k in args.phrases]
    clips = [c for c in clips if c is not None]
    name, kwargs = _parse_variant(args.child)
    if name == "before":
        speaker = BeforeSpeaker()
    else:
        from simulator.audio.speaker import Speaker

        speaker = Speaker(**kwargs)
    speaker.start()
    stop = threading.Event()
    threads = [threading.Thread(target=_gil_work, args=(stop, args.honour_gate and name != "before"), daemon=True) for _ in range(args.threads)]
    for t in threads:
        t.start()
    time.sleep(0.3)
    plays = []
    for clip in clips:
        t0 = time.perf_counter()
        speaker.play(clip)
        wall = time.perf_counter() - t0
        last = getattr(speaker, "last", None)
        timing = last if last is not None else speaker
        plays.append(
            {
                "audio_s": round(clip.duration_s, 3),
                "wall_s": round(wall, 3),
                "underflows": last.underflows if last is not None else None,
                "priority": last.priority if last is not None else "",
                **({k: round(getattr(last, k), 3) for k in ("prepare_s", "open_s", "close_s")} if last is not None else {}),
                "voice_at_s": round(timing.voice_at_s, 3),
                "voice_end_s": round(timing.voice_end_s, 3),
            }
        )
    stop.set()
    underflows = getattr(speaker, "underflows", None)
    if underflows is None:
        underflows = sum(p["underflows"] or 0 for p in plays)
    log_lines = 0
    log_file = Path(os.environ["MENSETSU_HOME"]) / "logs" / "audio.log"
    if log_file.is_file():
        log_lines = sum(1 for line in log_file.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip())
    print(
        "RESULT "
        + json.dumps(
            {
                "variant": args.child,
                "plays": plays,
                "audio_s": round(sum(p["audio_s"] for p in plays), 3),
                "wall_s": round(sum(p["wall_s"] for p in plays), 3),
                "underflows": underflows,
                "log_lines": log_lines,
                "priority": sorted({p["priority"] for p in plays if p["priority"]}),
            }
        ),
        flush=True,
    )


def run_variant(pulse_env: dict, variant: str, args, work: Path) -> dict:
    home = Path(tempfile.mkdtemp(prefix="home-", dir=work))
    env = {**pulse_env, "MENSETSU_HOME": str(home), "PYTHONPATH": str(REPO)}
    cmd = [sys.executable, __file__, "--child", variant, "--threads", str(args.threads), "--phrases", *args.phrases]
    if args.honour_gate:
        cmd.append("--honour-gate")
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    result = None
    for line in p.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT ") :])
    if result is None:
        raise SystemExit(f"variant {variant} failed (exit {p.returncode}):\n{p.stdout}\n{p.stderr}")
    screen = [line for line in p.stderr.splitlines() if line.strip()]
    result["screen_lines"] = len(screen)
    result["screen_native_lines"] = sum(1 for line in screen if NATIVE_LINE.search(line))
    result["screen_underrun_lines"] = sum(1 for line in screen if "underrun" in line.lower())
    result["screen_sample"] = screen[:3]
    return result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--busy", type=int, default=3, help="busy processes loading the cores (default 3)")
    ap.add_argument("--threads", type=int, default=2, help="GIL-bound Python threads inside the player (default 2)")
    ap.add_argument("--honour-gate", action="store_true", help="the player's threads wait on playback_gate (as practice's workers do); default: they never wait")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--variants", nargs="+", default=["before", "after"])
    ap.add_argument("--phrases", nargs="+", default=list(PHRASES))
    ap.add_argument("--json", type=Path)
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args)
        return 0

    from simulator.devtools import virtual_audio

    missing = virtual_audio.available()
    if missing:
        print(f"virtual audio: {missing}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="bench-playback-") as tmp:
        work = Path(tmp)
        va = virtual_audio.VirtualAudio(work / "pulse")
        busy: list[subprocess.Popen] = []
        results: list[dict] = []
        loads: list[float] = []
        try:
            env = va.start()
            busy = [subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) for _ in range(args.busy)]
            time.sleep(2.0)
            for _ in range(args.rounds):
                for variant in args.variants:
                    loads.append(os.getloadavg()[0])
                    results.append(run_variant(env, variant, args, work))
                    loads.append(os.getloadavg()[0])
        finally:
            for p in busy:
                p.terminate()
            for p in busy:
                p.wait(10)
            va.stop()
    report(results, args, loads)
    if args.json:
        args.json.write_text(json.dumps({"results": results, "loads": loads, "busy": args.busy, "threads": args.threads}, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def report(results: list[dict], args, loads: list[float]) -> None:
    base = [r["wall_s"] / r["audio_s"] for r in results if r["variant"] == "before"]
    base_ratio = sum(base) / len(base) if base else None
    print(
        f"playback under load through PulseAudio virtual devices ({os.cpu_count()} CPUs, load {min(loads):.1f}-{max(loads):.1f}; "
        f"{args.busy} busy processes + {args.threads} GIL-bound threads in the player"
        f"{', which wait on playback_gate' if args.honour_gate else ''}); target: wall <= 1.1 x audio, no underrun line on screen"
    )
    head = f"{'variant':>28} {'audio':>6} {'wall':>7} {'wall/audio':>10} {'vs before':>9} {'per prompt':>10} {'voice/audio':>11} {'first sound':>11} {'underflows':>10} {'underrun lines on screen':>24} {'in audio.log':>12}"
    print(head)
    for r in results:
        ratio = r["wall_s"] / r["audio_s"]
        vs = f"{ratio / base_ratio:.2f}x" if base_ratio else "-"
        ok = "ok" if ratio <= 1.1 and r["screen_underrun_lines"] == 0 else "over target"
        extra = (r["wall_s"] - r["audio_s"]) / max(1, len(r["plays"]))
        voice = sum(p["voice_end_s"] - p["voice_at_s"] for p in r["plays"]) / r["audio_s"]
        first = sum(p["voice_at_s"] for p in r["plays"]) / max(1, len(r["plays"]))
        print(
            f"{r['variant']:>28} {r['audio_s']:5.1f}s {r['wall_s']:6.1f}s {ratio:9.2f}x {vs:>9} {extra:+9.2f}s {voice:10.2f}x {first:10.2f}s {r['underflows']:>10} "
            f"{r['screen_underrun_lines']:>24} {r['log_lines']:>12}  {ok}"
        )
    for r in results:
        if r["screen_sample"]:
            print(f"  {r['variant']} screen: {r['screen_sample'][0][:100]}")
            break
    print("  per prompt: (wall - audio) / prompts; voice/audio: first to last frame heard (DAC time) over the audio; first sound: from play() to the first frame heard")
    prio = sorted({p for r in results for p in r.get("priority", [])})
    if prio:
        print(f"  callback thread priority granted: {', '.join(prio)}")


if __name__ == "__main__":
    raise SystemExit(main())
