"""What a question asks, and whether an answer addresses it.

`question_category` gives the category of any question text: a built-in question by lookup, any
other by the facets its words ask for. `off_question` tells an answer that addresses another
question (a strengths story given to the failure question, a reason for leaving given to the
motivation question). Both are pure; the lookup reads the question sets once.
"""

from __future__ import annotations

import re
from functools import lru_cache

from simulator.analysis import reading as rd

# What a question asks for, by its words, most specific first: (category, pattern).
_QUESTION_FACETS: tuple[tuple[str, re.Pattern], ...] = (
    ("reverse", re.compile(r"(?:何か|なにか)?(?:ご)?質問(?:は|など|等)?(?:あり|ござい)|逆質問|聞いておきたいこと|確認しておきたいこと")),
    ("logistics", re.compile(r"入社(?:可能|できる)?(?:時期|日)|いつ(?:から|頃)(?:入社|働|ご入社)|希望年収|希望(?:の)?(?:給与|給料|年収)|年収(?:の)?(?:希望|イメージ)|現在の年収")),
    ("commitment", re.compile(r"他社(?:の)?(?:選考|応募)|選考状況|第一志望|ほかに(?:受けて|応募)|他に(?:受けて|応募)|内定(?:が出たら|を出したら)")),
    ("reason_for_leaving", re.compile(r"退職|転職(?:を)?(?:考え|決め|理由|しようと)|辞め|転職理由|今の会社を")),
    ("self_introduction", re.compile(r"自己紹介|自己PR|経歴を(?:簡単に)?(?:教え|お願い)|ご経歴")),
    ("career_change", re.compile(r"未経験|異業種|異職種|なぜこの(?:業界|職種)|この(?:業界|職種)を選|キャリアチェンジ")),
    ("management", re.compile(r"部下|マネジメント|チーム(?:を)?(?:まとめ|運営|作り|づくり)|メンバーの(?:育成|指導)|育成|ローパフォーマー|リーダーとして|管理職")),
    ("technical", re.compile(r"技術|設計|アーキテクチャ|障害|開発|システム|言語|フレームワーク|スキル(?:を)?(?:どう|磨)|エンジニア|コード")),
    ("motivation", re.compile(r"志望|当社|弊社|入社(?:後|したら|して)|5年後|五年後|10年後|将来|キャリアプラン|やりたいこと|実現したい")),
    ("values", re.compile(r"大切に|大事に|価値観|苦手|ストレス|やりがい|モチベーション|信条|こだわり|周り(?:から|の人)|性格|短所|長所")),
    ("experience", re.compile(r"成果|実績|失敗|苦労|経験|強み|困難|挫折|工夫|頑張った|乗り越え|仕事")),
)
_SIMILAR_MIN = 0.45  # character-bigram Jaccard above which a text is taken for a set's question


@lru_cache(maxsize=1)
def _known_questions() -> tuple[tuple[str, str], ...]:
    from simulator.interview.question_sets import available_sets, load_question_set
    from simulator.errors import QuestionSetError

    out = []
    for path in available_sets():
        try:
            qset = load_question_set(str(path))
        except QuestionSetError:
            continue  # a broken user set must not stop the analysis of an answer
        out.extend((q.text, q.category) for q in qset.questions)
    return tuple(out)


def question_category(question: str) -> str | None:
    """The category of a question: a built-in one by lookup, else by what its words ask for."""
    from simulator.interview.round_one import similar

    question = question.strip()
    if not question:
        return None
    best = max(((similar(question, text), cat) for text, cat in _known_questions()), default=(0.0, None))
    if best[0] >= _SIMILAR_MIN:
        return best[1]
    for category, pattern in _QUESTION_FACETS:
        if pattern.search(question):
            return category
    return None


# ---------------------------------------------------------------- off-question answers

_ASKS_FAILURE = re.compile(r"失敗|うまくいかなかった|上手くいかなかった|ミス|挫折|後悔|反省")
_ASKS_WHY_US = re.compile(r"志望(?:動機|理由|された|した)|なぜ当社|当社を|弊社を|当社で|弊社で|選んだ理由|当社の")
_ASKS_LEAVING = re.compile(r"退職|転職(?:を)?(?:考え|決め|理由|しようと)|辞め|転職理由")

