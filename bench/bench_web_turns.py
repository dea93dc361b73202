"""The felt gap through the page (`mensetsu web` in headless Chromium) against the terminal path, on the same labelled answers.

For each labelled answer of bench/turns/ (default: the first 8 odd-numbered files), a one-question
interview runs through the web server (a subprocess, as `mensetsu web --no-browser`) in Debian's
headless Chromium (Selenium + /usr/bin/chromedriver; nothing downloads a browser) with a fresh
profile, whose fake microphone plays that answer once (`--use-file-for-fake-audio-capture=F%noloop`)
after a lead of silence long enough for the question to have been spoken.

Measured on the page, with a probe script injected through DevTools
(`Page.addScriptToEvaluateOnNewDocument`; nothing is added to the app's own pages):
- every microphone block the page sends to the server, with its `performance.now()` time and its
  samples: the answer is found in what was sent by cross-correlation with the file, so
  `answer_end_s` (the file's own time) becomes the page time at which the page handed that sample on
  (the block's send time less the samples after it in the block);
- every clip the page starts (`AudioBufferSourceNode.start`), with its time.
The page's felt gap is answer end -> the first clip the page starts after it (the
acknowledgement). The output device's latency after `start()` is not added (the terminal figure
has none either).

The terminal path: `bench turns` on the same files (simulator.evaluation.turns.run_turns: the
voice gate, the TurnTaker and the endpointer on audio time, with the real recogniser; felt gap =
endpoint delay + fetching the pre-rendered acknowledgement), run after the page in the same run.

With --practice, also terminal practice as a user runs it, on the same files and the same
one-question sets: `python -m simulator practice` in a pty with a private PulseAudio daemon's
virtual devices (simulator/devtools/virtual_audio.py), the file played into the combined sink once
the microphone is open, one recording of the speaker's monitor holding the answer and the
interviewer (the gap read off it: answer end -> the first sound above -45 dBFS after it), its peak
RSS from /usr/bin/time -v. The server's RSS (idle after the interviews, and its peak with its
interview processes) is printed alongside.

The server and practice run with `--no-answer 60` (the page's lead of silence must not make the
interviewer ask again); the answer itself is the labelled file unchanged.

Usage:
    python bench/bench_web_turns.py [--items t01_self_intro.wav ...] [--practice] [--lead-s 20] [--json OUT] [--keep]
Needs: Debian's chromium and chromium-driver, selenium (./install.sh --test); for --practice,
pulseaudio pulseaudio-utils libportaudio2 time and pexpect.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
CHROMEDRIVER = "/usr/bin/chromedriver"
RATE = 16000

# Runs in every document before the page's own scripts (DevTools; not subject to the page's CSP).
PROBE = r"""
(() => {
  const P = window.__bwt = { sends: [], chunks: [], msgs: [], starts: [] };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    if (data instanceof ArrayBuffer) { P.sends.push(performance.now()); P.chunks.push(new Float32Array(data.slice(0))); }
    return send.call(this, data);
  };
  const Orig = window.WebSocket;
  window.WebSocket = class extends Orig {
    constructor(...a) {
      super(...a);
      this.addEventListener("message", (m) => {
        const t = performance.now();
        try {
          const ev = JSON.parse(m.data);
          if (ev.type === "listening") { if (P.msgs.length && P.msgs[P.msgs.length - 1].type === "listening") return; }
          P.msgs.push({ t, type: ev.type, id: ev.id, duration_s: ev.duration_s, text: ev.type === "notice" || ev.type === "done" || ev.type === "error" ? ev.text : undefined });
        } catch (e) {}
      });
    }
  };
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (...a) {
    P.starts.push({ t: performance.now(), duration_s: this.buffer ? this.buffer.duration : null,
                    base_latency_s: this.context.baseLatency, output_latency_s: this.context.outputLatency });
    return start.apply(this, a);
  };
  P.collect = () => {
    const n = P.chunks.reduce((a, c) => a + c.length, 0);
    const i16 = new Int16Array(n);
    let o = 0;
    for (const c of P.chunks) for (let i = 0; i < c.length; i++) i16[o++] = Math.max(-32768, Math.min(32767, Math.round(c[i] * 32767)));
    const u8 = new Uint8Array(i16.buffer);
    let s = "";
    for (let i = 0; i < u8.length; i += 0x8000) s += String.fromCharCode.apply(null, u8.subarray(i, i + 0x8000));
    return { sends: P.sends, lengths: P.chunks.map((c) => c.length), msgs: P.msgs, starts: P.starts, audio: btoa(s) };
  };
})();
"""

# One question per file: a text whose audio is pre-rendered (audio_prompts/), with the category the
# labelled answer's `bench turns` prompt has (only reverse/logistics vs the rest changes the rule).
TEXTS = {
    "self_introduction": "それでは、まず1分程度で自己紹介をお願いします。",
    "reason_for_leaving": "現在の会社を辞めようと思った理由を教えてください。",
    "motivation": "数ある会社の中で、なぜ当社を志望されたのですか。",
    "reverse": "最後に、何か質問はありますか。",
}
OTHER_TEXT = "これまでのお仕事で、一番大きな成果を教えてください。"


def question_set(set_id: str, category: str) -> str:
    text = TEXTS.get(category, OTHER_TEXT)
    return f'id = "{set_id}"\ntitle = "bench web-turns"\n[[questions]]\nid = "q"\ncategory = "{category}"\ntext = "{text}"\n'


def default_items(names: list[str], n: int = 8) -> list[str]:
    odd = [x for x in names if (m := re.match(r"t(\d+)_", x)) and int(m.group(1)) % 2 == 1]
    return odd[:n]


def set_name(name: str) -> str:
    return "bwt_" + re.sub(r"[^a-z0-9]", "", name.split(".")[0])


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def tree_rss_mb(pid: int) -> float:
    """The RSS of a process and its descendants (the server and its interview process)."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        total += rss_mb(p) or 0.0
        for task in Path(f"/proc/{p}/task").glob("*/children") if Path(f"/proc/{p}/task").exists() else ():
            try:
                todo += [int(c) for c in task.read_text().split()]
            except OSError:
                pass
    return total


