"""FROZEN: the content rules as they were before the parse-based analysis (commit 8e5c9e0).

Kept unchanged only so `eval findings` can print today's rules beside them as the baseline, in
the same run, on the same labelled answers. Never edit or tune this file.

Content and delivery findings for one answer: stable ids, each with its evidence.

Pure functions over the transcript and the measured figures. The ids are a public contract
(`analyze --json`, saved sessions, question-set probe keys); the catalogue, with what triggers
each finding and the measured precision/recall, is in docs/findings.md.

Transcripts come from Whisper base: punctuation may be missing (clauses split by spaces),
figures come as digits or kanji, and words are sometimes misheard (御社 as 音車/オンシャ).
The rules therefore work on NFKC-normalised text, treat spaces as clause breaks, fold the
common mishearings, and accept kana spellings of the key words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.interview.company import CompanyProfile


@dataclass(frozen=True)
class Finding:
    id: str
    evidence: str

    def to_dict(self) -> dict:
        return {"id": self.id, "evidence": self.evidence}


@dataclass(frozen=True)
class ContentOptions:
    too_long_s: float = 180.0
    long_answer_s: float = 90.0
    too_short_s: float = 10.0
    # Spontaneous Japanese averages ~6 filled pauses per 100 words (CSJ), roughly 6-7 a minute:
    # flag clearly above that, and never on one or two fillers in a short answer.
    many_fillers_per_min: float = 10.0
    many_fillers_min_count: int = 3
    # A person thinking needs a few seconds; five seconds of silence reads as being stuck.
    hesitant_latency_s: float = 5.0
    company: "CompanyProfile | None" = field(default=None, compare=False)


ALL = frozenset(
    ("self_introduction", "experience", "motivation", "values", "reason_for_leaving",
     "management", "technical", "career_change", "reverse")
)
SPOKEN = ALL - {"reverse"}

# Which question categories each finding applies to (the contract with question sets).
FINDING_CATEGORIES: dict[str, frozenset[str]] = {
    "no_numbers": frozenset({"self_introduction", "experience", "management"}),
    "no_process": frozenset({"experience", "management", "technical"}),
    "abstract": SPOKEN,
    "blame": SPOKEN,
    "negative_reason": frozenset({"reason_for_leaving"}),
    "no_learning": frozenset({"experience", "management", "technical"}),
    "not_conclusion_first": SPOKEN - {"self_introduction"},
    "too_long": ALL,
    "long_answer": ALL,
    "too_short": SPOKEN,
    "generic_motivation": frozenset({"motivation"}),
    "no_questions": frozenset({"reverse"}),
    "conditions_question": frozenset({"reverse"}),
    "hesitant_start": ALL,
    "many_fillers": ALL,
}
FINDING_IDS = tuple(FINDING_CATEGORIES)


def applies(finding: str, category: str | None) -> bool:
    """Unknown or missing categories get only the findings that apply everywhere."""
    cats = FINDING_CATEGORIES[finding]
    return category in cats if category else cats == ALL


# ---------------------------------------------------------------- normalisation

# Whisper base mishearings of 御社 (onsha) seen in practice, and kana spellings.
_ONSHA = re.compile(r"音車|恩社|温社|御者|オンシャ|おんしゃ|オン社|おん社")
_SENTENCE_END = re.compile(r"[。．！？!?\n]+|\s+")


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return _ONSHA.sub("御社", text)


def sentences(text: str) -> list[str]:
    """Sentences, with Whisper's spaces (its segment breaks) treated as sentence ends."""
    return [s.strip("、, ") for s in _SENTENCE_END.split(text) if s.strip("、, ")]


# ---------------------------------------------------------------- lexicons

_FILLER_LEAD = re.compile(r"^(?:(?:はい|ええ|えー+と?|えっと|えと|あの[ー]*|あー+|うーん|まあ|その[ー]*|そうですね|そうですねえ|ええと)[、,\s]*)+")

# Effort and eagerness words that promise without showing (頑張りました, やる気だけは).
_EFFORT = re.compile(
    r"頑張|がんば|ガンバ|一生懸命|一生けんめい|精一杯|せいいっぱい|全力|努力し|努力を|誰よりも|諦めず|あきらめず|"
    r"やる気|何事にも|積極的に(?:チャレンジ|挑戦|取り組)|いろいろ(?:な(?:こと|もの)を)?吸収|色々(?:な(?:こと|もの)を)?吸収|"
    r"しっかり(?:と)?(?:向き合|取り組|対応|やり)|精いっぱい"
)
# 「いくら頑張っても」「頑張ったが」: concessive, not a claim of the candidate's own effort.
_CONCESSIVE_AFTER = re.compile(r"^(?:[っりつ]?(?:て|で)も|っ?た(?:が|けど))")