# The failure set aside before anything is told: 「失敗というか」「失敗っていうのはあんまり思い浮かばない」.
_NOT_A_FAILURE = re.compile(r"失敗(?:という|っていう)(?:より|か)|失敗では(?:ない|なく|ありません)|失敗(?:と|って)(?:いう|言える)(?:ほど|ような)(?:もの|こと)?は|"
                            r"失敗(?:という|っていう)?(?:の|もの|こと)?(?:は|って)(?:[^、。]{0,6})(?:思い浮かば|思いつか|思い当たら|ない|ありません)")
_FAILURE_WORDS = re.compile(r"失注|解約|切られ|失っ|逃し|落とし|遅延|減っ|下が|怒|叱|(?<!感)謝|反省|後悔|できなかった|しまった|ちゃった|間に合わ|漏れ|抜け")
# (a particle first: 「間に合わなかった」 is the failure itself)
_DENIED_AFTER = re.compile(r"(?:も|は)(?:なく|なし|無く|無し|ありませ|なかった|ゼロ)|ゼロ")


def _tells_failure(text: str, start: int = 0) -> bool:
    """A setback or failure word that is not denied (「大きな事故もなく」 tells none)."""
    return any(not _DENIED_AFTER.match(text, m.end())
               for pattern in (rd.SETBACK_PATTERN, _FAILURE_WORDS) for m in pattern.finditer(text, start))


_ABOUT_SUCCESS = re.compile(r"成果|達成|伸ば|強み|得意|評価され|表彰|成功|うまくいった|上手くいった|できました|1位|一位|"
                            r"感謝(?:され|状|の)|喜ばれ|褒め|ほめられ")  # thanks and praise received tell a success too
# An opening that answers another question: why they are leaving, where else they applied.
_OPENS_WITH_LEAVING = re.compile(r"(?:今回|今|この度)?(?:転職|退職)(?:を|しようと)?(?:考え|決め|思っ)(?:た|始めた)(?:の|理由|きっかけ)")
_OPENS_WITH_STATUS = re.compile(r"(?:他に|ほかに|御社の他に|御社のほかに)[^。]{0,10}(?:社|選考)|選考(?:を)?受けて|第一志望")
_OPENS_WITH_COMPANY = re.compile(r"^(?:(?:はい|ええ|えー+と?|えっと|あの[ー]*|あー+|まあ|そうですね)[、,\s]*)*(?:御社|貴社)")
_CURRENT_JOB = re.compile(r"現職|前職|今の(?:会社|職場|仕事|部署|環境)|前の(?:会社|職場)|現在の(?:会社|職場)|辞め|退職|不満|離れ")
# Asked when they can start or what they expect to earn, an answer with no time or no pay in it
# answers something else (「時期の前に、年収の方なんですけど」).
_ASKS_START = re.compile(r"入社(?:可能|できる)?(?:時期|日)|いつ(?:から|頃|ごろ)")
_START_TOLD = re.compile(r"[0-9０-９一二三四五六七八九十]+(?:月|か月|ヶ月|ヵ月|カ月|週間|日)|月末|月初|来月|今月|年内|年明け|[春夏秋冬]|"
                         r"すぐ|即|いつでも|早く|早め|未定|分から|わから|めど|目処|見込|退職|引き継|引継|内定|相談|調整|入社")
_ASKS_PAY = re.compile(r"年収|給与|給料|報酬")
_PAY_TOLD = re.compile(r"万|円|年収|給与|給料|報酬|規定|お任せ|相談|同程度|同じくらい|並み|現状|維持")
# Asked about their other applications, an answer that names none tells why it wants this one.
_ASKS_STATUS = re.compile(r"他社(?:の)?(?:選考|応募)|選考状況|ほかに(?:受けて|応募)|他に(?:受けて|応募)")
_STATUS_TOLD = re.compile(r"他社|他に|ほかに|ほか|選考|いくつか|何社|どこも|どちら|[0-9０-９一二三四五六七八九十数]社|内定|面接|受けて|応募|(?:御社|貴社)(?:のみ|だけ|一本)|"
                          r"第一志望|エージェント|結果待ち|最終|書類|辞退|活動")
_REASON_WORDS = re.compile(r"惹かれ|魅力|理由|きっかけ|ため|から|共感|興味")


