"""Content and delivery findings for one answer, each with its evidence (a real span or a figure).

The findings and their thresholds are defined in catalogue.py; what each rule reads is the
clause-level reading of the answer (reading.py, over GiNZA's parse). Transcripts come from
Whisper base: punctuation may be missing (spaces are clause breaks), figures come as digits or
kanji, and known mishearings are folded back before anything is judged.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from simulator.analysis import reading as rd
from simulator.analysis.catalogue import BY_ID, FINDING_IDS, THRESHOLDS, Thresholds
from simulator.analysis.language import Agent
from simulator.analysis.semantic import WordClass

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
    thresholds: Thresholds = THRESHOLDS
    company: "CompanyProfile | None" = field(default=None, compare=False)
    question: str = ""  # the question answered: figures echoed from it are not the candidate's facts


# ---------------------------------------------------------------- normalisation

_SENTENCE_END = re.compile(r"[。．！？!?\n]+|\s+")


def normalize(text: str) -> str:
    """NFKC, then the known mishearings folded back (speech/mishearings.py: 音車 → 御社, 死亡 → 志望)."""
    from simulator.speech.mishearings import fold

    return fold(unicodedata.normalize("NFKC", text))[0]


def sentences(text: str) -> list[str]:
    """Sentences, with Whisper's spaces (its segment breaks) treated as sentence ends."""
    return [s.strip("、, ") for s in _SENTENCE_END.split(text) if s.strip("、, ")]


# ---------------------------------------------------------------- lexicons

_FILLER_LEAD = re.compile(r"^(?:(?:はい|ええ|えー+と?|えっと|えと|あの[ー]*|あー+|うーん|まあ|その[ー]*|そうですね|そうですねえ|ええと)[、,\s]*)+")

_NEGATIVE_REASON = re.compile(
    r"残業|給料|給与|年収|ボーナス|賞与|人間関係|そりが合わ|反りが合わ|評価され(?:な|て(?:い)?な)|評価(?:制度|の仕組み)?(?:が|に)(?:不満|納得|曖昧|不透明|あれ)|正当に評価|"
    r"将来(?:性)?[^。]{0,6}(?:不安|見えな|ない|なく)|体が(?:もた|持た|きつ|限界|しんど)|もたな(?:い|く)|休み(?:が|も)(?:ほとんど|取れ|少な|な)|休めな|限界|つら[いく]|辛[いく]|しんど|きつ[いく]|"
    r"ブラック|不満|嫌[にでだ]|いやにな|年功序列|業績が悪|カット|パワハラ|体力的|精神的|疲れ|激務|理不尽|裁量が(?:な|少な)|"
    r"上司(?:が|と|の)[^。]{0,15}(?:合わ|悪|ひど|厳し|理解|認め|聞い|話)|やりがいが(?:な|感じられ)|頭打ち|上がらな|変わらな|報われ|"
    r"ノルマ|休日出勤|サービス残業|人手不足|家族との時間が(?:取れ|な|少な)|昇進でき|昇格でき|先が見え|評価が低|"
    # the boss as the reason, unfairness, a culture that does not fit, standing still, moves imposed
    r"(?:上司|上長|先輩|同僚|店長|課長|部長|係長|主任|社長|所長|院長|支店長|工場長|経営陣|上の人)との関係|不公平|不透明|えこひいき|好き嫌い|曖昧|"
    r"(?:社風|雰囲気|文化|体質|空気)(?:が|に|と)[^。]{0,4}(?:合わ|なじめ|馴染め)|"
    r"同じことの繰り返し|繰り返しの毎日|マンネリ|学べる(?:こと|もの)が(?:な|少な)|(?:頑張る|続ける|居る|いる)意味が(?:な|見いだせ|見出せ)|"
    r"転勤(?:が|の)(?:多|頻繁)|転勤続き"
)
# 「残業が嫌というわけではなく」「年収も大事ですが、それ以上に」「年収も理由の一つではあるんですけど」「…というのは少しありますけど」:
# the complaint is set aside.
_SET_ASIDE_AFTER = re.compile(r"^(?:[^。]{0,30}?(?:が|けど|けれど)[、,]?それ(?:より|以上)|[^。]{0,16}?(?:(?:が|は)?(?:理由|原因|不満)?(?:では|じゃ)な|わけでは(?:な|あり)|というより|もありますが|もですが|ではありますが|も大事|も大切|も重要|も要素|も[^。]{0,6}(?:一つ|ひとつ)[^。]{0,10}(?:けど|けれど|が[、, ])|[^。]{0,12}?(?:少し|ちょっと|多少)(?:は)?(?:あり|ある)(?:ます)?(?:けど|けれど|が)))")
_SET_ASIDE_BEFORE = re.compile(r"(?:もちろん|確かに)[^。]{0,6}$")
# A complaint told by the parse, in words no pattern holds: the speaker's distress (不安, 疲弊,
# 消耗して), or a condition of the job (給料, 終電, 業績, 見通し, 両立) said to be bad, low, absent or
# out of reach (上がらない, 帰れない, 右肩下がり, 立たない, 難しい). Each class reaches its synonyms by
# word vector (semantic.py); the forward words of a good reason are the contrast.
_FORWARD_SEEDS = tuple("挑戦 成長 経験 機会 魅力 興味 やりがい 期待 楽しい 嬉しい 面白い 満足 充実 安心 希望 目標 夢".split())
DISTRESS = WordClass(
    "distress",
    frozenset("不安 不満 辛い つらい しんどい きつい 苦痛 憂鬱 疲れる 疲弊 限界 嫌気 ストレス 消耗 うんざり 苦しい 我慢 悩む 悩み 心配 絶望 閉塞感".split()),
    near=0.8, against=_FORWARD_SEEDS, margin=0.05, pos=frozenset({"ADJ", "NOUN", "VERB"}),
)
JOB_CONDITION = WordClass(
    "job_condition",
    frozenset("給料 給与 年収 手取り 賞与 ボーナス 昇給 残業 終電 休日 休み 有給 休暇 評価 昇進 昇格 ポスト 待遇 業績 経営 売上 "
              "人間関係 将来 見通し 先行き 両立 家庭 家族 体 健康 心身 体調 余裕 睡眠 収入".split()),
    near=0.8, against=_FORWARD_SEEDS + tuple("仕事 業務 顧客 お客様 製品 商品 サービス 技術 設計 開発 営業".split()), margin=0.05,
    pos=frozenset({"NOUN"}),
)
# Predicates that say a condition is bad: low, falling, hard, gone (a negated verb counts too). Listed
# only: word vectors do not tell 下がる from 上がる (antonyms sit together).
_BAD_STATE = frozenset(
    "少ない 低い 悪い 厳しい 難しい 悪化 下がる 減る 落ちる 下がり 右肩下がり 赤字 苦しい 乏しい なくなる 無くなる 削る 削減 カット 減少 低迷 頭打ち".split()
)


