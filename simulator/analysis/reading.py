"""What an answer says, clause by clause: who did what, and which claims carry a figure, a method,
a result or a lesson.

Built on the dependency parse (language.py). Word classes here are classes of *lemmas in a
grammatical role* (the agent of a negative predicate, the object of an action), not phrases to
spot: 「見積もりが出てくるのが遅くて」 is blame because a thing is the subject of a negative
predicate and nothing the speaker did follows, whatever the words. Pure functions of the parse.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from simulator.analysis.language import Agent, Clause, Parse, Tok, parse
from simulator.analysis.semantic import WordClass

# ---------------------------------------------------------------- word classes (lemmas)

SELF_WORDS = frozenset("私 僕 自分 わたくし 俺 我々 私たち 僕ら 自分たち 弊社 当方 当チーム".split())
# People and organisations other than the speaker; nouns ending in these are too (営業部, 開発側).
OTHER_WORDS = frozenset(
    """
    上司 部長 課長 係長 主任 店長 社長 役員 先輩 後輩 同僚 部下 メンバー 担当者 前任者 後任 上の人 上層部 経営陣 経営層
    会社 本社 本部 現場 他部署 部署 部門 営業 開発 技術 製造 人事 総務 経理 品質 工場 支店 チーム 相手 先方 向こう
    お客様 お客さん 顧客 取引先 クライアント 発注元 元請け 下請け 協力会社 ベンダー 外注 パートナー 業者 利用者 患者 ご家族
    周り 周囲 みんな 皆 皆さん 誰 人 方 方々 方針 組織 体制 トップ 親会社 グループ 本人 彼 彼女 その人 あの人 スタッフ 職員 看護師 医師 ドクター
    """.split()
)
OTHER_SUFFIXES = ("部", "課", "部門", "側", "さん", "チーム", "担当", "会社", "社", "様", "陣", "長", "者", "人たち", "方々")
# Circumstances that, as the subject of a negative predicate, carry the cause of a problem.
THING_WORDS = frozenset(
    """
    見積もり 見積り 見積 予算 納期 スケジュール 日程 期限 工数 人手 人員 リソース 体制 仕組み 環境 制度 ルール システム 仕様
    要件 指示 連絡 情報 返事 返答 回答 承認 決裁 判断 確認 対応 レスポンス 景気 市場 相場 時期 タイミング 状況 条件 方針
    """.split()
)
# Predicates that describe a fault when someone else (or a thing) is their subject.
NEGATIVE_PREDICATES = frozenset(
    """
    遅い 悪い ひどい 酷い 甘い 足りる 足りない 曖昧 適当 雑 いい加減 無責任 非協力 非協力的 無理 冷たい 合う
    遅れる 変わる 変える 降る 押し付ける 丸投げ 振る 振り回す 決める 削る 止める 反対 邪魔 妨げる 引っ張る 失敗 ミス 間違う 間違える
    潰す 崩れる 揃う 動く 進む 決まる 出る 来る 守る 通る 聞く 協力 理解 対応 評価 認める 分かる わかる 教える 手伝う 動ける 回る
    """.split()
)
# Of those, the ones that are a fault only when negated (協力しない, 動かない, 出てこない, 決まらない).
NEEDS_NEGATION = frozenset(
    "揃う 動く 進む 決まる 出る 来る 守る 通る 聞く 協力 理解 対応 評価 認める 分かる わかる 教える 手伝う 動ける 回る 足りる 合う".split()
)
# Faults even with the subject dropped: 「何を提案しても通らない」「(そりが)合わない」.
FAULT_WITHOUT_SUBJECT = frozenset("通る 合う".split())
# Negative evaluations: as the predicate of someone else (or of their work) they state a fault,
# whatever the word (杜撰, 横柄, 強引, 場当たり的): near these seeds and nearer them than praise.
FAULT_CLASS = WordClass(
    "fault",
    frozenset("遅い 悪い ひどい 酷い 甘い 曖昧 適当 雑 いい加減 無責任 非協力 非協力的 冷たい 無茶 杜撰 理不尽 身勝手 横柄 強引 高圧的 不親切 不誠実 怠慢 無能".split()),
    near=0.55,
    against=tuple("良い 早い 速い 丁寧 的確 迅速 誠実 優秀 親切 正確 協力的 柔軟 適切 素晴らしい 明確 積極的 真面目 真摯 優しい 熱心 厳しい 難しい 大変 忙しい 多い 少ない 大きい 強い".split()),
    margin=0.05,
    pos=frozenset({"ADJ"}),
)
# A change is a fault only when it is erratic: 指示がころころ変わる, not 雰囲気が変わった.
ERRATIC = frozenset("ころころ コロコロ 急 急に 頻繁 何度 突然 毎回 すぐ 二転三転".split())
# (a planned change, 定期的に or 計画的に, is no fault: those are the contrast)
ERRATIC_CLASS = WordClass("erratic", ERRATIC | frozenset("度々 しばしば".split()), near=0.66,
                          against=tuple("徐々 次第 少しずつ だんだん 大きく 大幅 完全 定期的 計画的 予定 定例".split()),
                          pos=frozenset({"ADV", "ADJ"}))
# Imposed on the speaker (passive of another's act): 振り回された, 押し付けられた, 言われて.
IMPOSED_PASSIVE = frozenset("丸投げ 押し付け 無茶振り 強いる 強制 命令 無視 後回し 却下 差し戻す 差し戻し 反故 振り回す 押し付ける 決める 変える 削る 止める 反対 任す 任せる 振る 急かす 指示 命じる 怒る 責める".split())
CAUSE_MARKERS = re.compile(
    r"のせい|せいで|せいだ|(?<![もて])仕方な(?:い|く|か)|(?<![もて])しかたな(?:い|く|か)|(?<![もて])仕方がな|(?<![もて])しょうがな|(?:どうしようもな|どうにもならな)(?!い(?:こと|もの))|どうにもでき(?:な|ず)|打つ手が(?:な|あり)|"
    r"(?:打ち|防ぎ|避け|やり)ようが(?:な|あり)|誰が(?:やって|担当して)も同じ(?:結果|こと|だ|で|に)|"
    # no choice but (直すしかなかった), nothing one could do, anyone would have erred, their failing was all
    r"(?<!や)[るすつうくぐむぶ]しかなかっ|どうすることもでき(?:な|ず|ませ)|誰が(?:やって|担当して)も[^。]{0,12}?(?:間違え|失敗し|ミスし)(?:た|る|て)|"
    r"な(?:かった|い)のが(?:全て|すべて)|"
    r"原因は[^。]{0,15}(?:チーム|部署|部|課|側|さん|会社|本部|本社|上司|営業|メンバー|先方|取引先|お客様|ベンダー)(?:が|の)|おかげで(?:全然|まったく|結局)|足を引っ張|責任(?:だ|です|でした)|"
    r"(?:私|自分)だけの(?:問題|責任|せい)では|"
    r"(?:部下|メンバー|上司|会社|本部|本社|営業|他部署|周り|周囲|前任者|お客様|顧客|経営|現場|若手)[^。]{0,12}(?:力不足|原因|責任)(?:だ|で|が|です)"
)
OWNERSHIP = re.compile(
    r"(?:私|自分|僕)の[^。、]{0,4}(?:責任|ミス|判断|確認|見通し|詰め|準備|力不足|不注意|落ち度)|思い込(?:ん|み)|見落と|"
    r"(?:私|自分)に(?:も)?(?:原因|責任|非)|反省|(?:私|自分|見通し|詰め|認識|考え|読み|確認|準備|想定|見積もり|判断|管理)(?:が|も)甘かった|不足していた|できていなかった|足りていなかった|至らな|きれ(?:て(?:い)?)?な(?:く|かっ|い)|"
    r"(?:私|自分)(?:が|から|の方で|のほうで)(?:[^。]{0,30})(?:提案|調整|相談|作|始め|決め|巻き込|説明|交渉|確認|整理|まとめ|用意|依頼|働きかけ|声をかけ)"
)

# Effort and attitude: words that promise without showing.
EFFORT_LEMMAS = frozenset(
    """
    頑張る がんばる 頑張り 努力 必死 全力 精一杯 一生懸命 懸命 誠心誠意 粘り強い 粘る 地道 泥臭い 尽力 奮闘 邁進 専念 没頭
    諦める あきらめる 寄り添う 向き合う 心がける 心掛ける 意識 徹底 積極的 主体的 前向き 真摯 誠実 熱意 情熱 やる気 本気 根性
    執念 気合い 気持ち 姿勢 熱心 謙虚 貪欲 妥協 全身全霊 コツコツ こつこつ 愚直 丁寧 しっかり きちんと ちゃんと 色々 いろいろ 様々
    工夫 足しげく 足繁く 誰よりも 人一倍 とにかく ひたすら 常に 何事 何でも 一丸 大切 大事 モチベーション チャレンジ 挑戦 信頼
    """.split()
)
# Of those, the ones that are an effort claim on their own (the rest only sharpen one: 色々, とにかく).
EFFORT_CORE = frozenset(
    """
    頑張る がんばる 頑張り 努力 必死 全力 精一杯 一生懸命 懸命 誠心誠意 粘り強い 粘る 地道 泥臭い 尽力 奮闘 邁進 寄り添う
    向き合う 心がける 心掛ける 積極的 主体的 前向き 真摯 熱意 情熱 やる気 本気 根性 執念 気合い 熱心 貪欲 全身全霊 コツコツ
    こつこつ 愚直 足しげく 足繁く 誰よりも 人一倍 ひたすら 一丸 諦める あきらめる
    """.split()
)
# Concrete doing and measured results: an effort word must be nearer the effort seeds than these.
_CONCRETE_SEEDS = tuple(
    """
    分析 作成 集計 訪問 提案 設計 導入 調査 整理 比較 検証 計測 測定 入力 記録 確認 修正 実装 改修 配布 電話 面談 説明 共有
    削減 短縮 増加 減少 達成 売上 件数 結果 成果 数字 資料 一覧 手順 方法 仕組み 予算 計画 担当 参加 開催 作る 書く 集める 調べる 並べる
    なるべく できるだけ 極力 可能 なるたけ
    """.split()
)  # (the last line: hedges of degree, which sit near 精一杯 and promise nothing)
# Effort and attitude claims by meaning: the listed core, and words near it (がむしゃら, 奔走, 踏ん張る).
EFFORT_CLASS = WordClass("effort", EFFORT_CORE, near=0.68, against=_CONCRETE_SEEDS, margin=0.08)
EFFORT_PATTERN = re.compile(r"頑張|がんば|一生懸命|精一杯|全力|必死|誠心誠意|粘り強|地道に|泥臭|諦めず|あきらめず|誰よりも|人一倍|足しげく|足繁く|色々(?:と)?工夫|いろいろ(?:と)?工夫|寄り添|"
                            # attitudes said as idioms: 心を込めて, 相手の立場に立って, 何よりも大事に
                            r"心を(?:込|こ)め|立場に立っ|何よりも(?:大事|大切)|"
                            # and effort said as idioms: 誰にも負けない, 持てる力をすべて注いで, 身を粉にして, 足を使って
                            r"誰にも負けな|気持ちで(?:は)?負けな|力を(?:すべて|全て)?注|身を粉に|全身全霊|足を使っ")

# Verbs that state results, states, attitudes or speech rather than a concrete action.
NON_ACTION_LEMMAS = frozenset(
    """
    する なる ある いる できる 思う 考える 言う いう いただく くださる おる 申す 参る 頂く 見る 来る 行く 出る 入る やる
    まいる ござる いただける 頂ける 存ずる 存じる
    伸ばす 伸びる 上げる 上がる 下げる 下がる 減らす 減る 増やす 増える 達成 獲得 完了 実現 改善 短縮 削減 成功 向上 貢献 評価
    感謝 表彰 担当 経験 受賞 成長 終わる 出す 得る 取る 任す 任せる 続く 続ける 頑張る がんばる 努力 取り組む 負ける 上回る 下回る
    心がける 心掛ける 向き合う 大事 大切 意識 努める 見せる 勤める 務める 携わる 入社 異動 在籍 所属 従事 就く 働く 過ごす 感じる
    知る 分かる わかる 持つ 困る 違う 変わる 言える 引き上げる 押し上げる 高める 抑える 工夫 対応 徹底 尽くす 通う 寄り添う 挑戦
    チャレンジ 信頼 学ぶ 気付く 気づく 乗り切る 乗り越える 果たす 頑張れる 努める 喜ぶ 褒める 認める 任される 貰う もらう 聞く
    なれる 取れる 伝わる 向く 張る ぶつかる 掛け合う かけ合う 欠かす 吸収 励む 尽きる 努力 合わせる 向かう 思える 見える
    築く 築ける 外れる 立つ 込める こめる つながる 繋がる 生まれる 着任 就任 定着 配属 独り立ち
    """.split()
)
# Objects too vague to make an action concrete (やれることはやった, 色々と対応した).
VAGUE_OBJECTS = frozenset(
    """
    こと もの 本日 今日 色々 いろいろ 様々 全て 全部 何 何か 範囲 一通り ひと通り 自分 それ これ あれ 仕事 業務 作業 ところ 部分 感じ
    声 方向 互い お互い アンテナ 気持ち 思い 姿勢 力 全力 日頃 常 つ 一つ 前 先 方
    """.split()
)

LESSON_PATTERN = re.compile(
    r"学(?:び|ん|ぶ|べ)|教訓|(?:と|ことに|大切さに|重要性に|必要性に|大事さに|怖さに)気[づ付]|気づき|気付き|気づかされ|痛感|実感し|反省|以来|それから(?:は)?|それ以降|以降は|今では|今は(?:必ず|毎回)|今後は|次から|"
    r"活か|生か|大切だと|大事だと|重要だと|大切さ|大事さ|重要性|心がけ|ようにしています|ようにしてい|意識する|身につ|身に付|糧|"
    r"ルールにし|ルール化|ルールに(?:入れ|加え)|仕組み(?:に|化)|二度と|教わ|思い知|肝に銘じ|必ず[^。]{0,20}(?:ようにし|ことにし|と決め)|と決めて|"
    r"ようにして(?:い|ま|る)|今の自分(?:だったら|なら)|次(?:に|は)同じ|もう一度やるなら|(?:と|って)[^。]{0,8}(?:分か|わか)(?:りました|った)|"
    r"叩き込|身にしみ|身に染み|骨身に"
)
SETBACK_PATTERN = re.compile(
    r"失敗|ミス|間違|トラブル|困難|苦労|難し(?:か|い|く)|うまくいかな|上手くいかな|うまく行かな|止ま(?:って|った|り)|達成できな|未達|"
    r"クレーム|問題が|遅れ(?:て|た|る)|[てで]しま(?:い|っ)|[てで]ちゃ(?:い|っ)|失注|炎上|事故|損失|赤字|怒ら|叱ら|謝罪|落ち込"
)
METHOD_PATTERN = re.compile(
    r"まず|最初に|次に|そこで|具体的には|例えば|ことで(?![すしき])|によって|を通じて|を使って|仕組み|ルール|手順|ひな形|テンプレート|"
    r"ため(?:に)?[、,]|毎(?:日|週|月|朝|回)|週(?:に)?[一二三1-9]|月(?:に)?[一二三1-9]|ごとに|一覧|リスト|表に|分析|可視化|"
    r"ヒアリング|勉強会|面談|定例|共有"
)
REASON_FOR_METHOD = re.compile(r"なぜなら|理由は|というのも|比較|検討した|ほかに(?:も)?[^。]{0,20}(?:考え|案)|他の(?:方法|案)|選んだ|あえて|代わりに")
OWN_ROLE = re.compile(r"私(?:が|は)[^。]{0,30}(?:担当|決め|作|提案|リード|主導|まとめ|設計|引っ張)|私の役割|自分の役割|私自身|自分自身|リーダーとして|責任者として")
OBSTACLE = re.compile(r"苦労|大変だった|難しかった|壁にぶつか|反発|抵抗|うまくいかな|上手くいかな|ハードル|一番きつ|つまず")

# A figure: digits, or kanji numerals with a counter; 半分・倍・割 are figures too.
_COUNTER = (r"(?:年|か月|ヶ月|カ月|ケ月|箇月|月|週|日|時間|分|秒|件|人|名|社|円|倍|割|%|パーセント|台|個|回|店|期|位|歳|万|億|千|百|点|"
            r"拠点|部署|チーム|種類|ポイント|本|kg|km|施設|床|棟|校|クラス|組|ページ|行|ステップ)")
NUMBER_PATTERN = re.compile(
    rf"\d|[〇一二三四五六七八九十百千万億]+{_COUNTER}|半分|半年|半期|倍に|[0-9一二三四五六七八九十]+割|"
    r"(?:いち|に|さん|よん|ご|ろく|なな|はち|きゅう|じゅう)(?:割|倍|パーセント)"
)
_NOT_A_NUMBER = re.compile(r"人一倍|一人(?:ひとり|一人|で)|一日も早く|一度|一番|一つ|一緒|一人前|一通り|一生|一言|一方|一部|一体|一旦|一気|一応|一丸|一切")
# Figures that only say when (5年後, 3年目, 入社2年) are not evidence of a result or a fact.
_TIME_ONLY = re.compile(r"[0-9０-９一二三四五六七八九十]+(?:年後|年目|年前|年間?|か月後|ヶ月後|歳|代|月|日|時)")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def figures(text: str) -> list[str]:
    cleaned = _NOT_A_NUMBER.sub(lambda m: "＿" * len(m.group(0)), text)
    return [m.group(0) for m in NUMBER_PATTERN.finditer(cleaned)]


def has_figure(text: str) -> bool:
    return bool(figures(text))


def result_figures(text: str) -> list[str]:
    """Figures that are not just a date or a duration (5年後, 3年目)."""
    cleaned = _TIME_ONLY.sub(lambda m: "＿" * len(m.group(0)), _NOT_A_NUMBER.sub(lambda m: "＿" * len(m.group(0)), text))
    return [m.group(0) for m in NUMBER_PATTERN.finditer(cleaned)]


# ---------------------------------------------------------------- clause semantics


def agent_of(p: Parse, c: Clause) -> Agent:
    """Who the clause says acts: its subject when it has one, else the speaker (Japanese drops it)."""
    subj = c.subject
    if subj is None or subj.pos == "SCONJ":
        return Agent.SELF
    # 「見積もりが出てくるのが遅い」: a nominalised clause as subject; its own subject decides.
    if subj.pos in ("VERB", "ADJ"):
        inner = next((t for t in p.subtree(subj) if t.dep == "nsubj" and t.i != subj.i), None)
        return word_agent(p, inner) if inner is not None else Agent.THING
    return word_agent(p, subj)


_OTHER_ENTITIES = ("Person", "Company", "Organization", "Corporation", "Position_Vocation")


def word_agent(p: Parse, tok: Tok) -> Agent:
    lemma = tok.lemma
    if lemma in SELF_WORDS:
        return Agent.SELF
    compound = p.compound_text(tok)
    # GiNZA tags roles (先生, 課長, ディレクター) as Position_Vocation: a person other than the speaker.
    if lemma in OTHER_WORDS or tok.entity.startswith(_OTHER_ENTITIES) or compound.endswith(OTHER_SUFFIXES):
        return Agent.OTHER
    return Agent.THING


def is_wish(c: Clause) -> bool:
    """A wish or plan: 〜たい (〜なりたいと考えています)."""
    return "たい" in c.aux or c.head.lemma == "たい"


def is_action(c: Clause) -> bool:
    """A concrete action verb (or a サ変 noun with する) that is not a state, result or attitude."""
    h = c.head
    if h.pos != "VERB" or h.lemma in NON_ACTION_LEMMAS or h.lemma in EFFORT_LEMMAS:
        return False
    return not (c.negated or c.passive)  # 呼び出された is done to the speaker, not by them


def is_concrete_action(p: Parse, c: Clause) -> bool:
    """An action with something definite acted on: an object, a place, a partner or a figure."""
    if c.head.lemma == "する" and not (c.negated or c.passive or is_wish(c)):
        return _verbal_noun_done(p, c)
    if not is_action(c):
        return False
    args = [a for a in c.children if a.dep in ("obj", "obl", "iobj", "nummod", "nmod")
            and not (a.dep == "obj" and a.lemma in _IDIOM_OBJECTS)]
    # (a vague object counted is definite: 「直すところを1つだけ伝える」)
    return any((a.lemma not in VAGUE_OBJECTS or any(m.pos == "NUM" for m in p.children(a)))
               and a.lemma not in EFFORT_LEMMAS and a.pos in ("NOUN", "PROPN", "NUM", "PRON")
               for a in args)


# Body and mind as the object make an idiom, not an act on something: 心を開く, 手を差し伸べる, 距離を縮める.
_IDIOM_OBJECTS = frozenset("心 手 足 距離 目 耳 気 胸 背中 肩 腰 汗 輪 身".split())


def _verbal_noun_done(p: Parse, c: Clause) -> bool:
    """「月に1回、15分の面談をして」: a verbal noun as the object of する is the action itself; it is
    concrete when something pins it down (when, how long, with whom: a modifier of it or of the clause)."""
    acts = [a for a in c.args("obj") if "サ変" in a.tag and a.lemma not in NON_ACTION_LEMMAS
            and a.lemma not in EFFORT_LEMMAS and a.lemma not in VAGUE_OBJECTS]
    return any(any(m.dep in ("nmod", "nummod", "compound", "amod") for m in p.children(a)) or c.args("obl", "nummod")
               for a in acts)


def is_fault(p: Parse, c: Clause) -> bool:
    """A predicate that states someone else's (or a thing's) fault."""
    lemma = c.head.lemma
    agent = agent_of(p, c)
    if _conditional(c):
        return False  # 「報告が遅れると怒られた」: a condition, not a fault stated
    if _OWN_BEFORE.search(p.text[max(0, c.head.start - 12): c.head.start]):
        return False  # 「私の一番大きな失敗です」: the speaker's own
    if _PERMISSION_AFTER.match(p.text[c.head.end: c.head.end + 6]):
        return False  # 「リーダーが決めていい範囲」: a say given, not a fault
    if c.passive and (c.negated and c.head.dep == "acl" or any(ch.lemma in ("自分", "自ら") and ch.dep == "obl" for ch in c.children)):
        return False  # 「自分で変えられるもの」「変えられないもの」: られる of what one can do, not done to one
    if c.passive and lemma in IMPOSED_PASSIVE and agent is Agent.SELF and lemma not in ("任す", "任せる"):
        return True  # 押し付けられた数字: imposed, even as a description
    if c.passive and any(a in ("せる", "させる") for a in c.aux) and agent is Agent.SELF and lemma not in _MANAGED:
        return True  # 〜させられた: made to do it
    if c.benefactive and c.negated and lemma not in ("いる",):
        # 〜してくれない, 〜してもらえない: the other side did not act (in a relative clause too:
        # 「手伝ってくれない先輩」 still accuses)
        return True
    if c.head.dep == "acl" and not _stated_as_answer(p, c):
        return False  # 「反応が悪い投稿は差し替える」: a relative clause describes, it does not accuse
    if c.passive and lemma in IMPOSED_PASSIVE and agent is Agent.SELF:
        # 押し付けられた, 振り回された: an act done *to* the speaker; 任された is praise unless negated
        return lemma not in ("任す", "任せる") or c.negated
    if lemma in ("足りる", "揃う") and c.subject is not None and (
            c.subject.lemma in _HEADCOUNT or c.subject.entity.startswith("Position_Vocation")):
        return False  # 「人が足りなくて」: a shortage of hands is a circumstance, no one's fault
    if agent is Agent.OTHER and c.negated and lemma == "する" and _VOLITIONAL_BEFORE.search(p.text[max(0, c.head.start - 4):c.head.start]):
        return True  # 「オーナーが何もやろうとしない」「聞こうともしない」: someone else refusing to act
    evaluation = lemma not in NEGATIVE_PREDICATES and (FAULT_CLASS.has(c.head) or _negated_quality(c.head))
    if not (lemma in NEGATIVE_PREDICATES or evaluation) or (agent is Agent.SELF and lemma not in FAULT_WITHOUT_SUBJECT):
        return False
    if agent is Agent.THING and not _others_thing(p, c.subject):
        return False  # 「原因が分からなくて」「稼働が遅れた」: a circumstance of one's own work
    if lemma in ("変わる", "変える") and not any(ch.lemma in ERRATIC or ch.text in ERRATIC or ERRATIC_CLASS.has(ch) for ch in c.children):
        return False
    if lemma in NEEDS_NEGATION:
        return c.negated
    return not c.negated


_VOLITIONAL_BEFORE = re.compile(r"うと(?:は|も)?$")
_OWN_BEFORE = re.compile(r"(?:私|自分|僕|わたくし)の[^、。]{0,8}$")
_PERMISSION_AFTER = re.compile(r"^(?:て|で)(?:も)?(?:いい|よい|良い|構わ)")
# 済ませられた, 間に合わせられた: managed to, not made to (the causative of these is a verb of its own).
_MANAGED = frozenset("済む 間に合う".split())
_HEADCOUNT = frozenset("人 人手 人員 人数 要員 スタッフ メンバー 職員 社員 担当者".split())


def _stated_as_answer(p: Parse, c: Clause) -> bool:
    """「方針がころころ変わることです」: a clause nominalised as the sentence's predicate states it."""
    parent = p.tokens[c.head.head]
    return parent.lemma in ("こと", "ところ", "点") and parent.dep == "ROOT"