# What an opening announces it is about (「強みで言うと」「一番大変だったのは」「今後は」), and what a
# question asks about. An answer whose opening announces a topic the question did not ask is off.
_OPENING_TOPICS: tuple[tuple[str, re.Pattern], ...] = (
    ("leaving", re.compile(r"転職を(?:考えた|決めた|しようと思った)(?:の|理由|きっかけ)|辞めようと思った(?:の|理由)|退職(?:を決めた|の)理由は")),
    ("strength", re.compile(r"(?:私の)?(?:強み|長所)(?:は|で言うと|としては)|得意なのは")),
    ("hardship", re.compile(r"(?:一番)?(?:大変|苦労|きつ)(?:だった|した)のは")),
    ("future", re.compile(r"^(?:はい[、,]?)?(?:今後|将来|これから)(?:は|の)|挑戦したいと(?:思って|考えて)")),
    ("motivation", re.compile(r"志望(?:した|の)?理由は|(?:御社|貴社)を志望した")),
)
_ASKED_TOPICS: dict[str, re.Pattern] = {
    "leaving": _ASKS_LEAVING,
    "strength": re.compile(r"強み|長所|得意|アピール|自己PR|あなたらしさ"),
    "hardship": re.compile(r"苦労|大変|困難|難し|失敗|挫折|壁|うまくいかなかった|課題"),
    "future": re.compile(r"今後|将来|年後|入社(?:後|したら|して)|やりたいこと|キャリア|目標|実現したい|志望|なぜ当社"),
    "motivation": re.compile(r"志望|当社|弊社|入社|魅力|選んだ|なぜこの"),
}
_OPENING_CHARS = 50


def _announced_topic(text: str) -> str | None:
    opening = text.strip()[:_OPENING_CHARS]
    return next((topic for topic, pattern in _OPENING_TOPICS if pattern.search(opening)), None)


# --- what the answer is about, from its predicates (not from how it opens) ----------------------
_COMPANY_REF = re.compile(r"御社|貴社|当社|弊社|おんしゃ|こちらの会社|こちらで")
_CHOOSING = re.compile(r"志望|応募|惹かれ|魅力|選ん|選び|決め手|興味|共感|入社(?:したい|を希望)")
_PLAN_HORIZON = re.compile(r"[0-9０-９一二三四五六七八九十]+年後|ゆくゆく|将来|いずれ|最初の[0-9０-９一二三四五六七八九十]+(?:年|か月|ヶ月)|キャリア")
_ASKS_WEAKNESS = re.compile(r"弱み|短所|苦手|欠点|改善(?:点|すべき)")
_WEAKNESS_TOLD = re.compile(r"弱み|短所|苦手|欠点|課題|不足|足りな|改善|気をつけ|気を付け|心がけ|心掛け|直そう|直し|つい|しまう|しまい|がち|反省|弱い|遅い|できない")
_STRENGTH_TOLD = re.compile(r"強み|長所|得意|(?:と|って)(?:よく)?言われ|評価され|やり切|やりきり")
_REASON_TOLD = re.compile(r"理由|きっかけ|ため|ので|から(?:[、。]|です|で)|思っ|思い|考え|感じ|不満|不安|限界|物足りな|たい"
                          r"|ない|なく|難し|疲れ|辛|つら|きつ|しんど|厳し")  # a complaint is a reason too
_CAREER_TOLD = re.compile(r"担当|勤務|勤め|所属|経験|携わ|従事|しており|年目|年間|入社して|働いて|やってき")
_ASKS_PAST = ("experience", "management", "technical")


def _wishes(r: rd.Reading) -> int:
    """Sentences whose predicate is a wish or plan (〜たい, 〜なりたいと考えています)."""
    return len({c.sentence for c in r.parse.clauses if rd.is_wish(c)})


def _tells_past(r: rd.Reading) -> bool:
    return any("た" in c.aux for c in r.parse.clauses)