def _wished(p, c) -> bool:
    """「残業をしない働き方をしたい」: a negation inside a wish describes what is wanted."""
    tok = c.head
    for _ in range(3):
        if tok.head == tok.i:
            return False
        tok = p.tokens[tok.head]
        if any(t.head == tok.i and t.lemma == "たい" for t in p.tokens) or tok.lemma == "たい":
            return True
    return False


def _parsed_complaints(r: rd.Reading) -> list[tuple[int, int]]:
    """Spans of complaints by the parse: distress of the speaker, or a job condition gone bad."""
    p = r.parse
    out = []
    for c in p.clauses:
        h = c.head
        if DISTRESS.has(h) and not c.negated and rd.agent_of(p, c) is not Agent.OTHER and not _wished(p, c):
            out.append((h.start, h.end))
            continue
        # 業績が右肩下がり, 見通しが立たない, 終電まで帰れない, 余裕がなくなって
        args = [a for a in c.children if a.dep in ("nsubj", "obj", "obl")]
        conditions = [a for a in args if JOB_CONDITION.has(a) or any(JOB_CONDITION.has(m) for m in p.children(a) if m.dep == "compound")]
        if not conditions:
            continue
        bad_state = h.lemma in _BAD_STATE or h.norm in _BAD_STATE
        if (bad_state and not c.negated) or (not bad_state and c.negated and h.pos == "VERB" and not _wished(p, c)):
            a = conditions[0]
            out.append((min(a.start, h.start), h.end))
    return out


_FORWARD = re.compile(r"(?<!み)たい|挑戦|実現|目指|広げ|活か|生か|携わり|関わり|取り組み|チャレンジ|伸ばし|深め|身につけ|キャリア")

_CONCLUSION = re.compile(
    r"ことです|ことでした|ことだと|ことがあり|ところです|のは、|のは|理由は|強みは|成果は|失敗は|きっかけ|"
    r"からです|ためです|一言で|結論|と思っています|と考えています|と思います|と考えており|と思っており|と思いました|と思っていて|と考えていて|"
    r"たいです|たいと|ようにしています|にしています|を大切に|が(?:あります|ありました)|惹かれ|魅力を感じ"
)
_PLAIN_STATEMENT_END = re.compile(r"(?:です|でした|ます|ました)ね?$")
_BACKGROUND = re.compile(
    r"入社|当時|最初は|最初の(?:年|頃|ころ)|当初|もともと|元々|以前は|前の(?:会社|職場|部署)(?:では|は)|前職では|今の(?:会社|職場|部署)では|現職では|"
    r"学生時代|大学|\d+年に|[一二三四五六七八九十]+年(?:目|前)に|(?:状態|状況)でした|のですが|んですが|んですけど|のですけど|んですけども|"
    r"卒業|高専|入りまして|入って|配属|異動|うちの(?:会社|店舗|部署|チーム|工場)は|私は今|私は現在|現在、|今、"
)
# Answer forms that hold even when the sentence runs on: a reason, a wish, the asked thing named as the topic.
_ANSWER_FORM = re.compile(r"理由は|きっかけは|強みは|弱みは|成果は|失敗は|結論|一言で|からです|ためです|たいと(?:思|考)|たいです|ことです|ことでした|"
                          r"が(?:一番の|大きな|主な)?(?:理由|きっかけ)(?:です|でした|で|になり)|"
                          # 「…心がけてるんですけど、具体的には」: the answer in general, then its detail
                          r"[、,]\s*具体的には")
# A first sentence left open (a connective, 〜まして, 〜んですけど) or explaining the scene (〜んですね).
_SETUP_END = re.compile(r"(?:けれども|けれど|けども|けど|(?:です|ます|まし|でし)が|まして|でして|ていて|てて|(?<!ん)で|(?<![ちっ])て|(?:ん|の)です(?:ね|よ|よね))$")
_TIME_SETTING = re.compile(r"\d+(?:年|歳|か月|ヶ月)|[一二三四五六七八九十]+(?:年|歳)|年前|当時|もともと|元々|最初|その頃|入社|入って")
_CONCLUSION_SHORT_MAX_CHARS = 45
_OPENING_LONG_CHARS = 60

