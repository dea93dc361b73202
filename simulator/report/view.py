"""The report's content, computed once from a saved session and shared by HTML, Markdown and terminal.

Pure apart from reading nothing: it takes a loaded Session and returns plain dataclasses. The
transcript is cut into segments so every renderer can mark fillers and long pauses in place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

# The analyser's own spelling patterns, so a marked filler spans exactly the surface it counted.
from simulator.analysis.fillers import JA_FORMS as FILLER_PATTERNS
from simulator.analysis.fillers import find_fillers_in_text
from simulator.analysis.catalogue import THRESHOLDS, label as finding_label
from simulator.report.advice import PACE_BAND_MORAE_PER_MIN, Change, top_changes

if TYPE_CHECKING:
    from simulator.targets.coverage import DocumentCoverage

TARGET_ANSWER_S = 60.0  # "about one minute" is the usual expectation for a main answer
LIMIT_ANSWER_S = THRESHOLDS.too_long_s  # past three minutes the interviewer stops listening
MANY_FILLERS_PER_MIN = THRESHOLDS.many_fillers_per_min  # the analyser's own threshold
LONG_PAUSE_MIN_S = 1.0  # the analyser's long-pause threshold (TimingOptions.long_pause_min_s)

_FILLER_RE = {form: re.compile(pattern) for pattern, form in FILLER_PATTERNS}


@dataclass(frozen=True)
class Segment:
    kind: str  # "text" | "filler" | "pause" | "unsure" (a word Whisper was unsure of)
    text: str
    seconds: float | None = None  # pause length, or the filler's start time
    probability: float | None = None  # an unsure word's probability


@dataclass(frozen=True)
class FindingView:
    id: str
    label: str
    evidence: str


@dataclass(frozen=True)
class TurnView:
    number: int
    kind: str  # "question" | "probe"
    kind_label: str
    question_id: str
    category: str
    prompt_text: str
    why: str  # Japanese: why this prompt was asked
    probe_finding: FindingView | None
    prompt_audio: Path | None
    answer_audio: Path | None
    transcript: str
    segments: tuple[Segment, ...]
    response_latency_s: float | None
    answer_s: float
    speaking_s: float
    morae_per_min: float | None
    fillers_total: int
    fillers_per_min: float
    filler_forms: tuple[str, ...]
    long_pauses_s: tuple[float, ...]
    findings: tuple[FindingView, ...]

    @property
    def short_label(self) -> str:
        return f"{self.number}. {self.kind_label}"


@dataclass(frozen=True)
class ReportView:
    session_id: str
    folder: Path
    title: str
    started_at: str
    status: str
    model: str
    warnings: tuple[str, ...]
    turns: tuple[TurnView, ...]
    changes: tuple[Change, ...]
    totals: dict = field(default_factory=dict)
    # With `--target`: what of the résumé, the posting and the company research the interview used
    # (simulator/targets/coverage.py); None for a session without a target.
    documents: "DocumentCoverage | None" = None

    @property
    def probes(self) -> tuple[TurnView, ...]:
        return tuple(t for t in self.turns if t.kind == "probe")


STATUS_LABELS = {
    "completed": "完了",
    "answers_exhausted": "完了（回答ファイルを使い切り）",
    "interrupted": "中断",
    "failed": "エラーで終了",
    "running": "未完了",
}


def build_report(session) -> ReportView:
    turns = tuple(_turn_view(session.folder, t) for t in session.turns)
    m = session.meta
    return ReportView(
        session_id=session.id,
        folder=Path(session.folder),
        title=str(m.get("set_title") or m.get("set") or ""),
        started_at=str(m.get("started_at", ""))[:16].replace("T", " "),
        status=STATUS_LABELS.get(m.get("status"), str(m.get("status"))),
        model=str(m.get("model", "")),
        warnings=tuple(session.warnings),
        turns=turns,
        changes=tuple(top_changes(session.turns)),
        totals=session_totals(session.turns),
        documents=_documents(m, session.turns),
    )


def _documents(meta: dict, turns: list[dict]):
    target = meta.get("target")
    if not isinstance(target, dict):
        return None
    from simulator.targets.coverage import document_coverage

    return document_coverage(target, turns)


def session_totals(turns: list[dict]) -> dict:
    """Whole-session figures: mean answer length, fillers per answer minute, pace, findings."""
    answered = [t["analysis"] for t in turns if t.get("analysis", {}).get("answer_s")]
    minutes = sum(a["answer_s"] for a in answered) / 60.0
    fillers = sum(a["fillers"]["total"] for a in answered)
    morae = sum((a.get("morae_per_min") or 0) * a["answer_s"] / 60.0 for a in answered)
    return {
        "turns": len(turns),
        "mean_answer_s": round(minutes * 60.0 / len(answered), 1) if answered else None,
        "fillers_per_min": round(fillers / minutes, 2) if minutes > 0 else None,
        "morae_per_min": round(morae / minutes, 1) if minutes > 0 else None,
        "findings": sum(len(t.get("analysis", {}).get("findings", [])) for t in turns),
    }


def why_text(prompt: dict) -> str:
    reason = prompt.get("reason") or {}
    if reason.get("finding"):
        ev = f"（{reason['evidence']}）" if reason.get("evidence") else ""
        return f"前の回答で「{finding_label(reason['finding'])}」{ev}が見られたため"
    why = reason.get("why", "")
    if m := re.match(r"time budget: (\d+) of (\d+) min used", why):
        return f"時間配分（{m.group(1)}分／{m.group(2)}分経過）のため逆質問へ"
    return WHY_LABELS.get(why, why or "—")


# The policy's reasons (simulator/interview/policy.py) in the candidate's language.
WHY_LABELS = {
    "first question of the set": "面接の最初の質問",
    "first question of the interview": "面接の最初の質問",
    "next question of the set": "質問セットの次の質問",
    "a question from round one, asked again deeper": "一次面接で聞かれた質問を、より深く聞き直すため",
    "a question from round one: asked deeper": "一次面接の質問について、さらに深く聞くため",
    "question limit reached, moving to the reverse questions": "質問数の上限に達したため逆質問へ",
    "the reverse questions close the interview": "最後に逆質問",
    # A target's documents (simulator/targets/questions.py).
    "a question grounded in the candidate's documents": "応募書類（職務経歴書・求人票）にもとづく質問",
    "the motivation praises what a competitor also has": "志望動機で挙げた点が、調べたメモでは競合にもあるため",
    "what round one doubted, asked first": "一次面接で気にされた点を、まず確かめるため",
    "a reverse question the research already answers": "逆質問が、調べたメモですでに分かる内容だったため",
}


def _turn_view(folder: Path, turn: dict) -> TurnView:
    p, ans, a = turn["prompt"], turn.get("answer", {}), turn["analysis"]
    reason = p.get("reason") or {}
    probe_finding = (
        FindingView(reason["finding"], finding_label(reason["finding"]), str(reason.get("evidence", "")))
        if reason.get("finding")
        else None
    )
    long_pauses = [pz for pz in a.get("pauses", []) if pz["end_s"] - pz["start_s"] >= LONG_PAUSE_MIN_S]
    words = (ans.get("transcript") or {}).get("words") or []
    return TurnView(
        number=int(turn.get("turn", 0)),
        kind=p["kind"],
        kind_label="質問" if p["kind"] == "question" else "深掘り",
        question_id=p.get("question_id", ""),
        category=p.get("category", ""),
        prompt_text=p["text"],
        why=why_text(p),
        probe_finding=probe_finding,
        prompt_audio=folder / p["audio"] if p.get("audio") else None,
        answer_audio=folder / ans["audio"] if ans.get("audio") else None,
        transcript=a.get("transcript", ""),
        segments=tuple(transcript_segments(a.get("transcript", ""), words, a["fillers"]["items"], long_pauses,
                                           (ans.get("transcript") or {}).get("hotwords"))),
        response_latency_s=a.get("response_latency_s"),
        answer_s=float(a.get("answer_s") or 0.0),
        speaking_s=float(a.get("speaking_s") or 0.0),
        morae_per_min=a.get("morae_per_min"),
        fillers_total=int(a["fillers"]["total"]),
        fillers_per_min=float(a["fillers"]["per_min"]),
        filler_forms=tuple(i["form"] for i in a["fillers"]["items"]),
        long_pauses_s=tuple(round(pz["end_s"] - pz["start_s"], 1) for pz in long_pauses),
        findings=tuple(FindingView(f["id"], finding_label(f["id"]), str(f.get("evidence", ""))) for f in a.get("findings", [])),
    )


def transcript_segments(text: str, words: list[dict], filler_items: list[dict], long_pauses: list[dict],
                        hotwords: str | None = None) -> list[Segment]:
    """Cut the transcript into text, filler and pause segments, in reading order.

    Fillers are located the way the analyser found them (on the text rebuilt from the timed
    words) and matched, in order and by form, to the fillers saved in the session, so the marks
    show exactly what was counted. A long pause goes before the first word that starts after
    the middle of the pause. A word heard with a probability below speech/confidence.py's
    threshold is an "unsure" segment (not where a filler is marked, nor inside a term of the
    vocabulary `hotwords` the answer was heard with: speech/confidence.py).
    """
    if words:
        text = "".join(w["text"] for w in words)
    starts: list[int] = []
    offset = 0
    for w in words:
        starts.append(offset)
        offset += len(w["text"])

    marks: list[tuple[int, int, str, float | None]] = []  # (start, end, kind, seconds)
    hits = find_fillers_in_text(text)
    h = 0
    for item in filler_items:
        for k in range(h, len(hits)):
            form, idx = hits[k]
            if form == item["form"]:
                m = _FILLER_RE[form].match(text, idx) if form in _FILLER_RE else None
                end = m.end() if m else idx + len(form)
                marks.append((idx, end, "filler", item.get("start_s")))
                h = k + 1
                break
    from simulator.speech.confidence import spared_terms, unsure_spans

    fillers_at = [(s, e) for s, e, _, _ in marks]
    probs = {}
    for i, w in enumerate(words):
        probs[starts[i]] = w.get("probability")
    for s, e in unsure_spans(words, spare=spared_terms(hotwords)):
        if not any(s < fe and fs < e for fs, fe in fillers_at):
            marks.append((s, e, "unsure", probs.get(s)))
    for pz in long_pauses:
        mid = (pz["start_s"] + pz["end_s"]) / 2
        at = next((starts[i] for i, w in enumerate(words) if w["start_s"] >= mid), len(text))
        marks.append((at, at, "pause", round(pz["end_s"] - pz["start_s"], 1)))
    marks.sort(key=lambda m: (m[0], 0 if m[2] == "pause" else 1))  # a pause before the word it precedes

    out: list[Segment] = []
    pos = 0
    for start, end, kind, seconds in marks:
        if start < pos:  # overlapping marks (should not happen): keep the text whole
            continue
        if start > pos:
            out.append(Segment("text", text[pos:start]))
        if kind == "pause":
            out.append(Segment("pause", f"{seconds:.1f}秒", seconds))
        elif kind == "unsure":
            out.append(Segment("unsure", text[start:end], probability=seconds))
        else:
            out.append(Segment("filler", text[start:end], seconds))
        pos = end
    if pos < len(text):
        out.append(Segment("text", text[pos:]))
    return out


def pace_band() -> tuple[float, float]:
    return PACE_BAND_MORAE_PER_MIN