class PeakSampler:
    """The peak RSS of the server with its children, sampled every 0.25 s in a thread."""

    def __init__(self, pid: int):
        import threading

        self.pid, self.peak, self._stop = pid, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self):
        while not self._stop.wait(0.25):
            self.peak = max(self.peak, tree_rss_mb(self.pid))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join(2)
        return self.peak


# --- the server (a subprocess: `mensetsu web`'s own app, with --no-answer for the page's lead) ----------
def serve(extra: list[str]) -> int:
    import uvicorn

    import socket

    from simulator.web.app import MAX_WS_MESSAGE, create_app
    from simulator.web.security import new_token

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))  # a free port, 127.0.0.1 only (as commands/web.bind)
    sock.listen(16)
    port = sock.getsockname()[1]
    token = new_token()
    app, _ = create_app(token, port, list(extra))
    config = uvicorn.Config(app, log_level="warning", ws_max_size=MAX_WS_MESSAGE, lifespan="off", access_log=False,
                            server_header=False, ws_ping_interval=20.0, ws_ping_timeout=60.0)
    server = uvicorn.Server(config)
    import threading

    def announce():
        while not server.started:
            time.sleep(0.02)
        print(f"mensetsu web: http://127.0.0.1:{port}/?token={token}", flush=True)

    threading.Thread(target=announce, daemon=True).start()
    server.run(sockets=[sock])
    return 0


class Server:
    def __init__(self, home: Path, log: Path, extra: list[str]):
        env = {**os.environ, "PYTHONPATH": str(REPO), "MENSETSU_HOME": str(home), "PYTHONUNBUFFERED": "1"}
        self._out = open(log, "w", encoding="utf-8")
        self.log = log
        self.proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--serve", "--", *extra], cwd=REPO, env=env,
                                     stdout=self._out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        self.url = None
        while time.monotonic() < deadline and self.proc.poll() is None:
            m = re.search(r"(http://127\.0\.0\.1:(\d+)/\?token=[A-Za-z0-9_-]+)", log.read_text(encoding="utf-8"))
            if m:
                self.url, self.base = m.group(1), f"http://127.0.0.1:{m.group(2)}"
                return
            time.sleep(0.05)
        self.stop()
        raise SystemExit("the server did not start: " + log.read_text(encoding="utf-8")[-2000:])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._out.close()