_DECLINE = re.compile(
    r"(?:特に|とくに|得に|トクに)(?:は|何も|これといって)?|大丈夫|結構です|(?:十分|じゅうぶん|よく|ほぼ|ほとんど|すでに|既に|もう)(?:に)?(?:理解|わかり|分かり|わかった|分かった|伺え|お聞きでき|ご説明いただ)|"
    r"これといって|思いつ(?:か|き)ませ|思いつかな|思い浮かば|解消|全部わかり|全て分かり|ありません|ございません|ないです|今のところ|特段|なしで"
)
# Asking, as opposed to echoing the question (「逆質問ですか…」) or musing (「ないかなと思って」).
_ASKING = re.compile(
    r"(?:教えて(?:いただけ|いただき|ください|くださ[いる]|もらえ)|伺いたい|伺え(?!て|た)|お聞きしたい|お聞かせ|知りたい|お尋ねしたい|聞きたい|確認させて|確認したい)|"
    r"(?:でしょうか|ますか|ですか|ませんか|ますかね|ですかね|のか|か)[?？]?[ねなよー…]{0,3}$"
)
_ASK_MIN_CHARS = 10  # a real question says what it is about
# 「どんな感じですか、えー。」: a filler after the question mark ends nothing.
_TRAILING_FILLER = re.compile(r"(?:[、,\s]*(?:えー+|あー+|あの[ー]*|まあ|えっと|うーん|…+))+$")
# Not asking after all: the wish to ask denied (お聞きしたいことは特に出てこない), or the questions put
# off to later (後でエージェント経由でお聞きしてもいいですか).
_NOT_ASKING = re.compile(
    r"(?:したい|たい)(?:こと|点)(?:は|も|が)[^。]{0,24}(?:ない|ありません|出てこ|浮かば|思いつか|解決|解消|わかり|分かり|伺え|聞け)|"
    r"(?:後で|あとで|後ほど|改めて|後日)[^。]{0,40}(?:聞|伺|質問|連絡)[^。]{0,6}(?:ても|でも)(?:いい|よろしい|大丈夫)"
)
# A question about how the people there do the work (何人の体制で対応, 回していらっしゃって)
# is about the work, whatever condition word it holds (夜間, 休日, 在宅の当番).
_ABOUT_HOW_THEY_WORK = re.compile(r"体制|仕組み|(?:て|で)(?:い)?らっしゃ|どう(?:いう|いった)?(?:流れ|手順)")
_CONDITIONS_LEMMAS = frozenset(
    """
    残業 リモート リモートワーク 在宅 在宅勤務 テレワーク 給与 給料 年収 賞与 ボーナス 昇給 休日 休暇 有給 有休 福利厚生 手当
    勤務時間 定時 フレックス 転勤 休み 退社 帰る 育休 産休 寮 社宅 住宅 家賃 補助 出社 残業代 報酬 待遇 昇格 年間休日 土日
    休む 休める 終電 休日出勤 土日祝 祝日 週休 時短 在宅勤務 引っ越し 単身赴任 副業 兼業 まかない 社員割引 勤務地 配属先
    """.split()
)
# Compounds carry them too (残業時間, 有給休暇, 年間休日数): a token containing one counts.
_CONDITION_PARTS = tuple(sorted((w for w in _CONDITIONS_LEMMAS if len(w) >= 2), key=len, reverse=True))


def _is_condition(t) -> bool:
    return t.lemma in _CONDITIONS_LEMMAS or any(part in t.text for part in _CONDITION_PARTS)
# Nouns of the work itself: a condition word inside a question about these is about the work.
_WORK_NOUNS = frozenset(
    """
    障害 対応 顧客 お客様 案件 商品 通販 サービス 製品 事業 売上 体制 運用 振り返り 進め方 業務 仕事 チーム 現場 トラブル 問い合わせ
    結果 成果 目標 課題 役割 期待 評価基準 管理 品質 物流 出荷 配送 開発 営業 提案 顧客対応 スタッフ 教育 研修 引き継ぎ プロジェクト
    機能 パッケージ 計算 代行 アウトソーシング 商材 ツール 導入 支援 市場 需要 部署 領域 求人 求人票 イベント 不具合
    """.split()
)
_ASKS_FOR_TIME = re.compile(r"考えさせて|考えても(?:いい|よろしい)|考える時間|少々お待ち|ちょっと待って|少しお時間")
_HESITANT = re.compile(
    _ASKS_FOR_TIME.pattern + r"|(?:何|なん)て言えば|(?:何|なん)だろう|どう言えば|難しいですね|思いつかな|すぐに出てこな"
)
_HESITANT_WINDOW_CHARS = 40
_ASKS_FAILURE = re.compile(r"失敗|ミス|挫折")
_ASKS_SETBACK = re.compile(r"失敗|うまくいかなかった|上手くいかなかった|苦労|困難|大変だった|難しかった|挫折|達成できなかった|壁|トラブル|ミス|乗り越え")

# Motivation: what fits any company. A motivation is specific only through this company's facts.
_STOCK_MOTIVATION = re.compile(
    r"事業に(?:興味|魅力)|成長できる|理念|将来性|安定(?:した|性)|雰囲気|社風|業界(?:でも)?(?:トップ|大手|最大|No|ナンバー)|トップシェア|"
    r"社会に貢献|社会貢献|成長に貢献|チャレンジ|生き生き|親切|魅力を感じ|イノベーション|カルチャー|DX|ソリューション|寄り添|グローバル|"
    r"ビジョン|風通し|働きやす|成長性|規模|知名度|ブランド|挑戦|価値観"
)
# Generic words of any industry, in katakana or Latin letters: they name nothing of one company.
_GENERIC_TERMS = frozenset(
    """
    サービス ビジネス チャレンジ キャリア スキル チーム プロジェクト イメージ グローバル ポジション メンバー コミュニケーション
    スピード ビジョン ミッション カルチャー マネジメント エンジニア スタッフ ユーザー クライアント パートナー ステップ レベル アップ
    キャッチアップ フィールド ワーク バランス イノベーション ソリューション テクノロジー デジタル システム プラットフォーム データ
    マーケティング コンサルティング ブランド トップ シェア トップシェア リーディングカンパニー ナンバーワン リーダー ベンチャー
    スタートアップ フィロソフィー ホームページ インタビュー ニュース セミナー イベント サポート ケア ニーズ バリュー インパクト
    dx ai it iot saas esg sdgs cx ux b2b btob b2c btoc ec web sns crm erp hr no
    """.split()
)
_COMPETITOR_CONTRAST = re.compile(r"(?:他社|競合|同業)(?:さん)?(?:と|に)?(?:比べ|違|比較|異な)[^。]{4,}")


