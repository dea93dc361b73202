"""Reference answer boundaries for the real Japanese clips, from an energy envelope (not from Silero VAD).

Method: 10 ms frame RMS in dB; the noise floor is the 10th percentile of the frames that are not
digital zero, the peak the 99th; a frame is loud above floor + 40 % of (peak - floor), and speech
is a run of loud frames at least 150 ms long (so clicks and breaths do not count). Latency = start
of the first run, answer length = end of the last run - that start. Independent of the VAD under test, but an estimate, not hand
labels: docs/metrics.md says so beside the figures. Writes bench/delivery/real_truth.json.

Run: python bench/delivery/label_real.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from simulator.audio.decode import load_audio  # noqa: E402
from simulator.evaluation.delivery import real_corpus_dir  # noqa: E402

FRAME_S = 0.01
MIN_RUN_S = 0.15
NOISY_FLOOR_DB = -45.0


def label(samples: np.ndarray, rate: int) -> tuple[float, float] | None:
    fr = int(rate * FRAME_S)
    n = len(samples) // fr
    rms = np.sqrt(np.mean(samples[: n * fr].reshape(n, fr) ** 2, axis=1))
    db = 20 * np.log10(rms + 1e-9)
    live = db[db > -120]
    floor, peak = np.percentile(live, 10), np.percentile(live, 99)
    loud = db > floor + 0.4 * (peak - floor)
    runs, start = [], None
    for i, v in enumerate(np.append(loud, False)):
        if v and start is None:
            start = i
        elif not v and start is not None:
            if (i - start) * FRAME_S >= MIN_RUN_S:
                runs.append((start, i))
            start = None
    if floor > NOISY_FLOOR_DB:
        return None  # speech and noise overlap in level: an energy label would be a guess
    return runs[0][0] * FRAME_S, runs[-1][1] * FRAME_S


def main() -> int:
    corpus = real_corpus_dir()
    items = []
    for it in json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["items"]:
        if it["lang"] != "ja":
            continue
        clip = load_audio(corpus / it["file"])
        bounds = label(clip.samples, clip.rate_hz)
        if bounds is None:
            print(it["file"], "skipped: noise floor above", NOISY_FLOOR_DB, "dBFS")
            continue
        start, end = bounds
        items.append({"file": it["file"], "response_latency_s": round(start, 2), "answer_s": round(end - start, 2),
                      "source": it["source"], "license": it["license"]})
    about = ("Answer boundaries of the Japanese clips in shared/corpus/real from an energy envelope "
             "(bench/delivery/label_real.py); source and licence of each clip kept from its manifest.")
    (HERE / "real_truth.json").write_text(json.dumps({"about": about, "items": items}, ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
    print(len(items), "clips labelled")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