def browser(profile: Path, fake: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                 "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required",
                 f"--use-file-for-fake-audio-capture={fake}%noloop", f"--user-data-dir={profile}", "--window-size=1000,900"):
        opts.add_argument(flag)
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PROBE})
    return driver


# --- where the answer is in what the page sent ------------------------------------------------------------
def locate(sent: np.ndarray, template: np.ndarray) -> tuple[int, float]:
    """The offset in `sent` where `template` starts (FFT cross-correlation), and the normalised peak."""
    n = 1 << int(np.ceil(np.log2(len(sent) + len(template))))
    corr = np.fft.irfft(np.fft.rfft(sent, n) * np.conj(np.fft.rfft(template, n)), n)[: max(1, len(sent) - len(template) + 1)]
    at = int(np.argmax(corr))
    seg = sent[at : at + len(template)]
    score = float(np.dot(seg, template) / (np.linalg.norm(seg) * np.linalg.norm(template) + 1e-12))
    return at, score


def page_time(index: int, sends: np.ndarray, ends: np.ndarray) -> float | None:
    """The page time (ms) of sample `index` of the sent stream: its block's send time less the samples after it."""
    k = int(np.searchsorted(ends, index + 1))
    if k >= len(ends):
        return None
    return float(sends[k] - (ends[k] - 1 - index) / RATE * 1000.0)


def run_page_item(name: str, label: dict, srv: Server, work: Path, lead_s: float, timeout_s: float, log) -> dict:
    from simulator.audio.clip import AudioClip, concat
    from simulator.audio.decode import load_audio
    from simulator.audio.wavfile import write_wav
    from simulator.evaluation.turns import DEFAULT_SET

    clip = load_audio(DEFAULT_SET / name)
    fake = work / f"fake-{name}"
    write_wav(fake, concat([AudioClip.silence(lead_s), clip, AudioClip.silence(8.0)]))
    set_id = set_name(name)
    profile = work / f"profile-{name}"
    driver = browser(profile, fake)
    t_wall = time.monotonic()
    try:
        driver.get(srv.url)
        driver.get(srv.base + f"/interview?set={set_id}&max_probes=0&mic_check=0")
        driver.find_element("id", "begin").click()
        deadline = time.monotonic() + timeout_s
        done = None
        while time.monotonic() < deadline:
            done = driver.execute_script("return document.body.dataset.done || (document.getElementById('error').textContent ? 'error' : null)")
            if done:
                break
            time.sleep(0.5)
        data = driver.execute_script("return window.__bwt.collect()")
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    sent = np.frombuffer(base64.b64decode(data["audio"]), "<i2").astype(np.float32) / 32767.0
    lengths = np.asarray(data["lengths"], int)
    ends = np.cumsum(lengths)
    sends = np.asarray(data["sends"], float)
    s0, s1 = int(max(0.0, label["speech_start_s"] - 0.1) * RATE), int(label["answer_end_s"] * RATE)
    template = clip.samples[s0:s1].astype(np.float32)
    at, score = locate(sent, template)
    file0 = at - s0  # the sent stream's index of the file's sample 0
    t_start = page_time(file0 + int(label["speech_start_s"] * RATE), sends, ends)
    t_end = page_time(file0 + int(label["answer_end_s"] * RATE), sends, ends)
    plays = [p for p in data["starts"]]
    msgs = data["msgs"]
    # the question: the clips started before the answer began; listening = the first listening event after the last of them
    before = [p for p in plays if t_start is not None and p["t"] < t_start]
    question_end = max((p["t"] + 1000 * (p["duration_s"] or 0)) for p in before) if before else None
    after = [p for p in plays if t_end is not None and p["t"] >= t_end]
    during = [p for p in plays if t_start is not None and t_end is not None and t_start <= p["t"] < t_end]
    gap = (after[0]["t"] - t_end) / 1000.0 if after else None
    first_msg = msgs[0]["t"] if msgs else None
    row = {
        "file": name, "outcome": done, "page_gap_s": round(gap, 3) if gap is not None else None,
        "match": round(score, 3), "file_start_in_sent_s": round(file0 / RATE, 3), "lead_s": lead_s, "answer_start_after_question_s": round((t_start - question_end) / 1000.0, 2) if (t_start and question_end) else None,
        "question_end_after_capture_s": round((question_end - sends[0]) / 1000.0, 2) if (question_end and len(sends)) else None,
        "clips_during_answer": len(during), "first_clip_after_s": after[0]["duration_s"] if after else None,
        "output_latency_s": after[0].get("output_latency_s") if after else None,
        "wall_s": round(time.monotonic() - t_wall, 1),
        "server_rss_mb": round(rss_mb(srv.proc.pid) or 0.0),
        "notices": [m["text"] for m in msgs if m["type"] in ("notice", "error") and m.get("text")][-3:],
    }
    _ = first_msg
    log(f"  {name}: page gap {row['page_gap_s']} s (match {row['match']}, answer began {row['answer_start_after_question_s']} s "
        f"after the question; {row['clips_during_answer']} clips during the answer; {done}; {row['wall_s']} s; server {row['server_rss_mb']} MB)")
    return row