def _negated_quality(t: Tok) -> bool:
    """不透明, 非効率, 無計画, 不十分: a quality word formed by negating one is an evaluation against it."""
    return t.pos == "ADJ" and len(t.lemma) >= 3 and t.lemma[0] in "不非無" and ("形状詞" in t.tag)


def _conditional(c: Clause) -> bool:
    return any(a in ("と", "たら", "ば", "なら") for a in c.aux)


def _others_thing(p: Parse, subj: Tok | None) -> bool:
    """A thing someone else controls: 見積もり, 承認, 指示, or anything of another's (技術部門からの見積もり)."""
    if subj is None:
        return False
    if subj.pos in ("VERB", "ADJ"):  # 「見積もりが出てくるのが」: look inside the nominalised clause
        inner = next((t for t in p.subtree(subj) if t.dep == "nsubj" and t.i != subj.i), None)
        return inner is not None and (word_agent(p, inner) is Agent.OTHER or _others_thing(p, inner))
    if subj.lemma in THING_WORDS:
        return True
    return any(word_agent(p, m) is Agent.OTHER for m in p.children(subj) if m.dep == "nmod")


# Things one does to oneself, not to the problem: 体調を崩した is no remedy.
_NOT_REMEDIES = frozenset("崩す 壊す 失う 辞める 諦める 休む 逃す 落とす 溜める".split())


