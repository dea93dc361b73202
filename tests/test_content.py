"""Content findings: each rule on small spoken-style examples, Whisper's quirks, categories, evidence."""

from __future__ import annotations

import pytest

from simulator.analysis.catalogue import BY_ID, FINDING_IDS, FINDINGS, applies
from simulator.analysis.content import ContentOptions, content_findings
from simulator.interview.company import parse_company


def ids(text, category, answer_s=30.0, latency=1.0, fillers=0.0, **opts):
    return {f.id for f in content_findings(text, category, answer_s, latency, fillers, ContentOptions(**opts))}


def test_every_finding_is_defined_once_with_label_advice_and_categories():
    assert len(FINDING_IDS) == len(set(FINDING_IDS)) == len(FINDINGS) == 17
    for f in FINDINGS:
        assert f.label and f.advice and f.categories, f.id
        assert BY_ID[f.id] is f


def test_vague_effort_without_actions_is_abstract_with_quoted_evidence():
    found = content_findings("前の部署で、売上を伸ばすために、一生懸命頑張りました。", "experience", 12, 1, 0)
    by_id = {f.id: f.evidence for f in found}
    assert by_id["abstract"] == "「一生懸命頑張りました」"
    assert "no_numbers" in by_id


def test_effort_word_backed_by_actions_and_figures_is_not_abstract():
    text = "まず過去半年の問い合わせを分類して、回答テンプレートを作りました。頑張った結果、回答時間を48時間から12時間にできました。"
    assert "abstract" not in ids(text, "experience")


def test_concessive_effort_is_not_a_claim():
    assert "abstract" not in ids("その年は、営業がいくら頑張っても売れない商品でした。", "values")


def test_kana_spelling_of_effort_words():
    assert "abstract" in ids("とにかくがんばりました。", "values")


def test_numbers_in_kanji_or_digits_count_but_ichiban_does_not():
    assert "no_numbers" not in ids("売上を百二十パーセントにしました。毎週訪問して提案を作り直しました。", "experience")
    assert "no_numbers" not in ids("売上を120%にしました。毎週訪問して提案を作り直しました。", "experience")
    assert "no_numbers" in ids("一番の成果は、マニュアルを作り直して、一人ひとりに説明したことです。", "experience")


def test_result_without_process():
    assert "no_process" in ids("昨年度、店舗の売上を前年比130%にしました。社長賞をいただきました。", "experience")
    assert "no_process" not in ids("離職率を20%から8%に下げました。面談を毎月行い、評価の基準を見直しました。", "experience")


def test_blame_and_negative_reason_with_negation():
    assert "blame" in ids("上司のせいでチームが振り回されています。", "values")
    assert "negative_reason" in ids("残業が多くて、給料も上がらないからです。", "reason_for_leaving")
    assert "negative_reason" not in ids("残業の多さが理由ではなく、専門を広げたいからです。", "reason_for_leaving")


def test_failure_story_needs_a_lesson():
    story = "一番の失敗は、見積もりの単価を間違えてしまったことです。上司と謝りに行き、金額を直していただきました。"
    assert "no_learning" in ids(story, "experience")
    assert "no_learning" not in ids(story + "それ以来、提出前に必ず二人で確認するようにしています。", "experience")


def test_background_first_is_not_conclusion_first():
    text = ("私は2015年に今の会社に入社しまして、最初は本社で内勤の営業をしておりました。3年目に大阪に異動になりました。"
            "そこで地元の商工会に通って紹介を増やし、支店の新規契約の4割を取ったのが一番の成果です。")
    assert "not_conclusion_first" in ids(text, "experience")
    assert "not_conclusion_first" not in ids("一番の成果は、契約の4割を取ったことです。" + text, "experience")


def test_timing_findings():
    assert "too_long" in ids("長い話です。" * 5, "experience", answer_s=200)
    assert "long_answer" in ids("長い話です。" * 5, "experience", answer_s=100)
    assert "too_short" in ids("売上を1.5倍にしたことです。", "experience", answer_s=3)
    assert "too_short" not in ids("特にありません。", "reverse", answer_s=1.5) - {"no_questions"}
    assert "hesitant_start" in ids("はい、一番の成果は受注率を二割上げたことです。", "experience", latency=7.0)
    assert "hesitant_start" in ids("ちょっと考えさせてください。えー、新人の頃の話です。", "experience")
    assert "many_fillers" in ids("えー、あの、えーと。", "values", answer_s=20, fillers=12.0)
    assert "many_fillers" not in ids("えー。", "values", answer_s=6, fillers=10.0)  # one filler in a short answer


