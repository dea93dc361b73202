"""`bench vocabulary`: are the words that matter heard right, with and without the interview vocabulary?

Both runs happen here, on the same audio, with the same model and settings; the only difference
is the hotword text (speech/vocabulary.py) the transcriber is given per answer, set the way the
interview loop sets it (WhisperTranscriber.for_question). Sets:
  synthesized  bench/vocabulary/: short interview answers spoken by kokoro, each with its
               reference text, key terms, question category and company profile.
  held-out     more of them, written after the vocabulary and the mishearing table were settled
               on the first set, spoken faster.
  real         the real Japanese clips in tests/data and ../shared/corpus/real (not interview
               answers: there the vocabulary can only hurt, so CER there is the guard).
Figures: CER (pooled: edits over reference characters) and key-term accuracy (share of the key
terms written as such), each raw and after the mishearing fold (speech/mishearings.py);
vocabulary words inserted (a hotword written more often than the reference says it: the bias
gone too far); and the low-probability marker's precision and recall (a word is wrong when its
characters do not all align with the reference).
"""

from __future__ import annotations

import difflib
import json
import time
import unicodedata
from dataclasses import dataclass, replace

from simulator.evaluation.scoring import edit_distance
from simulator.paths import PROJECT_ROOT

BENCH = PROJECT_ROOT / "bench" / "vocabulary"
COMPANIES = PROJECT_ROOT / "bench" / "findings" / "companies"
# The same word in another spelling is the same word (Whisper writes 売り上げ as often as 売上).
TERM_VARIANTS: dict[str, tuple[str, ...]] = {"売上": ("売り上げ", "売上げ")}
# Thresholds tried for the low-probability marker (the one used is speech/confidence.py's).
PROBABILITY_THRESHOLDS = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5)
QUICK_ITEMS = 4


@dataclass
class Item:
    set: str  # "synthesized" | "held-out" | "real"
    name: str
    clip: object  # AudioClip
    text: str
    terms: tuple[str, ...] = ()
    category: str | None = None
    company: object = None  # CompanyProfile


def _norm(text: str) -> str:
    from simulator.evaluation.streaming import normalize

    return normalize(text)


def load_items(quick: bool = False) -> tuple[list[Item], list[str]]:
    """The items, and a line for each set left out (and why)."""
    from simulator.audio.decode import load_audio
    from simulator.evaluation.delivery import real_corpus_dir
    from simulator.interview.company import load_company

    items: list[Item] = []
    notes: list[str] = []
    truth = json.loads((BENCH / "truth.json").read_text(encoding="utf-8"))
    companies: dict = {}
    for it in [i for i in truth["items"] if not (quick and i.get("held_out"))][: QUICK_ITEMS if quick else None]:
        key = it.get("company")
        if key and key not in companies:
            companies[key] = load_company(COMPANIES / f"{key}.toml")
        items.append(Item("held-out" if it.get("held_out") else "synthesized", it["file"], load_audio(BENCH / "audio" / it["file"]), it["text"],
                          tuple(it["terms"]), it.get("category"), companies.get(key)))
    seen: set[str] = set()
    corpus = real_corpus_dir()
    folders = [PROJECT_ROOT / "tests" / "data"] + ([corpus] if corpus is not None else [])
    if corpus is None:
        notes.append("real: ../shared/corpus/real not found, only the clips in tests/data")
    for folder in folders[:1] if quick else folders:
        data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        for it in data.get("items", []):
            text = it.get("transcript") or ""
            path = folder / it["file"]
            if it.get("lang") != "ja" or not text or it["file"] in seen or not path.is_file():
                continue
            seen.add(it["file"])
            items.append(Item("real", it["file"], load_audio(path), text))
    return items, notes


def round_one():
    from simulator.interview.round_one import load_round_one

    return load_round_one(BENCH / "round_one.toml")


def term_heard(term: str, hypothesis: str) -> bool:
    hyp = unicodedata.normalize("NFKC", hypothesis).replace(" ", "")
    return any(unicodedata.normalize("NFKC", t) in hyp for t in (term, *TERM_VARIANTS.get(term, ())))


def inserted_terms(hotwords: str, reference: str, hypothesis: str) -> list[str]:
    """Hotwords the hypothesis writes more often than the reference (bias gone too far)."""
    ref, hyp = _norm(reference), _norm(hypothesis)
    return [t for t in dict.fromkeys(hotwords.split("、")) if t and hyp.count(_norm(t)) > ref.count(_norm(t))]


