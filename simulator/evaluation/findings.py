"""`eval findings`: score the findings and the interviewer's next move against bench/findings/.

For the development set, the held-out set and both, with today's rules and the frozen baseline
(baseline_rules.py, the rules before the parse-based analysis) run on the same answers:
- precision, recall and F1 per finding, and pooled over all findings (micro) and per finding (macro);
- the red flags' precision and recall;
- the next-move rate: the share of answers whose next prompt is of an acceptable family;
- good answers (nothing expected) that got a finding, and near-miss traps that fired.
A labelled answer's timed findings (too_long, long_answer, too_short, many_fillers) are scored only
when it gives its length: the text alone does not fix how long it took to say.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from simulator.analysis.catalogue import FINDING_IDS, RED_FLAGS, THRESHOLDS, TIMED
from simulator.evaluation.scoring import PRF
from simulator.paths import PROJECT_ROOT

BENCH = PROJECT_ROOT / "bench" / "findings"
DEFAULT_LATENCY_S = 1.0
QUICK_EVERY = 4  # --quick keeps every 4th answer
TARGETS = {"f1": 0.90, "red_flag_recall": 0.85, "red_flag_precision": 0.90, "next_rate": 0.85, "good_wrong_rate": 0.05}


@dataclass
class LabelledAnswer:
    id: str
    category: str
    text: str
    expected: frozenset[str]
    answer_s: float
    latency_s: float
    timed: bool  # the answer gives its length: timed findings are scored
    optional: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()
    next: tuple[str, ...] = ()
    company: str | None = None
    question: str = ""
    file: str = ""

    @property
    def unscored(self) -> frozenset[str]:
        return self.optional | (frozenset() if self.timed else TIMED - self.expected)


@dataclass
class Score(PRF):
    fp_ids: list[str] = field(default_factory=list)
    fn_ids: list[str] = field(default_factory=list)

    @property
    def support(self) -> int:
        return self.tp + self.fn


def load_bench(folder: Path = BENCH) -> list[LabelledAnswer]:
    from simulator.analysis.morae import count_morae

    items: list[LabelledAnswer] = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for raw in data.get("answer", []):
            text = raw["text"]
            answer_s = raw.get("answer_s")
            timed = answer_s is not None
            if answer_s is None:
                answer_s = count_morae(text) * 60.0 / THRESHOLDS.estimated_morae_per_min
            items.append(
                LabelledAnswer(
                    id=raw["id"],
                    category=raw["category"],
                    text=text,
                    expected=frozenset(raw.get("expected", [])),
                    answer_s=float(answer_s),
                    latency_s=float(raw.get("latency_s", DEFAULT_LATENCY_S)),
                    timed=timed,
                    optional=frozenset(raw.get("optional", [])),
                    forbidden=frozenset(raw.get("forbidden", [])),
                    next=tuple(raw.get("next", [])),
                    company=raw.get("company"),
                    question=raw.get("question", ""),
                    file=path.name,
                )
            )
    return items


def load_companies(folder: Path = BENCH / "companies") -> dict:
    from simulator.interview.company import load_company

    return {p.stem: load_company(p) for p in sorted(folder.glob("*.toml"))}


def _per_min(item: LabelledAnswer) -> float:
    from simulator.analysis.fillers import find_fillers_in_text

    return len(find_fillers_in_text(item.text)) * 60.0 / item.answer_s if item.answer_s > 0 else 0.0


def predict(item: LabelledAnswer, companies: dict):
    from simulator.analysis.content import ContentOptions, content_findings

    opts = ContentOptions(company=companies.get(item.company) if item.company else None, question=item.question)
    return content_findings(item.text, item.category, item.answer_s, item.latency_s, _per_min(item), opts)


def predict_baseline(item: LabelledAnswer, companies: dict):
    from simulator.evaluation import baseline_rules as old

    opts = old.ContentOptions(company=companies.get(item.company) if item.company else None)
    return old.content_findings(item.text, item.category, item.answer_s, item.latency_s, _per_min(item), opts)


def score(items: list[LabelledAnswer], predictions: dict[str, set[str]]) -> dict:
    scores = {fid: Score() for fid in FINDING_IDS}
    pooled = PRF()
    good = [i for i in items if not i.expected]
    good_wrong: list[str] = []
    traps_fired: list[str] = []
    for item in items:
        got = predictions[item.id] - item.unscored
        for fid in FINDING_IDS:
            if fid in item.unscored:
                continue
            s = scores[fid]
            if fid in got and fid in item.expected:
                s.tp += 1
            elif fid in got:
                s.fp += 1
                s.fp_ids.append(item.id)
            elif fid in item.expected:
                s.fn += 1
                s.fn_ids.append(item.id)
        if not item.expected and got:
            good_wrong.append(f"{item.id}: {', '.join(sorted(got))}")
        traps_fired += [f"{item.id}: {f}" for f in sorted(item.forbidden & got)]
    for s in scores.values():
        pooled.add(s)
    present = [fid for fid in FINDING_IDS if scores[fid].support > 0]
    red = PRF()
    for fid in RED_FLAGS:
        red.add(scores[fid])
    return {
        "answers": len(items),
        "good_answers": len(good),
        "f1": round(pooled.f1, 3),
        "precision": round(pooled.precision, 3),
        "recall": round(pooled.recall, 3),
        "macro_f1": round(sum(scores[f].f1 for f in present) / len(present), 3) if present else 0.0,
        "red_flags": {fid: scores[fid].to_dict() for fid in RED_FLAGS} | {"pooled": red.to_dict()},
        "good_with_wrong_finding": len(good_wrong),
        "good_wrong_rate": round(len(good_wrong) / len(good), 3) if good else 0.0,
        "good_wrong": good_wrong,
        "near_misses": sum(len(i.forbidden) for i in items),
        "near_miss_traps_fired": traps_fired,
        "findings": {
            fid: {**s.to_dict(), "support": s.support, "false_positives": s.fp_ids, "false_negatives": s.fn_ids}
            for fid, s in scores.items()
        },
    }


def next_families(items: list[LabelledAnswer], found: dict, companies: dict) -> dict[str, str]:
    """The interviewer's next move after each labelled answer that lists acceptable ones."""
    from simulator.interview.policy import next_move_for_answer

    return {
        item.id: next_move_for_answer(item.question, item.category, item.text, found[item.id],
                                      companies.get(item.company) if item.company else None)
        for item in items if item.next
    }