_THE_COMPANY = re.compile(r"御社|貴社|御行|貴行|御校|そちら|こちらの会社|当社|弊社|さんの|様の|という(?:製品|サービス|商品|ブランド|アプリ|取り組み|事業|プロジェクト)")
# 業界1位, No.1: a rank is praise any leader gets, not a fact of what the company does.
_RANK = re.compile(r"位|番|等")
_SITES = frozenset("工場 支店 支社 営業所 事業所 拠点 センター 研究所 本社 店 店舗 物流センター".split())
# Values and slogans any company has: quoted or named, they are still no fact of this company.
_VALUE_WORDS = re.compile(r"第一|ファースト|共創|誠実|信頼|感謝|挑戦|情熱|笑顔|幸せ|未来|夢|理念|ビジョン|想い|思い")
_NAMED_THING = re.compile(
    r"([^\s、。「」]{2,20})(?:という|っていう|って)(?:製品|サービス|商品|ブランド|アプリ|システム|取り組み|事業|プロジェクト|店|号|プラン)|"
    r"[「『]([^「」『』]{2,20})[」』]"  # a product or programme quoted by its name
)
# 「酪農家さん向けの」「介護施設向けに」: a market named; 「法人向けの」 names none.
_FOR_MARKET = re.compile(r"([^\s、。「」のはがをに]{2,10}?)(?:さん|様)?向け(?:に|の|で)")
_GENERIC_MARKETS = frozenset("法人 個人 企業 顧客 お客様 お客さん 一般 消費者 ユーザー 国内 海外 社会 若者 世界 皆様 皆さん".split())
# An honorific predicate without the speaker in it is said of the company: 始められた, 進めてらっしゃる.
_HONORIFIC = re.compile(r"(?:さ|ら|か|ま|わ|た|な|ば|が)れ(?:た|て|る)|(?:て|で)らっしゃ|いらっしゃ|おられ|なさ(?:って|れ)")


_ADNOMINAL_END = re.compile(r"[うくぐすつぬぶむるた]$")  # a verb right before the noun: a clause that describes it
_OFFERINGS = frozenset("サービス 事業 製品 商品 取り組み プロジェクト プログラム 制度 仕組み プラン アプリ".split())


def _company_specific(r: rd.Reading, question: str) -> str | None:
    """The first thing said *of the company* that only it has: a name, a product, a figure, a fact.

    Only sentences about the company count: a figure of the candidate's own record (前年比120%,
    TOEIC 850点) says nothing of why this company.
    """
    p = r.parse
    echoed = set(rd.figures(rd.nfkc(question)))
    about = [bool(_THE_COMPANY.search(p.sentence_text(n)) or _HONORIFIC.search(p.sentence_text(n))) for n in range(len(p.sentences))]
    for n in range(len(p.sentences)):
        # Unpunctuated speech splits one sentence into clauses: a neighbour naming the company counts.
        if not any(about[max(0, n - 1): n + 2]):
            continue
        sentence = p.sentence_text(n)
        for m in _NAMED_THING.finditer(sentence):
            name = m.group(1) or m.group(2)
            if not (_STOCK_MOTIVATION.search(name) or _VALUE_WORDS.search(name)):
                return name
        if any((m.group(1) not in _GENERIC_MARKETS) for m in _FOR_MARKET.finditer(sentence)):
            return next(m.group(0) for m in _FOR_MARKET.finditer(sentence) if m.group(1) not in _GENERIC_MARKETS)
        a, b = p.sentences[n]
        # An offering of theirs told by what it does (買い取って整備して、研究室に貸し出すサービス):
        # 「展開されている事業」「地域に寄り添うサービス」 say nothing of what it is.
        for t in p.tokens[a:b]:
            if t.lemma in _OFFERINGS and _ADNOMINAL_END.search(p.text, 0, t.start) \
                    and any(a <= c.head.i < t.i and c.args("obj") for c in r.concrete_actions):
                return _clause_at(p.text, t.start, t.end)
        for t in p.tokens[a:b]:
            surface = t.text
            if t.pos not in ("NOUN", "PROPN") or surface.lower() in _GENERIC_TERMS:
                continue
            # A common loanword (カスタマー, アジャイル) is no name, whatever the tagger says.
            if re.fullmatch(r"[ァ-ヴー・A-Za-z]+", surface) and t.has_vector:
                continue
            if t.entity.startswith(("Product", "Company", "Corporation", "Organization", "Brand", "Service", "Facility")):
                return surface
            if "固有名詞" in t.tag and not t.entity.startswith(("Country", "Province", "City", "Person")):
                return surface
            # A site of the company's (北九州工場, 仙台支店): a place name made a facility.
            nxt = p.tokens[t.i + 1] if t.i + 1 < b else None
            if "地名" in t.tag and nxt is not None and nxt.lemma in _SITES:
                return surface + nxt.text
        # A figure of the company's (四十の市町村に入った), not of the candidate's own search (十社受けた).
        for t in p.tokens[a:b]:
            if t.pos == "NUM" and t.text not in echoed and rd.result_figures(p.text[t.start:t.end + 3]) \
                    and not _RANK.match(p.text[t.end:t.end + 2]):
                c = rd.governing_clause(p, t)
                said_of = p.text[c.start:c.end] if c is not None else ""
                if c is None or rd.agent_of(p, c) is not Agent.SELF or _THE_COMPANY.search(said_of) \
                        or _HONORIFIC.search(said_of):  # 「80か所運営されていて」: the company's doing
                    return p.text[t.start:t.end + 3]
    return None