def word_correctness(reference: str, words, terms: list[str] = ()) -> list[tuple[float, bool, bool]]:
    """(probability, right, in a term) per timed word: right when all its characters align with
    the reference; in a term when it is part of one of `terms` as written in the words' text."""
    ref = _norm(reference)
    hyp, owner = "", []
    for i, w in enumerate(words):
        n = _norm(w.text)
        hyp += n
        owner += [i] * len(n)
    good = [False] * len(hyp)
    for block in difflib.SequenceMatcher(None, hyp, ref, autojunk=False).get_matching_blocks():
        for k in range(block.a, block.a + block.size):
            good[k] = True
    joined = "".join(w.text for w in words)
    covered = [False] * len(joined)
    for t in terms:
        at = joined.find(t) if t else -1
        while at != -1:
            covered[at : at + len(t)] = [True] * len(t)
            at = joined.find(t, at + 1)
    out, pos = [], 0
    for i, w in enumerate(words):
        chars = [good[k] for k in range(len(hyp)) if owner[k] == i]
        if chars:  # punctuation-only words say nothing
            out.append((float(w.probability), all(chars), any(covered[pos : pos + len(w.text)])))
        pos += len(w.text)
    return out


def transcribe_item(transcriber, item: Item, vocabulary: bool, streamed: bool, placement: str = "hotwords"):
    """The item's transcript, heard the way the interview loop hears an answer to its question."""
    from simulator.speech.transcriber import JA_FILLER_PROMPT
    from simulator.speech.vocabulary import QuestionVocabulary

    base = transcriber.options
    transcriber.vocabulary = QuestionVocabulary(item.company, round_one()) if vocabulary else None
    transcriber.options = replace(base, hotwords=None)
    transcriber.for_question(item.category)
    hotwords = transcriber.options.hotwords or ""
    if vocabulary and placement == "prompt":  # the vocabulary after the filler prompt instead
        transcriber.options = replace(base, hotwords=None, initial_prompt=f"{JA_FILLER_PROMPT}{hotwords}。")
    try:
        if streamed:
            from simulator.streaming.policy import CutPolicy
            from simulator.streaming.transcriber import InlineWorker, StreamingTranscriber

            st = StreamingTranscriber(transcriber, CutPolicy(), worker=InlineWorker(), recovery=None)
            samples = item.clip.resampled().samples
            for i in range(0, len(samples), 320):
                st.push(samples[i : i + 320])
            return st.finish(), hotwords
        return transcriber.transcribe(item.clip), hotwords
    finally:
        transcriber.options = base
        transcriber.vocabulary = None


def run_config(transcriber, items: list[Item], vocabulary: bool, streamed: bool = False, placement: str = "hotwords",
               log=lambda s: None) -> list[dict]:
    from simulator.speech.mishearings import fold, fold_words

    rows = []
    for item in items:
        t0 = time.perf_counter()
        tr, hotwords = transcribe_item(transcriber, item, vocabulary, streamed, placement)
        folded, corrections = fold(tr.text)
        rows.append({
            "set": item.set, "item": item.name, "text": tr.text, "folded": folded,
            "corrections": [c.to_dict() for c in corrections],
            "ref_chars": len(_norm(item.text)),
            "edits": edit_distance(_norm(item.text), _norm(tr.text)),
            "edits_folded": edit_distance(_norm(item.text), _norm(folded)),
            "terms": list(item.terms),
            "terms_heard": [t for t in item.terms if term_heard(t, tr.text)],
            "terms_heard_folded": [t for t in item.terms if term_heard(t, folded)],
            # Inserted words are counted against the same vocabulary in both runs.
            "inserted": inserted_terms(_vocabulary_text(item), item.text, tr.text),
            # The words as shown (folded), and whether each is part of a vocabulary term in use.
            "words": word_correctness(item.text, fold_words(tr.words), hotwords.split("、") if hotwords else []),
            "seconds": round(time.perf_counter() - t0, 2),
        })
        log(f"  {'with   ' if vocabulary else 'without'} {item.name}: {tr.text}")
    return rows


def _vocabulary_text(item: Item) -> str:
    from simulator.speech.vocabulary import hotwords_for

    return hotwords_for(item.category, item.company, round_one())


def summarize(rows: list[dict]) -> dict:
    chars = sum(r["ref_chars"] for r in rows)
    terms = sum(len(r["terms"]) for r in rows)
    out = {
        "items": len(rows),
        "cer": round(sum(r["edits"] for r in rows) / chars, 4) if chars else None,
        "cer_folded": round(sum(r["edits_folded"] for r in rows) / chars, 4) if chars else None,
        "terms": terms,
        "terms_heard": sum(len(r["terms_heard"]) for r in rows),
        "terms_heard_folded": sum(len(r["terms_heard_folded"]) for r in rows),
        "inserted": sum(len(r["inserted"]) for r in rows),
        "seconds": round(sum(r["seconds"] for r in rows), 1),
    }
    if terms:
        out["term_accuracy"] = round(out["terms_heard"] / terms, 3)
        out["term_accuracy_folded"] = round(out["terms_heard_folded"] / terms, 3)
    return out