def next_moves(items: list[LabelledAnswer], families: dict[str, str]) -> dict:
    """For each labelled answer with acceptable next moves: is the interviewer's next prompt one?"""
    total = ok = 0
    misses: list[str] = []
    for item in items:
        if not item.next:
            continue
        total += 1
        family = families[item.id]
        if family in item.next or family.split(":")[0] in item.next:
            ok += 1
        else:
            misses.append(f"{item.id}: {family} (acceptable: {', '.join(item.next)})")
    return {"cases": total, "acceptable": ok, "rate": round(ok / total, 3) if total else 1.0, "misses": misses}


def evaluate(quick: bool = False, baseline: bool = True, development: bool = True) -> dict:
    """Figures for the development set, the held-out set and both, now and with the baseline rules;
    for today's rules also per file, since each file is one author's phrasing. Without
    `development` only the held-out answers are judged (what a test of generalisation needs)."""
    companies = load_companies()
    dev = load_bench(BENCH) if development else []
    held = load_bench(BENCH / "heldout")
    if quick:
        dev, held = dev[::QUICK_EVERY], held[::QUICK_EVERY]
    rules = {"current": predict, **({"baseline": predict_baseline} if baseline else {})}
    out: dict = {}
    for rule_name, fn in rules.items():
        found = {i.id: fn(i, companies) for i in dev + held}
        ids = {k: {f.id for f in v} for k, v in found.items()}
        families = next_families(dev + held, found, companies)
        parts = {"all": dev + held, "development": dev, "heldout": held}
        out[rule_name] = {name: _scored(items, ids, families) for name, items in parts.items()}
        if rule_name == "current":
            out["files"] = {name: _scored([i for i in dev + held if i.file == name], ids, families)
                            for name in dict.fromkeys(i.file for i in dev + held)}
    return out


def _scored(items: list[LabelledAnswer], ids: dict[str, set[str]], families: dict[str, str]) -> dict:
    return score(items, ids) | {"next": next_moves(items, families)}


def _line(name: str, r: dict) -> str:
    red = r["red_flags"]["pooled"]
    return (f"[{name:11}] F1 {r['f1']:.3f} (P {r['precision']:.2f} R {r['recall']:.2f}, macro {r['macro_f1']:.3f}); "
            f"red flags P {red['precision']:.2f} R {red['recall']:.2f}; next move {r['next']['rate']:.1%} "
            f"({r['next']['acceptable']}/{r['next']['cases']}); good answers with a wrong finding "
            f"{r['good_with_wrong_finding']}/{r['good_answers']} = {r['good_wrong_rate']:.1%}")


def main(args) -> int:
    out = evaluate(getattr(args, "quick", False))
    if getattr(args, "json", False):
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    cur = out["current"]
    print(f"Labelled answers: {cur['all']['answers']} ({cur['development']['answers']} development"
          f" + {cur['heldout']['answers']} held out), good answers: {cur['all']['good_answers']}")
    for part in ("development", "heldout"):
        r = cur[part]
        print(f"\n{part}: per finding (support, P, R, F1)")
        for fid, s in r["findings"].items():
            if s["support"] == 0 and s["fp"] == 0:
                continue
            print(f"  {fid:22} {s['support']:4d} {s['precision']:6.2f} {s['recall']:6.2f} {s['f1']:6.2f}")
            if part == "heldout":
                continue  # never list held-out answers by name: they are read only as totals
            if s["false_positives"]:
                print(f"  {'':22}   false positives: {', '.join(s['false_positives'])}")
            if s["false_negatives"]:
                print(f"  {'':22}   missed: {', '.join(s['false_negatives'])}")
        for line in r["next"]["misses"] if part == "development" else ():
            print(f"  next: {line}")
    print("\nred flags on the held-out part (P / R):")
    for fid in RED_FLAGS:
        s = cur["heldout"]["red_flags"][fid]
        b = out["baseline"]["heldout"]["red_flags"][fid]
        print(f"  {fid:22} {s['precision']:.2f} / {s['recall']:.2f}   (baseline {b['precision']:.2f} / {b['recall']:.2f})")
    print()
    for rule in ("current", "baseline"):
        print(f"{rule}:")
        for name in ("all", "development", "heldout"):
            print("  " + _line(name, out[rule][name]))
    print("\nper file (one author's phrasing each):")
    for name, r in out["files"].items():
        print("  " + _line(name.removesuffix(".toml"), r))
    h, b = cur["heldout"], out["baseline"]["heldout"]
    print(f"\nheld out against the baseline: F1 {h['f1']:.3f} vs {b['f1']:.3f} ({h['f1'] / b['f1'] if b['f1'] else float('inf'):.2f}x), "
          f"next move {h['next']['rate']:.1%} vs {b['next']['rate']:.1%}")
    return 0
