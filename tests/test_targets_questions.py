"""Questions from the candidate's own documents: the shipped example target, through the real policy.

A full interview on the example asks at least six prompts grounded in its résumé, posting and
company notes, and every span it quotes is word for word in the document it names.
"""

from __future__ import annotations

import argparse
import re

import pytest

from simulator.analysis.answer import AnalysisOptions
from simulator.interview.policy import Exchange, PolicyOptions, next_prompt, plan
from simulator.interview.question_sets import load_question_set
from simulator.targets.options import with_target
from simulator.targets.questions import grounded_questions, grounding_for
from simulator.targets.store import load_target

DOCUMENTS = ("resume", "posting", "company_notes")
MOTIVATION = "全国の税理士事務所との連携に魅力を感じ、御社を志望しました。"
KNOWN_REVERSE = "中期経営計画で重点にされている分野を教えてください。"
GOOD_REVERSE = "配属先のチームで、最初の三か月に期待されることは何でしょうか。"
NO_MORE = "ありがとうございます。ほかは大丈夫です。"


def _options(mode: str = "full", **extra):
    args = argparse.Namespace(target="example", review=False, mode=mode, **extra)
    return with_target(args, PolicyOptions(mode=mode), AnalysisOptions())


def _interview(mode: str = "full", reverse=(KNOWN_REVERSE, GOOD_REVERSE, NO_MORE)) -> list:
    """The policy's whole interview on the core set with the example target; plain one-minute answers."""
    policy, _ = _options(mode)
    qset = load_question_set("core")
    history: list[Exchange] = []
    reverse_turns = 0
    while (prompt := next_prompt(qset, history, policy)) is not None:
        assert len(history) < 80
        if prompt.category == "reverse":
            text = reverse[min(reverse_turns, len(reverse) - 1)]
            reverse_turns += 1
        elif prompt.category == "motivation":
            text = MOTIVATION
        else:
            text = "はい。新規開拓で、訪問の順番を変えて売上を伸ばしました。"
        history.append(Exchange(prompt, (), 60.0, text))
    return [h.prompt for h in history]


def _quoted(text: str) -> list[str]:
    return re.findall(r"『([^』]+)』", text)


def test_a_full_interview_asks_at_least_six_prompts_grounded_in_the_documents():
    prompts = _interview()
    grounded = [p for p in prompts if p.reason.get("document") in DOCUMENTS]
    assert len(grounded) >= 6, [p.text for p in prompts]
    kinds = {p.question_id.split("_")[1] for p in grounded if p.question_id.startswith("doc_")}
    assert {"resume", "skill", "situation"} <= kinds
    assert sum(1 for p in grounded if p.kind == "question") >= 6
    probes = {p.reason.get("probe") for p in prompts}
    assert {"competitor_shared", "reverse_known", "round_one_doubt"} <= probes
    # The motivation questions are still asked: the documents do not crowd them out of the budget.
    assert any(p.category == "motivation" and p.kind == "question" for p in prompts)


def test_every_quoted_span_is_word_for_word_in_its_source():
    target = load_target("example")
    prompts = _interview()
    checked = 0
    for p in prompts:
        document = p.reason.get("document")
        if document is None:
            continue
        source = target.texts[document]
        assert p.reason["quote"] in source, (p.text, document)
        for span in _quoted(p.text):
            assert span in source, (span, document)
            checked += 1
    assert checked >= 7


def test_resume_lines_become_deep_dives_in_the_issue_s_form():
    questions = [g.question.text for g in grounded_questions(load_target("example")) if g.kind == "resume"]
    assert questions[0] == "職務経歴書に『新規開拓で年間売上を1.2億円から1.8億円に拡大』とありますが、どのように達成されたのですか。"
    assert len(questions) == 3
    skills = [g.question.text for g in grounded_questions(load_target("example")) if g.kind == "skill"]
    assert skills[0] == "このポジションでは『法人営業の経験（3年以上）』が必須ですが、近い経験を教えてください。"


def test_the_plan_puts_round_one_first_weakest_first_then_the_documents():
    policy, _ = _options()
    ids = [q.id for q in plan(load_question_set("core"), policy)]
    assert ids[:4] == ["self_intro", "round1_1", "round1_2", "round1_3"]
    assert ids[4:10] == ["doc_resume_1", "doc_resume_2", "doc_resume_3", "doc_skill_1", "doc_skill_2", "doc_situation_1"]
    assert "achievement" not in ids  # the résumé's deep-dives replace 「一番大きな成果」
    assert ids.index("motivation") > ids.index("doc_situation_1")
    first = load_question_set("core")
    text = {q.id: q.text for q in plan(first, policy)}
    assert "これまでの一番の成果" in text["round1_1"] and "答えにくそう" in text["round1_1"]  # went badly: first


