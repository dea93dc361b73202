"""Scoring helpers of `eval delivery`, and one quick run of the real evaluation through the CLI."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from simulator.evaluation.delivery import PRF, edit_distance, match_timed, normalize_for_cer


def test_prf():
    p = PRF(8, 2, 1)
    assert (p.precision, round(p.recall, 3), round(p.f1, 3)) == (0.8, 0.889, 0.842)
    assert PRF().f1 == 1.0  # nothing to find and nothing found is perfect, not a division by zero


def test_timed_matching_is_one_to_one_by_family_and_window():
    truth = [{"form": "えーと", "window_s": [1.0, 1.5]}, {"form": "あのー", "window_s": [3.0, 6.0]}]
    by_form: dict = {}
    r = match_timed(truth, [("えーと", 1.1), ("えーと", 1.2), ("あの", 4.0), ("まあ", 9.0)], by_form)
    assert (r.tp, r.fp, r.fn) == (2, 2, 0)  # あの folds into あのー; the second えーと is a double count
    assert by_form["えーと"].fp == 1 and by_form["まあ"].fp == 1


def test_cer_normalisation_and_distance():
    assert normalize_for_cer("「やっぱり、お化け。」 ＡＢ") == "やっぱりお化けab"
    assert edit_distance("kitten", "sitting") == 3


@pytest.mark.slow
def test_quick_eval_meets_the_targets_on_a_subset(model_dir):
    r = run_cli("eval", "delivery", "--quick", "--json", "--model", str(model_dir))
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    audio = d["audio"]["tuned"]
    assert d["text"]["tuned"]["fillers"]["f1"] >= 0.95
    assert audio["long_pauses"]["precision"] >= 0.95 and audio["long_pauses"]["recall"] >= 0.95
    assert audio["latency_error"]["max_abs_s"] <= 0.3
    assert audio["answer_length_error"]["max_abs_s"] <= 0.3
    assert audio["fillers"]["precision"] >= 0.9
    assert audio["fillers"]["f1"] > d["audio"]["baseline"]["fillers"]["f1"]
    # The real clips live in ../shared, which a fresh clone may not have: the rest is still checked.
    if "skipped" not in d["real"]:
        assert d["real"]["tuned"]["cer"] is not None
