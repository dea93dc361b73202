"""The labelled set and its scoring script: size, coverage, and the targets of issue 4."""

from __future__ import annotations

import json

from simulator.analysis.content import FINDING_IDS
from simulator.evaluation.findings import BENCH, evaluate, load_bench
from tests.conftest import run_cli


def test_labelled_set_covers_every_finding_and_category():
    items = load_bench(BENCH) + load_bench(BENCH / "heldout")
    assert len(items) >= 80
    assert len({i.id for i in items}) == len(items)
    labelled = {f for i in items for f in i.expected}
    assert labelled == set(FINDING_IDS)
    assert {i.category for i in items} >= {"self_introduction", "experience", "motivation", "values",
                                            "reason_for_leaving", "management", "technical", "career_change", "reverse"}
    assert sum(1 for i in items if not i.expected) >= 30


def test_targets_met():
    out = evaluate()
    assert out["all"]["macro_f1"] >= 0.90
    assert out["all"]["good_clean_rate"] >= 0.90
    assert out["heldout"]["macro_f1"] >= 0.85  # written after the rules were frozen
    probes = out["all"]["probes"]
    assert probes["phrasing_mismatches"] == []
    assert probes["policy_rate"] >= 0.90


def test_eval_cli_json_quick():
    proc = run_cli("eval", "findings", "--json", "--quick")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"all", "development", "heldout"} and "macro_f1" in data["all"]
