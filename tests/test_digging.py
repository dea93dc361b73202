"""Digging like a hiring manager: claims named cleanly, re-asking, contradictions, the reverse stage, analyze --text."""

from __future__ import annotations

import json

from simulator.analysis import reading
from simulator.analysis.content import judge
from simulator.analysis.topic import question_category
from simulator.interview.company import parse_company
from simulator.interview.policy import Exchange, PolicyOptions, Prompt, move_family, next_after_answer, next_prompt
from simulator.interview.question_sets import load_question_set
from tests.conftest import run_cli

CORE = load_question_set("core")


def test_the_claim_is_named_as_a_clean_honorific_clause():
    cases = {
        "失注した商談を二十件分析して、提案書のひな形を作り直しました。": "失注した商談を二十件分析された",
        "まず全店の在庫データを集めて、発注の基準を見直しました。": "全店の在庫データを集められた",
        "新人向けの手順書を作りました。": "新人向けの手順書を作られた",
    }
    for text, claim in cases.items():
        assert reading.read(text).claim == claim, text


def test_a_clean_experience_answer_is_dug_with_its_own_claim():
    text = "はい、失注した商談を二十件分析して、提案書のひな形を作り直しました。その結果、受注率が15%から24%に上がりました。"
    nxt = next_after_answer("これまでのお仕事で、一番大きな成果を教えてください。", "experience", text, [], claim=reading.read(text).claim)
    assert move_family(nxt) == "deeper:method"
    assert nxt.text.startswith("失注した商談を二十件分析された件ですが")


def test_an_off_question_answer_is_asked_again_once_with_the_reason():
    q = next(q for q in CORE.questions if q.id == "failure")
    first = Prompt("question", q.id, q.category, q.text, {"why": "x"})
    off = (("off_question", "失敗を聞かれて、うまくいった話をしている"),)
    history = [Exchange(first, off, 60.0, "（成功談）")]
    reask = next_prompt(CORE, history)
    assert reask.kind == "probe" and reask.reason["family"] == "reask" and reask.reason["finding"] == "off_question"
    assert q.text in reask.text
    history.append(Exchange(reask, off, 60.0, "（また成功談）"))
    again = next_prompt(CORE, history)
    assert again is None or again.reason.get("family") != "reask"  # once only


def test_a_contradiction_between_reason_and_plan_is_probed():
    by_id = {q.id: q for q in CORE.questions}
    leave, plan = by_id["reason_leaving"], by_id["after_joining"]
    history = [
        Exchange(Prompt("question", leave.id, leave.category, leave.text, {}), (), 60.0, "今の会社では裁量がなく、自分で決められないのが理由です。"),
        Exchange(Prompt("question", plan.id, plan.category, plan.text, {}), (), 60.0, "入社後は、まず指示通りに着実に仕事を覚えたいと思っています。"),
    ]
    p = next_prompt(CORE, history)
    assert p.kind == "probe" and p.reason["probe"] == "contradiction"
    assert "裁量" in p.text and "指示通り" in p.text


def test_the_reverse_stage_answers_from_the_profile_then_closes():
    company = parse_company({"name": "ミライ会計", "policies": ["地方の中小企業のDX支援を重点に掲げている"], "competitors": ["会計ワン"]})
    q = next(q for q in CORE.questions if q.category == "reverse")
    opts = PolicyOptions(company=company)
    ask = Prompt("question", q.id, q.category, q.text, {})
    history = [Exchange(ask, (), 40.0, "地方の中小企業の支援で、最初の半年に一番求められるのは何でしょうか。")]
    reaction = next_prompt(CORE, history, opts)
    assert reaction.reason["family"] == "reverse_reaction" and "地方の中小企業" in reaction.text and "ほかに" in reaction.text
    assert reaction.reason["judgement"]
    history.append(Exchange(reaction, (("no_questions", "「大丈夫です」"),), 5.0, "大丈夫です。"))
    assert next_prompt(CORE, history, opts) is None


def test_conditions_are_redirected_and_work_questions_with_condition_words_are_not():
    found = lambda text: {f.id for f in judge(text, "reverse", 20.0, 1.0, 0.0).findings}  # noqa: E731
    assert found("残業は月にどのくらいありますか。") == {"conditions_question"}
    assert found("夜間や休日に障害が起きたとき、原因の振り返りはどのように進めていますか。") == set()
    assert found("在宅向けの通販を強化されていますが、最初の半年で一番結果を求められるのはどの部分でしょうか。") == set()
    assert found("もう十分理解できましたので、大丈夫です。") == {"no_questions"}


