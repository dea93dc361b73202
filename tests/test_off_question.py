"""Off-question answers by meaning (analysis/topic.py): an answer whose sentences are about another
question's subject, by a wide margin, is off; an answer that touches that subject while answering
is not. The answers here are paraphrases written for the test, in no bench file."""

from __future__ import annotations

from simulator.analysis import reading as rd
from simulator.analysis import topic
from simulator.analysis.content import ContentOptions, content_findings


def off(text, category, question):
    return "off_question" in {f.id for f in content_findings(text, category, 40.0, 1.0, 0.0, ContentOptions(question=question))}


def test_the_asked_subject_comes_from_the_question_within_its_category():
    assert topic.asked_subject("担当しているシステムの構成を教えてください。", "technical") == "tech"
    assert topic.asked_subject("後輩の育成で心がけていることは何ですか。", "management") == "mgmt"
    assert topic.asked_subject("入社後に取り組みたいことを教えてください。", "motivation") == "plan"
    assert topic.asked_subject("当社は第一志望ですか。", "commitment") is None  # no subject of its own to miss
    assert topic.asked_subject("自己紹介をお願いします。", "self_introduction") is None  # an introduction may tell anything


def test_soft_skills_told_to_a_technical_question_are_off():
    text = ("私が一番意識しているのは、周りの人との信頼関係です。相手の立場に立って、感謝の気持ちをきちんと言葉にするようにしています。"
            "話しやすい雰囲気があれば、仕事は自然とうまく回ると考えています。")
    assert off(text, "technical", "担当しているシステムの構成と、その中でのご自身の役割を教えてください。")


def test_the_same_soft_skills_beside_the_system_are_not_off():
    text = ("今は受注管理のシステムで、バックエンドのAPIとデータベースの設計を担当しています。"
            "サーバーはクラウド上に三台あり、障害の一次対応も私が見ています。"
            "チームの中では、話しやすい雰囲気を作ることも意識しています。")
    assert not off(text, "technical", "担当しているシステムの構成と、その中でのご自身の役割を教えてください。")


def test_a_past_achievement_told_to_a_plan_question_is_off_and_a_plan_is_not():
    q = "入社されたら、まずどんなことに取り組みたいですか。"
    past = ("前の職場では、担当地区の売上を前年より二割伸ばして、社内で表彰を受けました。"
            "新規の契約も半年で十五件獲得しました。その結果、支店の目標も三期連続で達成しています。")
    plan = ("まずは御社の法人向けの提案に携わりたいです。前の職場で売上を二割伸ばした経験を活かして、"
            "三年後には新しい地域の開拓を任されるようになりたいと考えています。")
    assert off(past, "motivation", q)
    assert not off(plan, "motivation", q)


def test_subject_scores_are_deterministic_and_fast():
    import time

    r = rd.read("部下の一人ひとりと月に一度面談して、目標を一緒に決めています。任せた仕事には必ずフィードバックを返しています。")
    first = topic.subject_scores(r)
    t = time.perf_counter()
    second = topic.subject_scores(r)
    assert (time.perf_counter() - t) < 0.02
    assert first == second
    assert max(first[0], key=first[0].get) == "mgmt"
