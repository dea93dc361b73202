"""End to end with the real model: `run` on the bundled WAV answers probes what a hiring manager would.

A vague achievement answer is followed by a probe for specifics, a motivation answer with no
company detail by a "why us" probe, and 「特にありません」 at the end by the interviewer's reaction;
each saved turn says which finding caused its prompt.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import DATA, SAMPLES, run_cli

pytestmark = pytest.mark.slow


def test_run_probes_vague_generic_and_no_questions(model_dir, tmp_path):
    answers = [str(SAMPLES / f) for f in (
        "01_self_intro.wav", "02_achievement_vague.wav", "03_achievement_specific.wav",
        "04_motivation_generic.wav", "05_motivation_specific.wav", "06_reverse_none.wav",
    )]
    out = tmp_path / "session"
    proc = run_cli("run", "--set", str(DATA / "judgement" / "e2e_set.toml"), "--answers", *answers,
                   "--out", str(out), "--voice", "none", "--model", str(model_dir), "--max-probes", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    folder = json.loads(proc.stdout)["session"]
    from simulator.store.session_store import load_session

    turns = load_session(folder).turns
    prompts = [t["prompt"] for t in turns]
    summary = [(p["kind"], p["question_id"], p["reason"].get("finding")) for p in prompts]
    assert summary == [
        ("question", "self_intro", None),
        ("question", "achievement", None),
        ("probe", "achievement", "abstract"),
        ("question", "motivation", None),
        ("probe", "motivation", "generic_motivation"),
        ("question", "reverse", None),
    ], summary
    # The probe after the vague answer asks for specifics, and quotes or names its evidence.
    specifics = prompts[2]
    assert "具体" in specifics["text"]
    assert specifics["reason"]["evidence"]
    assert "abstract" in {f["id"] for f in turns[1]["analysis"]["findings"]}
    # The generic motivation gets a "why us" probe.
    assert "当社" in prompts[4]["text"]
    assert "generic_motivation" in {f["id"] for f in turns[3]["analysis"]["findings"]}
    # 「特にありません」 is found on the saved reverse turn (the reaction comes when a turn is left).
    assert "no_questions" in {f["id"] for f in turns[5]["analysis"]["findings"]}


def test_run_reacts_to_no_questions(model_dir, tmp_path):
    """With one more answer available, the interviewer reacts to 「特にありません」 with a probe."""
    answers = [str(SAMPLES / f) for f in ("05_motivation_specific.wav", "06_reverse_none.wav", "06_reverse_none.wav")]
    set_file = tmp_path / "mini.toml"
    set_file.write_text(
        'id = "mini"\ntitle = "t"\n[[questions]]\nid = "motivation"\ncategory = "motivation"\n'
        'text = "なぜ当社を志望されたのですか。"\n[[questions]]\nid = "reverse"\ncategory = "reverse"\n'
        'text = "最後に、何か質問はありますか。"\n', encoding="utf-8")
    proc = run_cli("run", "--set", str(set_file), "--answers", *answers, "--out", str(tmp_path / "s"),
                   "--voice", "none", "--model", str(model_dir), "--json")
    assert proc.returncode == 0, proc.stderr
    from simulator.store.session_store import load_session

    turns = load_session(json.loads(proc.stdout)["session"]).turns
    kinds = [(t["prompt"]["kind"], t["prompt"]["question_id"], t["prompt"]["reason"].get("finding")) for t in turns]
    assert kinds == [("question", "motivation", None), ("question", "reverse", None), ("probe", "reverse", "no_questions")], kinds
    reaction = turns[2]["prompt"]
    assert "特にありません" in reaction["reason"]["evidence"] or "特に" in reaction["reason"]["evidence"]
    assert "関心" in reaction["text"] or "質問" in reaction["text"]
