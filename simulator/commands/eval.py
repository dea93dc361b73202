"""`eval delivery|findings|findings-audio`: score the analysis against the labelled sets kept in bench/."""

from __future__ import annotations

import importlib

from simulator.commands.common import add_model_option


def register(sub) -> None:
    p = sub.add_parser("eval", help="score the analysis against the labelled sets (see docs/metrics.md)")
    p.add_argument("what", choices=("delivery", "findings", "findings-audio"),
                   help="delivery: fillers/pauses/timing/CER; findings: content findings and probes; "
                   "findings-audio: the findings end to end on synthesized held-out answers, against the text")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument("--quick", action="store_true", help="a small subset (for tests)")
    add_model_option(p)
    p.set_defaults(handler=run)


def run(args) -> int:
    module = importlib.import_module(f"simulator.evaluation.{args.what.replace('-', '_')}")
    return module.main(args)
