"""Word classes by word vector (analysis/semantic.py): a synonym no list holds is caught, a near-miss
is not, and the judgement built on them keeps its syntactic conditions."""

from __future__ import annotations

from simulator.analysis import content, reading
from simulator.analysis.content import ContentOptions, content_findings
from simulator.analysis.language import parse
from simulator.analysis.semantic import vector
from simulator.interview.company import parse_company


def ids(text, category, question="", company=None):
    return {f.id for f in content_findings(text, category, 30.0, 1.0, 0.0, ContentOptions(question=question, company=company))}


def tok(word):
    return parse(word).tokens[0]


def test_vectors_are_looked_up_by_the_normalised_form_and_are_deterministic():
    assert tok("泥くさい").norm == "泥臭い"
    v1, v2 = vector("我武者羅"), vector("我武者羅")
    assert v1 is not None and float(v1 @ v2) > 0.999
    assert vector("") is None
    assert reading.EFFORT_CLASS.similarity("奔走") == reading.EFFORT_CLASS.similarity("奔走")


def test_effort_synonyms_outside_every_list_are_effort_and_concrete_words_are_not():
    for word in ("がむしゃら", "奔走", "躍起"):
        assert word not in reading.EFFORT_CORE and word not in reading.EFFORT_LEMMAS
        assert reading.EFFORT_CLASS.has(tok(word)), word
    for word in ("分析", "集計", "なるべく", "理念"):
        assert not reading.EFFORT_CLASS.has(tok(word)), word


def test_an_unlisted_effort_word_makes_an_answer_abstract_and_a_backed_one_stays_clean():
    assert "abstract" in ids("とにかくがむしゃらに取り組んできました。お客様のところにも何度も通って、社内でも評価していただけました。", "experience")
    backed = ("解約した三十社に電話でヒアリングして理由を分類し、導入初月に二回の操作説明会を開く形にしました。"
              "半年で解約率が八パーセントから五パーセントに下がりました。がむしゃらに続けた結果です。")
    assert "abstract" not in ids(backed, "experience")


def test_a_negative_evaluation_of_others_is_a_fault_whatever_the_word():
    for word in ("軽率", "横暴", "場当たり的"):
        assert word not in reading.NEGATIVE_PREDICATES
        assert reading.FAULT_CLASS.has_word(tok(word).norm), word
    for word in ("丁寧", "迅速", "厳しい"):
        assert not reading.FAULT_CLASS.has_word(tok(word).norm), word
    assert "blame" in ids("前任者からの引き継ぎがかなり横暴で、資料もほとんど残っていなかったので、そこで一番苦労しました。", "experience")
    # 不透明, 非効率: a quality formed by negation is an evaluation against it
    assert "blame" in ids("本部の方針がいつも不透明で、現場は何を優先すればいいのか分からない状態でした。", "experience")


def test_the_speakers_own_share_still_clears_a_fault_by_vector():
    owned = ("設計からの図面が場当たり的だったのは事実ですが、早めに確認を入れなかった私の段取りが甘かったです。"
             "それ以来、週に一度は設計の担当と進捗をすり合わせる場を自分から設けています。")
    assert "blame" not in ids(owned, "experience")


def test_erratic_change_by_an_unlisted_adverb():
    assert "blame" in ids("一番困ったのは、上の方針がしょっちゅう変わることですね。メンバーもだいぶ疲弊していました。", "management")
    assert "blame" not in ids("方針は半期ごとに定期的に見直されていて、そのたびに計画を組み直しました。", "management")


def test_a_complaint_in_words_no_pattern_holds_drives_a_reason_for_leaving():
    falling = "会社の業績がここ数年ずっと右肩下がりで、主力の取引先も撤退してしまい、この先どうなるのか見通しが立たない状態です。"
    hours = "今の職場は毎日終電近くまで帰れない日が続いていて、心身ともに余裕がなくなってしまいました。"
    for text in (falling, hours):
        assert "negative_reason" in ids(text, "reason_for_leaving"), text
    forward = ("今の職場では既存のお客様の保守が中心で、新しいシステムを一から設計する機会がほとんどありません。"
               "次は要件定義から設計まで任される環境で力を試したいと考えて、転職を決めました。")
    assert "negative_reason" not in ids(forward, "reason_for_leaving")
    wish = "残業をしない働き方をしたいというよりも、自分で設計した仕組みを現場に広める仕事がしたいと考えました。"
    assert not content._parsed_complaints(reading.read(wish))


def test_a_profile_fact_is_a_product_or_a_line_not_the_name_or_the_field():
    company = parse_company({
        "name": "株式会社みどりマート", "aliases": ["みどりマート"],
        "business": ["北関東を中心とした食品スーパー85店舗", "プライベートブランド「みどりの食卓」"],
        "policies": ["店長の裁量で地場商品を仕入れる「地元棚」制度"], "keywords": ["みどりの食卓", "地元棚"],
    })
    name_and_field = "みどりマートさんは、地域でもトップクラスの規模を持つスーパーで、御社の店舗運営に貢献したいです。"
    assert "generic_motivation" in ids(name_and_field, "motivation", company=company)
    product = "御社の地元棚の制度で、店長が地場の商品を自分で仕入れられるところに惹かれました。"
    assert "generic_motivation" not in ids(product, "motivation", company=company)
    line = "店長の裁量で地場の商品を仕入れられる点に惹かれました。"
    assert "generic_motivation" not in ids(line, "motivation", company=company)


def test_words_someone_else_said_and_the_companys_attitude_are_no_effort_claim():
    quoted = "評価は結局Bで、理由を聞いても、みんな頑張ってるからって言われて終わりでした。"
    assert not reading.read(quoted).effort or "abstract" not in ids(quoted, "reason_for_leaving")
    admired = "御社の、利用者様お一人おひとりに寄り添う姿勢に共感したからです。"
    assert "abstract" not in ids(admired, "motivation")