@pytest.mark.parametrize("heard", ["御社", "音車", "オンシャ", "おんしゃ"])
def test_generic_motivation_survives_mishearing_of_onsha(heard):
    assert "generic_motivation" in ids(f"{heard}の事業に興味があり、成長できる環境だと思ったので志望しました。", "motivation")


def test_specific_motivation_without_profile():
    text = "御社のクラウド会計サービスは、中小企業向けで高いシェアをお持ちです。私の営業経験を一番生かせると考えました。"
    assert "generic_motivation" not in ids(text, "motivation")


def test_motivation_judged_against_the_company_profile():
    company = parse_company({"name": "東洋ロジテック", "strengths": ["冷凍冷蔵のコールドチェーン"], "competitors": ["日本ロジネット"]})
    generic = "御社は業界でもトップクラスで、社員の方が生き生きと働いていると感じました。"
    named = "御社のコールドチェーンに強みがある点に惹かれました。"
    in_kana = "御社のれいとうれいぞうの物流に惹かれました。"  # Whisper wrote the term in kana
    assert "generic_motivation" in ids(generic, "motivation", company=company)
    assert "generic_motivation" not in ids(named, "motivation", company=company)
    assert "generic_motivation" not in ids(in_kana, "motivation", company=company)


def test_reverse_stage():
    assert ids("いえ、特にありません。", "reverse", answer_s=1.5) == {"no_questions"}
    assert ids("今日のお話で十分理解できましたので、大丈夫です。", "reverse") == {"no_questions"}
    assert "no_questions" not in ids("条件面は特にありません。入社までに勉強しておくことを教えていただけますか。", "reverse")
    assert ids("残業は月にどのくらいありますか。", "reverse") == {"conditions_question"}
    assert ids("最初の3か月で期待される成果を教えていただけますか。", "reverse") == set()


def test_findings_only_apply_to_their_categories():
    assert applies("no_numbers", "experience") and not applies("no_numbers", "motivation")
    assert "no_numbers" not in ids("御社の事業に興味があります。", "motivation")
    assert "generic_motivation" not in ids("御社の事業に興味があります。", "experience")
    assert "no_questions" not in ids("特にありません。", "values")


def test_empty_transcript_has_no_findings():
    assert content_findings("", "experience", 0.0, None, 0.0) == []


def test_kana_numerals_from_whisper_count_as_figures():
    # Whisper base heard 「受注率が二割上がりました」 as below (bundled sample 03).
    text = "具体的には、基礎のお客様を毎週訪問して、課題を聞き取りました。その結果、受注立がに割り上がりました。"
    assert "no_numbers" not in ids(text, "experience")


def test_effort_claims_that_outnumber_what_was_done_are_abstract():
    # Three things done would back one claim; three claims (誰よりも is one) beside them carry the answer.
    text = ("営業事務を6年やってきました。どんな依頼にも全力で向き合い、誰よりも粘り強く、"
            "最後まで諦めない気持ちで取り組んできました。伝票を入力して、請求書を発行して、取引先からの電話を受けていました。")
    assert "abstract" in ids(text, "experience")
    backed = ("営業事務を6年やってきました。全力で取り組んだのは請求の締め作業で、まず伝票の入力ルールを作り、"
              "次に請求書の発行をテンプレートにして、確認のチェック表を配り、締めを5日から3日にしました。")
    assert "abstract" not in ids(backed, "experience")


def test_a_hardship_overcome_step_by_step_needs_no_lesson_but_a_failure_does():
    steps = ("倉庫の移転で出荷が止まりかけたことです。まず在庫を棚番ごとに数え直して、移す順番を表にまとめ、"
             "運送会社と夜間の便を2本増やす交渉をして、新しい倉庫の棚にも番号を振りました。"
             "最終的に出荷は1日も止めずに済みました。")
    assert "no_learning" not in ids(steps, "experience", question="これまでで一番苦労した仕事は何ですか。")
    assert "no_learning" in ids(steps, "experience", question="これまでで一番の失敗を教えてください。")
    told = "倉庫の移転で出荷が止まりかけて、本当に大変でした。毎日遅くまで残って、なんとか乗り切りました。"
    assert "no_learning" in ids(told, "experience", question="これまでで一番苦労した仕事は何ですか。")