# A figure: digits, or kanji numerals with a counter; 半分・倍・割 are figures too.
_COUNTER = r"(?:年|か月|ヶ月|カ月|ケ月|箇月|月|週|日|時間|分|秒|件|人|名|社|円|倍|割|%|パーセント|台|個|回|店|期|位|歳|万|億|千|百|点|拠点|部署|チーム|種類|ポイント|本|kg|km)"
_NUMBER = re.compile(
    rf"\d|[〇一二三四五六七八九十百千万億]+{_COUNTER}|半分|半年|半期|倍に|[0-9一二三四五六七八九十]+割|"
    # Whisper sometimes writes small numerals in kana: 二割 heard as 「に割り」.
    r"(?:いち|に|さん|よん|ご|ろく|なな|はち|きゅう|じゅう)(?:割|倍|パーセント)"
)
_NOT_A_NUMBER = re.compile(r"一人(?:ひとり|一人|で)|一日も早く|一度|一番|一つ|一緒|一人前|一通り|一生|一言")

# Verbs that state results, states or attitudes rather than actions: they do not make a process.
_NON_ACTION_LEMMAS = frozenset(
    """
    する なる ある いる できる 思う 考える 言う いただく くださる おる 申す 参る いう
    伸ばす 伸びる 上げる 上がる 下げる 下がる 減らす 減る 増やす 増える 達成 獲得 完了 実現 改善 短縮 削減
    成功 向上 貢献 評価 感謝 表彰 担当 経験 受賞 成長 終わる 出す 得る 取る 任す 任せる 頂く 続く 続ける
    頑張る がんばる 努力 取り組む 負ける 上回る 下回る 心がける 心掛ける 向き合う 大事 大切 意識 努める 見せる 勤める 務める 携わる
    入社 異動 在籍 所属 従事 就く 働く 過ごす 感じる 知る 分かる わかる 持つ 困る 違う 変わる 言える
    """.split()
)

# A claimed result, skill or role (what no_process asks the "how" of); failures are not claims.
_RESULT_CLAIM = re.compile(
    r"(?:伸ば|上げ|下げ|減らし|増やし|短縮し|削減し|改善し|獲得し|達成し|完了し|実現し|成功し|倍に|%に|割に|開拓し)(?:し)?(?:た|ました|まし|て)|"
    r"(?:表彰|評価|受賞|任され|担当して|立場で|役割)"
)

# Concrete method markers that show how something was done, even with few verbs.
_METHOD = re.compile(r"まず|次に|そこで|具体的には|例えば|ことで(?![すしき])|によって|を通じて|仕組み|ルール|手順|ひな形|テンプレート|ように(?:しました|しています|して)")

_BLAME = re.compile(
    r"(?:上司|会社|部下|周り|周囲|他部署|メンバー|前任者|経営陣|営業|現場|環境|先輩|後輩|お客様|顧客|上層部)(?:の|が)(?:せい|責任|力不足)|"
    r"のせいで|せいだ|(?:上司|会社|部下|環境|周り|経営陣)が悪|"
    r"(?:協力|理解|評価|挑戦|対応|サポート|教え|任せ)(?:して|させて)?くれ(?:な|ませ)|"
    r"(?:聞いて|認めて|分かって|わかって)(?:もらえ|くれ)(?:な|ませ)|"
    r"私だけの(?:問題|責任)ではな|自分だけの(?:問題|責任)ではな|私のせいではな|"
    r"やれることはやっ|しかやらない|全然協力|力不足が|"
    r"(?:上司|部長|課長|先輩|同僚|チーム)と(?:そり|反り|馬)が合わ|(?:提案|相談|意見を言)っ?ても(?:通らな|変わらな|聞いてもらえな)|しても通らな"
)

