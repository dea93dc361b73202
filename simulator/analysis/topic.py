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

_NOT_A_FAILURE = re.compile(r"失敗(?:という|っていう)より|失敗では(?:ない|なく|ありません)|失敗(?:と|って)(?:いう|言える)(?:ほど|ような)(?:もの|こと)?は")
_FAILURE_WORDS = re.compile(r"失注|解約|切られ|失っ|逃し|落とし|遅延|減っ|下が|怒|叱|謝|反省|後悔|できなかった|しまった|ちゃった|間に合わ|漏れ|抜け")
_ABOUT_SUCCESS = re.compile(r"成果|達成|伸ば|強み|得意|評価され|表彰|成功|うまくいった|上手くいった|できました|1位|一位")
# An opening that answers another question: why they are leaving, where else they applied.
_OPENS_WITH_LEAVING = re.compile(r"(?:今回|今|この度)?(?:転職|退職)(?:を|しようと)?(?:考え|決め|思っ)(?:た|始めた)(?:の|理由|きっかけ)")
_OPENS_WITH_STATUS = re.compile(r"(?:他に|ほかに|御社の他に|御社のほかに)[^。]{0,10}(?:社|選考)|選考(?:を)?受けて|第一志望")
_OPENS_WITH_COMPANY = re.compile(r"^(?:はい[、,]?)?(?:御社|貴社)")
_CURRENT_JOB = re.compile(r"現職|前職|今の(?:会社|職場|仕事|部署|環境)|前の(?:会社|職場)|現在の(?:会社|職場)|辞め|退職|不満|離れ")
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
    return len({c.sentence for c in r.parse.clauses if "たい" in c.aux or c.head.lemma == "たい"})


def _tells_past(r: rd.Reading) -> bool:
    return any("た" in c.aux for c in r.parse.clauses)


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
    return None


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
        if _NOT_A_FAILURE.search(opening):
            return "失敗を聞かれて、うまくいった話をしている"
        if not (rd.SETBACK_PATTERN.search(text) or _FAILURE_WORDS.search(text)) and _ABOUT_SUCCESS.search(text):
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
    if category == "reason_for_leaving" and _OPENS_WITH_COMPANY.search(text.strip()) and not _CURRENT_JOB.search(text):
        return "退職・転職の理由ではなく、志望動機を話している"
    return _other_subject(question, category, r)