# --- what the answer is about, by meaning: its sentences against a prototype of each subject -------
# Each subject is what an answer to one kind of question is about, written once as a short generic
# description (no candidate's answer). Its prototype is the centroid of the description's word
# vectors (semantic.py), centred on the mean of all prototypes so that the talk every answer shares
# (仕事, 担当, お客様) weighs nothing. A sentence's vector is the centroid of its content words,
# centred the same way.
_SUBJECTS: dict[str, str] = {
    "failure": "仕事での失敗やミス。判断を誤り、確認を怠って、顧客に迷惑をかけ謝罪した。納期の遅れ、損失、失注、解約、クレーム。"
               "原因を反省し、再発を防止し、教訓を学んだ。",
    "success": "仕事の成果と実績。売上を伸ばし、目標を達成し、件数や利益が増加した。表彰され、社内で一位になり、記録を更新した。"
               "契約を獲得し受注を拡大した。",
    "strength": "自分の強みや長所、得意なこと。粘り強さ、責任感、行動力、几帳面な性格。周囲からよく頼られる。持ち味を活かせる。",
    "weakness": "自分の弱みや短所、苦手なこと。心配性で慎重すぎる、抱え込みがちな癖、欠点。克服するため気を付けて改善している。",
    "leaving": "今の会社を辞めたい理由。現職への不満、評価や待遇、年功序列、裁量の少なさ、将来への不安。環境を変えたい、"
               "会社を離れたい、転職を決意した。",
    "why_us": "この会社を志望する理由。御社の事業や製品、サービス、理念、独自の取り組みや強みに魅力を感じ、共感した。他社との違い。",
    "plan": "入社後や将来にやりたいこと。数年後に目指す姿、キャリアの目標、挑戦したい分野、身に付けたいスキル、担いたい役割、"
            "成長して実現したい夢。",
    "mgmt": "部下やメンバーの育成と指導。後輩に仕事を任せ、面談で話を聞き、フィードバックして、やる気を引き出し、チームをまとめ、"
            "役割を分担した。",
    "tech": "システムの技術的な設計や構成、実装。サーバー、データベース、プログラム、コード、フレームワーク、ライブラリ、インフラ、"
            "性能、障害、テストの自動化。",
    "values": "仕事で大切にしている価値観、信条、こだわり。人との信頼関係、誠実さ、感謝、相手の立場、コミュニケーション、"
              "話しやすい雰囲気。",
    "status": "他社の選考状況。ほかに応募している企業、面接の段階、最終面接、内定、第一志望かどうか、辞退、入社時期。",
    "career": "これまでの経歴。大学を卒業して入社し、部署に配属され、何年間どの業務を担当してきたか、現在の所属と役職。",
    "prep": "未経験の仕事に向けた準備。資格の勉強、講座の受講、独学、参考書、スクール、勉強会への参加、試験に合格。",
}
# What a question asks, by its words, within the categories where those words mean it; first match.
_ASKED_SUBJECTS: tuple[tuple[str, re.Pattern, frozenset[str]], ...] = tuple(
    (name, re.compile(pattern), frozenset(cats.split())) for name, pattern, cats in (
        ("failure", r"失敗|うまくいかなかった|上手くいかなかった|達成できなかった|成果が出(?:ない|なかった|ていない)|ミス",
         "experience management technical values"),
        ("weakness", r"弱み|短所", "values experience"),
        ("strength", r"強み|長所", "experience values"),
        ("leaving", r"辞め|退職|転職(?:を考え|しよう|理由|の理由|活動|をお考え)|離れよう", "reason_for_leaving"),
        ("prep", r"準備|勉強|キャッチアップ|磨い", "career_change technical"),
        ("plan", r"年後|入社(?:後|したら|して|され)|やりたいこと|キャリアプラン|取り組みたい", "motivation"),
        ("why_us", r"志望|なぜ当社|当社を選|当社の(?:どこ|魅力)|当社なの", "motivation"),
        ("mgmt", r"部下|育成|メンバー|マネジメント|チーム|リーダー|スタッフ|組織", "management"),
        ("tech", r"技術|システム|フレームワーク|設計|障害|ツール|パフォーマンス|インフラ", "technical"),
        ("success", r"成果|実績|評価された|力を入れた", "experience management technical"),
        ("hardship", r"苦労|大変|困難|難しかった|トラブル|乗り越え|困った", "experience management technical"),
    )
)
# The subjects that answer each asked one, and those plainly another question's (a plan or a
# motivation is part of why-us and is not listed against it; a self-introduction may tell anything).
_ANSWERS: dict[str, tuple[str, ...]] = {
    "failure": ("failure",), "weakness": ("weakness",), "strength": ("strength", "success"), "leaving": ("leaving",),
    "prep": ("prep",), "plan": ("plan", "why_us"), "why_us": ("why_us",), "mgmt": ("mgmt",), "tech": ("tech",),
    "success": ("success",), "hardship": ("failure", "success"),
}
_OTHER: dict[str, tuple[str, ...]] = {
    "failure": ("success", "strength"), "weakness": ("strength", "success"), "strength": ("leaving", "plan", "why_us"),
    "leaving": ("success",), "prep": ("plan", "why_us"), "plan": ("success", "leaving"), "why_us": ("leaving", "status"),
    "mgmt": ("success",), "tech": ("values", "plan"), "success": ("plan", "leaving", "why_us"), "hardship": ("strength", "plan"),
}
_SUBJECT_LABEL = {
    "failure": "失敗の話", "success": "成果・実績の話", "strength": "強みの話", "weakness": "弱みの話", "leaving": "今の職場を離れたい理由の話",
    "why_us": "志望理由の話", "plan": "今後やりたいことの話", "mgmt": "部下・メンバーの育成の話", "tech": "技術の話", "values": "仕事で大切にしていることの話",
    "status": "選考状況の話", "career": "経歴の話", "prep": "準備の話",
}
_ASKED_LABEL = {
    "failure": "失敗", "weakness": "弱み", "strength": "強み", "leaving": "退職・転職の理由", "prep": "準備", "plan": "入社後やりたいこと",
    "why_us": "志望の理由", "mgmt": "部下・メンバーの育成", "tech": "技術", "success": "成果", "hardship": "苦労した経験",
}
SUBJECT_MARGIN = 0.28  # the other subject's mean score over the asked ones', in centred cosine
SUBJECT_SHARE = 0.75  # and the share of sentences nearer the other subject