@dataclass(frozen=True)
class Reading:
    """What the answer says, as the rules and the probes need it."""

    text: str
    parse: Parse = field(repr=False, compare=False)
    concrete_actions: tuple[Clause, ...]
    effort: tuple[tuple[int, int], ...]  # spans of effort/attitude claims
    faults: tuple[Clause, ...]  # someone else's fault, stated
    owned: bool  # the speaker took a share or acted on the problem
    figures: tuple[str, ...]
    result_figures: tuple[str, ...]
    has_method: bool
    has_lesson: bool
    has_setback_topic: bool
    has_reason_for_method: bool
    has_own_role: bool
    has_obstacle: bool
    claim: str | None  # the main claim as a clause a probe can name (「…された」)

    @property
    def covered_rungs(self) -> frozenset[str]:
        """Deeper rungs the answer already gave: the interviewer does not ask for them."""
        out = set()
        if self.has_reason_for_method:
            out.add("method")
        if self.has_own_role:
            out.add("role")
        if self.has_obstacle or self.has_setback_topic:
            out.add("obstacle")
        if len(self.result_figures) >= 2:
            out.add("result")
        return frozenset(out)


def sentence_breaks(text: str) -> str:
    """Whisper's spaces become sentence ends, so the parser sees sentences, not one run-on.

    One character for one, so every offset in the parse is an offset in the transcript too.
    """
    return re.sub(r"(?<=[^\s。、,.!?？！])\s(?=[^\s。、])", "。", text)


