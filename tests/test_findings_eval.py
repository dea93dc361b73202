"""The labelled sets and their scoring: size, coverage, and the issue's targets on the held-out part."""

from __future__ import annotations

import json

from simulator.analysis.catalogue import CATEGORIES, FAMILIES, FINDING_IDS
from simulator.evaluation.findings import BENCH, evaluate, load_bench
from tests.conftest import run_cli


def test_labelled_sets_cover_every_finding_and_category():
    dev, held = load_bench(BENCH), load_bench(BENCH / "heldout")
    items = dev + held
    assert len(dev) >= 300 and len(held) >= 100
    assert len({i.id for i in items}) == len(items)
    labelled = {f for i in items for f in i.expected}
    assert labelled == set(FINDING_IDS)
    assert {i.category for i in items} == set(CATEGORIES)
    assert sum(1 for i in items if not i.expected) >= 100
    for i in items:
        assert set(i.next) <= set(FAMILIES), i.id
        assert i.expected <= set(FINDING_IDS) and i.forbidden <= set(FINDING_IDS), i.id


def test_the_parse_based_rules_beat_the_baseline_on_the_held_out_part():
    out = evaluate(development=False)
    cur, base = out["current"]["heldout"], out["baseline"]["heldout"]
    assert cur["f1"] > base["f1"]
    assert cur["red_flags"]["pooled"]["recall"] > base["red_flags"]["pooled"]["recall"]
    assert cur["next"]["rate"] > base["next"]["rate"]


def test_eval_cli_json_quick():
    proc = run_cli("eval", "findings", "--json", "--quick")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert set(data) == {"current", "baseline", "files"}
    assert "dev_spoken3.toml" in data["files"] and "f1" in data["files"]["dev_spoken3.toml"]
    assert set(data["current"]) == {"all", "development", "heldout"} and "f1" in data["current"]["all"]