@lru_cache(maxsize=1)
def _prototypes():
    import numpy as np

    from simulator.analysis.language import parse
    from simulator.analysis.semantic import centroid, content_vectors

    names = tuple(_SUBJECTS)
    protos = np.stack([centroid(content_vectors(parse(_SUBJECTS[n]).tokens)) for n in names])
    mean = protos.mean(axis=0)
    centred = protos - mean
    return names, centred / np.linalg.norm(centred, axis=1, keepdims=True), mean


def asked_subject(question: str, category: str | None) -> str | None:
    return next((name for name, pattern, cats in _ASKED_SUBJECTS if category in cats and pattern.search(question)), None)


def subject_scores(r: rd.Reading) -> list[dict[str, float]]:
    """Per sentence (of two content words or more): its centred cosine to each subject's prototype."""
    import numpy as np

    from simulator.analysis.semantic import centroid, content_vectors

    names, protos, mean = _prototypes()
    p = r.parse
    out = []
    for a, b in p.sentences:
        vs = content_vectors(p.tokens[a:b])
        if len(vs) < 2:
            continue
        v = centroid(vs) - mean
        n = float(np.linalg.norm(v))
        if n > 0:
            out.append(dict(zip(names, (protos @ (v / n)).tolist())))
    return out


def _other_subject_by_meaning(question: str, category: str | None, r: rd.Reading) -> str | None:
    """Most sentences, and the answer on average by a wide margin, are nearer another question's subject
    than the asked one. Guards from what each question asks keep an answer that does answer it."""
    asked = asked_subject(question, category)
    if asked is None:
        return None
    scores = subject_scores(r)
    if not scores:
        return None
    mean = {name: sum(s[name] for s in scores) / len(scores) for name in scores[0]}
    own = lambda s: max(s[x] for x in _ANSWERS[asked])  # noqa: E731
    mean_own = max(mean[x] for x in _ANSWERS[asked])
    mean_other, other = max((mean[o], o) for o in _OTHER[asked])
    nearer = sum(1 for s in scores if s[other] > own(s)) / len(scores)
    if mean_other - mean_own <= SUBJECT_MARGIN or nearer < SUBJECT_SHARE:
        return None
    text = r.text
    # Guards: what the asked question's own answer shows in its form.
    if asked == "leaving" and (_wishes(r) or _REASON_TOLD.search(text) or r.faults):
        return None  # a reason or a wish answers why one leaves
    if asked == "plan" and other == "success" and _wishes(r):
        return None
    if asked == "why_us" and (_COMPANY_REF.search(text) or _CHOOSING.search(text)):
        return None
    if asked == "failure" and _tells_failure(text):
        return None
    if asked == "weakness" and _WEAKNESS_TOLD.search(text):
        return None
    return f"{_ASKED_LABEL[asked]}を聞かれて、{_SUBJECT_LABEL[other]}をしている"