def read(text: str) -> Reading:
    p = parse(sentence_breaks(text))
    clauses = p.clauses
    concrete = tuple(c for c in clauses if is_concrete_action(p, c))
    effort = _effort_spans(p, text)
    quoted = _quoted_spans(text)
    # Words the speaker quotes (「この数字なんで合わないの」って聞かれる) are someone else's, not an accusation.
    stated = tuple(c for c in clauses if is_fault(p, c)) + _marked_causes(p, text) + _nominal_faults(p)
    faults = tuple(c for c in stated if not any(s <= c.head.start < e for s, e in quoted))
    # The speaker acted on the problem: an action of theirs, on something, after the fault.
    owned = bool(OWNERSHIP.search(text)) or any(
        c.start >= f.end and agent_of(p, c) is Agent.SELF and c.head.dep != "acl" and c.args("obj")
        and c.head.lemma not in _NOT_REMEDIES and not to_no_avail(text, c.head.end)
        for f in faults for c in concrete
    )
    sentences = [p.sentence_text(n) for n in range(len(p.sentences))]
    topic = "。".join(sentences[:2])
    return Reading(
        text=text,
        parse=p,
        concrete_actions=concrete,
        effort=effort,
        faults=faults,
        owned=owned,
        figures=tuple(figures(text)),
        result_figures=tuple(result_figures(text)),
        has_method=bool(METHOD_PATTERN.search(text)),
        has_lesson=bool(LESSON_PATTERN.search(text)),
        has_setback_topic=bool(SETBACK_PATTERN.search(topic)),
        has_reason_for_method=bool(REASON_FOR_METHOD.search(text)),
        has_own_role=bool(OWN_ROLE.search(text)),
        has_obstacle=bool(OBSTACLE.search(text)),
        claim=main_claim(p, concrete),
    )


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"[「『][^「『」』]{1,80}[」』]", text)]


