"""`eval delivery`: score fillers, pauses, latency, answer length and CER against labelled sets.

Three sets (docs/metrics.md):
  text   bench/delivery/text_fillers.txt: sentences with fillers marked in {braces}; the rules alone.
  audio  bench/delivery/audio/*.ogg + audio_truth.json: synthesized answers with exact truth.
  real   the real clips in shared/corpus/real (found by walking up from the repo): CER of the
         Japanese clips, answer length against bench/delivery/real_truth.json, English fillers.

Each figure is printed for this project's pipeline ("tuned") and for a BASELINE measured in the
same run: faster-whisper's WhisperModel.transcribe with its default settings (word timestamps
on, for times), timing taken from the word timestamps, fillers by plain substring counting.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from simulator.analysis.fillers import canonical_form, count_substrings, family, find_fillers_in_text
from simulator.paths import PROJECT_ROOT
from simulator.evaluation.scoring import PRF, edit_distance

BENCH = PROJECT_ROOT / "bench" / "delivery"
# A filler found in Whisper's text carries the start time of its word, which can sit a little
# before the truth window (word boundaries) or after it (a long filler); this much slack is allowed.
FILLER_SLACK_S = 0.5
LONG_PAUSE_S = 1.0
QUICK_AUDIO = 6  # answers in --quick
# The transcription settings were chosen looking at the first 12 answers only; the rest are held
# out, and their figure is printed separately so over-fitting would show.
TUNING_ANSWERS = 12


def real_corpus_dir() -> Path | None:
    """shared/corpus/real next to the repo or one of its parents (worktrees sit one level deeper)."""
    for base in [PROJECT_ROOT, *PROJECT_ROOT.parents]:
        cand = base / "shared" / "corpus" / "real"
        if (cand / "manifest.json").is_file():
            return cand
    return None


# ---------------------------------------------------------------- scoring helpers (pure)




def parse_marked(line: str) -> tuple[str, list[tuple[str, int]]]:
    """'{えーと}、私は' -> ('えーと、私は', [('えーと', 0)]) with forms folded to families."""
    text, gold = "", []
    for part in re.split(r"(\{[^}]*\})", line):
        if part.startswith("{"):
            word = part[1:-1]
            gold.append((family(canonical_form(word) or word), len(text)))
            text += word
        else:
            text += part
    return text, gold


def match_positions(gold: list[tuple[str, int]], pred: list[tuple[str, int]], by_form: dict[str, PRF]) -> PRF:
    """Exact (family, character index) matching for the text set."""
    g, p = set(gold), set(pred)
    out = PRF(len(g & p), len(p - g), len(g - p))
    for form, _ in g | p:
        s = by_form.setdefault(form, PRF())
        s.tp += (form, _) in g and (form, _) in p
        s.fp += (form, _) in p and (form, _) not in g
        s.fn += (form, _) in g and (form, _) not in p
    return out


def match_timed(truth: list[dict], pred: list[tuple[str, float | None]], by_form: dict[str, PRF],
                slack_s: float = FILLER_SLACK_S) -> PRF:
    """Greedy one-to-one: a found filler matches a true one of the same family whose time window
    (slack on both sides) holds the found start time."""
    used = [False] * len(truth)
    out = PRF()
    for form, start in sorted(pred, key=lambda fp: (fp[1] is None, fp[1] or 0.0)):
        fam = family(form)
        hit = None
        for k, t in enumerate(truth):
            a, b = t["window_s"]
            if not used[k] and family(t["form"]) == fam and start is not None and a - slack_s <= start <= b + slack_s:
                hit = k
                break
        stats = by_form.setdefault(fam, PRF())
        if hit is None:
            out.fp += 1
            stats.fp += 1
        else:
            used[hit] = True
            out.tp += 1
            stats.tp += 1
    for k, t in enumerate(truth):
        if not used[k]:
            out.fn += 1
            by_form.setdefault(family(t["form"]), PRF()).fn += 1
    return out


def match_pauses(truth: list[tuple[float, float]], pred: list[tuple[float, float]], min_s: float = LONG_PAUSE_S) -> PRF:
    """Long pauses: a found one matches a true one when they overlap by half the shorter's length."""
    t_long = [p for p in truth if p[1] - p[0] >= min_s]
    p_long = [p for p in pred if p[1] - p[0] >= min_s]
    used = [False] * len(t_long)
    out = PRF()
    for a, b in p_long:
        hit = None
        for k, (c, d) in enumerate(t_long):
            overlap = min(b, d) - max(a, c)
            if not used[k] and overlap >= 0.5 * min(b - a, d - c):
                hit = k
                break
        if hit is None:
            out.fp += 1
        else:
            used[hit] = True
            out.tp += 1
    out.fn += used.count(False)
    return out