def test_acts_that_changed_nothing_do_not_take_the_blame_back():
    q = "これまでで一番の失敗を教えてください。"
    futile = ("納期が2週間遅れた案件です。取引先の担当者が仕様を何度も変えてきて、うちの課長もそれを全部受けてしまったんです。"
              "私から課長に変更の一覧を何回送っても変わらなくて、結局は言われたとおりに画面を直すしかなかったです。")
    assert "blame" in ids(futile, "experience", question=q)
    acted = ("納期が2週間遅れた案件です。取引先の担当者が仕様を何度も変えてきて、うちの課長もそれを全部受けてしまったんです。"
             "そこで私が変更の一覧表を作って、毎週の定例で取引先と優先順位を決めるようにしてもらいました。")
    assert "blame" not in ids(acted, "experience", question=q)


def test_someone_elses_leniency_is_not_the_speaker_owning_it():
    text = ("後輩が頼んだ仕事をやらないまま帰ってしまうことが何度もありました。"
            "上の人もその子には甘かったので、注意してくれるわけでもなく、しわ寄せは全部私に来ていました。")
    assert "blame" in ids(text, "values", question="職場で人間関係に悩んだことはありますか。")


def test_a_reason_for_leaving_told_in_what_is_wrong_is_negative_without_complaint_words():
    q = "転職を考えた理由を教えてください。"
    wrong = ("今の部署は、入ってから4年ずっと同じ伝票のチェックだけなんです。ローテーションもほとんど動かないですし、"
             "新しい業務を覚える機会もないので、このままだと正直先が見えないなと。")
    assert "negative_reason" in ids(wrong, "reason_for_leaving", question=q)
    wished = ("今の部署で4年、伝票のチェックを担当してきました。その中で、チェックの仕組みそのものを作る側に回りたいと思うようになり、"
              "業務設計に携わりたいと考えて、転職を決めました。今の部署では、その機会はあまりないので。")
    assert "negative_reason" not in ids(wished, "reason_for_leaving", question=q)


def test_a_failure_set_aside_at_the_start_is_another_question():
    text = ("失敗っていうのはあんまり思い浮かばないんですけど、一番手応えがあったのは、去年の展示会で、"
            "来場者の名刺を200枚集めて、そのうち15社と商談につなげたことです。")
    assert "off_question" in ids(text, "experience", question="これまでで一番の失敗を教えてください。")


def test_a_setback_explained_only_by_circumstances_is_blame():
    q = "仕事でうまくいかなかった経験を教えてください。"
    told = ("去年の秋の催事で、目標の半分しか売れなかったことです。あの年は台風が続いて客足が全然伸びなかったですし、"
            "仕入れ先の商品も予定どおりに揃わなかったので、正直どこの店も似たような数字でした。")
    assert "blame" in ids(told, "experience", question=q)
    acted = ("去年の秋の催事で、目標の半分しか売れなかったことです。あの年は台風が続いて人出が全然なかったので、"
             "途中から通販のページを作って、常連のお客様に案内のはがきを200枚送りました。")
    assert "blame" not in ids(acted, "experience", question=q)


def test_effort_made_a_noun_is_still_claimed_and_keigo_is_not_an_action():
    # 「〜してまいりました」「ございます」 are politeness, not things done; 「…取り組んできたことが自信です」 claims.
    text = ("本日はありがとうございます。木村と申します。高校を出てから、物流の会社で15年、色々な仕事を経験してまいりました。"
            "どんな仕事にも誠心誠意、全力で取り組んできたことが私の一番の自信でございます。")
    assert "abstract" in ids(text, "self_introduction")


def test_results_told_more_than_steps_have_no_process():
    q = "これまでで一番の成果を教えてください。"
    results = ("在庫管理のシステムを入れ替えて、棚卸しの時間を年間で40%削減しました。欠品も前の年より半分に減りました。"
               "本社からも評価されて、他の倉庫にも広がることになりました。")
    assert "no_process" in ids(results, "experience", question=q)
    steps = ("在庫管理のシステムを入れ替えて、棚卸しの時間を年間で40%削減しました。まず現場の棚番を全部振り直して、"
             "次にハンディ端末の読み取り手順を1枚の紙にまとめ、パートさん20人に2回ずつ練習会を開きました。")
    assert "no_process" not in ids(steps, "experience", question=q)


