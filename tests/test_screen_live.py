"""The live practice screen (simulator/ui/screen.py): one region redrawn in place, nothing stale.

Two levels:
- RichView rendered into a rich Console over a StringIO (force_terminal) and replayed through a
  small terminal model (VirtualTerminal: the cursor moves and erases rich emits, unbounded
  scrollback), so "what is on the screen now" can be asserted without a terminal;
- the same sequence of states in a real terminal: a detached tmux session of fixed size runs this
  file as a script (`python tests/test_screen_live.py drive ...`), and `tmux capture-pane` (the
  scrollback included) is what a user would see and scroll back through.

The sequence runs on virtual time (ListenState built by hand, as LiveAnswers builds it every 0.1 s
of audio); the tmux test only waits with generous polling, and the speaking phase is held until
the test has seen the level bar move (a handshake file), so a slow machine cannot make it flaky.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
import time
import uuid

import pytest
from pathlib import Path
from types import SimpleNamespace

if __name__ == "__main__":  # run as the tmux driver: the repository on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from simulator.audio.live import ListenState
from simulator.ui.screen import KEY_HINT, PlainView, RichView

TITLE = "二次面接（コア）"
QUESTIONS = [
    ("question", 1, "まず、簡単に自己紹介をお願いします。"),
    ("probe", 1, "その中で、ご自身の役割は何でしたか。"),
    ("question", 2, "当社を志望された理由を教えてください。"),
]
OPENING = "面接官: 本日はよろしくお願いします。それでは始めます。"
CLOSING = "面接官: 本日の面接は以上です。ありがとうございました。"
SAVED = "セッションを保存しました（3 件の回答）"
STALE = ["間をとっています", "あと 0.0 秒", "回答を確認しています", "考えがまとまったら", "聞いています", "面接官が話しています"]
END_SILENCE_S = 2.5


def record(n: int) -> dict:
    return {
        "analysis": {
            "answer_s": 30.0 + 10 * n,
            "response_latency_s": 1.2,
            "morae_per_min": 390,
            "fillers": {"total": n},
            "findings": [],
            "transcript": f"はい、前職では営業を担当しておりまして、{n}年間で新規顧客の開拓を進めてまいりました。",
        },
        "answer": {"ended_by": "silence", "transcript": {"words": [], "hotwords": None}},
    }


def listen_states(speak_db: float = -14.0):
    """One answer as LiveAnswers reports it: thinking, speaking (rising level), a pause, more, the end."""
    t = 0.0
    answer = 0.0

    def st(started, speaking, level, silence):
        return ListenState(t, answer, started, speaking, level, silence, END_SILENCE_S)

    for _ in range(10):  # thinking: room noise
        yield "thinking", st(False, False, -68.0, 0.0)
        t += 0.1
    for i in range(20):  # speaking, the level rising to speak_db
        yield "speaking", st(True, True, -50.0 + (speak_db + 50.0) * (i + 1) / 20, 0.0)
        t += 0.1
        answer += 0.1
    for i in range(12):  # a thinking pause: the countdown appears after 0.8 s
        yield "pause", st(True, False, -66.0, 0.1 * (i + 1))
        t += 0.1
        answer += 0.1
    for i in range(10):
        yield "speaking", st(True, True, speak_db + (3.0 if i % 2 else -3.0), 0.0)
        t += 0.1
        answer += 0.1
    for i in range(int(END_SILENCE_S * 10)):  # the end of the answer: the countdown runs to 0.0
        yield "pause", st(True, False, -67.0, round(0.1 * (i + 1), 1))
        t += 0.1
        answer += 0.1


def drive(view, sleep=lambda s: None, hold=lambda: None) -> None:
    """A realistic session for a view: what simulator/commands/practice.py and LiveAnswers call."""
    view.start(TITLE, 2)
    view.notice(OPENING)
    for turn, (kind, number, text) in enumerate(QUESTIONS, 1):
        view.on_prompt(SimpleNamespace(kind=kind), number, 2)
        view.prompt(text, True)
        sleep(0.3)  # the interviewer speaks
        held = False
        for phase, state in listen_states():
            view.listening(state)
            sleep(0.03)
            if phase == "speaking" and not held and state.level_db > -25:
                held = True
                hold()  # keep "speaking" until the observer has seen the level bar
        view.analysing()
        sleep(0.3)
        view.card(record(turn))
    view.notice(CLOSING)
    view.close()


# --- a small terminal model -------------------------------------------------------------------
CSI = re.compile(r"\x1b\[([?0-9;]*)([A-Za-z])")


class VirtualTerminal:
    """Enough of a VT100 for rich's Live: text, CR/LF, cursor up/down/column, erase line, SGR.

    No autowrap (rich breaks lines itself) and an unbounded screen: every row ever written stays,
    which is the scrollback plus the screen of a real terminal.
    """

    def __init__(self):
        from rich.cells import cell_len

        self._w = cell_len
        self.rows: list[list[str]] = [[]]
        self.row = 0
        self.col = 0

    def feed(self, data: str) -> "VirtualTerminal":
        i = 0
        while i < len(data):
            ch = data[i]
            if ch == "\x1b":
                m = CSI.match(data, i)
                if not m:
                    raise AssertionError(f"unexpected escape {data[i:i + 12]!r}")
                self._csi(m.group(1), m.group(2))
                i = m.end()
                continue
            if ch == "\r":
                self.col = 0
            elif ch == "\n":
                self.row += 1
                self.col = 0
                while len(self.rows) <= self.row:
                    self.rows.append([])
            elif ch == "\x07":
                pass
            else:
                self._put(ch)
            i += 1
        return self

    def _put(self, ch: str) -> None:
        line = self.rows[self.row]
        width = max(1, self._w(ch))
        while len(line) < self.col + width:
            line.append(" ")
        line[self.col] = ch
        for k in range(1, width):
            line[self.col + k] = ""  # the second cell of a wide character
        self.col += width

    def _csi(self, params: str, final: str) -> None:
        if params.startswith("?"):  # cursor shown / hidden
            assert final in "hl", (params, final)
            return
        n = int(params.split(";")[0] or 1) if final in "ABCDG" else int(params or 0)
        if final == "m":
            return
        if final == "A":
            self.row = max(0, self.row - n)
        elif final == "B":
            self.row += n
            while len(self.rows) <= self.row:
                self.rows.append([])
        elif final == "C":
            self.col += n
        elif final == "D":
            self.col = max(0, self.col - n)
        elif final == "G":
            self.col = n - 1
        elif final == "K":
            line = self.rows[self.row]
            if n == 2:
                line.clear()
            elif n == 0:
                del line[self.col:]
            else:
                raise AssertionError(f"erase {n}K")
        else:
            raise AssertionError(f"unexpected control ESC[{params}{final}")

    def lines(self) -> list[str]:
        out = ["".join(r).rstrip() for r in self.rows]
        while out and not out[-1]:
            out.pop()
        return out

    def text(self) -> str:
        return "\n".join(self.lines())


def rich_view(width: int = 100):
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=width, height=30, color_system="standard", highlight=False)
    return RichView(console=console, refresh_per_second=20), buf


def screen(buf: io.StringIO) -> VirtualTerminal:
    return VirtualTerminal().feed(buf.getvalue())


def state(t=1.0, answer=0.0, started=False, speaking=False, level=-70.0, silence=0.0):
    return ListenState(t, answer, started, speaking, level, silence, END_SILENCE_S)


# --- (a) RichView on a virtual terminal -------------------------------------------------------
def test_virtual_terminal_model():
    vt = VirtualTerminal().feed("ab\ncd\r\x1b[2Kx\r\x1b[1A\x1b[2Kyy\n\x1b[31m面z\x1b[0m")
    assert vt.lines() == ["yy", "面z"]


def test_a_whole_session_ends_with_a_clean_screen():
    view, buf = rich_view()
    drive(view)
    print(SAVED, file=view.console.file)  # what practice prints after close
    text = screen(buf).text()
    lines = screen(buf).lines()
    for _, _, q in QUESTIONS:
        assert text.count(q) == 1, (q, text)
    for stale in STALE:
        assert stale not in text, (stale, text)
    assert lines[-1] == SAVED and lines[-2] == CLOSING, lines[-6:]
    assert text.count("振り返り") == 3 and text.count(OPENING) == 1
    assert "［質問 1/2］ 面接官: まず" in text and "［深掘り 1/2］ 面接官: その中で" in text


def test_listening_is_redrawn_in_place_with_meter_and_countdown():
    view, buf = rich_view()
    view.start(TITLE, 2)
    view.on_prompt(SimpleNamespace(kind="question"), 1, 2)
    q = QUESTIONS[0][2]
    view.prompt(q, True)
    view._live.refresh()
    assert screen(buf).lines()[-1] == "  （面接官が話しています）"

    view.listening(state(t=0.2))
    view._live.refresh()
    lines = screen(buf).lines()
    assert lines[-2] == "  考えがまとまったら話し始めてください。" and lines[-1] == "  " + KEY_HINT
    assert "面接官が話しています" not in screen(buf).text()

    for i in range(30):  # speaking, loud: the bar fills; many redraws, one region
        view.listening(state(t=1.0 + 0.1 * i, answer=0.1 * i, started=True, speaking=True, level=-15.0 - (i % 3)))
        view._live.refresh()
    lines = screen(buf).lines()
    assert re.search(r"^  回答 0:02 / 1:00 目安 +入力 █{15,}·*$", lines[-3]), lines[-3]
    assert lines[-2] == "  聞いています"
    assert screen(buf).text().count(q) == 1 and screen(buf).text().count("入力") == 1

    view.listening(state(t=5.0, answer=4.0, started=True, level=-70.0, silence=1.3))
    view._live.refresh()
    assert screen(buf).lines()[-2] == "  間をとっています…（あと 1.2 秒で回答終了）"

    view.notice("（音声なし：質問は画面の文字でお読みください）")  # mid-answer: above the region
    view.listening(state(t=5.1, answer=4.1, started=True, level=-70.0, silence=1.4))  # 0.1 s later
    view._live.refresh()
    lines = screen(buf).lines()
    assert lines[-4] == "（音声なし：質問は画面の文字でお読みください）", lines[-6:]
    assert lines[-2] == "  間をとっています…（あと 1.1 秒で回答終了）" and lines[-1] == "  " + KEY_HINT
    assert lines[-5] == "［質問 1/2］ 面接官: " + q
    assert screen(buf).text().count("間をとっています") == 1

    view.analysing()
    view._live.refresh()
    lines = screen(buf).lines()
    assert lines[-1] == "  回答を確認しています…" and "間をとっています" not in screen(buf).text()

    view.card(record(1))
    view._live.refresh()
    text = screen(buf).text()
    assert "振り返り" in text and "回答を確認しています" not in text
    view.close()
    text = screen(buf).text()
    assert text.count(q) == 1 and not any(s in text for s in STALE)


def test_a_notice_after_a_listen_clears_the_listening_lines():
    view, buf = rich_view()
    view.start(TITLE, 2)
    view.on_prompt(SimpleNamespace(kind="question"), 1, 2)
    view.prompt(QUESTIONS[0][2], True)
    view.listening(state(t=12.0, started=False))  # no answer: LiveAnswers re-asks
    view._live.refresh()
    assert "考えがまとまったら" in screen(buf).text()
    view.notice("面接官: 聞こえていますでしょうか。もう一度お聞きしますね。")
    view._live.refresh()
    lines = screen(buf).lines()
    assert lines[-1] == "面接官: 聞こえていますでしょうか。もう一度お聞きしますね。", lines[-4:]
    assert "考えがまとまったら" not in screen(buf).text()
    view.close()


def test_a_repeated_question_is_shown_again_once():
    view, buf = rich_view()
    view.start(TITLE, 2)
    q = QUESTIONS[0][2]
    view.on_prompt(SimpleNamespace(kind="question"), 1, 2)
    view.prompt(q, True)
    view.listening(state(started=False))
    view.notice("面接官: はい、もう一度お聞きします。")
    view.prompt(q, True)  # LiveAnswers._replay: the same prompt again
    view.listening(state(started=True, speaking=True, level=-20.0))
    view.close()
    text = screen(buf).text()
    assert text.count(q) == 2 and not any(s in text for s in STALE)


def test_prints_and_a_busy_refresh_thread_never_leave_copies():
    """The refresh thread racing the main thread's prints (regions of 1 and 3 lines) on a fast clock."""
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, force_terminal=True, width=100, height=30, color_system="standard")
    view = RichView(console=console, refresh_per_second=400)
    view.start(TITLE, 2)
    for i in range(150):
        view.prompt(f"第{i}問です。", bool(i % 2))
        for k in range(4):
            view.listening(state(t=0.1 * k, answer=0.1 * k, started=k > 1, speaking=k == 2, level=-20.0 - k, silence=1.0 * (k == 3)))
            if k == 1:
                view.notice(f"お知らせ{i}")
                view.listening(state(t=0.15, level=-30.0))
            time.sleep(0.0005)
        view.analysing()
        time.sleep(0.001)
    view.notice(CLOSING)
    view.close()
    lines = screen(buf).lines()
    printed = [ln for ln in lines if ln.startswith(("面接官: 第", "お知らせ"))]
    expected = []
    for i in range(150):
        expected += [f"面接官: 第{i}問です。", f"お知らせ{i}"]
    assert printed == expected
    text = "\n".join(lines)
    assert lines[-1] == CLOSING and not any(s in text for s in STALE), lines[-8:]