_CER_STRIP = re.compile(r"[\s、。，．,.!?！？「」『』（）()・…ー―\-]")


def normalize_for_cer(text: str) -> str:
    import unicodedata

    return _CER_STRIP.sub("", unicodedata.normalize("NFKC", text)).lower()


@dataclass
class Errors:
    """Absolute errors in seconds."""

    values: list[float] = field(default_factory=list)

    def to_dict(self, within_s: float = 0.3) -> dict:
        v = self.values
        if not v:
            return {"n": 0}
        return {"n": len(v), "mean_abs_s": round(sum(v) / len(v), 3), "max_abs_s": round(max(v), 3),
                "within_0.3s": round(sum(x <= within_s for x in v) / len(v), 3)}


# ---------------------------------------------------------------- pipelines


@dataclass(frozen=True)
class Measured:
    """What a pipeline says about one clip."""

    text: str
    latency_s: float | None
    answer_s: float
    pauses: list[tuple[float, float]]
    fillers: list[tuple[str, float | None]]


def run_tuned(clip, transcriber) -> Measured:
    from simulator.analysis.answer import analyze_answer

    d = analyze_answer(clip, transcriber).to_dict()
    return Measured(d["transcript"], d["response_latency_s"], d["answer_s"],
                    [(p["start_s"], p["end_s"]) for p in d["pauses"]],
                    [(f["form"], f["start_s"]) for f in d["fillers"]["items"]])


def run_baseline(clip, model, language_hint: str | None = None) -> Measured:
    """Default faster-whisper (only word_timestamps switched on), plain substring counting."""
    segments, info = model.transcribe(clip.resampled().samples, word_timestamps=True)
    words = [w for s in segments for w in (s.words or []) if w.word.strip()]
    lang = "en" if info.language == "en" else "ja"
    sep = " " if lang == "en" else ""
    text, times = "", []
    for w in words:
        piece = w.word.strip()
        if text and sep:
            text += sep
            times.append(w.start)
        text += piece
        times.extend([w.start] * len(piece))
    fillers = [(f, times[i] if i < len(times) else None) for f, i in count_substrings(text, lang)]
    if not words:
        return Measured("", None, 0.0, [], fillers)
    pauses = [(a.end, b.start) for a, b in zip(words, words[1:]) if b.start - a.end >= 0.2]
    return Measured(text, words[0].start, words[-1].end - words[0].start, pauses, fillers)


# ---------------------------------------------------------------- the three sets


def eval_text() -> dict:
    out = {}
    lines = [ln.rstrip("\n") for ln in (BENCH / "text_fillers.txt").read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln.strip() and not ln.startswith("#")]
    for name, finder in (("tuned", find_fillers_in_text), ("baseline", count_substrings)):
        total, by_form = PRF(), {}
        for line in lines:
            text, gold = parse_marked(line)
            pred = [(family(f), i) for f, i in finder(text)]
            total.add(match_positions(gold, pred, by_form))
        out[name] = {"fillers": total.to_dict(), "by_form": {k: v.to_dict() for k, v in sorted(by_form.items())}}
    out["sentences"] = len(lines)
    return out


