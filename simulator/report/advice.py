""""The three changes that would help most": chosen from the findings, phrased in Japanese.

Pure: takes the turns of a session (as saved) and returns ranked changes, each tied to the
findings (or measured delivery figures) it comes from and to the turns where they appeared.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from simulator.analysis.catalogue import BY_ID, label as finding_label, rank_key, severity

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
            BY_ID[fid].advice if fid in BY_ID else f"「{finding_label(fid)}」が指摘された回答を見直しましょう。",
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