def _effort_spans(p: Parse, text: str) -> tuple[tuple[int, int], ...]:
    """Spans where the *speaker* claims effort or an attitude.

    Not when the effort is someone else's (御社は積極的に展開されて, みんな頑張ってる), describes a
    noun (寄り添っている姿勢), is conceded (頑張っても), or is giving up (諦めた: only 諦めず is effort).
    """
    spans = []
    for t in p.tokens:
        if EFFORT_CLASS.has(t) or any(m.start() < t.end and t.start < m.end() for m in EFFORT_PATTERN.finditer(text)):
            if not _concessive(text, t.end) and not _reported(text, t.end) and _speakers_effort(p, t):
                spans.append((t.start, t.end))
    return tuple(sorted(set(spans)))


def governing_clause(p: Parse, t: Tok) -> Clause | None:
    """The clause a token belongs to: its own predicate, or the nearest predicate above it."""
    tok = t
    for _ in range(4):
        if tok.is_predicate:
            break
        if tok.head == tok.i:
            return None
        tok = p.tokens[tok.head]
    return next((c for c in p.clauses if c.head.i == tok.i), None)


_FORMAL_NOUNS = frozenset("こと の ところ 点".split())


def _nominalised(p: Parse, c: Clause) -> bool:
    """「全力で取り組んできたことが自信です」: a clause made a noun by こと/の is still said of oneself."""
    return p.tokens[c.head.head].lemma in _FORMAL_NOUNS