def test_a_motivation_naming_a_site_a_product_in_double_quotes_or_a_figure_of_the_company_is_specific():
    q = "なぜ当社を志望されたのですか。"
    for text in ("はい、仙台工場で今進めていらっしゃる、包装ラインの自動化に関わりたいと思って志望しました。",
                 "御社を選んだのは、配送管理アプリの『ハコブネ』を自社で開発して、取引先に無償で配っているからです。",
                 "駅の中にある学童を全国で120か所運営されていて、共働きの家庭を支えているところに魅力を感じました。"):
        assert "generic_motivation" not in ids(text, "motivation", question=q), text
    assert "generic_motivation" in ids("業界でもトップクラスで、成長されている会社だと思い、志望しました。", "motivation", question=q)


def test_reverse_questions_declined_in_other_words_and_conditions_the_list_did_not_hold():
    for text in ("一次面接で詳しく伺いましたので、お聞きしたいことは今のところ思いつかないです。",
                 "もし後で気になる点が出てきたら、人事の方にメールでお聞きしてもいいですか。今は大丈夫です。",
                 "資料も拝見しましたし、丁寧に教えていただいたので、もう聞くことはないかなと思っています。"):
        assert "no_questions" in ids(text, "reverse"), text
    assert "conditions_question" in ids("副業って認められていますか。週末に少しやっていることがあって。", "reverse")
    work = "休日に急な呼び出しがあったとき、看護師さんは何人の体制で対応しているんでしょうか。"
    assert not {"conditions_question", "no_questions"} & ids(work, "reverse")


def test_the_current_workplaces_fault_as_contrast_in_a_motivation_is_not_blame():
    text = ("御社の、店長が地元の商品を自分で仕入れられる制度に惹かれました。今の会社は本部が棚を全部決めてしまって、"
            "現場の意見はなかなか通らないんですね。御社なら地元の生産者さんと直接やり取りできると思いました。")
    assert "blame" not in ids(text, "motivation", question="なぜ当社を志望されたのですか。")
    assert "blame" in ids("本部が棚を全部決めてしまって、現場の意見はなかなか通らないんです。", "values")


def test_someone_elses_refusal_powerlessness_and_a_problem_located_in_their_part_are_blame():
    q = "これまでで一番の失敗を教えてください。"
    refused = ("新しい受発注の仕組みを入れようとして、半年で止まった件です。工場長が今のやり方を変えようともしないので、"
               "現場に話を下ろしても誰も紙の帳票から離れませんでした。")
    assert "blame" in ids(refused, "experience", question=q)
    powerless = ("展示会の出展が直前で中止になって、見込み客が30件ほど流れてしまいました。会場側の設備の点検が間に合わなかったそうで、"
                 "正直こちらでは防ぎようがなかったです。")
    assert "blame" in ids(powerless, "experience", question=q)
    located = ("配送ルートの変更で、遅配が月に40件まで増えた時期がありました。あれは配車を決めている本部の計画自体に問題があったと思っています。")
    assert "blame" in ids(located, "experience", question=q)
    noun = "ストレスの元は、だいたい取引先の担当者の思いつきなんですよね。それで夜まで残ることになるので。"
    assert "blame" in ids(noun, "values", question="ストレスを感じるのはどんな時ですか。")


def test_the_speakers_own_failure_a_say_given_and_an_omission_owned_are_not_blame():
    q = "これまでで一番の失敗を教えてください。"
    own = ("発注の桁を一つ間違えて、取引先の担当者さんが10倍の在庫を抱えることになったというのが、私の一番大きな失敗です。"
           "それ以来、100万円を超える発注は二人で読み合わせるようにしています。")
    assert "blame" not in ids(own, "experience", question=q)
    omission = ("新しい会計システムの稼働が1か月遅れました。私が移行するデータの形式を確認しきれていなくて、"
                "ベンダーの取り込み仕様と合わないのが本番直前に分かったんです。")
    assert "blame" not in ids(omission, "experience", question=q)
    say = ("店舗ごとにリーダーを置いて、値引きは3000円まで、返品は購入から1週間以内ならリーダーが決めていいというルールを"
           "紙1枚にまとめました。それで私への問い合わせが月に50件から10件に減りました。")
    assert "blame" not in ids(say, "management", question="チームをまとめる上で工夫したことを教えてください。")