def eval_audio(transcriber, quick: bool) -> dict:
    from simulator.audio.decode import load_audio

    truth = json.loads((BENCH / "audio_truth.json").read_text(encoding="utf-8"))["items"]
    if quick:
        truth = truth[:QUICK_AUDIO]
    model = transcriber.load()
    out: dict = {"answers": len(truth), "audio_s": round(sum(t["duration_s"] for t in truth), 1)}
    for name in ("tuned", "baseline"):
        fill, by_form, pauses, held_out = PRF(), {}, PRF(), PRF()
        lat, length = Errors(), Errors()
        seconds = 0.0
        misses = []
        for k, t in enumerate(truth):
            clip = load_audio(BENCH / "audio" / t["file"])
            start = time.perf_counter()
            m = run_tuned(clip, transcriber) if name == "tuned" else run_baseline(clip, model)
            seconds += time.perf_counter() - start
            one = match_timed(t["fillers"], m.fillers, by_form)
            fill.add(one)
            if k >= TUNING_ANSWERS:
                held_out.add(one)
            if one.fp or one.fn:
                misses.append({"file": t["file"], "text": m.text, "found": [f for f, _ in m.fillers],
                               "truth": [f["form"] for f in t["fillers"]]})
            pauses.add(match_pauses([(p["start_s"], p["end_s"]) for p in t["pauses"]], m.pauses))
            lat.values.append(abs((m.latency_s if m.latency_s is not None else 0.0) - t["response_latency_s"]))
            length.values.append(abs(m.answer_s - t["answer_s"]))
        out[name] = {
            "fillers": fill.to_dict(),
            "fillers_held_out": held_out.to_dict(),
            "by_form": {k: v.to_dict() for k, v in sorted(by_form.items())},
            "long_pauses": pauses.to_dict(),
            "latency_error": lat.to_dict(),
            "answer_length_error": length.to_dict(),
            "seconds": round(seconds, 1),
            "filler_misses": misses,
        }
    return out


def eval_real(transcriber, quick: bool) -> dict:
    from simulator.audio.decode import load_audio

    corpus = real_corpus_dir()
    if corpus is None:
        return {"skipped": "shared/corpus/real not found"}
    manifest = json.loads((corpus / "manifest.json").read_text(encoding="utf-8"))["items"]
    labels = json.loads((BENCH / "real_truth.json").read_text(encoding="utf-8"))["items"]
    labels = {x["file"]: x for x in labels}
    ja = [it for it in manifest if it["lang"] == "ja"]
    en = [it for it in manifest if it["lang"] == "en"]
    if quick:
        ja, en = ja[:3], [it for it in en if it["file"] == "disfluency.wav"]
    model = transcriber.load()
    out: dict = {"ja_clips": len(ja), "en_clips": len(en)}
    from simulator.speech.transcriber import TranscribeOptions, WhisperTranscriber

    en_transcriber = WhisperTranscriber(model=transcriber.model, options=TranscribeOptions.for_language("en"))
    en_transcriber._model = model  # share the loaded weights
    for name in ("tuned", "baseline"):
        edits = chars = 0
        length, lat = Errors(), Errors()
        for it in ja:
            clip = load_audio(corpus / it["file"])
            m = run_tuned(clip, transcriber) if name == "tuned" else run_baseline(clip, model)
            ref, hyp = normalize_for_cer(it["transcript"]), normalize_for_cer(m.text)
            edits += edit_distance(ref, hyp)
            chars += len(ref)
            if it["file"] in labels:
                length.values.append(abs(m.answer_s - labels[it["file"]]["answer_s"]))
                lat.values.append(abs((m.latency_s or 0.0) - labels[it["file"]]["response_latency_s"]))
        en_fill, en_by_form = PRF(), {}
        for it in en:
            clip = load_audio(corpus / it["file"])
            m = run_tuned(clip, en_transcriber) if name == "tuned" else run_baseline(clip, model)
            gold = [family(f) for f, _ in find_fillers_in_text(_verbatim_en(it["transcript"]), "en")]
            pred = [family(f) for f, _ in m.fillers]
            en_fill.add(_match_counts(gold, pred, en_by_form))
        out[name] = {"cer": round(edits / chars, 3) if chars else None, "answer_length_error": length.to_dict(),
                     "latency_error": lat.to_dict(), "en_fillers": en_fill.to_dict(),
                     "en_by_form": {k: v.to_dict() for k, v in sorted(en_by_form.items())}}
    return out


def _verbatim_en(text: str) -> str:
    """Manifest transcripts mark fillers as [UH]; read them as words."""
    return re.sub(r"\[(\w+)\]", lambda m: m.group(1).lower() + ",", text).replace("*", "")


