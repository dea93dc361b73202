"""Review order: the pure rule, its use on saved sessions, and `run --review` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from session_factory import SAMPLES, turn, write_session
from simulator.report.review import MASTERED_STREAK, Attempt, attempt_score, review_order, review_plan
from tests.conftest import run_cli


def ids(items):
    return [it.question_id for it in items]


def test_most_serious_findings_come_first():
    attempts = [
        Attempt("achievement", 0, ("no_numbers",)),  # 2
        Attempt("motivation", 0, ("generic_motivation", "too_short")),  # 3 + 2
        Attempt("values", 0, ("hesitant_start",)),  # 1
        Attempt("self_intro", 0, ()),  # clean: never reviewed
        Attempt("reverse", 0, ("no_questions",)),  # 3
    ]
    items = review_order(attempts, sessions_count=1)
    assert ids(items) == ["motivation", "reverse", "achievement", "values"]
    assert items[0].need == 5 and items[0].findings == ("generic_motivation", "too_short")


def test_a_finding_counts_once_per_attempt():
    # the same gap in the main answer and in the probe answer is one problem, not two
    assert attempt_score(("abstract", "abstract")) == attempt_score(("abstract",)) == 2


def test_spacing_doubles_after_each_clean_attempt_and_stops_when_mastered():
    bad = Attempt("achievement", 0, ("abstract",))
    # clean once (session 1): due again after 2 sessions, i.e. not in session 2, but in session 3
    hist = [bad, Attempt("achievement", 1, ())]
    assert review_order(hist, sessions_count=2) == []
    plan = review_plan(hist, sessions_count=2)
    assert plan[0].streak == 1 and plan[0].due_in_sessions == 1 and plan[0].need == 1.0
    assert ids(review_order(hist, sessions_count=3)) == ["achievement"]
    # clean twice (sessions 1 and 3): interval 4 sessions from session 3
    hist.append(Attempt("achievement", 3, ()))
    assert review_order(hist, sessions_count=6) == []
    assert ids(review_order(hist, sessions_count=7)) == ["achievement"]
    # clean MASTERED_STREAK times: out of the review for good
    hist += [Attempt("achievement", 7 + k, ()) for k in range(MASTERED_STREAK - 2)]
    assert review_plan(hist, sessions_count=20) == []


def test_a_relapse_resets_the_spacing():
    hist = [Attempt("q", 0, ("blame",)), Attempt("q", 1, ()), Attempt("q", 2, ("no_numbers",))]
    (item,) = review_order(hist, sessions_count=3)
    assert item.streak == 0 and item.findings == ("no_numbers",) and item.bad_attempts == 2


def test_ties_follow_persistence_then_age_then_set_order():
    attempts = [
        Attempt("b", 0, ("abstract",)),
        Attempt("b", 2, ("abstract",)),  # bad twice
        Attempt("a", 2, ("no_numbers",)),  # same need, bad once
        Attempt("c", 1, ("no_process",)),  # same need, bad once, asked longer ago
        Attempt("d", 2, ("too_short",)),
    ]
    assert ids(review_order(attempts, 3, order=["d", "a", "b", "c"])) == ["b", "c", "d", "a"]
    assert ids(review_order(attempts, 3, order=["d", "a", "b", "c"], limit=2)) == ["b", "c"]


def test_order_does_not_depend_on_input_order():
    attempts = [Attempt(q, s, f) for q, s, f in [("x", 0, ("blame",)), ("y", 1, ("abstract",)), ("z", 1, ("blame",)), ("x", 1, ())]]
    assert ids(review_order(attempts, 2)) == ids(review_order(list(reversed(attempts)), 2))


def _history(home):
    root = home / "sessions"
    write_session(
        root,
        "s1",
        "2026-01-01T10:00:00+09:00",
        [
            turn(1, "self_intro", "自己紹介をお願いします。", category="self_introduction"),
            turn(2, "achievement", "成果を教えてください。", [("abstract", "頑張りました")]),
            turn(3, "achievement", "具体的には？", [("no_numbers", "no figure")], kind="probe", probe_finding=("abstract", "頑張りました")),
            turn(4, "motivation", "なぜ当社ですか。", [("generic_motivation", "成長できる環境")], category="motivation"),
        ],
    )
    write_session(
        root,
        "s2",
        "2026-01-08T10:00:00+09:00",
        [turn(1, "motivation", "なぜ当社ですか。", [], category="motivation")],
    )
    return root


def test_review_question_set_from_saved_sessions(mensetsu_home):
    from simulator.interview.question_sets import load_question_set
    from simulator.report.history import review_question_set

    _history(mensetsu_home)
    qset = load_question_set("core")
    review, items = review_question_set(qset)
    # achievement: abstract + no_numbers (4) in s1, due; motivation: clean in s2 (streak 1), not due
    assert [q.id for q in review.questions] == ["achievement"]
    assert review.id == "core" and "復習" in review.title
    assert items[0].findings == ("abstract", "no_numbers")
    assert review.questions[0].probes == qset.question("achievement").probes


def test_nothing_to_review_says_so(mensetsu_home):
    r = run_cli("run", "--review", "--voice", "none", env={"MENSETSU_HOME": str(mensetsu_home)})
    assert r.returncode == 0, r.stderr
    assert "復習が必要な質問はまだありません" in r.stdout
    assert not any((mensetsu_home / "sessions").glob("*/meta.json"))  # no empty session was created


@pytest.mark.slow
def test_run_review_asks_the_needed_questions_in_order(mensetsu_home, model_dir):
    """Headless review with the real model: the questions asked are the due ones, most needed first."""
    root = _history(mensetsu_home)
    write_session(
        root,
        "s3",
        "2026-01-15T10:00:00+09:00",
        [turn(1, "values", "大切にしていることは？", [("too_short", "3 s"), ("abstract", "一生懸命")], category="values")],
    )
    env = {"MENSETSU_HOME": str(mensetsu_home)}
    # spare answers, so a probe on the first question still leaves one for the second
    answers = [str(SAMPLES / n) for n in ("03_achievement_specific.wav",) + ("05_motivation_specific.wav",) * 4]
    r = run_cli("run", "--review", "--voice", "none", "--model", str(model_dir), "--max-probes", "1", "--json", "--answers", *answers, env=env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    turns = [json.loads(line) for line in (Path(out["session"]) / "turns.jsonl").read_text(encoding="utf-8").splitlines()]
    asked = [t["prompt"]["question_id"] for t in turns if t["prompt"]["kind"] == "question"]
    # values (too_short + abstract = 4, last asked in s3) ties achievement (4, s1): achievement was
    # asked longer ago. motivation (3, then clean in s2) is due again two sessions later, at need 3/2.
    assert asked == ["achievement", "values", "motivation"]
    assert turns[0]["analysis"]["transcript"]  # the real model transcribed the answer