_NEGATIVE_REASON = re.compile(
    r"残業|給料|給与|年収|ボーナス|賞与|人間関係|そりが合わ|評価され(?:な|て(?:い)?な)|正当に評価|"
    r"将来(?:性)?(?:が|に|も)?(?:不安|見えな|ない|なく)|休み(?:が|も)(?:ほとんど|取れ|少な|な)|休めな|限界|つら[いく]|辛[いく]|"
    r"ブラック|不満|嫌[にでだ]|いやにな|年功序列|業績が悪|カット|パワハラ|体力的|精神的"
)
_NEGATED_AFTER = re.compile(r"^[^。、]{0,12}(?:が|は)?(?:理由|原因|不満)?(?:では|じゃ)な")

_DIFFICULTY = re.compile(
    r"失敗|ミス|間違|トラブル|困難|苦労|難し(?:か|い|く)|うまくいかな|上手くいかな|止ま(?:って|った|り)|達成できな|未達|クレーム|問題が|"
    r"遅れ(?:て|た|る)|[てで]しま(?:い|っ)"
)
_LESSON = re.compile(
    r"学(?:び|ん|ぶ|べ)|教訓|(?:と|ことに|大切さに|重要性に|必要性に)気[づ付]|気づき|気付き|気づかされ|痛感|実感|反省|以来|それから(?:は)?|それ以降|以降は|今では|今後は|次から|"
    r"活か|生か|大切だと|大事だと|重要だと|大切さ|大事さ|重要性|心がけ|ようにしています|意識する|身につ|身に付|糧|"
    r"ルールにし|ルールに|仕組みに|二度と"
)

# Opening sentences that answer the question (結論): a topic with its answer, a reason, a want.
_CONCLUSION = re.compile(
    r"ことです|ことでした|ことだと|ことがあり|ところです|のは、|のは|理由は|強みは|成果は|失敗は|きっかけ|"
    r"からです|ためです|一言で|結論|と思っています|と考えています|と思います|と考えており|と思っており|と思いました|"
    r"たいです|たいと|ようにしています|にしています|を大切に|が(?:あります|ありました)|惹かれ|魅力を感じ"
)
# A short opening sentence that simply states something (「8名のチームを見ています」) answers too.
_PLAIN_STATEMENT_END = re.compile(r"(?:です|でした|ます|ました)ね?$")
# Openings that tell background first (入社当時は…, 前の会社では…).
_BACKGROUND = re.compile(
    r"入社|当時|最初は|最初の(?:年|頃|ころ)|当初|もともと|元々|以前は|前の(?:会社|職場|部署)(?:では|は)|前職では|今の(?:会社|職場|部署)では|現職では|"
    r"学生時代|大学|\d+年に|[一二三四五六七八九十]+年(?:目|前)に|(?:状態|状況)でした|のですが|んですが|んですけど|のですけど"
)
_CONCLUSION_SHORT_MAX_CHARS = 45
_OPENING_LONG_CHARS = 60

_NO_QUESTIONS = re.compile(
    r"(?:特に|とくに|得に|トクに)(?:は|何も)?(?:ありません|ないです|ございません|ない|無い|なく)|"
    r"大丈夫です|(?:質問|お聞きしたいこと|伺いたいこと)は(?:ありません|ございません|ないです)|"
    r"^(?:いえ、?)?(?:ありません|ございません|ないです)"
)
_QUESTION_FORM = re.compile(
    r"でしょうか|ますか|ですか|ませんか|教えて(?:いただ|くだ|もら)|伺いたい|伺え|お聞きしたい|お聞かせ|知りたい|か[。?？]|か$"
)
_CONDITIONS = re.compile(
    r"残業|リモート|在宅|テレワーク|給与|給料|年収|賞与|ボーナス|昇給|休日|休暇|有給|福利厚生|手当|勤務時間|定時|フレックス|転勤|休み"
)
_HESITANT = re.compile(
    r"考えさせて|考えても(?:いい|よろしい)|考える時間|少々お待ち|ちょっと待って|少しお時間|"
    r"(?:何|なん)て言えば|(?:何|なん)だろう|どう言えば|難しいですね|思いつかな|すぐに出てこな"
)
_HESITANT_WINDOW_CHARS = 40