# --- the terminal path through PulseAudio virtual devices (practice as a user runs it) -------------------
LISTENING = "考えがまとまったら"  # practice's screen when the microphone is open
FRAME_S = 0.02


def run_practice_item(name: str, label: dict, pulse, home: Path, work: Path, log, args_wait_s: float = 9.0) -> dict:
    """`mensetsu practice` on the one-question set, in a pty, with the PulseAudio virtual devices: the
    file is played into the combined sink (microphone + speaker) once the microphone is open, the
    speaker's monitor is recorded, and the gap is read off that one recording (answer end -> the
    first sound after it). Peak RSS from /usr/bin/time -v."""
    import pexpect

    from simulator.audio.decode import load_audio
    from simulator.evaluation.turns import DEFAULT_SET

    set_id = set_name(name)
    env = {**os.environ, **pulse.env, "PYTHONPATH": str(REPO), "MENSETSU_HOME": str(home), "TERM": "xterm-256color"}
    tlog = work / f"practice-{name}.log"
    child = pexpect.spawn("/usr/bin/time", ["-v", sys.executable, "-m", "simulator", "practice", "--set", set_id, "--max-probes", "0",
                                            "--no-mic-check", "--no-answer", "60", "--out", str(work / "practice-sessions")],
                          env=env, cwd=str(REPO), encoding="utf-8", timeout=240, dimensions=(50, 140))
    child.logfile_read = open(tlog, "w", encoding="utf-8")
    t = time.monotonic()
    child.expect(LISTENING, timeout=180)
    rec = work / f"speaker-{name}"
    recorder = pulse.record_speaker(rec)
    # The screen says "listening" as the question starts (barge-in keeps the microphone open):
    # the answer starts once the opening and the question have been spoken.
    time.sleep(args_wait_s)
    player = pulse.play_into_mic(DEFAULT_SET / name, also_speaker=True)
    while player.poll() is None:
        child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=0.3)
        if not child.isalive():
            break
    cut = player.poll() is None  # practice was over before the answer was: the turn was taken inside it
    end = time.monotonic() + 120
    while child.isalive() and time.monotonic() < end:
        if child.expect([pexpect.TIMEOUT, pexpect.EOF], timeout=1.0) == 0:
            child.send("\r")  # anything asked after the answer (the review list, a key to go on)
    time.sleep(0.3)
    recorder.terminate()
    recorder.wait(10)
    child.logfile_read.close()
    text = tlog.read_text(encoding="utf-8", errors="replace")
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    clip = load_audio(DEFAULT_SET / name)
    got = load_audio(rec).samples.astype(np.float32)
    s0, s1 = int(max(0.0, label["speech_start_s"] - 0.1) * RATE), int(label["answer_end_s"] * RATE)
    at, score = locate(got, clip.samples[s0:s1].astype(np.float32))
    end_i = at - s0 + int(label["answer_end_s"] * RATE)
    frames = got[end_i + int(0.1 * RATE):]
    n = len(frames) // int(FRAME_S * RATE)
    db = 10 * np.log10(np.mean(frames[: n * int(FRAME_S * RATE)].reshape(n, -1) ** 2, axis=1) + 1e-12)
    loud = np.nonzero(db > -45.0)[0]
    gap = 0.1 + float(loud[0]) * FRAME_S if len(loud) and not cut and score >= 0.5 else None
    row = {"file": name, "terminal_devices_gap_s": round(gap, 3) if gap is not None else None, "match": round(score, 3),
           "peak_rss_mb": round(int(m.group(1)) / 1024) if m else None,
           "cut_in": cut, "wall_s": round(time.monotonic() - t, 1)}
    log(f"  {name}: practice (PulseAudio) gap {row['terminal_devices_gap_s']} s (match {row['match']}{'; the turn was taken inside the answer' if cut else ''}; peak {row['peak_rss_mb']} MB; "
        f"{row['wall_s']} s)")
    return row


