"""`eval findings-audio`: the findings end to end, on synthesized audio of held-out answers.

The issue's target: "End to end on synthesized audio of held-out answers (`run --answers`):
findings F1 within 0.05 of the text result." bench/findings/audio/ holds held-out answers spoken
by kokoro (bench/findings/build_audio_set.py, manifest.json naming each clip's label). Each clip
goes through what `run --answers` does with an answer file: decoded (audio/decode.py), heard by
the real Whisper transcriber built as every command builds it (commands/common.py
build_transcriber) with the interview vocabulary of the question's category and of the answer's
company profile (as `run --company` would hear it), then analyze_answer() with that category,
company and question. The text predictions (evaluation/findings.py predict) are made on the same
answers in the same run, and both are scored by findings.score against the same labels.

Timed findings (too_long, long_answer, too_short, many_fillers) are decided by the clip's real
length here, by the text's estimated length there; as in `eval findings`, they are scored only on
labels that give answer_s (LabelledAnswer.unscored), so both sides leave them out alike.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from simulator.evaluation.findings import BENCH, LabelledAnswer, load_bench, load_companies, predict, score

AUDIO = BENCH / "audio"
TARGET_DIFFERENCE = 0.05  # |audio F1 - text F1| the issue allows
QUICK_ITEMS = 3  # --quick: the shortest clips


@dataclass
class AudioItem:
    id: str
    path: Path
    voice: str
    source: str  # the label's file, relative to bench/findings/
    duration_s: float
    label: LabelledAnswer


def load_items(folder: Path = AUDIO, quick: bool = False, limit: int | None = None) -> list[AudioItem]:
    """The manifest's clips with their labels (the label is looked up in its source file)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    labels: dict[str, dict[str, LabelledAnswer]] = {}
    items: list[AudioItem] = []
    for raw in manifest["items"]:
        source = Path(raw["source"])
        key = str(source.parent)
        if key not in labels:
            labels[key] = {a.id: a for a in load_bench(BENCH / source.parent)}
        label = labels[key].get(raw["id"])
        if label is None or label.file != source.name:
            raise ValueError(f"{folder / 'manifest.json'}: {raw['id']} is not labelled in bench/findings/{source}")
        items.append(AudioItem(raw["id"], folder / raw["file"], raw.get("voice", "?"), raw["source"],
                               float(raw.get("duration_s", 0.0)), label))
    if quick:
        items = sorted(items, key=lambda i: (i.duration_s, i.id))[:QUICK_ITEMS]
    return items[:limit] if limit else items


def _vocabulary(company_path: Path | None, enabled: bool):
    """The per-question vocabulary `run --company FILE` would hear the answer with."""
    from simulator.commands.common import build_vocabulary

    return build_vocabulary(SimpleNamespace(vocabulary=enabled, company=str(company_path) if company_path else None))


def evaluate(transcriber, items: list[AudioItem] | None = None, vocabulary: bool = True, log=lambda s: None) -> dict:
    """Transcribe and judge every clip, predict from every label's text, and score both."""
    from simulator.analysis.answer import AnalysisOptions, analyze_answer
    from simulator.analysis.content import ContentOptions
    from simulator.audio.decode import load_audio

    items = load_items() if items is None else items
    companies = load_companies()
    text_pred: dict[str, set[str]] = {}
    audio_pred: dict[str, set[str]] = {}
    rows: list[dict] = []
    # The vocabulary is set per answer's company profile, then put back (a WhisperTranscriber).
    has_vocabulary = transcriber.capabilities.vocabulary
    saved = (transcriber.vocabulary, transcriber.options) if has_vocabulary else None
    try:
        for item in items:
            label = item.label
            company = companies.get(label.company) if label.company else None
            if has_vocabulary:
                path = BENCH / "companies" / f"{label.company}.toml" if label.company else None
                transcriber.vocabulary = _vocabulary(path, vocabulary)
            transcriber.for_question(label.category)
            t0 = time.perf_counter()
            clip = load_audio(item.path)
            options = AnalysisOptions(content=ContentOptions(company=company, question=label.question))
            analysis = analyze_answer(clip, transcriber, category=label.category, file=str(item.path), options=options)
            seconds = time.perf_counter() - t0
            audio_pred[item.id] = {f.id for f in analysis.findings}
            text_pred[item.id] = {f.id for f in predict(label, companies)}
            scored_text = sorted(text_pred[item.id] - label.unscored)
            scored_audio = sorted(audio_pred[item.id] - label.unscored)
            rows.append({
                "id": item.id, "voice": item.voice, "category": label.category, "file": item.path.name,
                "expected": sorted(label.expected),
                "text_findings": scored_text, "audio_findings": scored_audio,
                # Everything that fired, timed findings too (those are not scored).
                "text_findings_all": sorted(text_pred[item.id]), "audio_findings_all": sorted(audio_pred[item.id]),
                "text": label.text, "transcript": analysis.transcript.text,
                "transcript_raw": analysis.transcript.raw_text,
                "answer_s": round(analysis.timing.answer_s, 2), "answer_s_text_estimate": round(label.answer_s, 2),
                "latency_s": None if analysis.timing.response_latency_s is None else round(analysis.timing.response_latency_s, 2),
                "seconds": round(seconds, 2),
            })
            log(f"{item.id}: text {scored_text} audio {scored_audio} ({seconds:.1f} s)")
    finally:
        if has_vocabulary:
            transcriber.vocabulary, transcriber.options = saved
    labels = [i.label for i in items]
    text, audio = score(labels, text_pred), score(labels, audio_pred)
    difference = round(audio["f1"] - text["f1"], 3)
    return {
        "answers": len(items),
        "voices": sorted({i.voice for i in items}),
        "vocabulary": vocabulary,
        "text": text,
        "audio": audio,
        "difference": difference,
        "target_difference": TARGET_DIFFERENCE,
        "within_target": abs(difference) <= TARGET_DIFFERENCE,
        "items": rows,
        "differ": [r["id"] for r in rows if r["text_findings"] != r["audio_findings"]],
        "audio_s": round(sum(r["answer_s"] for r in rows), 1),
        "seconds": round(sum(r["seconds"] for r in rows), 1),
    }


