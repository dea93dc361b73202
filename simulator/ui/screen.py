"""The live practice screen: the question, a timer against the one-minute target, the input level,
a short delivery card after each answer, and what comes next. Calm on purpose: a nervous
candidate should look at the interviewer (or the camera), not at blinking numbers.

RichView draws with rich on a terminal (one live region redrawn in place, finished content
printed above it once); PlainView prints lines (pipes, logs, dumb terminals).
Both implement the View protocol of simulator/audio/live.py plus the loop's callbacks.
"""

from __future__ import annotations

import functools
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


@functools.cache
def _calm_live_class():
    """rich.live.Live that draws only when the renderable changed (made here: rich loads on use)."""
    from rich.live import Live

    class CalmLive(Live):
        _drawn: tuple = (None, None)

        def refresh(self) -> None:
            with self._lock:
                drawn, size = self._drawn
                if self._started and drawn is self._renderable and size == self.console.size:
                    return  # the refresh thread ticks; the terminal gets bytes only for a change
                self._drawn = (self._renderable, self.console.size)
                super().refresh()

    return CalmLive


class RichView:
    """One live region at the bottom, redrawn in place; finished content goes above it, once.

    Above (the scrollback): the title, each question as it is asked (with 「質問 2/5」), notices
    (the interviewer's phrases, 「音声なし」), each answer's card. Below, redrawn in place by rich's
    refresh thread: what happens now -- the interviewer speaking, listening (timer, input level,
    the end-of-answer countdown, the keys), analysing -- and nothing once a turn is done. The
    region is plain lines, no frame: a terminal that counts a character's width differently than
    rich (emoji, East Asian ambiguous width) can then never wrap a line and leave copies behind.
    close() erases the region, so the last thing on screen is what was printed last.
    """

    REFRESH_PER_SECOND = 10.0  # listening() comes every 0.1 s of audio; the thread draws the latest
    INDENT = "  "  # the live region sits under the question, indented

    def __init__(self, console=None, refresh_per_second: float | None = None):
        from rich.console import Console

        self.console = console or Console(highlight=False)
        # print() from elsewhere goes above the region too, but only on the real terminal
        self._redirect = console is None
        self._fps = refresh_per_second or self.REFRESH_PER_SECOND
        self._live = None
        self._closed = False
        self.header = ""
        self.state: ListenState | None = None
        self._shown = None
        self._meter_db = -100.0
        self._meter_at = 0.0

    # --- the live region --------------------------------------------------------------------
    def _ensure_live(self):
        if self._live is None and not self._closed:
            self._live = _calm_live_class()(
                "",
                console=self.console,
                auto_refresh=True,
                refresh_per_second=self._fps,
                transient=True,
                redirect_stdout=self._redirect,
                redirect_stderr=self._redirect,
            )
            self._live.start()
        return self._live

    def _show(self, renderable) -> None:
        """Replace what the live region shows; the refresh thread draws it (never blocks on the terminal)."""
        live = self._ensure_live()
        if live is not None:
            live.update(renderable)

    def _print(self, renderable, **kw) -> None:
        """Finished content: printed above the live region (rich erases the region, prints, redraws it)."""
        live = self._ensure_live()
        if live is None:
            self.console.print(renderable, **kw)
            return
        # Held for the whole print, not only while rich's hook moves the cursor: a refresh from the
        # thread between this print's render and its write would move the cursor by a stale height.
        with live._lock:
            self.console.print(renderable, **kw)

    # --- the loop's callbacks ---------------------------------------------------------------
    def start(self, title: str, total_questions: int) -> None:
        from rich.text import Text

        self._print(Text(f"{title}（質問 {total_questions} 問）", style="bold"))
        self._print(Text(KEY_HINT, style="dim"))

    def on_prompt(self, prompt, number: int, total: int) -> None:
        label = "質問" if prompt.kind == "question" else "深掘り"
        self.header = f"{label} {number}/{total}"

    def card(self, record: dict) -> None:
        from rich.panel import Panel
        from rich.text import Text

        self.state = None
        self._show("")
        self._print(Panel(Text("\n".join(card_lines(record))), title="振り返り", title_align="left", border_style="blue", expand=False))

    def close(self) -> None:
        self._closed = True
        live, self._live = self._live, None
        if live is not None:
            live.update("")
            live.stop()  # transient: the region is erased, the cursor left under the last printed line

    # --- the View protocol (simulator/audio/live.py) ----------------------------------------
    def prompt(self, text: str, spoken: bool) -> None:
        from rich.text import Text

        self.state = None
        self._shown = None
        self._meter_db, self._meter_at = -100.0, 0.0
        line = Text()
        if self.header:
            line.append(f"［{self.header}］ ", style="dim")
        line.append(f"面接官: {text}", style="bold")
        self._show(Text(f"{self.INDENT}（面接官が話しています）", style="yellow") if spoken else "")
        self._print("")
        self._print(line)

    def listening(self, state: ListenState) -> None:
        self.state = state
        meter = self._meter(state)
        remaining = max(0.0, state.end_silence_s - state.silence_s)
        pausing = state.started and not state.speaking and state.silence_s > 0.8
        # Rebuild only when something visible changed; the refresh thread redraws at most that often.
        shown = (int(state.answer_s if state.started else 0), level_bar(meter), state.started, pausing and round(remaining, 1))
        if shown == self._shown:
            return
        self._shown = shown
        self._show(self._listening_lines(state, meter, pausing, remaining))

    def notice(self, text: str) -> None:
        from rich.text import Text

        if self.state is not None:
            # The listening lines go: a notice after a listen (the interviewer's 「もう一度お聞きします」,
            # 「お話の途中ですが…」) must not sit over a stale timer. Mid-answer, the next
            # listening() (0.1 s of audio later) draws them again.
            self.state = None
            self._shown = None
            self._show("")
        self._print(Text(text, style="yellow"))

    def analysing(self) -> None:
        from rich.text import Text

        self.state = None
        self._shown = None
        self._show(Text(f"{self.INDENT}回答を確認しています…", style="yellow"))

    # --- drawing ----------------------------------------------------------------------------
    def _meter(self, state: ListenState) -> float:
        """The level with a short peak hold (falls 30 dB/s on audio time): speech moves it visibly."""
        if state.elapsed_s < self._meter_at:  # a new listen
            self._meter_db = -100.0
        fallen = self._meter_db - 30.0 * max(0.0, state.elapsed_s - self._meter_at)
        self._meter_db = max(state.level_db, fallen)
        self._meter_at = state.elapsed_s
        return self._meter_db

    def _listening_lines(self, s: ListenState, meter_db: float, pausing: bool, remaining: float):
        from rich.console import Group
        from rich.text import Text

        t = s.answer_s if s.started else 0.0
        line = Text(self.INDENT)
        line.append(f"回答 {_mmss(t)} / 1:00 目安", style="red" if t > TARGET_ANSWER_S else "green")
        line.append("   入力 ", style="dim")
        line.append(level_bar(meter_db), style="cyan")
        if not s.started:
            status = "考えがまとまったら話し始めてください。"
        elif pausing:
            status = f"間をとっています…（あと {remaining:.1f} 秒で回答終了）"
        else:
            status = "聞いています"
        return Group(line, Text(self.INDENT + status), Text(self.INDENT + KEY_HINT, style="dim"))


def make_view(plain: bool = False):
    return PlainView() if plain or not sys.stdout.isatty() else RichView()