def _speakers_effort(p: Parse, t: Tok) -> bool:
    c = governing_clause(p, t)
    if t.lemma in ("諦める", "あきらめる") and not (c is not None and c.negated):
        return False
    if c is None:
        return True
    if c.head.dep == "acl" and c.head.i != t.i and t.dep != "advmod" and not _nominalised(p, c):
        return False  # 「寄り添っている姿勢」: a description of something, not a claim
    return agent_of(p, c) is not Agent.OTHER and not c.passive  # a thing as subject is a misparse (寝る間も惜しんで)


_REPORTED_AFTER = re.compile(r"^[^、。]{0,12}?(?:って|と)(?:言われ|いわれ|言って|聞かれ|返され|注意され|叱られ|怒られ)")


def _reported(text: str, end: int) -> bool:
    """「みんな頑張ってるからって言われて」: words someone else said, not the speaker's claim."""
    return bool(_REPORTED_AFTER.match(text[end: end + 20]))


_CONCESSIVE_AFTER = re.compile(r"^(?:[^、。]{0,4}(?:ても|でも)|っ?た(?:が|けど)|ったところで)")


def _concessive(text: str, end: int) -> bool:
    """「いくら頑張っても」「頑張ったが」: a concession, not a claim of the speaker's own effort."""
    return bool(_CONCESSIVE_AFTER.match(text[end: end + 6]))