def test_reverse_stage_asking_for_time_questions_already_answered_and_a_filler_after_the_question():
    assert ids("すみません、少し考えさせてもらってもいいですか。……いえ、今日のところは結構です。", "reverse") \
        == {"hesitant_start", "no_questions"}
    assert "no_questions" in ids("お聞きしたかったことは、説明会でもうほとんど伺えたので、今日は大丈夫です。", "reverse")
    assert ids("あの、ボーナスって、えー、年に何回ぐらい出るもんなんですか、えー。", "reverse") == {"conditions_question"}
    assert ids("勤務地は希望を出せるんでしょうか。子どもの学校があるので、できれば今の家から通いたくて。", "reverse") \
        == {"conditions_question"}
    assert ids("えっと、少し考えさせてください。……はい、配属されるチームでは、最初にどの商品を担当するんでしょうか。",
               "reverse") == {"hesitant_start"}


def test_a_verbal_noun_pinned_down_is_an_action_and_idioms_of_attitude_are_claims():
    # 「月に1回、1時間の個別面談をしました」: the action is the noun under する, concrete once something pins it.
    done = "メンバーとの信頼関係を何より大事にして、一生懸命取り組みました。月に1回、1時間の個別面談をしました。"
    assert "abstract" not in ids(done, "management")
    # 心を込めて / お客様の立場に立って / 何よりも大切に: attitudes, with nothing done behind them.
    idiom = "接客では、いつも心を込めて、お客様の立場に立って考えることを何よりも大切にしてきました。"
    assert "abstract" in ids(idiom, "values")


def test_claims_backed_by_named_specifics_and_a_result_figure_do_not_carry_the_answer():
    claims = "前の店では本当に必死で、とにかく全力で、誰よりも頑張ったつもりです。"
    assert "abstract" in ids(claims, "experience")
    backed = claims + "具体的には、閉店後に棚の並びを毎日見直して、売れ残りを記録し、廃棄を月20万円から8万円に減らしました。"
    assert "abstract" not in ids(backed, "experience")


def test_asked_when_they_can_start_or_about_other_applications_an_answer_without_either_is_off():
    start = "入社可能時期はいつ頃になりますか。"
    pay_instead = "その前に一つよろしいですか、あの、今の給料が480万なので、そこからは下げたくないなと思っていまして。"
    assert "off_question" in ids(pay_instead, "logistics", question=start)
    assert "off_question" not in ids("えー、引き継ぎがあるので、早くても再来月の頭になると思います。", "logistics", question=start)
    status = "他社の選考状況を教えていただけますか。"
    motive = "あの、私としましては、御社の学童保育の事業にとても惹かれておりまして、保育士の経験が活かせると考えています。"
    assert "off_question" in ids(motive, "commitment", question=status)
    assert "off_question" not in ids("はい、もう1社、同じ業界で二次まで進んでいるところがあります。", "commitment", question=status)


def test_an_answer_to_another_question_is_asked_again_and_not_judged_as_an_answer_to_this_one():
    failure = "これまでで一番大きな失敗を教えてください。"
    praised = ("えー、一番思い出に残ってるのは、地域の夏祭りの運営を任された時で、協賛の企業さんを回って、"
               "屋台の配置も全部考えて、当日は大きな事故もなく、町内会の方から感謝状をいただきました。")
    found = ids(praised, "experience", question=failure)
    assert "off_question" in found and "no_learning" not in found and "no_process" not in found
    # Set aside in words and told all the same, it is the failure story.
    told = ("失敗というか、えー、新しい取引先への請求書の送付が2か月漏れてたことがありまして、"
            "経理の締めにも間に合わなくて、先方にお詫びに伺いました。")
    found = ids(told, "experience", question=failure)
    assert "off_question" not in found and "no_learning" in found


def test_reasons_for_leaving_told_as_the_boss_unfairness_a_culture_that_does_not_fit_or_standing_still():
    cases = (
        "一番は、店長との関係です。何を相談しても後回しにされて、シフトも一方的に決められてしまうので。",
        "昇格の基準が、結局は部長の好き嫌いなんですよね。頑張っても頑張らなくても同じなので。",
        "社風がどうしても合わなくて、朝礼で大声で唱和するみたいなのが毎日あって、それに疲れてしまいました。",
        "入って8年、毎月同じことの繰り返しで、ここでこれ以上学べることがないなと感じたからです。",
    )
    for text in cases:
        assert "negative_reason" in ids(text, "reason_for_leaving"), text


def test_a_forward_reason_does_not_cover_a_complaint_the_answer_goes_on_about():
    forward = "海外の取引先と直接やり取りできる仕事に挑戦したいと思ったからです。"
    went_on = forward + "ただ、今の会社は年功序列が強くて、30代はまだ若手扱いなんですね。この5年、新しい事業もほとんど始まっていないです。"
    assert "negative_reason" in ids(went_on, "reason_for_leaving")
    set_aside = forward + "英語を使う機会を増やしたいんです。あと、給料も上げたいというのはちょっとありますけど、一番は今の理由です。"
    assert "negative_reason" not in ids(set_aside, "reason_for_leaving")


