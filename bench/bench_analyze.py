"""Benchmark: `analyze` on a 60 s answer, as a fraction of the answer's duration (goal: < 0.5x on 2 cores).

The 60 s answer is built from the labelled audio set (bench/delivery/audio), so it has fillers,
pauses and a latency. The baseline, measured in the same run on the same audio with the same
loaded model, is faster-whisper's default transcription (WhisperModel.transcribe defaults), which
is the cost any Whisper-based analysis pays. The process is pinned to 2 cores where the OS allows.

Run: python bench/bench_analyze.py [--repeat N]
Prints one line per measurement and the ratios; never used as a test (speed depends on the machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from simulator.audio.clip import AudioClip  # noqa: E402
from simulator.audio.decode import load_audio  # noqa: E402

ANSWER_S = 60.0


def sixty_second_answer() -> AudioClip:
    parts, total = [], 0
    for name in ("ans01.ogg", "ans02.ogg", "ans03.ogg", "ans04.ogg"):
        parts.append(load_audio(REPO / "bench" / "delivery" / "audio" / name).samples)
        total += len(parts[-1])
        if total >= ANSWER_S * 16000:
            break
    return AudioClip(np.concatenate(parts)[: int(ANSWER_S * 16000)])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    if hasattr(os, "sched_setaffinity"):
        cores = sorted(os.sched_getaffinity(0))[:2]
        os.sched_setaffinity(0, cores)
    from simulator.analysis.answer import analyze_answer
    from simulator.speech.transcriber import TranscribeOptions, WhisperTranscriber

    clip = sixty_second_answer()
    t0 = time.perf_counter()
    transcriber = WhisperTranscriber(options=TranscribeOptions(cpu_threads=2))
    model = transcriber.load()
    load_s = time.perf_counter() - t0
    print(f"answer: {clip.duration_s:.1f} s; model load {load_s:.2f} s (once per process, not counted below)")
    analyze, baseline = [], []
    for i in range(args.repeat):
        t0 = time.perf_counter()
        d = analyze_answer(clip, transcriber).to_dict()
        analyze.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        segments, _ = model.transcribe(clip.samples)
        list(segments)
        baseline.append(time.perf_counter() - t0)
        print(f"run {i + 1}: analyze {analyze[-1]:.2f} s ({d['fillers']['total']} fillers, {len(d['pauses'])} pauses); "
              f"baseline default transcription {baseline[-1]:.2f} s")
    a, b = statistics.median(analyze), statistics.median(baseline)
    print(f"analyze / answer duration  = {a / clip.duration_s:.3f}  (goal < 0.5)")
    print(f"baseline / answer duration = {b / clip.duration_s:.3f}")
    print(f"analyze / baseline         = {a / b:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