_TO_NO_AVAIL_AFTER = re.compile(r"^(?:[^、。]{0,4}[てで]も(?!ら)|[^、。]{0,3}しか(?:な|あり))")


def to_no_avail(text: str, end: int) -> bool:
    """「方針を伝えても」「言われたとおりに直すしかなくて」: an act that changed nothing, or the only
    one left to the speaker, does not take the problem on."""
    return bool(_TO_NO_AVAIL_AFTER.match(text[end: end + 8]))


def _marked_causes(p: Parse, text: str) -> tuple[Clause, ...]:
    """Faults stated by an explicit cause marker (〜のせいで, 仕方なく), as clauses ending at the marker."""
    out = []
    for m in CAUSE_MARKERS.finditer(text):
        tok = next((t for t in p.tokens if t.start <= m.start() < t.end or t.start >= m.start()), None)
        if tok is None:
            continue
        left = max(text.rfind(ch, 0, m.start()) for ch in "、。,， ") + 1
        out.append(Clause(tok, (), (), None, left, m.end(), p.sentence_of(tok)))
    return tuple(out)


# The problem located in what someone else runs: 「引き継ぎの体制自体に問題があった」.
_PROBLEM_NOUNS = frozenset("問題 原因".split())
_VERDICT_AFTER = re.compile(r"(?:なん|な)?(?:の)?(?:かな|か[、。]|だと|だろう|でしょう|で(?:す|した)|だった|なので|なんで|だから|と思)")
# Someone else's failing named as a noun: 「上の人の無茶振り」「営業の連絡ミス」「前任者の不備」.
FAULT_NOUNS = ("無茶振り", "丸投げ", "ミス", "不手際", "怠慢", "手抜き", "不備", "思いつき", "ごり押し", "押し付け")


def _others_part(p: Parse, tok: Tok) -> bool:
    """A noun phrase that names someone else or what they run, and not the speaker's own."""
    words = p.subtree(tok)
    agents = {word_agent(p, t) for t in words if t.pos in ("NOUN", "PROPN", "PRON")}
    return Agent.SELF not in agents and (Agent.OTHER in agents or any(t.lemma in THING_WORDS for t in words))