def _profile_named(text: str, company: "CompanyProfile") -> bool:
    """The answer names a fact of the profile: a product or programme (its keywords), two terms of
    one business, strength or policy line, or one long term of it (コールドチェーン).

    The company's own name is no fact of it, and neither is its field: the terms of the first
    business line (食品スーパー, 訪問看護, EC物流) are what every company of the sector shares, so
    they count only with a third term of that line. A competitor named is a comparison, not a reason.
    """
    from simulator.interview.company import _content_terms, _norm, _reading

    norm = _norm(text)
    for name in sorted({_norm(n) for n in (company.name, *company.aliases) if n}, key=len, reverse=True):
        norm = norm.replace(name, "＿" * len(name))
    reading = _reading(norm)

    def said(surface: str, term_reading: str) -> bool:
        return surface in norm or (len(term_reading) >= 4 and term_reading in reading)

    if any(said(_norm(k), _reading(_norm(k))) for k in company.keywords):
        return True
    name_parts = {s for n in (company.name, *company.aliases) for s, _ in _content_terms(n)}
    field = {s for s, _ in _content_terms(company.business[0])} if company.business else set()
    lines = [(n == 0, line) for n, line in enumerate(company.business)] + [(False, line) for line in (*company.strengths, *company.policies)]
    for is_field, line in lines:
        terms = {(s, r) for s, r in _content_terms(line) if s not in name_parts and s.lower() not in _GENERIC_TERMS}
        if not is_field:
            terms = {(s, r) for s, r in terms if s not in field}
        named = {s for s, r in terms if said(s, r)}
        if len(named) >= (3 if is_field else 2):  # the field line needs more than the field
            return True
        if not is_field and any(len(t) >= 5 for t in named):
            return True  # one long term names a fact alone (コールドチェーン, セントラルキッチン)
    return False


def _generic_motivation(r: rd.Reading, company: "CompanyProfile | None", question: str) -> str | None:
    """Evidence when the motivation names nothing that sets this company apart."""
    text = r.text
    stock = _STOCK_MOTIVATION.search(text)
    if company is not None:
        if _profile_named(text, company):
            return None
        return f"「{_clause_at(text, stock.start(), stock.end())}」" if stock else f"{company.name}の事業・強み・方針・競合に触れていない"
    if _company_specific(r, question):
        return None
    return f"「{_clause_at(text, stock.start(), stock.end())}」" if stock else "会社ならではの具体的な点がない"


# ---------------------------------------------------------------- helpers


def _quote(s: str, n: int = 30) -> str:
    return s if len(s) <= n else s[:n] + "…"


def _clause_at(text: str, start: int, end: int, n: int = 24) -> str:
    left = max(text.rfind(c, 0, start) for c in "。、 ") + 1
    right_candidates = [i for i in (text.find(c, end) for c in "。、 ") if i != -1]
    right = min(right_candidates) if right_candidates else len(text)
    return _quote(text[left:right].strip(), n)


def _opening(text: str) -> str:
    """The first real sentence: leading fillers, 「はい」, an echo of the question and asking for time dropped."""
    for s in sentences(text):
        s2 = _FILLER_LEAD.sub("", s).strip("、, ")
        if not s2 or _HESITANT.search(s2):
            continue
        # A short sentence is an echo (「成果ですか」) unless it states something (「人間関係ですね」).
        if len(s2) < 8 and not (len(s2) >= 4 and _PLAIN_STATEMENT_END.search(s2) and not s2.endswith("か")):
            continue
        return s2
    return ""


# Words of a question that say nothing of what it asks (echoing them is no answer).
_QUESTION_STOPWORDS = frozenset("こと もの 仕事 当社 弊社 御社 会社 これ それ どこ 何 方 経験 最後 一番 自分 ご自身 今 これまで 教え".split())
# 「…の仕組みですね」「関係づくりですかね」: a noun phrase said as the answer.
_NOUN_ANSWER_END = re.compile(r"(?<![んの])(?:です|ですね|ですかね|でした|だと思います)$")


_ASKS_IF_ANY = re.compile(r"(?:経験|こと|もの)(?:は|が|って)?(?:あります|ございます)か")


# A clause said in a sentence's final form (〜ます, 〜ました, 〜です) before a comma: a statement made.
_STATED_CLAUSE_END = re.compile(r"(?:ます|ました|ています|てます|です|でした)$")
# A result reached, not a state held (担当してました, 勤めていました).
_PAST_END = re.compile(r"(?:(?<![てでい])ました|(?<![てでい])(?<!まし)た)$")


def _opening_tells_what_is_wrong(text: str, r: rd.Reading) -> bool:
    """「今の職場は人の入れ替わりが激しくて…」: asked why they leave, a first sentence telling what is
    wrong there is the reason itself (negative_reason speaks for how it is told), not background."""
    opening = _opening(text)
    start = text.find(opening)
    return start >= 0 and any(start <= c.head.start < start + len(opening) for c in _told_wrong_and_wished(r)[0])


def _not_conclusion_first(text: str, question: str) -> str | None:
    """Evidence when the first real sentence tells background instead of answering the question.

    It answers when it has an answer form (〜ことです, 〜からです, 理由は…), names what the question
    asks about (its own nouns: 成果, 強み, ストレス), or states a noun phrase as the answer; it tells
    background when it opens with a history (入社, 当時, 前の会社では, 〜のですが) or runs long.
    """
    opening = _opening(text)
    if not opening or not (len(sentences(text)) >= 3 or len(text) >= 120):
        return None
    if _ASKS_IF_ANY.search(question):
        return None  # 「…した経験はありますか」: telling the episode is the answer
    bg = _BACKGROUND.search(opening)
    background = bg is not None
    last_clause = opening.split("、")[-1]
    # 「私は二十歳から…働いてまして。」「福祉課にいたのは2018年から3年間なんですけれども。」: a first
    # sentence left open on a connective (or explaining the scene, 〜んですね) that places the story in
    # time sets it up, whatever pattern it says it in; it answers only in an answer form (理由は, 〜からです).
    setup = bool(_SETUP_END.search(opening) and _TIME_SETTING.search(opening))
    background = background or setup
    if _ANSWER_FORM.search(opening) or (not setup and _CONCLUSION.search(opening)) \
            or (not background and _NOUN_ANSWER_END.search(opening)):
        return None
    # What comes after any background in the opening: 「8年乗務してきたんですけど、売上で上位5%に
    # 入りました」 ends on its result, 「勉強しています、というのが正直なところなんですけど」 was
    # stated before the hedge.
    first_clause = opening.split("、")[0]
    if not setup and (bg is None or bg.start() >= len(first_clause)) and _STATED_CLAUSE_END.search(first_clause):
        return None
    if not setup and rd.result_figures(opening[bg.end() if bg else 0:]) and _PAST_END.search(opening):
        return None
    if len(last_clause) <= 20 and _NOUN_ANSWER_END.search(last_clause) and not re.search(r"(?:状態|状況)でした$", last_clause):
        return None  # 「言いにくいんですけど、上司との関係ですね」: a hedge, then the answer
    if question and not setup:
        from simulator.analysis.language import parse

        asked = {t.lemma for t in parse(rd.nfkc(question)).tokens
                 if t.pos in ("NOUN", "PROPN") and len(t.lemma) >= 2 and t.lemma not in _QUESTION_STOPWORDS}
        if any(w in opening for w in asked):
            return None
    plain = len(opening) <= _CONCLUSION_SHORT_MAX_CHARS and not background and _PLAIN_STATEMENT_END.search(opening)
    if plain or not (background or len(opening) > _OPENING_LONG_CHARS):
        return None
    return f"最初の文: 「{_quote(opening)}」"


