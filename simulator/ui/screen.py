"""The live practice screen: the question, a timer against the one-minute target, the input level,
a short delivery card after each answer, and what comes next. Calm on purpose: a nervous
candidate should look at the interviewer (or the camera), not at blinking numbers.

RichView draws with rich on a terminal; PlainView prints lines (pipes, logs, dumb terminals).
Both implement the View protocol of simulator/audio/live.py plus the loop's callbacks.
"""

from __future__ import annotations

import sys

from simulator.audio.live import ListenState
from simulator.analysis.catalogue import label as finding_label

TARGET_ANSWER_S = 60.0
KEY_HINT = "Enter: 回答を終える   r: 質問をもう一度   Ctrl-C: 中断（ここまで保存）"


def _mmss(seconds: float) -> str:
    s = max(0, int(seconds))
    return f"{s // 60}:{s % 60:02d}"


def level_bar(level_db: float, width: int = 20) -> str:
    """-60 dBFS (silence) .. -10 dBFS (loud) as a bar of blocks."""
    filled = int(round(max(0.0, min(1.0, (level_db + 60.0) / 50.0)) * width))
    return "█" * filled + "·" * (width - filled)


def card_lines(record: dict) -> list[str]:
    """The short delivery card after an answer (Japanese)."""
    a = record["analysis"]
    ended = record["answer"].get("ended_by")
    length = a["answer_s"]
    verdict = "ちょうどよい長さ" if 40 <= length <= 90 else ("短め" if length < 40 else "長め")
    latency = a["response_latency_s"]
    lines = [
        f"回答 {length:.0f}秒（目安1分：{verdict}）  話し始めまで {'—' if latency is None else f'{latency:.1f}秒'}"
        f"  速さ {a['morae_per_min'] or '—'} モーラ/分  フィラー {a['fillers']['total']}回",
    ]
    if ended == "no_answer":
        lines = ["回答がありませんでした。次に進みます。"]
    elif not a["transcript"] and length < 0.5:
        lines = ["回答はありませんでした。"]
    elif ended == "time_limit":
        lines.append("3分を超えたため、面接官が区切りました。要点を先に、1分程度を目安に。")
    for f in a["findings"][:2]:
        lines.append(f"▲ {finding_label(f['id'])}")
    if a["transcript"]:
        heard = record["answer"].get("transcript") or {}
        lines += transcript_lines(a["transcript"], heard.get("words") or [], heard.get("hotwords"))
    return lines


def transcript_lines(text: str, words: list[dict], hotwords: str | None = None, limit: int = 60) -> list[str]:
    """The start of the transcript, unsure words marked (?) and the marker explained."""
    from simulator.speech.confidence import UNSURE_LEGEND, UNSURE_MARK, marked_text, spared_terms, unsure_spans

    spare = spared_terms(hotwords)
    if words and unsure_spans(words, spare=spare):
        text = marked_text(words, spare=spare)
    cut = limit
    at = text.find(UNSURE_MARK)
    while at != -1 and at <= cut:  # never cut a marker off its word
        cut = max(cut, at + len(UNSURE_MARK))
        at = text.find(UNSURE_MARK, at + 1)
    shown = text[:cut]
    lines = [f"「{shown}{'…' if len(text) > cut else ''}」"]
    if UNSURE_MARK in shown:
        lines.append(UNSURE_LEGEND)
    return lines


class PlainView:
    def __init__(self, stream=None):
        self.out = stream or sys.stdout
        self._started = False

    def _p(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    def start(self, title: str, total_questions: int) -> None:
        self._p(f"=== {title}（質問 {total_questions} 問） ===")
        self._p(KEY_HINT)

    def on_prompt(self, prompt, number: int, total: int) -> None:
        label = "質問" if prompt.kind == "question" else "深掘り"
        self._p(f"\n[{label} {number}/{total}]")

    def prompt(self, text: str, spoken: bool) -> None:
        self._p(f"面接官: {text}")
        self._started = False

    def listening(self, state: ListenState) -> None:
        if state.started and not self._started:
            self._started = True
            self._p("（回答中…）")

    def notice(self, text: str) -> None:
        self._p(text)

    def analysing(self) -> None:
        self._p("（回答を確認しています…）")

    def card(self, record: dict) -> None:
        for line in card_lines(record):
            self._p("  " + line)

    def close(self) -> None:
        pass


class RichView:
    def __init__(self, console=None):
        from rich.console import Console

        self.console = console or Console(highlight=False)
        self._live = None
        self.question = ""
        self.header = ""
        self.status = ""
        self.state: ListenState | None = None
        self.next_line = ""

    def start(self, title: str, total_questions: int) -> None:
        from rich.live import Live

        self.console.rule(f"{title}（質問 {total_questions} 問）")
        self.console.print(KEY_HINT, style="dim")
        self._live = Live(self._render(), console=self.console, auto_refresh=False, transient=False)
        self._live.start()

    def _render(self):
        from rich.console import Group
        from rich.panel import Panel
        from rich.text import Text

        body = Text(self.question or "", style="bold")
        parts = [body]
        s = self.state
        if s is not None:
            t = s.answer_s if s.started else 0.0
            over = t > TARGET_ANSWER_S
            timer = Text(f"⏱ {_mmss(t)} / 1:00 目安", style="red" if over else "green")
            level = Text(f"   入力 {level_bar(s.level_db)}", style="cyan")
            parts.append(timer + level)
            if not s.started:
                parts.append(Text("考えがまとまったら話し始めてください。", style="dim"))
            elif not s.speaking and s.silence_s > 0.8:
                parts.append(Text(f"間をとっています…（あと {max(0.0, s.end_silence_s - s.silence_s):.1f} 秒で回答終了）", style="dim"))
            else:
                parts.append(Text("聞いています", style="dim"))
        if self.status:
            parts.append(Text(self.status, style="yellow"))
        return Panel(Group(*parts), title=self.header, title_align="left")

    def _refresh(self) -> None:
        if self._live is not None:
            self._live.update(self._render(), refresh=True)

    def on_prompt(self, prompt, number: int, total: int) -> None:
        label = "質問" if prompt.kind == "question" else "深掘り"
        self.header = f"{label} {number}/{total}"
        self.status = ""
        self.state = None
        self._refresh()

    def prompt(self, text: str, spoken: bool) -> None:
        self.question = f"面接官: {text}"
        self.state = None
        self._shown = None
        self.status = "（面接官が話しています）" if spoken else ""
        self._refresh()
        # Printed too, so the question is still readable in the scrollback and to pexpect.
        self.console.print(self.question)

    def listening(self, state: ListenState) -> None:
        self.state = state
        self.status = ""
        # Redraw only when something visible changed: a calm screen, and little output on slow terminals.
        shown = (
            int(state.answer_s if state.started else 0),
            level_bar(state.level_db),
            state.started,
            state.speaking,
            round(max(0.0, state.end_silence_s - state.silence_s), 1) if state.silence_s > 0.8 else None,
        )
        if shown != getattr(self, "_shown", None):
            self._shown = shown
            self._refresh()

    def notice(self, text: str) -> None:
        self.console.print(text, style="yellow")

    def analysing(self) -> None:
        self.status = "回答を確認しています…"
        self._refresh()

    def card(self, record: dict) -> None:
        from rich.panel import Panel

        self.console.print(Panel("\n".join(card_lines(record)), title="振り返り", title_align="left", border_style="blue"))

    def close(self) -> None:
        if self._live is not None:
            self._live.stop()
            self._live = None


def make_view(plain: bool = False):
    return PlainView() if plain or not sys.stdout.isatty() else RichView()
