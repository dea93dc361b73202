"""`eval findings-audio`: the findings end to end on synthesized held-out answers (bench/findings/audio/)."""

from __future__ import annotations

import pytest

from simulator.analysis.catalogue import RED_FLAGS
from simulator.evaluation import findings_audio as fa


def test_manifest_clips_exist_and_are_labelled():
    items = fa.load_items()
    assert len(items) >= 30
    assert all(i.path.is_file() for i in items)
    assert all("not_japanese" not in i.label.expected for i in items)
    for fid in RED_FLAGS:
        assert sum(fid in i.label.expected for i in items) >= 3, fid
    assert sum(not i.label.expected for i in items) >= 10
    assert len({i.voice for i in items}) >= 3


def test_eval_offers_findings_audio():
    from simulator.cli import build_parser

    args = build_parser().parse_args(["eval", "findings-audio", "--json", "--quick"])
    assert args.what == "findings-audio" and args.json and args.quick


@pytest.mark.slow
def test_three_clips_get_scores_and_a_transcript_each(whisper):
    items = fa.load_items(quick=True)
    assert len(items) == 3
    before = (whisper.vocabulary, whisper.options)
    r = fa.evaluate(whisper, items)
    assert r["answers"] == 3
    for side in ("text", "audio"):
        assert 0.0 <= r[side]["f1"] <= 1.0
        assert set(RED_FLAGS) <= set(r[side]["red_flags"])
    assert r["difference"] == pytest.approx(r["audio"]["f1"] - r["text"]["f1"], abs=0.002)
    assert [row["id"] for row in r["items"]] == [i.id for i in items]
    for row in r["items"]:
        assert row["transcript"].strip()
        assert row["answer_s"] > 0
    assert fa.format_report(r).count("F1") >= 2
    # The shared transcriber is left as it was (the per-item vocabulary is undone).
    assert (whisper.vocabulary, whisper.options) == before