def is_japanese(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return True
    japanese = sum(1 for c in letters if "\u3040" <= c <= "\u30ff" or "\u4e00" <= c <= "\u9fff")
    kana = sum(1 for c in letters if "\u3040" <= c <= "\u30ff")
    # Chinese text is all kanji: Japanese needs kana too.
    return japanese / len(letters) >= 0.5 and kana >= max(2, 0.1 * len(letters))


# ---------------------------------------------------------------- the rules


def _company_attitude(r: rd.Reading, span: tuple[int, int]) -> bool:
    """「御社の、利用者様に寄り添う姿勢に共感しました」: an attitude that describes the company's
    way (a relative clause in a sentence about the company) is what the candidate admires, not a
    claim of their own effort; generic_motivation speaks for it."""
    p = r.parse
    tok, c = _token_and_clause_at(p, span[0])
    if c is None or not (c.head.dep == "acl" or tok.dep == "acl"):
        return False
    sentence = p.sentence_text(c.sentence)
    return bool(_THE_COMPANY.search(sentence) or _HONORIFIC.search(sentence))


def _token_and_clause_at(p, start: int):
    """The token that starts at this offset, and the clause it belongs to (None where there is none)."""
    tok = next((t for t in p.tokens if t.start == start), None)
    return tok, (rd.governing_clause(p, tok) if tok is not None else None)


def _claim_count(r: rd.Reading, spans) -> int:
    """Claims, not words: 「誰よりも粘り強く」 is one claim, so effort words count once per clause."""
    keys = set()
    for start, _end in spans:
        c = _token_and_clause_at(r.parse, start)[1]
        keys.add(c.head.i if c is not None else ("span", start))
    return len(keys)


_SPECIFICS_NAMED = re.compile(r"具体的には|具体的に(?:言|申)")


def _abstract(r: rd.Reading, category: str | None, th: Thresholds) -> str | None:
    effort = [s for s in r.effort if not (category == "motivation" and _company_attitude(r, s))]
    if not effort:
        return None
    concrete = len(r.concrete_actions)
    figure = bool(r.result_figures)
    strong = concrete >= 3 or (concrete >= 2 and (figure or r.has_method)) or (concrete >= 1 and figure and r.has_method)
    # Enough done to back one claim is not enough when the claims carry the answer: 「全力で」「精一杯」
    # 「誰にも負けない」 beside as few things done as claims made.
    claims = _claim_count(r, effort)
    # 「…頑張りました。具体的には…600件かけ直して…8件契約」: claims the speaker went on to back with
    # named specifics and a result figure do not carry the answer.
    backed = figure and bool(_SPECIFICS_NAMED.search(r.text))
    carried_by_claims = claims >= th.abstract_min_claims and claims >= concrete and not backed
    if strong and not carried_by_claims:
        return None
    start, end = effort[0]
    return f"「{_clause_at(r.text, start, end, 20)}」"


def _blame(r: rd.Reading, setback_story: bool, th: Thresholds) -> str | None:
    if r.faults and not r.owned:
        f = r.faults[0]
        return f"「{_quote(r.text[f.start:f.end].strip('、。 '), 24)}」"
    if r.faults or not setback_story:
        return None
    # A setback explained only by what went wrong around the speaker (人手が足りなくて, 燃料も上がって,
    # 販促物が届くのが前日で), with nothing the speaker did: the cause is put on circumstances.
    p = r.parse
    wrong = [c for c in _told_wrong_and_wished(r)[0] if rd.agent_of(p, c) is not Agent.SELF]
    done = [c for c in r.concrete_actions if rd.agent_of(p, c) is Agent.SELF and c.head.dep != "acl"
            and not rd.to_no_avail(r.text, c.head.end)]
    if len(wrong) < th.circumstance_blame_min_wrongs or done:
        return None
    c = wrong[0]
    return f"「{_clause_at(r.text, c.head.start, c.head.end)}」"


# Predicates that report a result reached (削減した, 上がった, 評価された), not a step taken.
_RESULT_LEMMAS = frozenset(
    "削減 減らす 減る 上げる 上がる 伸ばす 伸びる 達成 改善 短縮 向上 評価 表彰 受賞 完了 下がる 増える 増やす "
    "獲得 実現 成功 上回る 引き上げる 高める 抑える".split()
)


def _no_process(r: rd.Reading, th: Thresholds) -> str | None:
    concrete = r.concrete_actions
    results = [c for c in r.parse.clauses if c.head.lemma in _RESULT_LEMMAS]
    # Results told more than steps (削減しました, 下がって, 評価されました beside one 導入して): the how is missing.
    results_outweigh = not r.has_method and len(results) >= th.no_process_min_results and len(concrete) <= len(results)
    if (len(concrete) >= 2 or (r.has_method and concrete)) and not results_outweigh:
        return None
    if results_outweigh and not concrete:
        c = results[0]
        return f"「{_clause_at(r.text, c.head.start, c.head.end, 20)}」の進め方がない"
    m = re.search(
        r"(?:伸ば|上げ|下げ|減らし|増やし|短縮し|削減し|改善し|獲得し|達成し|完了し|実現し|成功し|倍に|%に|割に|開拓し|引き上げ|押し上げ|高め|抑え|立て直し|黒字化し|成約し|受注し)(?:し)?(?:た|ました|まし|て)|"
        r"(?:表彰|評価され|受賞|任され|担当して|立場で|役割|得意|強み)|"
        # a rank, a prize, praise or confidence claimed (180人の中で1位, 社長賞もいただいて, 育成には自信があります)
        r"(?:[1１一]位|トップ)(?:に|を|で)|賞(?:を|も)?(?:いただ|もら|受け|取)|評価(?:は|を|も)(?:もら|いただ)|(?:に|は)(?:、)?(?:まあ、)?自信があ",
        r.text,
    )
    if m is not None:
        return f"「{_clause_at(r.text, m.start(), m.end(), 20)}」の進め方がない"
    if results_outweigh:
        c = results[0]
        return f"「{_clause_at(r.text, c.head.start, c.head.end, 20)}」の進め方がない"
    return None


_NEUTRAL_PREDICATES = frozenset("ある いる する なる 思う 言う できる".split())


def _told_wrong_and_wished(r: rd.Reading) -> tuple[list, int]:
    """The clauses that say something is wrong (negated, or a negative evaluation) and the number
    that say what the speaker wants (〜たい)."""
    wrong, wishes = [], 0
    for c in r.parse.clauses:
        if rd.is_wish(c):
            wishes += 1
        elif c.head.pos in ("VERB", "ADJ") and c.head.lemma not in _NEUTRAL_PREDICATES \
                and (c.negated or rd.FAULT_CLASS.has(c.head)):
            wrong.append(c)
    return wrong, wishes


def _negative_reason(text: str, r: rd.Reading, th: Thresholds) -> str | None:
    # Someone else's fault as the reason (上が見てくれない, 会社が何も教えてくれない) is a complaint too.
    if r.faults and not r.owned:
        f = r.faults[0]
        return f"「{_quote(text[f.start:f.end].strip('、。 '), 24)}」"
    hits = []
    spans = [m.span() for m in _NEGATIVE_REASON.finditer(text)]
    spans += [s for s in _parsed_complaints(r) if not any(a < s[1] and s[0] < b for a, b in spans)]
    for start, end in sorted(spans):
        if _SET_ASIDE_AFTER.match(text[end:]) or _SET_ASIDE_BEFORE.search(text[max(0, start - 12): start]):
            continue
        hits.append((start, end))
    if not hits:
        # No complaint word, yet the reason is told in what is wrong (つまらない, 反映されない, 差がつかない)
        # more than in what the candidate wants next.
        wrong, wishes = _told_wrong_and_wished(r)
        if len(wrong) >= th.negative_reason_min_wrongs and len(wrong) > wishes:
            c = wrong[0]
            return f"「{_clause_at(text, c.head.start, c.head.end)}」"
        return None
    forward = bool(_FORWARD.search(text))
    # One complaint beside a forward-looking reason is context; a complaint that drives the answer is
    # not, and neither is one the answer goes on about (年功序列で…意見を言っても聞いてもらえない).
    if forward and len(hits) == 1 and hits[0][0] > len(text) // 3:
        told_in = {c.sentence for c in _told_wrong_and_wished(r)[0]} | {r.parse.sentence_at(hits[0][0])}
        if len(told_in) == 1:
            return None
    start, end = hits[0]
    return f"「{_clause_at(text, start, end)}」"


def _qualifies_work(p, c) -> bool:
    """A condition word that qualifies the work: it is part of a noun phrase about something else
    (給与計算のアウトソーシング, 福利厚生のパッケージ, 在宅向けの通販), or sets the time of something
    happening to the work (夜間に障害が起きる). 「残業時間」「有給の取得率」 stay about the candidate."""
    t = c
    while t.dep in ("compound", "nmod") and t.head != t.i and p.tokens[t.head].pos in ("NOUN", "PROPN"):
        t = p.tokens[t.head]
        if t.lemma in _WORK_NOUNS or t.text == "向け":
            return True
    head = p.tokens[c.head]
    if head.lemma in _WORK_NOUNS or head.text == "向け":
        return True
    # (the work's own condition: 「求人票の給与」 is what the clients offer, not the candidate's pay)
    for m in p.children(c):
        if m.dep == "nmod" and (p.compound_text(m) in _WORK_NOUNS or m.lemma in _WORK_NOUNS):
            return True
    if head.pos in ("VERB", "ADJ") and head.i != c.i:
        return any(t.head == head.i and t.dep in ("nsubj", "obj") and t.lemma in _WORK_NOUNS for t in p.tokens)
    return False


def _reverse(r: rd.Reading) -> tuple[str, str] | None:
    """("no_questions"|"conditions_question", evidence) for an answer in the reverse stage."""
    text, p = r.text, r.parse
    questions = [n for n in range(len(p.sentences))
                 if len(st := _TRAILING_FILLER.sub("", p.sentence_text(n).strip("。、 "))) >= _ASK_MIN_CHARS
                 and _ASKING.search(st) and not _NOT_ASKING.search(st) and not _ASKS_FOR_TIME.search(st)]
    if not questions:
        m = _DECLINE.search(text)
        ev = _clause_at(text, m.start(), m.end()) if m else _quote(text.strip(), 24)
        return ("no_questions", f"「{ev}」")
    for n in questions:
        a, b = p.sentences[n]
        toks = p.tokens[a:b]
        conds = [t for t in toks if _is_condition(t)]
        if not conds or _ABOUT_HOW_THEY_WORK.search(p.sentence_text(n)):
            continue
        # 「在宅向けの通販」「夜間や休日に障害が起きたとき」: the condition word qualifies the work.
        about_candidate = [c for c in conds if not _qualifies_work(p, c)]
        if not about_candidate:
            continue
        c = about_candidate[0]
        return ("conditions_question", f"「{_clause_at(text, c.start, c.end)}」")
    return None


def prepare(partial_transcript: str) -> None:
    """Parse what has been said so far, so that judging the whole answer later parses only the rest."""
    from simulator.analysis.language import parse

    text = normalize(partial_transcript)
    if text.strip():
        parse(rd.sentence_breaks(text))


@dataclass(frozen=True)
class Judgement:
    findings: tuple[Finding, ...]
    claim: str | None = None  # the main claim, phrased for a probe (reading.main_claim)
    covered: frozenset[str] = frozenset()  # ladder rungs the answer already gave


def judge(
    transcript: str,
    category: str | None,
    answer_s: float,
    response_latency_s: float | None,
    fillers_per_min: float,
    opts: ContentOptions = ContentOptions(),
) -> Judgement:
    """Findings for one answer (catalogue order, each with evidence), and what a probe needs of it."""
    text = normalize(transcript)
    if not text.strip():
        return Judgement(())
    r = rd.read(text)
    findings = _judge(text, r, category, answer_s, response_latency_s, fillers_per_min, opts)
    return Judgement(tuple(findings), r.claim, r.covered_rungs)


def content_findings(transcript, category, answer_s, response_latency_s, fillers_per_min,
                     opts: ContentOptions = ContentOptions()) -> list[Finding]:
    return list(judge(transcript, category, answer_s, response_latency_s, fillers_per_min, opts).findings)


# Categories whose question asks why the candidate leaves what they have.
_ASKS_WHY_LEAVE = frozenset({"reason_for_leaving", "career_change"})


def _judge(text, r: rd.Reading, category, answer_s, response_latency_s, fillers_per_min, opts: ContentOptions) -> list[Finding]:
    out: list[Finding] = []
    th = opts.thresholds

    def on(fid: str) -> bool:
        return BY_ID[fid].applies(category)

    def add(fid: str, evidence: str | None) -> None:
        if evidence is not None and on(fid) and all(f.id != fid for f in out):
            out.append(Finding(fid, evidence))

    if not is_japanese(text):
        add("not_japanese", f"「{_quote(text.strip(), 24)}」")
        return out

    # Length and delivery.
    if answer_s > th.too_long_s:
        add("too_long", f"{answer_s:.0f}秒")
    elif answer_s > th.long_answer_s:
        add("long_answer", f"{answer_s:.0f}秒")
    elif answer_s < th.too_short_s:
        add("too_short", f"{answer_s:.1f}秒")
    if response_latency_s is not None and response_latency_s >= th.hesitant_latency_s:
        add("hesitant_start", f"回答まで{response_latency_s:.1f}秒の沈黙")
    elif m := (_ASKS_FOR_TIME if category == "reverse" else _HESITANT).search(text[:_HESITANT_WINDOW_CHARS]):
        # (In the reverse stage 「思いつかないです」 declines; it is no_questions, not a slow start.)
        add("hesitant_start", f"「{_clause_at(text, m.start(), m.end())}」")
    filler_count = fillers_per_min * answer_s / 60.0
    if fillers_per_min >= th.many_fillers_per_min and filler_count >= th.many_fillers_min_count - 0.01:
        add("many_fillers", f"{fillers_per_min:.1f}回/分")

    off = None
    if on("off_question") and opts.question:
        from simulator.analysis.topic import off_question

        off = off_question(opts.question, category, r)
        add("off_question", off)

    # Substance.
    abstract = _abstract(r, category, th) if on("abstract") else None
    add("abstract", abstract)
    if on("no_numbers") and not r.figures:
        add("no_numbers", "数字・規模の言及なし")
    if on("no_process") and abstract is None:
        add("no_process", _no_process(r, th))
    # A setback story needs a lesson: the question says whether it is one (失敗, 苦労, 達成できなかった);
    # without a question, the first two sentences tell it. An answer to another question is asked
    # again, not dug for a lesson.
    setback_story = off is None and (bool(_ASKS_SETBACK.search(opts.question)) if opts.question else r.has_setback_topic)
    # A hardship (not a failure) the speaker overcame step by step is told as how it was solved:
    # the hiring manager digs into the steps, not for a lesson.
    overcome = (not _ASKS_FAILURE.search(opts.question or text[:60])
                and len(r.concrete_actions) >= th.overcome_min_actions)
    if on("no_learning") and setback_story and not overcome and not r.has_lesson:
        m = rd.SETBACK_PATTERN.search(text)
        topic = _clause_at(text, m.start(), m.end()) if m else _quote(_opening(text) or text.strip(), 24)
        add("no_learning", f"「{topic}」から何を学んだかがない")

    # Attitude.
    # In a motivation, the current workplace's faults told beside what this company does are the
    # contrast that explains the choice, not blame; generic_motivation and off_question speak for it.
    contrast = category == "motivation" and bool(_THE_COMPANY.search(text) or _HONORIFIC.search(text))
    if on("blame") and not contrast:
        add("blame", _blame(r, setback_story, th))
    if on("negative_reason"):
        add("negative_reason", _negative_reason(text, r, th))

    # Structure.
    if on("not_conclusion_first"):
        if not (category in _ASKS_WHY_LEAVE and _opening_tells_what_is_wrong(text, r)):
            add("not_conclusion_first", _not_conclusion_first(text, opts.question))

    # Motivation and the reverse-question stage.
    if on("generic_motivation"):
        add("generic_motivation", _generic_motivation(r, opts.company, opts.question))
    if category == "reverse" and (rev := _reverse(r)):
        add(*rev)
    if off is not None:
        # An answer to another question is asked again; how it tells that other story is not judged.
        out = [f for f in out if f.id not in _JUDGED_AGAINST_THE_QUESTION]
    return in_catalogue_order(out)


_JUDGED_AGAINST_THE_QUESTION = frozenset({"abstract", "no_numbers", "no_process", "no_learning", "not_conclusion_first"})


def in_catalogue_order(findings: list[Finding]) -> list[Finding]:
    order = {fid: i for i, fid in enumerate(FINDING_IDS)}
    return sorted(findings, key=lambda f: order.get(f.id, len(order)))
