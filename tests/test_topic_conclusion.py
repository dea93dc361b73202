"""not_conclusion_first: a first sentence left open on a connective that places the story in time
sets the scene and answers nothing, unless it says so in an answer form. Paraphrases written for
the test, in no bench file."""

from __future__ import annotations

from simulator.analysis.content import _not_conclusion_first, normalize


def ncf(text, question):
    return _not_conclusion_first(normalize(text), question)


def test_a_scene_set_in_time_and_left_open_is_not_conclusion_first():
    text = ("私は二十五歳から物流センターで働いてまして。最初の三年は出荷の担当で、そのあと在庫管理に移りました。"
            "その在庫管理で、棚卸しの差異が毎月出ていたのを半年でほぼゼロにしたのが一番の成果です。")
    assert ncf(text, "これまでのお仕事で一番の成果を教えてください。")


def test_the_same_opening_in_answer_form_is_conclusion_first():
    text = ("一番の成果は、棚卸しの差異を半年でほぼゼロにしたことです。二十五歳から物流センターで働いてまして、"
            "最初の三年は出荷の担当でした。そのあと在庫管理に移って、差異の原因を一件ずつ洗い出しました。")
    assert ncf(text, "これまでのお仕事で一番の成果を教えてください。") is None


def test_an_open_sentence_that_states_the_reason_is_not_flagged():
    # 「残業がかなり多くて。」 is the reason itself, placed in no time: it answers.
    text = "残業がかなり多くて。家族との時間がほとんど取れませんでした。それで、働き方を見直したいと考えました。"
    assert ncf(text, "転職を考えた理由を教えてください。") is None


def test_an_answer_stated_before_a_hedge_or_a_result_after_a_preamble_is_conclusion_first():
    q = "スキルを保つために何をしていますか。"
    stated = ("はい、毎週必ず業界紙を読むようにしています、と言っても大したことではないんですけど、"
              "昼休みの20分で読んで、気になった記事は班のチャットに流しています。月に1回は勉強会もしています。")
    assert ncf(stated, q) is None
    q2 = "これまでのお仕事の成果を教えてください。"
    result = ("ドラッグストアで6年店長をやってきたんですけど、化粧品の売上で、エリアの18店舗の中で1位に3年連続でなりました。"
              "まず棚を季節ごとに組み替えて、次にスタッフ全員でサンプルの声かけを決めました。客単価も上がりました。")
    assert ncf(result, q2) is None
    state = ("ドラッグストアで6年店長をやってきたんですけど、18店舗のエリアで化粧品の担当をしてました。"
             "そこで棚を季節ごとに組み替えて、スタッフ全員でサンプルの声かけを決めました。売上はエリアで1位になりました。")
    assert ncf(state, q2)  # a state held after the preamble is still background
