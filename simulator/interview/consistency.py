"""Does the story hold together? The reason for leaving, the motivation and the five-year plan
should point the same way; a contradiction is what a hiring manager asks about.

Each answer is placed on a few axes by what it wants (more say in decisions or clear instructions,
new challenges or stability, a specialist's depth or managing people). Two answers at opposite
ends of one axis are a contradiction. Pure.
"""

from __future__ import annotations

import re

from simulator.interview.policy import Exchange

# (axis, pole, pattern): what an answer says it wants or wants to get away from.
_POLES: tuple[tuple[str, str, re.Pattern], ...] = (
    ("autonomy", "more", re.compile(r"裁量|自分で(?:決め|判断|考え)|任せてもら|主体的に|自由に|権限")),
    ("autonomy", "less", re.compile(r"指示(?:通り|どおり|を受けて|に従)|言われたこと|決められた(?:こと|通り|手順)|マニュアル通り|言われた通り")),
    ("change", "challenge", re.compile(r"挑戦|新しい(?:こと|分野|領域)|変化|チャレンジ|ゼロから|立ち上げ")),
    ("change", "stability", re.compile(r"安定|長く(?:働|勤め)|落ち着いて|腰を据え|変化の少な|同じ仕事を")),
    ("track", "specialist", re.compile(r"専門(?:性|を極め|家)|スペシャリスト|技術を極め|現場(?:で|に)(?:ずっと|居続け)|プレイヤーとして")),
    ("track", "manager", re.compile(r"マネジメント|管理職|マネージャー|部下を持|チームを率い|組織を(?:作|率い)")),
)
_WATCHED = frozenset({"reason_for_leaving", "motivation"})


def _stances(text: str) -> dict[str, tuple[str, str]]:
    """axis -> (pole, the words that placed it)."""
    out: dict[str, tuple[str, str]] = {}
    for axis, pole, pattern in _POLES:
        if axis not in out and (m := pattern.search(text)):
            out[axis] = (pole, m.group(0))
    return out


def contradiction(last: Exchange, earlier: list[Exchange]) -> tuple[str, str, str] | None:
    """(earlier words, words now, why) when the last answer contradicts an earlier one."""
    if last.prompt.category not in _WATCHED or not last.text:
        return None
    now = _stances(last.text)
    for h in earlier:
        if h.prompt.category not in _WATCHED or not h.text or h.prompt.question_id == last.prompt.question_id:
            continue
        for axis, (pole, words) in _stances(h.text).items():
            if axis in now and now[axis][0] != pole:
                return words, now[axis][1], f"contradiction on {axis}: {h.prompt.question_id} against {last.prompt.question_id}"
    return None