def test_the_question_decides_the_category():
    assert question_category("これまでのお仕事で、一番大きな成果を教えてください。") == "experience"
    assert question_category("数ある会社の中で、なぜ当社を志望されたのですか。") == "motivation"
    assert question_category("入社はいつ頃から可能ですか。") == "logistics"
    assert question_category("他社の選考状況はいかがですか。") == "commitment"
    assert question_category("部下の育成で気をつけていることは？") == "management"


def test_not_japanese_is_found():
    assert {f.id for f in judge("I led a team of five and cut costs by 20 percent.", "experience", 20, 1, 0).findings} == {"not_japanese"}


def test_analyze_text_prints_category_and_next():
    proc = run_cli("analyze", "--text", "とにかく必死で、色々と工夫しながらお客様のところに足しげく通いました。",
                   "--question", "これまでのお仕事で、一番大きな成果を教えてください。", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["category"] == "experience" and data["answer_s_estimated"] is True
    assert "abstract" in {f["id"] for f in data["findings"]}
    assert data["next"]["family"] == "specifics" and data["next"]["text"] and data["next"]["reason"]["finding"] == "abstract"


def test_analyze_needs_exactly_one_answer():
    assert run_cli("analyze").returncode == 2
    assert run_cli("analyze", "--text", "x", "--category", "nonsense").returncode == 2


def test_a_missing_nlp_model_is_one_clear_message(monkeypatch):
    import spacy

    import pytest
    from simulator.analysis.language import _Model
    from simulator.errors import ModelError

    def missing(*args, **kwargs):
        raise OSError("[E050] Can't find model 'ja_ginza'")

    monkeypatch.setattr(spacy, "load", missing)
    with pytest.raises(ModelError, match="GiNZA"):
        _Model().load()


def test_an_answer_about_another_subject_is_off_question_and_the_subject_asked_is_not():
    """Off-question by content, whatever the opening: a plan for a question about the past, a strength
    for the weakness question, achievements for why-leaving, a plan with no company for why-us."""
    from simulator.analysis.topic import off_question

    cases = [  # (question, category, answer, off?)
        ("仕事で一番苦労したことを教えてください。", "experience",
         "そうですね、これからは海外の案件にも関わって、三年後には現地のチームを任されるようになりたいと思っています。", True),
        ("仕事で一番苦労したことを教えてください。", "experience",
         "去年、取引先が倒産して売掛金が回収できなくなったときです。すぐに与信の基準を見直しました。今後は同じことが起きないようにしたいです。", False),
        ("あなたの短所を教えてください。", "values",
         "周りからは粘り強いとよく言われます。最後まで諦めずに仕事を仕上げるところは自信があります。", True),
        ("あなたの短所を教えてください。", "values",
         "よく粘り強いと言われますが、裏返すと一つの仕事にこだわりすぎて、ほかの仕事が後回しになりがちなところです。", False),
        ("なぜ今の会社を辞めようと思ったのですか。", "reason_for_leaving",
         "今の会社では店長として三店舗を担当して、どの店も売上目標を達成してきました。昨年は社長賞もいただきました。", True),
        ("なぜ今の会社を辞めようと思ったのですか。", "reason_for_leaving",
         "店長として目標は達成してきましたが、本部の方針で店ごとの工夫ができなくなり、もっと裁量のある環境で働きたいと思ったからです。", False),
        ("なぜ当社を志望されたのですか。", "motivation",
         "ゆくゆくは商品の企画にも関わって、五年後には自分のブランドを持てるようになりたいと考えています。", True),
        ("なぜ当社を志望されたのですか。", "motivation",
         "御社の業務用の冷凍食品は外食向けで強いので、飲食店を回ってきた私の経験が生かせると考えて志望しました。", False),
    ]
    for question, category, text, off in cases:
        got = off_question(question, category, reading.read(text))
        assert bool(got) == off, (text, got)


def test_quoted_words_and_what_one_can_change_are_not_blame():
    """Someone else's words quoted are not the speaker's accusation; 「自分で変えられる」 is potential,
    not an act done to the speaker. The same predicates stated as faults still are."""
    not_faults = [
        "お客様から「なんで遅れるの」って言われることが多くて、今は先に連絡するようにしています。",
        "まず、自分で変えられることと変えられないことを分けて考えるようにしています。",
    ]
    for text in not_faults:
        assert not reading.read(text).faults, text
    faults = [
        "設計部の図面がいつも遅くて、こちらは待つしかありませんでした。",
        "上司に無理な数字を押し付けられて、正直つらかったです。",
    ]
    for text in faults:
        assert reading.read(text).faults, text


def test_a_lesson_told_as_what_one_found_out_counts():
    assert reading.read("毎朝五分の打ち合わせが一番効くって分かったので、今もそうしています。").has_lesson