def _match_counts(gold: list[str], pred: list[str], by_form: dict[str, PRF]) -> PRF:
    """Without times in the truth: per form, min(found, true) are hits."""
    out = PRF()
    for form in set(gold) | set(pred):
        g, p = gold.count(form), pred.count(form)
        one = PRF(min(g, p), max(0, p - g), max(0, g - p))
        out.add(one)
        by_form.setdefault(form, PRF()).add(one)
    return out


# ---------------------------------------------------------------- CLI


def evaluate(transcriber, quick: bool = False) -> dict:
    return {"text": eval_text(), "audio": eval_audio(transcriber, quick), "real": eval_real(transcriber, quick)}


def _row(label: str, tuned: str, base: str) -> str:
    return f"  {label:<34} {tuned:>22}   {base:>22}"


def _prf(d: dict) -> str:
    return f"P {d['precision']:.2f} R {d['recall']:.2f} F1 {d['f1']:.2f}"


def _err(d: dict) -> str:
    return "n/a" if not d.get("n") else f"mean {d['mean_abs_s']:.2f} max {d['max_abs_s']:.2f}"


def format_report(r: dict) -> str:
    t, a, real = r["text"], r["audio"], r["real"]
    lines = [_row("", "TUNED", "BASELINE")]
    lines.append(f"text set: {t['sentences']} sentences")
    lines.append(_row("fillers", _prf(t["tuned"]["fillers"]), _prf(t["baseline"]["fillers"])))
    lines.append(f"audio set: {a['answers']} answers, {a['audio_s']} s")
    lines.append(_row("fillers", _prf(a["tuned"]["fillers"]), _prf(a["baseline"]["fillers"])))
    if a["answers"] > TUNING_ANSWERS:
        lines.append(_row(f"  held out (answers {TUNING_ANSWERS + 1}-{a['answers']})", _prf(a["tuned"]["fillers_held_out"]),
                          _prf(a["baseline"]["fillers_held_out"])))
    forms = sorted(set(a["tuned"]["by_form"]) | set(a["baseline"]["by_form"]))
    for f in forms:
        tu, ba = a["tuned"]["by_form"].get(f), a["baseline"]["by_form"].get(f)
        n = (tu or ba)["tp"] + (tu or ba)["fn"]
        lines.append(_row(f"  {f} (n={n})", _prf(tu) if tu else "-", _prf(ba) if ba else "-"))
    lines.append(_row("long pauses (>= 1 s)", _prf(a["tuned"]["long_pauses"]), _prf(a["baseline"]["long_pauses"])))
    lines.append(_row("latency error s", _err(a["tuned"]["latency_error"]), _err(a["baseline"]["latency_error"])))
    lines.append(_row("answer length error s", _err(a["tuned"]["answer_length_error"]), _err(a["baseline"]["answer_length_error"])))
    lines.append(_row("  within 0.3 s (latency/length)",
                      f"{a['tuned']['latency_error']['within_0.3s']:.2f}/{a['tuned']['answer_length_error']['within_0.3s']:.2f}",
                      f"{a['baseline']['latency_error']['within_0.3s']:.2f}/{a['baseline']['answer_length_error']['within_0.3s']:.2f}"))
    lines.append(_row("processing s", f"{a['tuned']['seconds']}", f"{a['baseline']['seconds']}"))
    if "skipped" in real:
        lines.append(f"real clips: skipped ({real['skipped']})")
    else:
        lines.append(f"real clips: {real['ja_clips']} Japanese, {real['en_clips']} English")
        lines.append(_row("CER (Japanese)", f"{real['tuned']['cer']:.3f}", f"{real['baseline']['cer']:.3f}"))
        lines.append(_row("answer length error s", _err(real["tuned"]["answer_length_error"]), _err(real["baseline"]["answer_length_error"])))
        lines.append(_row("latency error s", _err(real["tuned"]["latency_error"]), _err(real["baseline"]["latency_error"])))
        lines.append(_row("English fillers", _prf(real["tuned"]["en_fillers"]), _prf(real["baseline"]["en_fillers"])))
    return "\n".join(lines)


def main(args) -> int:
    from simulator.commands.common import build_transcriber, print_json

    result = evaluate(build_transcriber(args), quick=bool(getattr(args, "quick", False)))
    if getattr(args, "json", False):
        print_json(result)
    else:
        print(format_report(result))
    return 0