def _nominal_faults(p: Parse) -> tuple[Clause, ...]:
    out = []
    for c in p.clauses:
        if c.head.lemma == "ある" and not c.negated and c.subject is not None and c.subject.lemma in _PROBLEM_NOUNS:
            where = [a for a in c.children if a.dep == "obl" and any(m.lemma == "に" for m in p.children(a))]
            if where and _others_part(p, where[0]):
                out.append(Clause(c.head, (), (), None, min(t.start for t in p.subtree(where[0])), c.head.end, c.sentence))
    for t in p.tokens:
        if t.pos != "NOUN":
            continue
        phrase = p.compound_text(t)
        # 「あれは仕組みの問題かなと」「最初に作った人の問題なので」: the problem said to be theirs;
        # 「お客様の問題を解決した」 (an argument, not the verdict) is not.
        verdict = t.lemma in _PROBLEM_NOUNS and _VERDICT_AFTER.match(p.text, t.end)
        if not (phrase.endswith(FAULT_NOUNS) or verdict):
            continue
        owners = [m for m in p.children(t) if m.dep == "nmod"]
        owner = next((m for m in owners if _others_part(p, m)), None)
        if owner is not None and not any(word_agent(p, m) is Agent.SELF for m in owners):
            out.append(Clause(t, (), (), None, min(m.start for m in p.subtree(owner)), t.end, p.sentence_of(t)))
    return tuple(out)


# ---------------------------------------------------------------- the claim a probe names


def main_claim(p: Parse, concrete: tuple[Clause, ...]) -> str | None:
    """The candidate's main concrete action as a clause in the interviewer's honorific past.

    「失注した商談を二十件分析しました」 gives 「失注した商談を二十件分析された」, so a probe can say
    「失注した商談を二十件分析された件ですが、なぜその方法を？」. The clause is the action's own
    arguments (object, figures, the noun phrases before them), never a cut-off quote.
    """
    ranked = sorted(concrete, key=lambda c: (-_weight(p, c), c.head.i))
    for c in ranked:
        phrase = _honorific_clause(p, c)
        if phrase and 6 <= len(phrase) <= 40:
            return phrase
    return None


def _weight(p: Parse, c: Clause) -> int:
    args = [a for a in c.children if a.dep in ("obj", "obl", "nummod")]
    return 2 * sum(a.dep == "obj" for a in args) + sum(has_figure(" ".join(t.text for t in p.subtree(a))) for a in args) + len(args)


def _honorific_clause(p: Parse, c: Clause) -> str | None:
    keep = [a for a in c.children if a.dep in ("obj", "obl", "nummod", "advmod", "iobj") and a.i < c.head.i]
    if not any(a.dep == "obj" for a in keep):
        return None
    toks = sorted({t.i: t for a in keep for t in p.subtree(a)}.values(), key=lambda t: t.i)
    if not toks:
        return None
    # Drop a leading connective or filler (そこで, まず, えー) and anything before the first argument's own clause.
    while toks and (toks[0].pos in ("CCONJ", "INTJ", "PUNCT", "SCONJ") or toks[0].lemma in ("まず", "そこで", "次に", "それで", "で")):
        toks.pop(0)
    if not toks or any(t.pos == "PUNCT" and t.text in "。" for t in toks):
        return None
    start = toks[0].start
    body = p.text[start: c.head.start].rstrip("、")
    # The clause nearest the verb names the action (「その内容を元に、提案書を作り直し」 → 提案書を作り直し).
    body = re.split(r"[、,]", body)[-1]
    if body.startswith(("その", "この", "それ", "これ", "あの")):
        return None  # 「その資料を作り」: what it refers to was said elsewhere
    verb = _honorific_past(p, c)
    if verb is None:
        return None
    return (body + verb).replace(" ", "")


_GODAN_A = {"う": "わ", "く": "か", "ぐ": "が", "す": "さ", "つ": "た", "ぬ": "な", "ぶ": "ば", "む": "ま", "る": "ら"}


def _honorific_past(p: Parse, c: Clause) -> str | None:
    """分析する → 分析された, 作る → 作られた, 見直す → 見直された, 集める → 集められた."""
    h = c.head
    nxt = p.tokens[h.i + 1] if h.i + 1 < len(p.tokens) else None
    if h.tag.startswith("名詞") or (nxt is not None and nxt.lemma == "する" and h.lemma == h.text):
        return h.text + "された"  # a サ変 noun with する
    lemma, kind = h.lemma, h.conjugation
    if kind.startswith("サ行変格") or lemma == "する":
        return (lemma[:-2] if lemma.endswith("する") else "") + "された"
    if kind.startswith(("上一段", "下一段")) and lemma.endswith("る"):
        return lemma[:-1] + "られた"
    if kind.startswith("五段") and lemma and lemma[-1] in _GODAN_A:
        return lemma[:-1] + _GODAN_A[lemma[-1]] + "れた"
    return None