def _other_subject(question: str, category: str | None, r: rd.Reading) -> str | None:
    """The answer's content belongs to another question: a plan for a question about the past, a
    reason for leaving or a plan for why-us, a strength for the weakness question, achievements
    for why-leaving. Each needs both: the signs of the other subject, and none of the one asked."""
    text = r.text
    if category in _ASKS_PAST and not _ASKED_TOPICS["future"].search(question) and _wishes(r) and not _tells_past(r):
        return "質問とは別の、今後やりたいことの話をしている"
    if category == "motivation" and _ASKS_WHY_US.search(question) and not _COMPANY_REF.search(text) and not _CHOOSING.search(text):
        if _CURRENT_JOB.search(text) and (r.faults or re.search(r"ない|なく|離れ|不満", text)):
            return "志望の理由ではなく、今の職場を離れたい理由を話している"
        if _wishes(r) and _PLAN_HORIZON.search(text):
            return "志望の理由ではなく、今後のキャリアの話をしている"
    if _ASKS_WEAKNESS.search(question) and _STRENGTH_TOLD.search(text) and not _WEAKNESS_TOLD.search(text):
        return "弱みを聞かれて、強みの話をしている"
    if category == "reason_for_leaving" and _ASKS_LEAVING.search(question) and _ABOUT_SUCCESS.search(text) \
            and not r.faults and not _REASON_TOLD.search(text):
        return "退職・転職の理由ではなく、実績の話をしている"
    if category == "self_introduction" and _announced_topic(text) == "motivation" and not _CAREER_TOLD.search(text):
        return "自己紹介ではなく、志望理由の話をしている"
    return _other_subject_by_meaning(question, category, r)


def off_question(question: str, category: str | None, r: rd.Reading) -> str | None:
    """Evidence when the answer plainly tells something other than what the question asked.

    Only the clear cases: an interviewer re-asks when the answer is about another question, not
    when it is merely weak (that is what the other findings are for).
    """
    text = r.text
    if len(text) < 40:
        return None  # too short to judge its topic: too_short speaks for it
    opening = text[:60]
    if _ASKS_FAILURE.search(question):
        # (「失敗というか…間に合わなかったことがあって」: set aside in words, then told all the same)
        if (m := _NOT_A_FAILURE.search(opening)) and not _tells_failure(text, m.end()):
            return "失敗を聞かれて、うまくいった話をしている"
        if not _tells_failure(text) and _ABOUT_SUCCESS.search(text):
            return "失敗を聞かれて、うまくいった話をしている"
    if category != "reason_for_leaving" and not _ASKS_LEAVING.search(question) and _OPENS_WITH_LEAVING.search(opening):
        return "質問とは別の、転職理由の話をしている"
    topic = _announced_topic(text)
    if topic is not None and not _ASKED_TOPICS[topic].search(question) and category not in ("self_introduction",):
        return {"leaving": "質問とは別の、転職理由の話をしている", "strength": "質問とは別の、強みの話をしている",
                "hardship": "質問とは別の、苦労した話をしている", "future": "質問とは別の、今後やりたいことの話をしている",
                "motivation": "質問とは別の、志望理由の話をしている"}[topic]
    if category == "motivation" and _ASKS_WHY_US.search(question) and _OPENS_WITH_STATUS.search(opening) \
            and not _REASON_WORDS.search(text):
        return "志望の理由ではなく、選考状況の話をしている"
    if _ASKS_START.search(question) and not _START_TOLD.search(text):
        return "入社可能な時期ではなく、別の話をしている"
    if category == "logistics" and _ASKS_PAY.search(question) and not _ASKS_START.search(question) and not _PAY_TOLD.search(text):
        return "希望年収ではなく、別の話をしている"
    if _ASKS_STATUS.search(question) and not _STATUS_TOLD.search(text):
        return "他社の選考状況ではなく、別の話をしている"
    if category == "reason_for_leaving" and _OPENS_WITH_COMPANY.search(text.strip()) and not _CURRENT_JOB.search(text):
        return "退職・転職の理由ではなく、志望動機を話している"
    return _other_subject(question, category, r)
