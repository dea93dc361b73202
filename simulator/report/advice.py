""""The three changes that would help most": chosen from the findings, phrased in Japanese.

Pure: takes the turns of a session (as saved) and returns ranked changes, each tied to the
findings (or measured delivery figures) it comes from and to the turns where they appeared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.findings_text import finding_label
from simulator.report.severity import rank_key, severity

# What to do differently, one concrete action per finding id (Japanese: the candidate reads it).
ADVICE: dict[str, str] = {
    "no_numbers": "成果には必ず数字を一つ入れましょう（例：売上を前年比120%、新規30社）。規模・期間・割合のどれかで構いません。",
    "no_process": "結果だけでなく、課題→打ち手→結果の順に「どう進めたか」を話しましょう。",
    "abstract": "「頑張った」「一生懸命」を、実際にとった行動（誰に・何を・どれくらい）に言い換えましょう。",
    "blame": "うまくいかなかった原因のうち、自分で変えられたことと、そこで何をしたかを話しましょう。",
    "negative_reason": "退職理由は不満ではなく、次に実現したいこと（前向きな理由）として言い換えましょう。",
    "no_learning": "その経験から何を学び、次にどう活かしたかを一文で添えましょう。",
    "not_conclusion_first": "最初の一文で結論を言い、そのあとに理由と具体例を続けましょう（PREP法）。",
    "too_long": "回答は1分前後が目安です。要点を一つに絞り、詳しい話は深掘りされたときに回しましょう。",
    "long_answer": "1分半を超えています。結論と根拠を一つずつに絞ると1分前後に収まります。",
    "too_short": "結論だけで終わらせず、理由と具体例を一つ加えて30秒〜1分を目安に話しましょう。",
    "generic_motivation": "その会社ならではの点（事業・製品・顧客）と自分の経験の接点を一つ具体的に挙げましょう。",
    "no_questions": "逆質問を2〜3個用意しましょう。配属先の仕事内容や期待される役割についての質問が無難です。",
    "conditions_question": "条件面の質問は内定後に回し、二次面接では仕事内容やチームについて質問しましょう。",
    "hesitant_start": "答え始めまでの沈黙が長めです。「はい、〇〇です」と結論から話し始める型を準備しましょう。",
    "many_fillers": "「えーと」「あの」の代わりに、一呼吸おいて黙る練習をしましょう。短い間は悪い印象になりません。",
}

# Delivery targets (docs/reports.md): the pace band is 300-400 characters a minute in the usual
# Japanese advice, about 320-360 morae a minute when counted as this program does.
PACE_BAND_MORAE_PER_MIN = (320.0, 360.0)
PACE_ADVICE = {
    "pace_fast": ("話す速さが速め", "1分間に約320〜360モーラ（300〜400字）が聞き取りやすい速さです。文の区切りで一拍おきましょう。"),
    "pace_slow": ("話す速さが遅め", "1分間に約320〜360モーラ（300〜400字）が目安です。結論を先に、文を短く切って話しましょう。"),
}


@dataclass(frozen=True)
class Change:
    key: str  # a finding id, or pace_fast / pace_slow
    title: str  # Japanese label
    advice: str  # Japanese: what to do
    turns: tuple[int, ...]  # turn numbers where it appeared
    evidence: tuple[str, ...] = field(default_factory=tuple)
    severity: int = 1


def top_changes(turns: list[dict], limit: int = 3) -> list[Change]:
    """The changes that would help most: most serious findings first, then the most frequent."""
    seen: dict[str, list[tuple[int, str]]] = {}
    for turn in turns:
        for f in turn.get("analysis", {}).get("findings", []):
            seen.setdefault(f["id"], []).append((turn.get("turn", 0), str(f.get("evidence", ""))))
    ranked = sorted(seen, key=lambda fid: (rank_key(fid)[0], -len(seen[fid]), *rank_key(fid)[1:]))
    changes = [
        Change(
            fid,
            finding_label(fid),
            ADVICE.get(fid, f"「{finding_label(fid)}」が指摘された回答を見直しましょう。"),
            tuple(t for t, _ in seen[fid]),
            tuple(e for _, e in seen[fid] if e),
            severity(fid),
        )
        for fid in ranked
    ]
    if len(changes) < limit and (pace := _pace_change(turns)) is not None:
        changes.append(pace)
    return changes[:limit]


def _pace_change(turns: list[dict]) -> Change | None:
    low, high = PACE_BAND_MORAE_PER_MIN
    fast, slow = [], []
    for turn in turns:
        a = turn.get("analysis", {})
        pace = a.get("morae_per_min")
        # Very short answers give unstable rates: judge pace on answers of 10 s or more.
        if not pace or (a.get("answer_s") or 0) < 10:
            continue
        if pace > high:
            fast.append((turn.get("turn", 0), pace))
        elif pace < low:
            slow.append((turn.get("turn", 0), pace))
    if not fast and not slow:
        return None
    key, hits = ("pace_fast", fast) if len(fast) >= len(slow) else ("pace_slow", slow)
    title, advice = PACE_ADVICE[key]
    return Change(key, title, advice, tuple(t for t, _ in hits), tuple(f"{p:.0f} モーラ/分" for _, p in hits), 1)
