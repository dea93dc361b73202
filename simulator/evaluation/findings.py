"""`eval findings`: score the content findings and the probe choice against bench/findings/.

Prints, per finding id, the support, precision and recall; the macro F1 over the findings that
occur in the labelled set; the share of good answers (expected: none) with zero findings; and
two probe checks: (1) every phrasing filed under a finding in the question sets belongs to that
finding's probe family, (2) for every labelled answer with a gap, the policy's next prompt is a
probe of the family of the most important expected finding.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from simulator.paths import PROJECT_ROOT
from simulator.evaluation.scoring import PRF

BENCH = PROJECT_ROOT / "bench" / "findings"
ESTIMATED_MORAE_PER_MIN = 330.0  # middle of the advised 300-400 band: the length of an unlabelled answer
DEFAULT_LATENCY_S = 1.0
QUICK_EVERY = 4  # --quick keeps every 4th answer


@dataclass
class LabelledAnswer:
    id: str
    category: str
    text: str
    expected: frozenset[str]
    answer_s: float
    latency_s: float
    company: str | None = None
    question: str = ""
    file: str = ""


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
            if answer_s is None:
                answer_s = count_morae(text) * 60.0 / ESTIMATED_MORAE_PER_MIN
            items.append(
                LabelledAnswer(
                    id=raw["id"],
                    category=raw["category"],
                    text=text,
                    expected=frozenset(raw.get("expected", [])),
                    answer_s=float(answer_s),
                    latency_s=float(raw.get("latency_s", DEFAULT_LATENCY_S)),
                    company=raw.get("company"),
                    question=raw.get("question", ""),
                    file=path.name,
                )
            )
    return items


def load_companies(folder: Path = BENCH / "companies") -> dict:
    from simulator.interview.company import load_company

    return {p.stem: load_company(p) for p in sorted(folder.glob("*.toml"))}


def predict(item: LabelledAnswer, companies: dict):
    from simulator.analysis.content import ContentOptions, content_findings
    from simulator.analysis.fillers import find_fillers_in_text

    fillers = len(find_fillers_in_text(item.text))
    per_min = fillers * 60.0 / item.answer_s if item.answer_s > 0 else 0.0
    opts = ContentOptions(company=companies.get(item.company) if item.company else None)
    return content_findings(item.text, item.category, item.answer_s, item.latency_s, per_min, opts)


def score(items: list[LabelledAnswer], companies: dict) -> dict:
    from simulator.analysis.content import FINDING_IDS

    scores = {fid: Score() for fid in FINDING_IDS}
    good_total = good_clean = 0
    predictions: dict[str, list] = {}
    for item in items:
        found = predict(item, companies)
        predictions[item.id] = found
        got = {f.id for f in found}
        for fid in FINDING_IDS:
            s = scores[fid]
            if fid in got and fid in item.expected:
                s.tp += 1
            elif fid in got:
                s.fp += 1
                s.fp_ids.append(item.id)
            elif fid in item.expected:
                s.fn += 1
                s.fn_ids.append(item.id)
        if not item.expected:
            good_total += 1
            good_clean += not got
    present = [fid for fid in FINDING_IDS if scores[fid].support > 0]
    macro_f1 = sum(scores[f].f1 for f in present) / len(present) if present else 0.0
    return {
        "answers": len(items),
        "good_answers": good_total,
        "good_with_zero_findings": good_clean,
        "good_clean_rate": good_clean / good_total if good_total else 1.0,
        "macro_f1": macro_f1,
        "findings": {
            fid: {
                "support": s.support,
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
                "precision": round(s.precision, 3),
                "recall": round(s.recall, 3),
                "f1": round(s.f1, 3),
                "false_positives": s.fp_ids,
                "false_negatives": s.fn_ids,
            }
            for fid, s in scores.items()
        },
        "_predictions": predictions,
    }


def probe_checks(items: list[LabelledAnswer], predictions: dict, companies: dict) -> dict:
    """Do findings lead to probes of the right family, in the sets and in the policy's choice?"""
    from simulator.interview.policy import (
        FINDING_PRIORITY, PROBE_FAMILY, Exchange, PolicyOptions, Prompt, family_matches, next_prompt,
    )
    from simulator.interview.question_sets import available_sets, load_question_set

    # 1. Every phrasing filed under a finding reads as that finding's family.
    phrasing_total = 0
    phrasing_bad: list[str] = []
    sets = [load_question_set(str(p)) for p in available_sets()]
    defaults, deeper = sets[0].default_probes, sets[0].default_deeper
    for fid, phrasings in defaults.items():
        for text in phrasings:
            phrasing_total += 1
            if not family_matches(fid, text):
                phrasing_bad.append(f"_probes/{fid}: {text}")
    for phrasings in deeper.values():
        for text in phrasings:
            phrasing_total += 1
            if not family_matches("deeper", text):
                phrasing_bad.append(f"_probes/deeper: {text}")
    for qset in sets:
        for q in qset.questions:
            for fid, phrasings in q.probes.items():
                for text in phrasings:
                    phrasing_total += 1
                    if not family_matches(fid, text):
                        phrasing_bad.append(f"{qset.id}/{q.id}/{fid}: {text}")

    # 2. The policy's next prompt after each labelled answer probes the top expected gap.
    by_category = {}
    for qset in sets:
        for q in qset.questions:
            by_category.setdefault(q.category, (qset, q))
    policy_total = policy_ok = 0
    policy_bad: list[str] = []
    for item in items:
        wanted = [f for f in FINDING_PRIORITY if f in item.expected and PROBE_FAMILY.get(f)]
        if not wanted or item.category not in by_category:
            continue
        qset, q = by_category[item.category]
        first = Prompt("question", q.id, q.category, q.text, {"why": "bench"})
        found = tuple((f.id, f.evidence) for f in predictions[item.id])
        company = companies.get(item.company) if item.company else None
        nxt = next_prompt(qset, [Exchange(first, found, item.answer_s)], PolicyOptions(company=company))
        policy_total += 1
        got = nxt.reason.get("finding") if nxt is not None and nxt.kind == "probe" else None
        if got is not None and PROBE_FAMILY.get(got) == PROBE_FAMILY[wanted[0]]:
            policy_ok += 1
        else:
            policy_bad.append(f"{item.id}: expected a {PROBE_FAMILY[wanted[0]]} probe ({wanted[0]}), got {got or (nxt.kind if nxt else 'end')}")
    return {
        "phrasings": phrasing_total,
        "phrasings_in_family": phrasing_total - len(phrasing_bad),
        "phrasing_mismatches": phrasing_bad,
        "policy_cases": policy_total,
        "policy_right_family": policy_ok,
        "policy_rate": policy_ok / policy_total if policy_total else 1.0,
        "policy_mismatches": policy_bad,
    }


