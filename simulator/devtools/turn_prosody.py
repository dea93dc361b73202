"""Does the voice tell a last sentence from a pause where more is coming? Measured on a labelled set.

For each hold (by kind) and each answer's end, the contour of the last 0.8 s of speech
(turntaking/prosody.py). Prints the medians and the AUC of "the answer's end falls more / has a
longer last voiced run" against each hold kind: 0.5 is chance; below it the holds fall more.

    .venv/bin/python -m simulator.devtools.turn_prosody [--set bench/turns]

Use it on the development set; bench/turns_heldout is for the final figure only.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from simulator.paths import PROJECT_ROOT
from simulator.turntaking.prosody import final_contour


def _auc(pos, neg) -> float:
    pos, neg = np.asarray(pos, float), np.asarray(neg, float)
    return float(np.mean([(p > n) + 0.5 * (p == n) for p in pos for n in neg]))


def measure(set_dir: Path) -> dict:
    from simulator.audio.decode import load_audio

    items = json.loads((set_dir / "labels.json").read_text(encoding="utf-8"))["items"]
    by_kind: dict[str, list] = {}
    for name, label in sorted(items.items()):
        x = load_audio(set_dir / name).samples
        ends = [(h["kind"], h["start_s"]) for h in label.get("holds", [])] + [("answer_end", label["answer_end_s"])]
        for kind, end_s in ends:
            c = final_contour(x[max(0, int((end_s - 0.8) * 16000)) : int(end_s * 16000)])
            if c is not None:
                by_kind.setdefault(kind, []).append(c)
    final = by_kind.get("answer_end", [])
    out = {}
    for kind, cs in sorted(by_kind.items()):
        row = {"n": len(cs), "slope_st": round(float(np.median([c.slope_st for c in cs])), 2),
               "drop_st": round(float(np.median([c.drop_st for c in cs])), 2),
               "last_voiced_s": round(float(np.median([c.last_voiced_s for c in cs])), 2)}
        if kind != "answer_end" and final:
            row["auc_end_falls_more"] = round(_auc([-c.slope_st for c in final], [-c.slope_st for c in cs]), 2)
            row["auc_end_longer"] = round(_auc([c.last_voiced_s for c in final], [c.last_voiced_s for c in cs]), 2)
        out[kind] = row
    return out


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--set", default=str(PROJECT_ROOT / "bench" / "turns"))
    args = p.parse_args(argv)
    for kind, row in measure(Path(args.set)).items():
        print(f"{kind:15s} " + "  ".join(f"{k} {v}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