# Motivation: phrases that fit any company, and marks of a specific reason.
_STOCK_MOTIVATION = re.compile(
    r"事業に(?:興味|魅力)|成長できる|理念に共感|理念に惹かれ|将来性|安定(?:した|性)|雰囲気|社風|業界(?:でも)?(?:トップ|大手|最大)|"
    r"社会に貢献|社会貢献|成長に貢献|(?:積極的に)?チャレンジ|生き生き|親切|魅力を感じ"
)
_SPECIFIC_MARK = re.compile(
    r"[A-Za-z]{2,}|\d|向け|シェア|中期経営計画|経営計画|IR|決算|社長|代表|インタビュー|記事|他社|競合|さんと比べ|"
    r"唯一|だけが|にしかな|ならでは"
)
_KATAKANA_WORD = re.compile(r"[ァ-ヴー]{3,}")
_GENERIC_KATAKANA = frozenset(
    """
    サービス ビジネス チャレンジ キャリア スキル チーム プロジェクト イメージ グローバル ポジション メンバー
    コミュニケーション スピード ビジョン ミッション カルチャー マネジメント エンジニア スタッフ ユーザー
    クライアント パートナー ステップ レベル アップ キャッチアップ フィールド ワーク バランス
    """.split()
)


# ---------------------------------------------------------------- helpers


def _morphs(text: str):
    """(surface, lemma, pos) triples from the shared SudachiPy tokenizer."""
    from simulator.analysis import japanese

    tokenizer = getattr(japanese, "_tokenizer", None)
    if tokenizer is None:  # pragma: no cover - only if the shared helper is renamed
        return [(t.surface, t.surface, t.pos) for t in japanese.tokenize(text)]
    from sudachipy import SplitMode

    return [(m.surface(), m.dictionary_form(), tuple(m.part_of_speech())) for m in tokenizer().tokenize(text, SplitMode.C)]


def action_verbs(text: str) -> list[str]:
    """Distinct lemmas of concrete action verbs (and サ変 nouns used with する) in the text."""
    morphs = _morphs(text)
    seen: list[str] = []
    for i, (surface, lemma, pos) in enumerate(morphs):
        is_verb = pos[0] == "動詞" and pos[1] != "非自立可能"
        is_suru_noun = (
            pos[0] == "名詞" and pos[2] == "サ変可能" and i + 1 < len(morphs) and morphs[i + 1][1] in ("する", "できる", "為る")
        )
        if not (is_verb or is_suru_noun) or lemma in _NON_ACTION_LEMMAS or lemma in seen:
            continue
        seen.append(lemma)
    return seen


def _effort_claims(text: str) -> list[re.Match]:
    return [m for m in _EFFORT.finditer(text) if not _CONCESSIVE_AFTER.match(text[m.end(): m.end() + 6])]


def _has_number(text: str) -> str | None:
    cleaned = _NOT_A_NUMBER.sub("", text)
    m = _NUMBER.search(cleaned)
    return m.group(0) if m else None


def _opening(text: str) -> str:
    """The first real sentence: leading fillers, 「はい」, an echo of the question and asking for time dropped."""
    for s in sentences(text):
        s2 = _FILLER_LEAD.sub("", s).strip("、, ")
        if not s2 or len(s2) < 8 or _HESITANT.search(s2):
            continue
        return s2
    return ""


def _quote(s: str, n: int = 30) -> str:
    return s if len(s) <= n else s[:n] + "…"


def _phrase_ending_at(text: str, m: re.Match, n: int = 16) -> str:
    """The words leading up to a match, within its clause: 「売上を前年比130%にし」."""
    left = max(text.rfind(c, 0, m.start()) for c in "。、 ") + 1
    return text[max(left, m.end() - n): m.end()].strip()


