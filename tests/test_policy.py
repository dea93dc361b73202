"""The probe policy: deterministic, never repeats a probe, respects depth and time, quotes, round one, reverse."""

from __future__ import annotations

from simulator.analysis.catalogue import family_matches
from simulator.interview.company import parse_company
from simulator.interview.policy import (
    FINDING_PRIORITY, PROBE_FAMILY, Exchange, PolicyOptions, Prompt, next_prompt, plan,
)
from simulator.interview.question_sets import load_question_set
from simulator.interview.round_one import parse_round_one

CORE = load_question_set("core")


def answer(history, prompt, findings=(), answer_s=40.0, text="（回答）"):
    history.append(Exchange(prompt, tuple(findings), answer_s, text))
    return history


def first(opts=PolicyOptions()):
    return next_prompt(CORE, [], opts)


def test_first_prompt_is_the_first_question():
    p = first()
    assert p.kind == "question" and p.question_id == "self_intro" and p.reason["why"]


def test_gap_leads_to_probe_with_reason_and_family():
    h = answer([], first())
    q = next_prompt(CORE, h)
    assert q.question_id == "achievement"
    answer(h, q, [("no_numbers", "数字・規模の言及なし"), ("abstract", "「一生懸命頑張りました」")])
    p = next_prompt(CORE, h)
    assert p.kind == "probe" and p.reason["finding"] == "abstract"  # abstract outranks no_numbers
    assert p.reason["evidence"] == "「一生懸命頑張りました」" and p.reason["family"] == "specifics"
    assert "「一生懸命頑張りました」" in p.text  # the candidate's own words are quoted


def test_deterministic_for_a_seed_and_varied_across_seeds():
    def probe_text(seed):
        h = answer([], first())
        q = next_prompt(CORE, h, PolicyOptions(seed=seed))
        answer(h, q, [("no_numbers", "数字・規模の言及なし")])
        return next_prompt(CORE, h, PolicyOptions(seed=seed)).text

    assert probe_text(3) == probe_text(3)
    assert len({probe_text(s) for s in range(12)}) >= 2


def test_depth_limit_and_no_repeated_probe():
    h = answer([], first())
    q = next_prompt(CORE, h)
    gaps = [("no_numbers", "数字・規模の言及なし"), ("no_process", "行動の説明なし")]
    answer(h, q, gaps)
    p1 = next_prompt(CORE, h)
    answer(h, p1, gaps)
    p2 = next_prompt(CORE, h)
    assert p2.kind == "probe" and p2.reason["finding"] != p1.reason["finding"]
    answer(h, p2, gaps)
    # Full mode: an experience question is dug down the ladder after its gaps, four probes deep.
    p3 = next_prompt(CORE, h)
    assert p3.kind == "probe" and p3.reason["family"].startswith("deeper:")
    answer(h, p3, [])
    p4 = next_prompt(CORE, h)
    assert p4.kind == "probe" and p4.reason["family"].startswith("deeper:") and p4.reason["probe"] != p3.reason["probe"]
    answer(h, p4, [])
    assert next_prompt(CORE, h).kind == "question"
    texts = [x.prompt.text for x in h]
    assert len(texts) == len(set(texts))


def test_same_finding_on_later_questions_never_repeats_a_phrasing():
    h = answer([], first())
    seen = []
    for _ in range(12):
        p = next_prompt(CORE, h, PolicyOptions(max_probes_per_question=1))
        if p is None:
            break
        seen.append(p.text)
        answer(h, p, [("too_short", "3.0秒")])
    assert len(seen) == len(set(seen))


def test_short_mode_plan_and_one_probe():
    qs = plan(CORE, PolicyOptions(mode="short"))
    assert [q.category for q in qs] == ["self_introduction", "experience", "motivation", "values", "reason_for_leaving", "reverse"]
    assert len(plan(CORE)) == len(CORE.questions)
    h = answer([], first(PolicyOptions(mode="short")))
    q = next_prompt(CORE, h, PolicyOptions(mode="short"))
    answer(h, q, [("abstract", "「頑張りました」"), ("no_numbers", "x")])
    p = next_prompt(CORE, h, PolicyOptions(mode="short"))
    answer(h, p, [("no_numbers", "x")])
    p2 = next_prompt(CORE, h, PolicyOptions(mode="short"))  # an episode gets two probes in the short mode
    assert p2.kind == "probe" and p2.reason["finding"] == "no_numbers"
    answer(h, p2, [])
    assert next_prompt(CORE, h, PolicyOptions(mode="short")).kind == "question"


def test_time_budget_moves_to_reverse_questions():
    opts = PolicyOptions(budget_s=10 * 60)
    h = answer([], first(opts), answer_s=400.0)  # a 400 s self-introduction eats the budget
    p = next_prompt(CORE, h, opts)
    assert p.category == "reverse" and "time budget" in p.reason["why"]


def test_reverse_reaction_then_end():
    h = []
    opts = PolicyOptions(max_questions=1)
    answer(h, first(opts))
    rev = next_prompt(CORE, h, opts)
    assert rev.category == "reverse"
    answer(h, rev, [("no_questions", "「いえ、特にありません」")], 2.0)
    reaction = next_prompt(CORE, h, opts)
    assert reaction.kind == "probe" and reaction.reason["finding"] == "no_questions"
    answer(h, reaction, [("no_questions", "「特にありません」")], 2.0)
    assert next_prompt(CORE, h, opts) is None


def test_why_us_names_a_competitor_from_the_company_profile():
    company = parse_company({"name": "ミライ会計", "competitors": ["クラウドブックス"]})
    opts = PolicyOptions(company=company)
    mot = Prompt("question", "motivation", "motivation", CORE.question("motivation").text)
    p = next_prompt(CORE, [Exchange(mot, (("generic_motivation", "「成長できる」"),), 20.0)], opts)
    assert p.reason["finding"] == "generic_motivation" and "クラウドブックス" in p.text


def test_round_one_questions_come_back_deeper_stalled_first():
    r1 = parse_round_one({"questions": [
        {"text": "これまでのお仕事で、一番大きな成果を教えてください。"},
        {"text": "当社を志望した理由を教えてください。", "stalled": True},
    ]})
    opts = PolicyOptions(round_one=r1)
    qs = plan(CORE, opts)
    assert [q.id for q in qs[:3]] == ["self_intro", "round1_1", "round1_2"]
    assert qs[1].category == "motivation" and "答えにくそう" in qs[1].text
    assert "achievement" not in [q.id for q in qs]  # replaced by its round-one version
    h = answer([], first(opts))
    q = next_prompt(CORE, h, opts)
    assert q.question_id == "round1_1" and q.reason.get("source") == "round_one"
    answer(h, q, [])  # a clean answer still gets a deeper probe
    p = next_prompt(CORE, h, opts)
    assert p.kind == "probe" and p.reason["probe"] == "deeper"


def test_every_probeable_finding_has_a_family_and_default_phrasings_match_it():
    for f in FINDING_PRIORITY:
        family = PROBE_FAMILY[f]
        for text in CORE.default_probes.get(f, ()):
            assert family_matches(f, text), (f, text)
        if family == "reask":
            assert CORE.extra("reask", f), f
        elif family:
            assert CORE.default_probes.get(f), f
