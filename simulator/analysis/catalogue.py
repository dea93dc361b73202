"""The finding catalogue: every content and delivery finding, defined once.

Each finding has its id (a public contract: `analyze --json`, saved sessions, question-set probe
keys), the question categories it applies to, its place in the probe priority (the order of
FINDINGS: a hiring manager digs into the first one shown), the probe family that follows it,
its severity, the Japanese label and advice the candidate reads, and any threshold it uses. The
analyser, the probe policy, the report, the terminal card and docs/findings.md all read this
table; nothing else lists findings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import IntEnum

CATEGORIES = (
    "self_introduction",
    "experience",
    "motivation",
    "values",
    "reason_for_leaving",
    "management",
    "technical",
    "career_change",
    "commitment",  # 他社の選考状況, 第一志望か
    "logistics",  # 入社可能時期, 希望年収
    "reverse",
)
ALL = frozenset(CATEGORIES)
SPOKEN = ALL - {"reverse"}
# Where what was done and how is the point of the answer (and where the ladder digs).
EPISODE = frozenset({"experience", "management", "technical"})
# A start date or a salary figure is not an effort story: only the basics apply there.
STORY = SPOKEN - {"logistics"}


class Severity(IntEnum):
    POLISH = 1  # delivery polish; worth fixing after the rest
    WEAK = 2  # weakens the answer clearly (no evidence, no structure)
    RED_FLAG = 3  # can sink a second round on its own


@dataclass(frozen=True)
class Thresholds:
    """Every figure a finding is decided by (the report and the card read the same ones)."""

    too_long_s: float = 180.0
    long_answer_s: float = 90.0
    too_short_s: float = 10.0
    # Spontaneous Japanese averages ~6 filled pauses per 100 words (CSJ), roughly 6-7 a minute:
    # flag clearly above that, and never on one or two fillers in a short answer.
    many_fillers_per_min: float = 10.0
    many_fillers_min_count: int = 3
    # A person thinking needs a few seconds; five seconds of silence reads as being stuck.
    hesitant_latency_s: float = 5.0
    # A written answer has no clock: its length is estimated at the middle of the advised
    # 300-400 band (320-360 morae a minute measured as preferred by listeners).
    estimated_morae_per_min: float = 330.0
    # An answer with as many effort claims as concrete actions is carried by the claims (abstract),
    # once there are at least this many claims.
    abstract_min_claims: int = 2
    # A hardship (not a failure) overcome in this many concrete steps of the speaker's own is an
    # account of how, not a setback left without a lesson.
    overcome_min_actions: int = 4
    # A reason for leaving told in this many things wrong, and more of them than wishes, is a complaint.
    negative_reason_min_wrongs: int = 2
    # A setback explained by this many things wrong around the speaker, and nothing they did, is blame.
    circumstance_blame_min_wrongs: int = 2
    # This many results reported, with no more concrete actions than results, is a result without its how.
    no_process_min_results: int = 2


THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class FindingSpec:
    id: str
    categories: frozenset[str]
    family: str | None  # the probe that follows it; None: fed back after the interview only
    severity: Severity
    label: str  # Japanese, shown to the candidate
    advice: str  # Japanese: one concrete thing to do differently

    def applies(self, category: str | None) -> bool:
        """Unknown or missing categories get only the findings that apply everywhere."""
        return category in self.categories if category else self.categories == ALL


# In probe priority: the most important gap first.
FINDINGS: tuple[FindingSpec, ...] = (
    FindingSpec("not_japanese", ALL, "reask", Severity.WEAK, "日本語での回答ではない",
                "面接は日本語で行われます。日本語で、結論から答えましょう。"),
    FindingSpec("off_question", SPOKEN, "reask", Severity.RED_FLAG, "質問に答えていない",
                "質問を一度頭の中で言い直し、最初の一文でその問いに直接答えましょう。"),
    FindingSpec("no_questions", frozenset({"reverse"}), "reverse_reaction", Severity.RED_FLAG, "逆質問がない",
                "逆質問を2〜3個用意しましょう。配属先の仕事内容や期待される役割についての質問が無難です。"),
    FindingSpec("conditions_question", frozenset({"reverse"}), "reverse_redirect", Severity.WEAK,
                "条件面の質問（この段階では早い）",
                "条件面の質問は内定後に回し、二次面接では仕事内容やチームについて質問しましょう。"),
    FindingSpec("generic_motivation", frozenset({"motivation"}), "why_us", Severity.RED_FLAG,
                "どの会社にも言える志望動機",
                "その会社ならではの点（事業・製品・顧客・方針）と自分の経験の接点を一つ具体的に挙げましょう。"),
    FindingSpec("negative_reason", frozenset({"reason_for_leaving"}), "forward", Severity.RED_FLAG, "退職理由がネガティブ",
                "退職理由は不満ではなく、次に実現したいこと（前向きな理由）として言い換えましょう。"),
    FindingSpec("blame", STORY, "ownership", Severity.RED_FLAG, "他人や環境のせいにしている",
                "うまくいかなかった原因のうち、自分で変えられたことと、そこで何をしたかを話しましょう。"),
    FindingSpec("abstract", STORY, "specifics", Severity.WEAK, "抽象的な努力表現だけ",
                "「頑張った」「必死で」を、実際にとった行動（誰に・何を・どれくらい）に言い換えましょう。"),
    FindingSpec("no_process", EPISODE, "process", Severity.WEAK, "やり方（プロセス）が語られていない",
                "結果だけでなく、課題→打ち手→結果の順に「どう進めたか」を話しましょう。"),
    FindingSpec("no_numbers", frozenset({"self_introduction", "experience", "management"}), "figures", Severity.WEAK,
                "数字・規模がない",
                "成果には必ず数字を一つ入れましょう（例：売上を前年比120%、新規30社）。規模・期間・割合のどれかで構いません。"),
    FindingSpec("no_learning", EPISODE, "lesson", Severity.WEAK, "学び・教訓がない",
                "その経験から何を学び、次にどう活かしたかを一文で添えましょう。"),
    FindingSpec("too_long", ALL, "summary", Severity.RED_FLAG, "長すぎる（3分超）",
                "回答は1分前後が目安です。要点を一つに絞り、詳しい話は深掘りされたときに回しましょう。"),
    # A start date or a salary figure is rightly said in a sentence.
    FindingSpec("too_short", SPOKEN - {"logistics"}, "elaborate", Severity.WEAK, "短すぎる",
                "結論だけで終わらせず、理由と具体例を一つ加えて30秒〜1分を目安に話しましょう。"),
    FindingSpec("not_conclusion_first", SPOKEN - {"self_introduction", "logistics"}, "conclusion", Severity.WEAK,
                "結論が先に来ていない",
                "最初の一文で結論を言い、そのあとに理由と具体例を続けましょう（PREP法）。"),
    FindingSpec("long_answer", ALL, None, Severity.POLISH, "やや長い（1分半超）",
                "1分半を超えています。結論と根拠を一つずつに絞ると1分前後に収まります。"),
    FindingSpec("hesitant_start", ALL, None, Severity.POLISH, "答え始めに詰まっている",
                "答え始めまでの沈黙が長めです。「はい、〇〇です」と結論から話し始める型を準備しましょう。"),
    FindingSpec("many_fillers", ALL, None, Severity.POLISH, "フィラーが多い",
                "「えーと」「あの」の代わりに、一呼吸おいて黙る練習をしましょう。短い間は悪い印象になりません。"),
)
BY_ID: dict[str, FindingSpec] = {f.id: f for f in FINDINGS}
FINDING_IDS: tuple[str, ...] = tuple(BY_ID)
# The red flags a second round is lost on (issue targets: recall >= 0.85, precision >= 0.90).
RED_FLAGS = ("blame", "abstract", "generic_motivation", "negative_reason", "no_questions", "conditions_question")
# Decided by measured time, not by what was said: scored only where a labelled answer gives times.
TIMED = frozenset({"too_long", "long_answer", "too_short", "many_fillers"})


def spec(finding_id: str) -> FindingSpec | None:
    return BY_ID.get(finding_id)


def applies(finding_id: str, category: str | None) -> bool:
    return BY_ID[finding_id].applies(category)


def label(finding_id: str) -> str:
    """The Japanese label; an id this catalogue does not know (an older session) shows as itself."""
    s = BY_ID.get(finding_id)
    return s.label if s else finding_id


def severity(finding_id: str) -> int:
    s = BY_ID.get(finding_id)
    return int(s.severity) if s else int(Severity.POLISH)


def priority_index(finding_id: str) -> int:
    return FINDING_IDS.index(finding_id) if finding_id in BY_ID else len(FINDING_IDS)


def rank_key(finding_id: str) -> tuple[int, int, str]:
    """Sort key: most serious first, then the probe priority, then the id (stable for unknown ids)."""
    return (-severity(finding_id), priority_index(finding_id), finding_id)


# ---------------------------------------------------------------- next moves

# The ladder a hiring manager follows down one episode (shared/domain.md), in the order asked.
DEEPER_RUNGS = ("method", "role", "obstacle", "result", "repeat")
# The names of the next moves: the contract with scoring scripts (`analyze --json` "next").
FAMILIES = (
    "specifics", "figures", "process", "lesson", "ownership", "forward", "why_us", "conclusion", "summary",
    "elaborate", "deeper", *(f"deeper:{r}" for r in DEEPER_RUNGS), "reask", "reverse_reaction",
    "reverse_redirect", "next_question", "end",
)

# What a phrasing of each probe family must say (used by `sets validate` and `eval findings`).
FAMILY_MARKERS: dict[str, re.Pattern] = {
    "specifics": re.compile(r"具体"),
    "figures": re.compile(r"数字|数値|どのくらい|どれくらい|何名|何人|何件|規模"),
    "process": re.compile(r"どのように|どうやって|手順|進め|どう身につけ"),
    "lesson": re.compile(r"学|教訓|生か|活か|次に"),
    "ownership": re.compile(r"ご自身|あなた自身|ご自分|責任"),
    "forward": re.compile(r"解決|実現|今後|これから|やりたい"),
    "why_us": re.compile(r"当社|弊社"),
    "conclusion": re.compile(r"結論|一言|要するに|つまり"),
    "summary": re.compile(r"要点|一言|まとめ|絞る|一つに"),
    "elaborate": re.compile(r"詳しく|具体"),
    "reask": re.compile(r"質問|伺|お聞き|改めて"),
    "reverse_reaction": re.compile(r"質問|関心|よろしいですか|ほかに"),
    "reverse_redirect": re.compile(r"内定後|仕事の中身|業務|ほかに質問"),
    "deeper": re.compile(r"なぜ|どう|何を|何から|何か試し|具体的|一次面接|役割|一番"),
}


def family_of(probe_key: str) -> str | None:
    """The family a probe key belongs to: a finding's family, or the key itself (deeper, deeper:role)."""
    if probe_key in BY_ID:
        return BY_ID[probe_key].family
    return probe_key.split(":")[0] if probe_key.split(":")[0] in FAMILY_MARKERS else None


def family_matches(probe_key: str, text: str) -> bool:
    family = family_of(probe_key)
    base = family.split(":")[0] if family else None
    return base is None or base not in FAMILY_MARKERS or bool(FAMILY_MARKERS[base].search(text))
