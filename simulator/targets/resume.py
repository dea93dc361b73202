"""The 職務経歴書: its achievement and role lines, each the seed of a deep-dive question.

Pure. A line counts when it is under a career section (not the summary, skills, licences or
self-PR) and states a result with a figure (「年間売上を1.2億円から1.8億円に拡大」), something the
candidate built or started (「失注分析の仕組みを導入」), or a role (「5名の営業チームのリーダーとして…」).
Each keeps the sentence verbatim and the span a question quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.targets.lines import document_lines, quote_span, sentences

# Sections that describe the candidate, not what they did: no deep-dive comes from them.
_NOT_EPISODES = re.compile(r"要約|概要|スキル|資格|知識|自己\s*(?:PR|ＰＲ|ピーアール)|志望|趣味|免許|語学|学歴|特技|PC|ＰＣ|ツール|保有|連絡先|氏名|基本情報")
_RESULT = re.compile(r"達成|拡大|改善|向上|削減|短縮|獲得|受賞|増加|増や|伸ば|成功|実現|黒字化|表彰|[1１一]位|首位|最優秀|突破|超え|上回|倍増|改善し|減ら|高め|引き上げ")
_INITIATIVE = re.compile(r"導入|構築|立ち上げ|立上げ|開発|策定|企画|推進|主導|設計|刷新|新設|整備|リニューアル|移行|仕組み化|標準化|自動化")
_ROLE = re.compile(r"リーダー|マネージャー|マネジャー|責任者|主任|課長|部長|係長|統括|プロジェクトマネージャ|(?<![A-Za-z])(?:PM|PL|PMO)(?![A-Za-z])|チーフ|店長|リード")
_ROLE_VERB = re.compile(r"として|を担当|を務め|を率い|をまとめ|を統括|を管理|を任され")
_FIGURE = re.compile(
    r"(?<![0-9０-９])(?:[0-9０-９]+(?:[.,．，][0-9０-９]+)?)\s*(?:%|％|パーセント|(?:億|万|千)?円|件|社|名|人|万|億|千|倍|時間|日|週|か月|ヶ月|カ月|"
    r"ポイント|pt|位|店|台|本|割|点|秒|分|ミリ秒|ms|回|人月|GB|TB|MB|km|kg|トン|ページ|行)|ゼロ|半減|倍増"
)
# 「事業内容：…」「資本金：1億円」: the employer's profile, never something the candidate did.
_PROFILE_KEY = re.compile(r"^(?:事業内容|資本金|従業員数|社員数|売上高|売上|設立|所在地|本社|雇用形態|期間|在籍期間|上場|業種|職種|所属|会社名)\s*[：:]")
# 「2019年4月～現在　ECサイトのリニューアル（PL）」: the header of a period; its bullets say what was done.
_PERIOD_HEAD = re.compile(r"^[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[〜～\-－–ー]")
_KEY_VALUE = re.compile(r"^[^：:、。]{1,12}[：:]")
_PERIOD_ONLY = re.compile(r"^[0-9０-９年月日〜～\-－/／.\s現在在籍]+$")


@dataclass(frozen=True)
class Achievement:
    text: str  # the sentence, verbatim
    quote: str  # the verbatim span a question quotes
    kind: str  # "result" | "initiative" | "role"
    heading: str
    line: int
    figures: int


def achievements(text: str) -> list[Achievement]:
    """Every achievement or role line of the résumé, in the order of the document."""
    out: list[Achievement] = []
    for ln in document_lines(text):
        if any(_NOT_EPISODES.search(h) for h in ln.headings):
            continue
        for sentence in sentences(ln.text) if len(ln.text) > 60 else [ln.text]:
            item = _achievement(sentence, ln.heading, ln.number)
            if item is not None and not any(item.quote in a.text or a.quote in item.text for a in out):
                out.append(item)
    return out


def _achievement(sentence: str, heading: str, line: int) -> Achievement | None:
    s = sentence.strip()
    if not 8 <= len(s) <= 160 or _PERIOD_ONLY.match(s) or _PROFILE_KEY.match(s) or _PERIOD_HEAD.match(s):
        return None
    # Money, rates and multiples weigh more than counts: they are what a result is measured in.
    figures = sum(2 if re.search(r"[%％円倍割]|パーセント|ポイント", f) else 1 for f in _FIGURE.findall(s))
    result, initiative = bool(_RESULT.search(s)), bool(_INITIATIVE.search(s))
    if _KEY_VALUE.match(s) and not (result or initiative):
        return None  # 「担当顧客数：約120社」「事業内容：…」: a fact of scale, not something done
    if result and figures:
        kind = "result"
    elif initiative:
        kind = "initiative"
    elif _ROLE.search(s) and _ROLE_VERB.search(s):
        kind = "role"
    elif result:
        kind = "initiative"
    else:
        return None
    return Achievement(s, quote_span(s), kind, heading, line, figures)


def ranked(items: list[Achievement]) -> list[Achievement]:
    """The order a hiring manager would ask them in: the biggest result, a role, then the rest."""
    results = sorted((a for a in items if a.kind == "result"), key=lambda a: (-a.figures, a.line))
    others = [a for a in items if a.kind == "initiative"]
    roles = [a for a in items if a.kind == "role"]
    out: list[Achievement] = []
    for group in (results[:1], roles[:1], results[1:2], others[:1], results[2:], others[1:], roles[1:]):
        out.extend(a for a in group if a not in out)
    return out


def question_for(a: Achievement) -> str:
    """「職務経歴書に『…』とありますが、…」: the deep-dive a second-round interviewer opens with."""
    if a.kind == "result":
        return f"職務経歴書に『{a.quote}』とありますが、どのように達成されたのですか。"
    if a.kind == "initiative":
        return f"職務経歴書に『{a.quote}』とありますが、どのような経緯で、どう進められたのですか。"
    return f"職務経歴書に『{a.quote}』とありますが、その立場でご自身が一番力を入れたことと、その進め方を教えてください。"