def test_meter_holds_the_peak_and_falls_on_audio_time():
    view, _ = rich_view()
    view.start(TITLE, 1)
    assert view._meter(state(t=1.0, level=-15.0)) == -15.0
    assert view._meter(state(t=1.1, level=-70.0)) == pytest.approx(-18.0)  # 30 dB/s: 3 dB in 0.1 s
    assert view._meter(state(t=3.0, level=-70.0)) == -70.0
    assert view._meter(state(t=0.1, level=-65.0)) == -65.0  # a new listen starts from the level
    view.close()


def test_listening_rebuilds_only_when_something_visible_changed():
    view, _ = rich_view()
    view.start(TITLE, 1)
    view.listening(state(t=1.0, level=-70.0))
    shown = view._live._renderable
    view.listening(state(t=1.1, level=-70.0))  # nothing visible changed
    assert view._live._renderable is shown
    view.listening(state(t=1.2, started=True, speaking=True, level=-20.0))
    assert view._live._renderable is not shown
    view.close()


def test_close_is_safe_before_start_and_twice():
    view, buf = rich_view()
    view.close()
    view.close()
    view, buf = rich_view()
    view.start(TITLE, 1)
    view.listening(state(started=True, speaking=True, level=-20.0))
    view.close()
    view.close()
    view.notice(CLOSING)  # after close: printed, no live region comes back
    assert view._live is None
    assert screen(buf).lines()[-1] == CLOSING