def probability_table(rows: list[dict], spare_terms: bool = False) -> list[dict]:
    """For each threshold: words below it, the share of them that are wrong, the share of wrong
    words below it. spare_terms: words inside a vocabulary term are never flagged."""
    words = [w for r in rows for w in r["words"]]
    wrong = sum(1 for _, ok, _ in words if not ok)
    out = []
    for th in PROBABILITY_THRESHOLDS:
        flagged = [ok for p, ok, term in words if p < th and not (spare_terms and term)]
        bad = sum(1 for ok in flagged if not ok)
        out.append({"threshold": th, "words": len(words), "flagged": len(flagged),
                    "precision": round(bad / len(flagged), 3) if flagged else None,
                    "recall": round(bad / wrong, 3) if wrong else None})
    return out


def evaluate(transcriber, quick: bool = False, streamed: bool = False, placement: str = "hotwords", log=lambda s: None) -> dict:
    from simulator.speech.confidence import UNSURE_BELOW

    items, notes = load_items(quick)
    transcriber.load()
    result: dict = {"model": transcriber.name, "placement": placement, "notes": notes, "unsure_below": UNSURE_BELOW,
                    "paths": {}}
    for path in ("whole", "streamed") if streamed else ("whole",):
        runs = {}
        for name, on in (("without", False), ("with", True)):
            log(f"{path}, {name} the vocabulary:")
            runs[name] = run_config(transcriber, items, on, path == "streamed", placement, log)
        sets = {}
        for set_name in ("synthesized", "held-out", "real"):
            per = {name: summarize([r for r in rows if r["set"] == set_name]) for name, rows in runs.items()}
            if per["without"]["items"]:
                per["ratio"] = _ratios(per["without"], per["with"])
                sets[set_name] = per
        result["paths"][path] = {
            "sets": sets,
            "probability": {**{name: probability_table(rows) for name, rows in runs.items()},
                            "with, terms spared": probability_table(runs["with"], spare_terms=True)},
            "rows": runs,
        }
    return result


def _ratios(without: dict, with_: dict) -> dict:
    def ratio(key):
        a, b = without.get(key), with_.get(key)
        return round(b / a, 3) if a else None

    return {k: ratio(k) for k in ("cer", "cer_folded", "term_accuracy", "term_accuracy_folded")}


def _f(x, digits: int = 3) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def format_report(r: dict) -> str:
    lines = [f"Interview vocabulary ({r['placement']}), model {r['model']}: without vs with, same run"]
    lines += [f"  note: {n}" for n in r["notes"]]
    for path, p in r["paths"].items():
        lines.append(f"\n[{path} answer]" if path == "whole" else "\n[streamed pieces]")
        lines.append(f"{'set':<16} {'figure':<24} {'without':>9} {'with':>9} {'ratio':>7}")
        for set_name, per in p["sets"].items():
            w, v, q = per["without"], per["with"], per["ratio"]
            label = f"{set_name} ({w['items']})"
            lines.append(f"{label:<16} {'CER':<24} {_f(w['cer'], 4):>9} {_f(v['cer'], 4):>9} {_f(q['cer']):>7}")
            lines.append(f"{'':<16} {'CER after fold':<24} {_f(w['cer_folded'], 4):>9} {_f(v['cer_folded'], 4):>9} {_f(q['cer_folded']):>7}")
            if w["terms"]:
                lines.append(f"{'':<16} {'key terms (%d)' % w['terms']:<24} {_f(w['term_accuracy']):>9} {_f(v['term_accuracy']):>9} {_f(q['term_accuracy']):>7}")
                lines.append(f"{'':<16} {'key terms after fold':<24} {_f(w['term_accuracy_folded']):>9} {_f(v['term_accuracy_folded']):>9} {_f(q['term_accuracy_folded']):>7}")
            lines.append(f"{'':<16} {'vocabulary inserted':<24} {w['inserted']:>9} {v['inserted']:>9}")
        lines.append(f"low-probability words (below threshold: share wrong / share of wrong words caught), marker at {r['unsure_below']}:")
        for name, table in p["probability"].items():
            cells = "  ".join(f"<{t['threshold']}: {_f(t['precision'], 2)}/{_f(t['recall'], 2)}" for t in table)
            lines.append(f"  {name:<18} {cells}")
    return "\n".join(lines)


def main(args) -> int:
    import sys

    from simulator.evaluation.output import emit
    from simulator.speech.transcriber import TranscribeOptions, WhisperTranscriber

    log = (lambda s: print(s, file=sys.stderr, flush=True)) if getattr(args, "verbose", False) else (lambda s: None)
    transcriber = WhisperTranscriber(model=args.model, options=TranscribeOptions.with_compute_type(args.compute_type))
    result = evaluate(transcriber, quick=args.quick, streamed=getattr(args, "streamed", False),
                      placement=getattr(args, "placement", "hotwords"), log=log)
    return emit(args, result, format_report)