def test_the_short_mode_keeps_one_of_each():
    policy, _ = _options("short")
    ids = [q.id for q in plan(load_question_set("core"), policy)]
    assert "doc_resume_1" in ids and "doc_skill_1" in ids
    assert "doc_resume_2" not in ids and not any(i.startswith("doc_situation") for i in ids)


def test_probe_caps_keep_document_questions_short():
    policy, _ = _options()
    assert policy.probes_by_question["doc_resume_1"] == 2
    assert policy.probes_by_question["doc_skill_1"] == 1


def test_a_target_gives_the_company_profile_and_round_one():
    policy, analysis = _options()
    assert policy.company.name == "株式会社ミライ会計"
    assert policy.company.competitors == ("クラウドブックス", "会計ワン")
    assert analysis.content.company is policy.company
    assert len(policy.round_one.questions) == 3
    # A company profile file given on the command line still wins.
    from simulator.interview.company import CompanyProfile

    own = CompanyProfile("他社", business=("x",))
    args = argparse.Namespace(target="example", review=False, mode="full")
    policy2, analysis2 = with_target(args, PolicyOptions(company=own), AnalysisOptions())
    assert policy2.company is own


def _grounding():
    return grounding_for(load_target("example"))


def _question(category="motivation", qid="motivation"):
    from simulator.interview.question_sets import Question

    return Question(qid, category, "なぜ当社なのですか。")


def test_praising_what_a_competitor_also_has_is_probed():
    g = _grounding()
    text, reason = g.probe(_question(), MOTIVATION, set(), set())
    assert text.startswith("それはクラウドブックスにもありますが、")
    assert "税理士事務所との連携" in text  # the candidate's own words
    assert reason["probe"] == "competitor_shared"
    # Naming the competitor already compares: no probe; nor once asked on the question.
    assert g.probe(_question(), "クラウドブックスも税理士事務所との連携がありますが、御社は1,200の事務所と組んでいます。", set(), set()) is None
    assert g.probe(_question(), MOTIVATION, {"competitor_shared"}, set()) is None
    # A distinctive fact is no reason to probe.
    assert g.probe(_question(), "バックオフィス一体型プランで中堅企業の経理を支えたいからです。", set(), set()) is None


def test_a_round_one_doubt_is_the_first_follow_up():
    g = _grounding()
    text, reason = g.probe(_question("experience", "round1_1"), "はい。", set(), set())
    assert "『成果がチームの力なのか、本人の力なのか』" in text
    assert reason["probe"] == "round_one_doubt"
    assert g.probe(_question("experience", "round1_1"), "はい。", {"round_one_doubt"}, set()) is None
    assert g.probe(_question("reason_for_leaving", "round1_3"), "はい。", set(), set()) is None  # no doubt noted


@pytest.mark.parametrize("question,known", [
    (KNOWN_REVERSE, True),
    ("解約率はどのくらいですか。", True),
    (GOOD_REVERSE, False),
    ("中期経営計画で中堅企業向けを重点にされていると拝見しましたが、最初の一年で私に期待される役割は何でしょうか。", False),
])
def test_a_reverse_question_the_research_answers_is_pointed_out(question, known):
    g = _grounding()
    got = g.reverse(question, set(), set())
    assert (got is not None) == known, got
    if got:
        assert got[1]["quote"] in load_target("example").texts["company_notes"]
        assert "さらに知りたいこと" in got[0]


def test_without_a_target_nothing_changes():
    args = argparse.Namespace(target=None, review=False, mode="full")
    policy, analysis = with_target(args, PolicyOptions(), AnalysisOptions())
    assert policy == PolicyOptions() and analysis == AnalysisOptions()
    assert [q.id for q in plan(load_question_set("core"), policy)][:2] == ["self_intro", "achievement"]


def test_an_answer_script_names_the_document_questions_it_answers(tmp_path):
    from simulator.interview.script import load_script, script_question_set

    script = tmp_path / "script.toml"
    script.write_text('[[answer]]\nquestion = "self_intro"\nfile = "a.wav"\n'
                      '[[answer]]\nquestion = "doc_resume_1"\nfile = "b.wav"\n'
                      '[[answer]]\nquestion = "reverse"\nfile = "c.wav"\n', encoding="utf-8")
    for name in ("a.wav", "b.wav", "c.wav"):
        (tmp_path / name).write_bytes(b"")
    policy, _ = _options()
    qset, policy = script_question_set(load_script(script), load_question_set("core"), policy)
    assert [q.id for q in plan(qset, policy)] == ["self_intro", "doc_resume_1", "reverse"]
    first = next_prompt(qset, [Exchange(next_prompt(qset, [], policy), (), 60.0, "はい。")], policy)
    assert first.question_id == "doc_resume_1" and first.reason["document"] == "resume"