def pct(xs, q):
    xs = [x for x in xs if x is not None]
    return float(np.percentile(xs, q)) if xs else float("nan")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--items", nargs="+", help="files of bench/turns (default: the first 8 odd-numbered)")
    p.add_argument("--lead-s", type=float, default=None, help="silence before the answer in the fake microphone's file "
                   "(default: 30 s for the first, then the measured question end + 6 s)")
    p.add_argument("--timeout-s", type=float, default=240.0)
    p.add_argument("--skip-terminal", action="store_true", help="without bench turns")
    p.add_argument("--practice", action="store_true", help="also mensetsu practice through PulseAudio virtual devices on the same files")
    p.add_argument("--skip-page", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--json", type=Path)
    p.add_argument("--keep", action="store_true", help="keep the work folder (the server's sessions, its log)")
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("extra", nargs="*", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        return serve(args.extra)
    if CHROMIUM is None or not Path(CHROMEDRIVER).exists():
        raise SystemExit("needs Debian's chromium and chromium-driver (./install.sh --test)")

    from simulator.evaluation.turns import DEFAULT_SET, TurnsOptions, _Prompt, load_labels, run_turns

    labels = load_labels(DEFAULT_SET)
    items = args.items or default_items(sorted(labels))
    log = lambda s: print(s, file=sys.stderr, flush=True)  # noqa: E731
    work = Path(tempfile.mkdtemp(prefix="bench-web-turns-"))
    home = work / "home"
    (home / "question_sets").mkdir(parents=True)
    rows, idle_after, peak = [], None, None
    for name in items:
        (home / "question_sets" / f"{set_name(name)}.toml").write_text(
            question_set(set_name(name), _Prompt(labels[name].get("category", "")).category), encoding="utf-8")
    if args.skip_page:
        rows = [{"file": name, "page_gap_s": None} for name in items]
    else:
        srv = Server(home, work / "server.log", ["--no-answer", "60"])
        log(f"bench web-turns: {len(items)} answers; server {srv.base} (idle {rss_mb(srv.proc.pid):.0f} MB); work {work}")
        sampler = PeakSampler(srv.proc.pid)
        lead = args.lead_s if args.lead_s is not None else 30.0
        question_ends: list[float] = []
        try:
            for name in items:
                row = run_page_item(name, labels[name], srv, work, lead, args.timeout_s, log)
                if row["answer_start_after_question_s"] is None or row["answer_start_after_question_s"] < 0.3 or row["match"] < 0.3:
                    log(f"  {name}: the answer began before the question ended (or was not found); again with a longer lead")
                    lead += 15.0
                    row = run_page_item(name, labels[name], srv, work, lead, args.timeout_s, log)
                rows.append(row)
                if args.lead_s is None and row["question_end_after_capture_s"] is not None:
                    question_ends.append(row["question_end_after_capture_s"])
                    lead = max(12.0, max(question_ends) + 6.0)  # the latest question end seen so far, and a margin
            time.sleep(3.0)
            idle_after = rss_mb(srv.proc.pid)
            peak = sampler.stop()
        finally:
            srv.stop()
    devices = {}
    if args.practice:
        from simulator.devtools import virtual_audio

        missing = virtual_audio.available()
        if missing:
            raise SystemExit(f"virtual audio: {missing}")
        pulse = virtual_audio.VirtualAudio(work / "pulse")
        pulse.start()
        log("the terminal path through PulseAudio: mensetsu practice on the same files ...")
        try:
            for name in items:
                devices[name] = run_practice_item(name, labels[name], pulse, home, work, log)
        finally:
            pulse.stop()
    terminal = {}
    if not args.skip_terminal:
        log("the terminal path: bench turns on the same files ...")
        t = run_turns(TurnsOptions(items=items), log=lambda s: log("  " + s))
        terminal = {r["file"]: r["words"]["gap_s"] for r in t["rows"]}
    f = lambda x: f"{x:7.2f}" if x is not None else "      -"  # noqa: E731
    summary = {}
    print(f"felt gap through the page (headless Chromium, fake microphone) vs the terminal path; {len(rows)} answers "
          f"(load {os.getloadavg()[0]:.1f}, {os.cpu_count()} CPUs)")
    print("  terminal: bench turns (the words rule on audio time)" + ("; practice: mensetsu practice through PulseAudio virtual devices" if devices else ""))
    print(f"{'file':<22} {'page':>7} {'terminal':>9} {'diff':>7}" + (f" {'practice':>9} {'diff':>7}" if devices else ""))
    for r in rows:
        term = terminal.get(r["file"])
        dev = devices.get(r["file"], {}).get("terminal_devices_gap_s")
        d = (r["page_gap_s"] - term) if (r["page_gap_s"] is not None and term is not None) else None
        dd = (r["page_gap_s"] - dev) if (r["page_gap_s"] is not None and dev is not None) else None
        r["terminal_gap_s"], r["diff_s"] = term, (round(d, 3) if d is not None else None)
        r["practice_gap_s"], r["diff_practice_s"] = dev, (round(dd, 3) if dd is not None else None)
        if devices:
            r["practice"] = devices.get(r["file"])
        print(f"{r['file']:<22} {f(r['page_gap_s'])} {f(term):>9} {f(d)}" + (f" {f(dev):>9} {f(dd)}" if devices else ""))
    columns = [("page", "page_gap_s"), ("terminal", "terminal_gap_s"), ("diff", "diff_s")]
    if devices:
        columns += [("practice", "practice_gap_s"), ("diff_practice", "diff_practice_s")]
    for what, key in columns:
        xs = [r.get(key) for r in rows]
        summary[what] = {"p50": round(pct(xs, 50), 3), "p95": round(pct(xs, 95), 3)}
        print(f"{what:<14} p50 {summary[what]['p50']:.2f} s  p95 {summary[what]['p95']:.2f} s")
        if what.startswith("diff"):
            absd = [abs(x) for x in xs if x is not None]
            summary["abs_" + what] = {"p50": round(pct(absd, 50), 3), "p95": round(pct(absd, 95), 3),
                                      "within_0.2": sum(x <= 0.2 for x in absd)}
            a = summary["abs_" + what]
            print(f"{'|' + what + '|':<14} p50 {a['p50']:.2f} s  p95 {a['p95']:.2f} s   within 0.2 s: {a['within_0.2']}/{len(absd)}")
    for other in ("terminal",) + (("practice",) if devices else ()):
        ratio = summary["page"]["p50"] / summary[other]["p50"] if summary[other]["p50"] else float("nan")
        summary[f"ratio_p50_{other}"] = round(ratio, 3)
        print(f"page / {other} p50: {ratio:.2f}x")
    print("target: the page within 0.2 s of the terminal path")
    if idle_after is not None:
        print(f"server RSS after the interviews (idle): {idle_after:.0f} MB; peak during them, with its children: {peak:.0f} MB")
    if devices:
        peaks = [d["peak_rss_mb"] for d in devices.values() if d.get("peak_rss_mb")]
        if peaks:
            print(f"mensetsu practice peak RSS (the same one-question interviews): {min(peaks)}-{max(peaks)} MB")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "summary": summary, "server_idle_after_mb": idle_after, "server_peak_mb": peak}, ensure_ascii=False, indent=1),
                             encoding="utf-8")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
