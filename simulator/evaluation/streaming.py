"""`bench accuracy`: does transcribing in pieces change what the analysis sees?

For every labelled item, the streamed transcript (StreamingTranscriber, pieces cut at pauses) is
compared with the whole-answer transcript (the spine's path) of the same audio:
- CER between the two (the streamed one scored against the whole-answer one), and each one's
  CER against the reference text;
- filler counts (the same rules on both) and their difference, and where the true filler times
  are known (the delivery set) each path's filler precision/recall/F1 against them, scored as
  `eval delivery` scores them;
- whether the content findings (what drives the probe) are the same.
Sets: long answers built from real speech (what streaming is for: several pieces each), the
bundled sample answers (with fillers), the real corpus clips, and bench/delivery/ audio when present.
The worker here is always idle, so every idle cut is taken: pieces are as short as a live session
ever makes them (a busy live worker gets longer pieces, which Whisper transcribes better).
"""

from __future__ import annotations

import json
import statistics
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from simulator.audio.endpoint import EndpointOptions
from simulator.evaluation.scoring import PRF, edit_distance

_DROP = set("、。，．,.!?！？・「」『』（）()[]【】…‥ー〜~　 \t\n\"'：:；;")


def normalize(text: str) -> str:
    """NFKC, no punctuation or spaces, no long-vowel marks (Whisper writes あー and あ alike)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if ch not in _DROP)


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate of hypothesis against reference, after normalize()."""
    ref, hyp = normalize(reference), normalize(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(ref, hyp) / len(ref)


@dataclass
class Item:
    set: str
    name: str
    clip: object  # AudioClip
    text: str
    fillers: list | None = None  # timed truth ({"form", "window_s"}), where known


def load_items(quick: bool = False) -> list[Item]:
    from simulator.audio.decode import load_audio
    from simulator.evaluation.speech_bank import build_answer, load_bank, real_corpus_dir
    from simulator.paths import PROJECT_ROOT, samples_dir

    items: list[Item] = []
    bank = load_bank()
    lengths = (30.0,) if quick else (60.0, 60.0, 90.0)
    for i, length in enumerate(lengths):
        a = build_answer(bank, length, offset=5 * i, end_silence_s=EndpointOptions.end_silence_s)
        items.append(Item("long_answers", f"answer{i + 1}_{length:.0f}s", a.clip, a.text))

    def from_manifest(set_name: str, folder: Path | None, limit: int | None):
        if folder is None or not (folder / "manifest.json").is_file():
            return
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        n = 0
        for it in data.get("items", []):
            text = it.get("transcript") or it.get("text") or ""
            path = folder / it["file"]
            if it.get("lang", "ja") != "ja" or not text or not path.is_file():
                continue
            items.append(Item(set_name, it["file"], load_audio(path), text))
            n += 1
            if limit and n >= limit:
                return

    from_manifest("samples", samples_dir(), 2 if quick else None)
    if not quick:
        from_manifest("corpus", real_corpus_dir(), None)
        delivery = PROJECT_ROOT / "bench" / "delivery"
        if (delivery / "audio_truth.json").is_file():
            data = json.loads((delivery / "audio_truth.json").read_text(encoding="utf-8"))
            for it in data.get("items", []):
                path = delivery / "audio" / it["file"]
                if path.is_file() and it.get("text"):
                    items.append(Item("delivery", it["file"], load_audio(path), it["text"], it.get("fillers")))
    return items


def evaluate(transcriber, quick: bool = False, log=lambda s: None) -> dict:
    from simulator.analysis.answer import analyze_answer
    from simulator.analysis.fillers import find_fillers
    from simulator.evaluation.delivery import match_timed
    from simulator.speech.transcriber import Transcript
    from simulator.streaming.policy import CutPolicy
    from simulator.streaming.transcriber import InlineWorker, StreamingTranscriber

    rows = []
    for item in load_items(quick):
        t0 = time.perf_counter()
        # The live policy with a worker that is always idle: every idle cut is taken, so the pieces
        # are as short as a live session ever makes them (the worst case for accuracy).
        st = StreamingTranscriber(transcriber, CutPolicy(), worker=InlineWorker())
        samples = item.clip.resampled().samples
        for i in range(0, len(samples), 320):
            st.push(samples[i : i + 320])
        streamed = st.finish_analysis("experience")
        whole = analyze_answer(item.clip.resampled(), transcriber, category="experience")
        ref_fillers = len(find_fillers(Transcript(item.text)))
        row = {
            "set": item.set,
            "item": item.name,
            "duration_s": round(item.clip.duration_s, 2),
            "pieces": len(st.stats.pieces),
            "cer_stream_vs_whole": round(cer(whole.transcript.text, streamed.transcript.text), 4),
            "cer_whole_vs_ref": round(cer(item.text, whole.transcript.text), 4),
            "cer_stream_vs_ref": round(cer(item.text, streamed.transcript.text), 4),
            "fillers_ref": ref_fillers,
            "fillers_whole": len(whole.fillers),
            "fillers_stream": len(streamed.fillers),
            "findings_same": sorted(f.id for f in whole.findings) == sorted(f.id for f in streamed.findings),
            "timed": None if item.fillers is None else {
                path: match_timed(item.fillers, [(h.form, h.start_s) for h in a.fillers], {}).to_dict()
                for path, a in (("whole", whole), ("stream", streamed))
            },
            "whole": whole.transcript.text,
            "stream": streamed.transcript.text,
        }
        rows.append(row)
        log(f"{item.set}/{item.name}: {row['pieces']} pieces, CER stream vs whole {row['cer_stream_vs_whole']:.3f} ({time.perf_counter() - t0:.0f} s)")
    sets = {}
    for name in dict.fromkeys(r["set"] for r in rows):
        rs = [r for r in rows if r["set"] == name]
        sets[name] = _aggregate(rs)
    return {"sets": sets, "all": _aggregate(rows), "items": rows}


def _timed(rs: list[dict], path: str) -> dict | None:
    scored = [r["timed"][path] for r in rs if r.get("timed")]
    if not scored:
        return None
    total = PRF(*(sum(d[k] for d in scored) for k in ("tp", "fp", "fn")))
    return total.to_dict()


def _aggregate(rs: list[dict]) -> dict:
    return {
        "filler_f1_whole": _timed(rs, "whole"),
        "filler_f1_stream": _timed(rs, "stream"),
        "items": len(rs),
        "pieces_mean": round(statistics.mean(r["pieces"] for r in rs), 2),
        "cer_stream_vs_whole_mean": round(statistics.mean(r["cer_stream_vs_whole"] for r in rs), 4),
        "cer_whole_vs_ref_mean": round(statistics.mean(r["cer_whole_vs_ref"] for r in rs), 4),
        "cer_stream_vs_ref_mean": round(statistics.mean(r["cer_stream_vs_ref"] for r in rs), 4),
        "fillers_ref": sum(r["fillers_ref"] for r in rs),
        "fillers_whole": sum(r["fillers_whole"] for r in rs),
        "fillers_stream": sum(r["fillers_stream"] for r in rs),
        "filler_abs_diff_mean": round(statistics.mean(abs(r["fillers_stream"] - r["fillers_whole"]) for r in rs), 3),
        "findings_same_share": round(sum(r["findings_same"] for r in rs) / len(rs), 3),
    }


def format_report(r: dict) -> str:
    head = f"{'set':<14} {'items':>5} {'pieces':>6} {'CER s/w':>8} {'CER w/ref':>9} {'CER s/ref':>9} {'fillers ref/w/s':>16} {'|diff|':>7} {'same findings':>13}"
    lines = ["Streamed (pieces cut at pauses) vs whole-answer transcription, same model and options", "", head]
    for name, a in [*r["sets"].items(), ("ALL", r["all"])]:
        lines.append(
            f"{name:<14} {a['items']:>5} {a['pieces_mean']:>6.1f} {a['cer_stream_vs_whole_mean']:>8.3f} {a['cer_whole_vs_ref_mean']:>9.3f}"
            f" {a['cer_stream_vs_ref_mean']:>9.3f} {str(a['fillers_ref']) + '/' + str(a['fillers_whole']) + '/' + str(a['fillers_stream']):>16}"
            f" {a['filler_abs_diff_mean']:>7.2f} {a['findings_same_share']:>13.0%}"
        )
    timed = [(name, a) for name, a in [*r["sets"].items(), ("ALL", r["all"])] if a.get("filler_f1_whole")]
    if timed:
        lines += ["", "Fillers against their true times (scored as `eval delivery` scores them)",
                  f"{'set':<14} {'whole F1 (P/R)':>20} {'streamed F1 (P/R)':>20}"]
        fmt = lambda d: f"{d['f1']:.3f} ({d['precision']:.2f}/{d['recall']:.2f})"  # noqa: E731
        for name, a in timed:
            lines.append(f"{name:<14} {fmt(a['filler_f1_whole']):>20} {fmt(a['filler_f1_stream']):>20}")
    lines += ["", "CER s/w: streamed scored against whole-answer; w/ref, s/ref: each against the reference text.",
              "fillers: counted by the same rules in the reference text, the whole-answer and the streamed transcripts."]
    return "\n".join(lines)


def main(args) -> int:
    from simulator.evaluation.output import emit, progress_log
    from simulator.commands.common import build_transcriber

    transcriber = build_transcriber(args)
    transcriber.load()
    return emit(args, evaluate(transcriber, quick=args.quick, log=progress_log(args)), format_report)