def test_a_given_console_does_not_take_over_stdout():
    before = sys.stdout
    view, _ = rich_view()
    view.start(TITLE, 1)
    assert sys.stdout is before
    view.close()


def test_plain_view_prints_each_thing_once():
    out = io.StringIO()
    drive(PlainView(out))
    text = out.getvalue()
    for _, _, q in QUESTIONS:
        assert text.count(q) == 1
    assert text.count("（回答中…）") == 3 and text.count("（回答を確認しています…）") == 3
    assert text.rstrip().splitlines()[-1] == CLOSING
    assert not any(s in text for s in ["間をとっています", "あと 0.0 秒", "\x1b"])
    assert len(text.splitlines()) < 40  # no line per listening state


# --- (b) the same in a real terminal: tmux --------------------------------------------------
TMUX = shutil.which("tmux") or ("/usr/bin/tmux" if os.path.exists("/usr/bin/tmux") else None)


class Tmux:
    def __init__(self, width: int = 100, height: int = 30):
        self.socket = f"mensetsu-screen-{uuid.uuid4().hex[:10]}"
        self.width, self.height = width, height
        self.env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
        self.env.pop("TMUX", None)

    def __call__(self, *args: str) -> str:
        r = subprocess.run([TMUX, "-u", "-L", self.socket, "-f", "/dev/null", *args], env=self.env, capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise AssertionError(f"tmux {' '.join(args)}: {r.stderr.strip()}")
        return r.stdout

    def start(self, command: str) -> None:
        self("new-session", "-d", "-s", "drive", "-x", str(self.width), "-y", str(self.height), command)
        self("set-option", "-t", "drive", "history-limit", "5000")

    def capture(self, history: int = 0) -> str:
        return self("capture-pane", "-p", "-t", "drive", *(["-S", f"-{history}"] if history else []))

    def kill(self) -> None:
        subprocess.run([TMUX, "-L", self.socket, "kill-server"], env=self.env, capture_output=True, timeout=30)


def test_a_real_terminal_through_tmux(tmp_path):

    if TMUX is None:
        pytest.skip("tmux is not installed (apt-get install tmux): the real-terminal check of the screen needs it")
    done, seen = tmp_path / "done", tmp_path / "seen"
    repo = Path(__file__).resolve().parents[1]
    script = f"{sys.executable} {Path(__file__).resolve()} drive {done} {seen}"
    tmux = Tmux(100, 30)
    bars: set[str] = set()
    try:
        tmux.start(f"env PYTHONPATH={repo} TERM=screen-256color {script} 2>{tmp_path / 'stderr'}; sleep 300")
        deadline = time.monotonic() + 180
        while not done.exists():
            assert time.monotonic() < deadline, "the driver did not finish:\n" + tmux.capture(200)
            for line in tmux.capture().splitlines():
                m = re.search(r"入力 ([█·]+)", line)
                if m and "█" in m.group(1):
                    bars.add(m.group(1))
                    seen.touch()  # the driver stops holding the speaking phase
            time.sleep(0.05)
        time.sleep(0.3)  # the last lines reach the pane
        final = tmux.capture(200)
    finally:
        tmux.kill()
    err = (tmp_path / "stderr").read_text(encoding="utf-8", errors="replace") if (tmp_path / "stderr").exists() else ""
    assert not err.strip(), err
    assert bars, "the level bar never showed filled blocks while speaking"
    for _, _, q in QUESTIONS:
        assert final.count(q) == 1, (q, final)
    for stale in STALE:
        assert stale not in final, (stale, final)
    tail = [ln.rstrip() for ln in final.splitlines() if ln.strip()]
    assert tail[-2:] == [CLOSING, SAVED], tail[-6:]
    assert final.count(OPENING) == 1 and final.count("振り返り") == 3


def _drive_in_terminal(done: Path, seen: Path) -> None:
    def hold():
        deadline = time.monotonic() + 60
        level = -14.0
        t = 10.0
        while not seen.exists() and time.monotonic() < deadline:
            view.listening(ListenState(t, t - 1.0, True, True, level, 0.0, END_SILENCE_S))
            level = -14.0 if level < -14.0 else -20.0  # the bar moves while held
            t += 0.1
            time.sleep(0.05)

    view = RichView()
    drive(view, sleep=time.sleep, hold=hold)
    print(SAVED, flush=True)
    done.write_text("ok")


if __name__ == "__main__" and len(sys.argv) == 4 and sys.argv[1] == "drive":
    _drive_in_terminal(Path(sys.argv[2]), Path(sys.argv[3]))
