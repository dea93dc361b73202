"""Compare faster-whisper decoding settings on the delivery audio set and the real Japanese clips.

Prints one JSON line: filler precision/recall/F1 on bench/delivery/audio (scored by
simulator.evaluation.delivery.match_timed), CER on the real clips, and the seconds each part took.
This produced the "Decoding settings" table in docs/metrics.md, one run per setting, e.g.:

    python bench/delivery/sweep_decoding.py default '{"cpu_threads": 1}'
    python bench/delivery/sweep_decoding.py greedy '{"cpu_threads": 1, "beam_size": 1}'

The JSON object overrides TranscribeOptions fields; --limit N scores the first N items only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from simulator.audio.decode import load_audio  # noqa: E402
from simulator.evaluation import delivery as D  # noqa: E402
from simulator.evaluation.scoring import PRF, edit_distance  # noqa: E402
from simulator.speech.transcriber import TranscribeOptions, WhisperTranscriber  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("name")
    ap.add_argument("options", nargs="?", default="{}", help="JSON object of TranscribeOptions overrides")
    ap.add_argument("--limit", type=int, default=None)
    args = ap.parse_args(argv)
    kw = json.loads(args.options)
    if "temperature" in kw:
        kw["temperature"] = tuple(kw["temperature"])
    transcriber = WhisperTranscriber(options=replace(TranscribeOptions(), **kw))
    transcriber.load()

    truth = json.loads((D.BENCH / "audio_truth.json").read_text(encoding="utf-8"))["items"][: args.limit]
    fillers, by_form, audio_s = PRF(), {}, 0.0
    for t in truth:
        clip = load_audio(D.BENCH / "audio" / t["file"])
        start = time.perf_counter()
        m = D.run_tuned(clip, transcriber)
        audio_s += time.perf_counter() - start
        fillers.add(D.match_timed(t["fillers"], m.fillers, by_form))

    result = {"name": args.name, "options": kw, "fillers": fillers.to_dict(),
              "by_form": {k: v.to_dict() for k, v in sorted(by_form.items())}, "audio_set_s": round(audio_s, 1)}
    corpus = D.real_corpus_dir()
    if corpus is not None:
        items = [it for it in json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["items"] if it["lang"] == "ja"]
        edits = chars = 0
        real_s = 0.0
        for it in items[: args.limit]:
            clip = load_audio(corpus / it["file"])
            start = time.perf_counter()
            m = D.run_tuned(clip, transcriber)
            real_s += time.perf_counter() - start
            ref = D.normalize_for_cer(it["transcript"])
            edits += edit_distance(ref, D.normalize_for_cer(m.text))
            chars += len(ref)
        result.update(cer=round(edits / chars, 3) if chars else None, real_clips_s=round(real_s, 1))
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