def evaluate(quick: bool = False) -> dict:
    """Figures for the development set, the held-out set and both together."""
    companies = load_companies()
    dev = load_bench(BENCH)
    held = load_bench(BENCH / "heldout")
    if quick:
        dev, held = dev[::QUICK_EVERY], held[::QUICK_EVERY]
    out: dict = {}
    for name, items in (("all", dev + held), ("development", dev), ("heldout", held)):
        result = score(items, companies)
        predictions = result.pop("_predictions")
        if name == "all":
            result["probes"] = probe_checks(items, predictions, companies)
        out[name] = result
    return out


def main(args) -> int:
    out = evaluate(getattr(args, "quick", False))
    if getattr(args, "json", False):
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    result = out["all"]
    print(f"Labelled answers: {result['answers']} (bench/findings: {out['development']['answers']} development"
          f" + {out['heldout']['answers']} held out), good answers: {result['good_answers']}")
    print(f"{'finding':22} {'support':>7} {'prec':>6} {'recall':>6} {'F1':>6}")
    for fid, s in result["findings"].items():
        if s["support"] == 0 and s["fp"] == 0:
            continue
        print(f"{fid:22} {s['support']:7d} {s['precision']:6.2f} {s['recall']:6.2f} {s['f1']:6.2f}")
        if s["false_positives"]:
            print(f"{'':22}   false positives: {', '.join(s['false_positives'])}")
        if s["false_negatives"]:
            print(f"{'':22}   missed: {', '.join(s['false_negatives'])}")
    for name in ("all", "development", "heldout"):
        r = out[name]
        print(f"[{name:11}] macro F1 {r['macro_f1']:.3f} (target >= 0.90); good answers with zero findings "
              f"{r['good_with_zero_findings']}/{r['good_answers']} = {r['good_clean_rate']:.1%} (target >= 90%)")
    p = result["probes"]
    print(f"probe phrasings in their finding's family: {p['phrasings_in_family']}/{p['phrasings']}")
    for line in p["phrasing_mismatches"]:
        print(f"  mismatch: {line}")
    print(f"policy probes the top expected gap's family: {p['policy_right_family']}/{p['policy_cases']} = {p['policy_rate']:.1%}")
    for line in p["policy_mismatches"]:
        print(f"  {line}")
    return 0