def test_blame_told_as_a_verdict_no_choice_or_anyone_would_have_failed():
    q = "仕事で失敗した経験を教えてください。"
    cases = (
        "新店の開店が1週間遅れたことです。正直あれは、本社の発注の仕組みの問題だと思っています。",
        "設計が途中で3回変わって、現場としては言われた通りに作り直すしかなかったです。それで納期に間に合いませんでした。",
        "担当していた取引先が撤退して売上が半分になりました。方針が決まった以上、担当の私にはどうすることもできませんでした。",
        "見積もりの金額を間違えて出してしまったんですが、元の資料が古いままだったので、誰がやっても間違えたと思います。",
        "検査で不良を見逃して出荷してしまいました。品質管理の部署のチェックが機能してなかったのが全てです。",
    )
    for text in cases:
        assert "blame" in ids(text, "experience", question=q), text


def test_a_problem_argued_a_scolding_for_ones_own_error_and_a_wrong_assumption_are_not_blame():
    q = "仕事で失敗した経験を教えてください。"
    assert "blame" not in ids("お客様の問題を一緒に整理して、3か月で解決しました。", "experience")
    own = ("請求書の金額を1桁間違えて送ってしまいました。完全に私の確認ミスで、部長にもかなり叱られました。"
           "それ以来、送る前に金額だけ読み上げて確認しています。")
    assert "blame" not in ids(own, "experience", question=q)
    assumed = ("前回と同じだと思い込んで、数字を見ずに印刷に回してしまい、イベントが1日遅れました。"
               "今は数字の欄だけ別の人にも見てもらっています。")
    assert "blame" not in ids(assumed, "experience", question=q)


def test_reverse_stage_questions_answered_already_the_flow_of_the_work_and_the_works_own_conditions():
    assert "no_questions" in ids("聞きたいことは、今日のご説明でほとんど解決しちゃいました。今日はなしで。", "reverse")
    flow = "繁忙期の土日に注文が集中した時、倉庫ではどういう流れで人を割り振っているんでしょうか。"
    assert "conditions_question" not in ids(flow, "reverse")
    clients = "御社が紹介されている求人の年収は、だいたいどのくらいの幅があるんでしょうか。"
    assert "conditions_question" not in ids(clients, "reverse")
    assert "conditions_question" in ids("入社した場合の年収は、だいたいどのくらいの幅があるんでしょうか。", "reverse")


def test_effort_said_in_idioms_and_acts_on_body_or_mind_are_claims_not_actions():
    idioms = "若手とは距離を縮めて、心を開いてもらえるように手を差し伸べて、誰にも負けない熱意で向き合ってきました。"
    assert "abstract" in ids(idioms, "management")
    legwork = ("営業所の売上を前年の120%にしたことです。とにかく足を使って何度も通い、"
               "気持ちで負けないように最後までやり抜きました。それが結果につながりました。")
    assert "abstract" in ids(legwork, "experience")
    assert "abstract" in ids("はい、第一志望です。採用していただけたら、身を粉にして、会社のために働く覚悟です。", "commitment")


def test_someone_not_acting_for_the_speaker_is_blame_even_where_the_parse_makes_it_a_relative_clause():
    text = "経理に移りたいという希望は3年前から出しているんですが、部長がまったく取り合ってくれなくて、今も倉庫の担当のままです。"
    assert "blame" in ids(text, "career_change")


def test_an_offering_of_the_company_told_by_what_it_does_is_specific():
    told = "御社が昨年始められた、地方の空き家を買い取って改修し、若い世帯に貸し出すサービスに携わりたいと思っています。"
    assert "generic_motivation" not in ids(told, "motivation", question="当社を志望された理由を教えてください。")
    unnamed = "御社の展開している事業に大変魅力を感じました。私もその一員として貢献したいです。"
    assert "generic_motivation" in ids(unnamed, "motivation", question="当社を志望された理由を教えてください。")


def test_a_rank_a_prize_or_confidence_claimed_with_no_steps_has_no_process():
    assert "no_process" in ids("店長として、担当した店を地区12店舗の中で1位にしました。本部長賞もいただきました。", "management")
    assert "no_process" in ids("後輩の指導には、まあ、自信があります。今まで見た4人は全員半年で一人前になりました。", "management")