def _clause_around(text: str, start: int, end: int, n: int = 24) -> str:
    left = max(text.rfind(c, 0, start) for c in "。、 ") + 1
    right_candidates = [i for i in (text.find(c, end) for c in "。、 ") if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return _quote(text[left:right].strip(), n)


# ---------------------------------------------------------------- the rules


def _generic_motivation(text: str, company: "CompanyProfile | None") -> str | None:
    """Evidence when the motivation names nothing that sets this company apart."""
    stock = _STOCK_MOTIVATION.search(text)
    if company is not None:
        if company.named_in(text):
            return None
        return f"「{stock.group(0)}」" if stock else f"{company.name}の事業・強み・方針・競合に触れていない"
    specific = _SPECIFIC_MARK.search(text) or next(
        (m for m in _KATAKANA_WORD.finditer(text) if m.group(0) not in _GENERIC_KATAKANA), None
    )
    if specific:
        return None
    return f"「{stock.group(0)}」" if stock else "会社ならではの具体的な点がない"


def content_findings(
    transcript: str,
    category: str | None,
    answer_s: float,
    response_latency_s: float | None,
    fillers_per_min: float,
    opts: ContentOptions = ContentOptions(),
) -> list[Finding]:
    """Findings for one answer, in catalogue order, each with evidence (a quoted span or a figure)."""
    text = normalize(transcript)
    out: list[Finding] = []
    if not text.strip():
        return out

    def add(fid: str, evidence: str) -> None:
        if applies(fid, category):
            out.append(Finding(fid, evidence))

    on = lambda fid: applies(fid, category)  # noqa: E731 - reads better inline

    # Length and delivery.
    if answer_s > opts.too_long_s:
        add("too_long", f"{answer_s:.0f}秒")
    elif answer_s > opts.long_answer_s:
        add("long_answer", f"{answer_s:.0f}秒")
    elif answer_s < opts.too_short_s:
        add("too_short", f"{answer_s:.1f}秒")
    opening_window = text[:_HESITANT_WINDOW_CHARS]
    if response_latency_s is not None and response_latency_s >= opts.hesitant_latency_s:
        add("hesitant_start", f"回答まで{response_latency_s:.1f}秒の沈黙")
    elif m := _HESITANT.search(opening_window):
        add("hesitant_start", f"「{_clause_around(text, m.start(), m.end())}」")
    filler_count = fillers_per_min * answer_s / 60.0
    if fillers_per_min >= opts.many_fillers_per_min and filler_count >= opts.many_fillers_min_count - 0.01:
        add("many_fillers", f"{fillers_per_min:.1f}回/分")

    # Substance of experience answers.
    efforts = _effort_claims(text) if on("abstract") or on("no_process") else []
    actions = action_verbs(text) if on("abstract") or on("no_process") else []
    has_method = bool(_METHOD.search(text))
    concrete = len(actions) >= 2 or (has_method and len(actions) >= 1)
    distinct_efforts = {m.group(0) for m in efforts}
    is_abstract = bool(efforts) and (not concrete or (len(distinct_efforts) >= 2 and not _has_number(text)))
    if is_abstract:
        add("abstract", f"「{_clause_around(text, efforts[0].start(), efforts[0].end(), 20)}」")
    if on("no_numbers") and not _has_number(text):
        add("no_numbers", "数字・規模の言及なし")
    if on("no_process") and not is_abstract and not concrete and (m := _RESULT_CLAIM.search(text)):
        add("no_process", f"「{_phrase_ending_at(text, m)}」の進め方がない")
    # A story *about* a setback names it up front (a passing mention later is not the topic).
    topic = "。".join(sentences(text)[:2])
    if on("no_learning") and (m := _DIFFICULTY.search(topic)) and not _LESSON.search(text):
        add("no_learning", f"「{_clause_around(topic, m.start(), m.end())}」から何を学んだかがない")

    # Attitude.
    if m := _BLAME.search(text):
        add("blame", f"「{_clause_around(text, m.start(), m.end())}」")
    if on("negative_reason"):
        for m in _NEGATIVE_REASON.finditer(text):
            if _NEGATED_AFTER.match(text[m.end():]):
                continue  # 「残業の多さが理由ではなく」
            add("negative_reason", f"「{_clause_around(text, m.start(), m.end())}」")
            break

    # Structure.
    if on("not_conclusion_first"):
        opening = _opening(text)
        long_enough = len(sentences(text)) >= 3 or len(text) >= 120
        background = bool(_BACKGROUND.search(opening))
        plain = len(opening) <= _CONCLUSION_SHORT_MAX_CHARS and not background and _PLAIN_STATEMENT_END.search(opening)
        if opening and long_enough and not (_CONCLUSION.search(opening) or plain):
            if background or len(opening) > _OPENING_LONG_CHARS:
                add("not_conclusion_first", f"最初の文: 「{_quote(opening)}」")

    # Motivation and the reverse-question stage.
    if on("generic_motivation") and (evidence := _generic_motivation(text, opts.company)):
        add("generic_motivation", evidence)
    if on("no_questions") and (m := _NO_QUESTIONS.search(text)) and not _QUESTION_FORM.search(text):
        add("no_questions", f"「{_clause_around(text, m.start(), m.end())}」")
    elif on("conditions_question") and (m := _CONDITIONS.search(text)):
        add("conditions_question", f"「{_clause_around(text, m.start(), m.end())}」")
    return _in_catalogue_order(out)


def _in_catalogue_order(findings: list[Finding]) -> list[Finding]:
    order = {fid: i for i, fid in enumerate(FINDING_IDS)}
    return sorted(findings, key=lambda f: order[f.id])