def _flag_line(fid: str, t: dict, a: dict) -> str:
    def ratio(d: dict, key: str, n: int) -> str:
        return f"{d[key]:.2f}" if n else "   -"

    support = t["tp"] + t["fn"]
    return (f"  {fid:22} {ratio(t, 'recall', support)} / {ratio(a, 'recall', support)}   ({support}; "
            f"{ratio(t, 'precision', t['tp'] + t['fp'])} / {ratio(a, 'precision', a['tp'] + a['fp'])})")


def format_report(r: dict) -> str:
    t, a = r["text"], r["audio"]
    lines = [
        f"Held-out answers, synthesized ({', '.join(r['voices'])}): {r['answers']} "
        f"({t['good_answers']} good); interview vocabulary {'on' if r['vocabulary'] else 'off'}",
        f"text  F1 {t['f1']:.3f} (P {t['precision']:.2f} R {t['recall']:.2f}, macro {t['macro_f1']:.3f}); "
        f"good answers with a wrong finding {t['good_with_wrong_finding']}/{t['good_answers']}",
        f"audio F1 {a['f1']:.3f} (P {a['precision']:.2f} R {a['recall']:.2f}, macro {a['macro_f1']:.3f}); "
        f"good answers with a wrong finding {a['good_with_wrong_finding']}/{a['good_answers']}",
        f"difference (audio - text) {r['difference']:+.3f}: {'within' if r['within_target'] else 'NOT within'} "
        f"{r['target_difference']:.2f} of the text result",
        "",
        "red flags, recall text / audio (support; precision text / audio):",
    ]
    for fid, ts in t["red_flags"].items():
        if fid == "pooled":
            continue
        lines.append(_flag_line(fid, ts, a["red_flags"][fid]))
    lines.append(_flag_line("pooled", t["red_flags"]["pooled"], a["red_flags"]["pooled"]))
    lines.append("")
    lines.append("per finding, F1 text / audio (support):")
    for fid, ts in t["findings"].items():
        aa = a["findings"][fid]
        if ts["support"] or ts["fp"] or aa["fp"]:
            lines.append(f"  {fid:22} {ts['f1']:.2f} / {aa['f1']:.2f}   ({ts['support']})")
    differ = [row for row in r["items"] if row["id"] in r["differ"]]
    lines.append("")
    lines.append(f"answers where the audio findings differ from the text's ({len(differ)}):")
    for row in differ:
        lines.append(f"  {row['id']} ({row['voice']}; expected: {', '.join(row['expected']) or '-'})")
        lines.append(f"    text:  {', '.join(row['text_findings']) or '-'}")
        lines.append(f"    audio: {', '.join(row['audio_findings']) or '-'}")
        lines.append(f"    heard: {row['transcript']}")
    lines.append("")
    lines.append(f"{r['answers']} clips, {r['audio_s']:.0f} s of answers, analysed in {r['seconds']:.0f} s")
    return "\n".join(lines)


def main(args) -> int:
    import sys

    from simulator.commands.common import build_transcriber, print_json

    vocabulary = getattr(args, "vocabulary", True)
    transcriber = build_transcriber(SimpleNamespace(model=getattr(args, "model", None),
                                                    compute_type=getattr(args, "compute_type", None),
                                                    vocabulary=vocabulary, category=None))
    items = load_items(quick=bool(getattr(args, "quick", False)))
    log = (lambda s: print(s, file=sys.stderr, flush=True)) if not getattr(args, "json", False) else (lambda s: None)
    result = evaluate(transcriber, items, vocabulary=vocabulary, log=log)
    if getattr(args, "json", False):
        print_json(result)
    else:
        print(format_report(result))
    return 0
