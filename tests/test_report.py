"""The session report: content logic, terminal/Markdown/HTML output, and the page in headless Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import pytest

from session_factory import shared_real_session, turn, write_session
from simulator.analysis.catalogue import THRESHOLDS
from simulator.errors import ERROR_PREFIX
from simulator.report.playback import NO_DEVICE
from simulator.report.advice import top_changes
from simulator.report.view import build_report, transcript_segments
from simulator.store.session_store import load_session
from tests.conftest import run_cli

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium() -> str:
    exe = shutil.which("chromium") or shutil.which("chromium-browser")
    if exe is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")
        pytest.skip("chromium is not installed (apt-get install -y chromium fonts-noto-cjk)")
    return exe


def run_chromium(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    with tempfile.TemporaryDirectory(prefix="mensetsu-chromium-") as profile:
        return subprocess.run(
            [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
        )


# --- content logic ------------------------------------------------------------------------


def test_segments_mark_fillers_and_long_pauses_in_place():
    words = [("えーと", 0.5, 0.9), ("、", 0.9, 0.9), ("売上", 1.0, 1.4), ("を", 1.4, 1.5), ("伸ばし", 3.2, 3.6), ("ました。", 3.6, 4.0), ("あの", 4.2, 4.4), ("会社", 4.4, 4.8)]
    text = "".join(w for w, _, _ in words)
    segs = transcript_segments(
        text,
        [{"text": w, "start_s": a, "end_s": b} for w, a, b in words],
        [{"form": "えーと", "start_s": 0.5}],
        [{"start_s": 1.5, "end_s": 3.1}],
    )
    assert [(s.kind, s.text) for s in segs] == [
        ("filler", "えーと"),
        ("text", "、売上を"),
        ("pause", "1.6秒"),
        ("text", "伸ばしました。あの会社"),  # あの before a noun is a determiner, not a counted filler
    ]
    assert "".join(s.text for s in segs if s.kind != "pause") == text


def test_segments_without_word_timings_keep_the_text():
    segs = transcript_segments("特にありません。", [], [], [])
    assert [(s.kind, s.text) for s in segs] == [("text", "特にありません。")]


def test_top_changes_most_serious_first_then_most_frequent():
    turns = [
        turn(1, "a", "q", [("hesitant_start", "6 s"), ("no_numbers", "x")]),
        turn(2, "b", "q", [("no_numbers", "y"), ("abstract", "頑張りました")]),
        turn(3, "c", "q", [("generic_motivation", "成長できる環境")]),
    ]
    changes = top_changes(turns)
    assert [c.key for c in changes] == ["generic_motivation", "no_numbers", "abstract"]
    assert changes[1].turns == (1, 2) and changes[1].evidence == ("x", "y")
    assert all(re.search(r"[ぁ-んァ-ン一-龥]", c.advice) for c in changes)  # Japanese advice


def test_top_changes_fill_up_with_pace_when_findings_are_few():
    turns = [turn(1, "a", "q", [("too_short", "5 s")], answer_s=5.0), turn(2, "b", "q", [], answer_s=30.0, morae_per_min=420.0)]
    assert [c.key for c in top_changes(turns)] == ["too_short", "pace_fast"]
    assert top_changes([turn(1, "a", "q", [], answer_s=30.0)]) == []


# --- a real session from the real model ---------------------------------------------------


@pytest.fixture(scope="module")
def real_folder(tmp_path_factory, whisper):
    return shared_real_session(tmp_path_factory, whisper)


@pytest.mark.slow
def test_report_terminal_html_and_markdown(real_folder, tmp_path):
    html, md = tmp_path / "out" / "report.html", tmp_path / "out" / "report.md"
    r = run_cli("report", str(real_folder), "--html", str(html), "--md", str(md))
    assert r.returncode == 0, r.stderr
    session = load_session(real_folder)
    view = build_report(session)
    assert "いちばん効果の大きい改善点" in r.stdout
    assert len(view.changes) == 3
    for c in view.changes:
        assert c.title in r.stdout
    page = html.read_text(encoding="utf-8")
    # self-contained: every src/href is an anchor, a data: URI or a relative path to the session audio
    for ref in re.findall(r'(?:src|href)="([^"]*)"', page):
        assert ref.startswith(("#", "data:")) or not re.match(r"^[a-z]+:", ref), ref
        if not ref.startswith(("#", "data:")):
            assert (html.parent / ref).resolve().is_file(), ref
    assert "<script" not in page
    assert page.count('<audio controls') == len(session.turns)  # no prompt audio with --voice none
    text = md.read_text(encoding="utf-8")
    assert "## いちばん効果の大きい改善点（3つ）" in text
    assert session.turns[0]["analysis"]["transcript"][:10] in text.replace("**", "").replace("(?)", "")  # fillers bold, unsure words marked
    # The charts are SVG files next to the Markdown, linked as images, each with one bar per turn.
    import xml.etree.ElementTree as ET

    linked = re.findall(r"!\[[^\]]+\]\(([^)]+)\)", text)
    assert linked == ["report-length.svg", "report-fillers.svg", "report-pace.svg"]
    for name in linked:
        root = ET.parse(md.parent / name).getroot()
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        svg_text = (md.parent / name).read_text(encoding="utf-8")
        assert all(t.short_label in svg_text for t in view.turns), name  # labels stay text (svg.fonttype none)


@pytest.mark.slow
def test_report_embedded_audio(real_folder, tmp_path):
    html = tmp_path / "embedded.html"
    r = run_cli("report", str(real_folder), "--html", str(html), "--embed-audio")
    assert r.returncode == 0, r.stderr
    page = html.read_text(encoding="utf-8")
    assert page.count('src="data:audio/wav;base64,') == len(load_session(real_folder).turns)


@pytest.mark.slow
def test_report_in_headless_chromium(real_folder, tmp_path):
    """The page as a browser shows it: charts, advice, probes and transcripts; screenshot kept."""
    html = tmp_path / "report.html"
    assert run_cli("report", str(real_folder), "--html", str(html)).returncode == 0
    dom = run_chromium("--dump-dom", html.as_uri()).stdout
    session = load_session(real_folder)
    view = build_report(session)
    for chart_id, labels in {
        "chart-length": ("回答の長さ（秒）", "目安 1分", "上限 3分"),
        "chart-fillers": ("フィラー（回/分）", f"多い（{THRESHOLDS.many_fillers_per_min:g}回/分）"),
        "chart-pace": ("話す速さ（モーラ/分）", "目安 320〜360モーラ/分"),
    }.items():
        svg = re.search(rf'<svg id="{chart_id}".*?</svg>', dom, re.S)
        assert svg, chart_id
        for label in labels:
            assert label in svg.group(0), (chart_id, label)
        # one bar label per turn
        assert all(t.short_label in svg.group(0) for t in view.turns)
    assert len(re.findall(r'<li class="change sev\d">', dom)) == 3
    probes = [t for t in session.turns if t["prompt"]["kind"] == "probe"]
    assert probes, "the bundled samples trigger probes"
    for t in probes:
        assert t["prompt"]["text"] in dom
    assert "前の回答で「" in dom
    text_only = re.sub(r"<[^>]+>", "", dom)  # fillers are wrapped in <mark>: compare the text
    for t in session.turns:
        assert t["analysis"]["transcript"][:8] in text_only
    if any(t["analysis"]["fillers"]["total"] for t in session.turns):
        assert '<mark class="filler"' in dom

    # Every load the page attempts is allowed by its policy (so nothing remote is even tried, and
    # the relative audio links load): Chromium logs each blocked load as a CSP violation.
    eager = tmp_path / "eager.html"
    eager.write_text(html.read_text(encoding="utf-8").replace('preload="none"', 'preload="auto"'), encoding="utf-8")
    log = run_chromium("--enable-logging=stderr", "--v=0", "--virtual-time-budget=3000", "--dump-dom", eager.as_uri()).stderr
    assert "Content Security Policy" not in log, log[-3000:]

    shot = tmp_path / "report.png"
    r = run_chromium(f"--screenshot={shot}", "--window-size=1000,2400", "--hide-scrollbars", html.as_uri())
    assert shot.is_file(), r.stderr[-2000:]
    keep = os.environ.get("MENSETSU_TEST_ARTIFACTS")  # CI can keep it past pytest's tmp rotation
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shot = Path(shutil.copy2(shot, Path(keep) / "report.png"))
    print(f"\nreport screenshot: {shot}")
    from PIL import Image

    img = np.asarray(Image.open(shot).convert("L"), dtype=np.float32)
    assert img.shape == (2400, 1000)
    assert img.std() > 10  # not a blank page
    assert (img < 100).mean() > 0.005  # there is dark text on it


# --- hand-written edge cases ---------------------------------------------------------------


def test_report_marks_fillers_and_pauses_of_a_saved_session(mensetsu_home, tmp_path):
    words = [("えーと", 1.0, 1.5), ("、", 1.5, 1.5), ("三十社", 1.6, 2.2), ("を", 2.2, 2.3), ("開拓", 4.0, 4.5), ("しました。", 4.5, 5.0)]
    folder = write_session(
        mensetsu_home / "sessions",
        "edge",
        "2026-02-01T09:00:00+09:00",
        [turn(1, "achievement", "成果を教えてください。", [("many_fillers", "9/min")], words=words, fillers=[("えーと", 1.0)], pauses=[(2.4, 3.9)], answer_s=4.0, answer_audio="audio/turn-001-answer.wav")],
        audio={"audio/turn-001-answer.wav": np.zeros(16000, np.float32)},
    )
    html = tmp_path / "edge.html"
    r = run_cli("report", "edge", "--html", str(html), env={"MENSETSU_HOME": str(mensetsu_home)})
    assert r.returncode == 0, r.stderr
    page = html.read_text(encoding="utf-8")
    assert '<mark class="filler" title="フィラー">えーと</mark>、三十社を<span class="pause" title="長い間">⏸1.5秒</span>開拓しました。' in page
    assert 'src="mensetsu-home/sessions/edge/audio/turn-001-answer.wav"' in page
    assert folder.is_dir()


def test_report_of_an_empty_session(mensetsu_home, tmp_path):
    write_session(mensetsu_home / "sessions", "empty", "2026-02-01T09:00:00+09:00", [], status="interrupted")
    r = run_cli("report", "empty", "--html", str(tmp_path / "e.html"), "--md", str(tmp_path / "e.md"), env={"MENSETSU_HOME": str(mensetsu_home)})
    assert r.returncode == 0, r.stderr
    assert "大きな指摘はありませんでした" in r.stdout
    assert "中断" in (tmp_path / "e.html").read_text(encoding="utf-8")


def test_report_bad_input_is_one_line(mensetsu_home, tmp_path):
    env = {"MENSETSU_HOME": str(mensetsu_home)}
    r = run_cli("report", "no-such-session", env=env)
    assert r.returncode == 5 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    write_session(mensetsu_home / "sessions", "ok", "2026-02-01T09:00:00+09:00", [turn(1, "a", "q")])
    r = run_cli("report", "ok", "--html", str(tmp_path), env=env)  # a folder, not a file
    assert r.returncode == 1 and "Traceback" not in r.stderr and "フォルダ" in r.stderr
    record = turn(1, "a", "q")
    del record["analysis"]["fillers"]
    write_session(mensetsu_home / "sessions", "incomplete", "2026-02-01T09:00:00+09:00", [record])
    r = run_cli("report", "incomplete", env=env)
    assert r.returncode == 5 and "Traceback" not in r.stderr and "欠けている" in r.stderr


# --- replay --play ---------------------------------------------------------------------------


def _speech_session(home, seconds: float = 2.5):
    """A one-turn session whose prompt and answer audio are real speech cut from a bundled sample."""
    from simulator.audio.decode import load_audio
    from session_factory import SAMPLES

    clip = load_audio(SAMPLES / "01_self_intro.wav").slice_s(1.0, 1.0 + seconds)
    words = [("山田", 0.3, 0.7), ("太郎", 0.7, 1.0), ("です。", 2.1, 2.4)]
    return write_session(
        home / "sessions",
        "play",
        "2026-03-01T09:00:00+09:00",
        [turn(1, "self_intro", "自己紹介をお願いします。", words=words, answer_s=seconds, answer_audio="audio/turn-001-answer.wav", prompt_audio="audio/turn-001-prompt.wav")],
        audio={"audio/turn-001-answer.wav": clip.samples, "audio/turn-001-prompt.wav": clip.samples[: len(clip.samples) // 2]},
    ), clip


def test_play_follows_the_transcript_with_a_fake_player(mensetsu_home):
    import io

    from simulator.commands.replay import play_session
    from simulator.testing import FakePlayer

    folder, clip = _speech_session(mensetsu_home)
    player, out = FakePlayer(), io.StringIO()
    play_session(load_session(folder), player, out)
    text = out.getvalue()
    assert "面接官（質問）: 自己紹介をお願いします。" in text
    assert "回答: 山田太郎 ⏸ です。" in text  # 1.1 s between 太郎 and です: a long pause
    assert [round(c.duration_s, 2) for c in player.played] == [round(clip.duration_s / 2, 2), round(clip.duration_s, 2)]
    assert player.clock_s == pytest.approx(clip.duration_s * 1.5, abs=0.01)  # each word waited for its time


def test_play_stops_the_sound_on_ctrl_c(mensetsu_home):
    from simulator.report.playback import play_along
    from simulator.testing import FakePlayer

    folder, clip = _speech_session(mensetsu_home)
    player = FakePlayer()

    def write(text):
        if text == "太郎":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        play_along(clip, [{"text": "山田", "start_s": 0.3, "end_s": 0.7}, {"text": "太郎", "start_s": 0.7, "end_s": 1.0}], player, write)
    assert player.stopped == 1


def _no_audio_env(tmp_path) -> dict:
    # an empty runtime folder and no PulseAudio server: PortAudio sees no output device
    (tmp_path / "no-runtime").mkdir()
    return {"XDG_RUNTIME_DIR": str(tmp_path / "no-runtime"), "PULSE_SERVER": f"unix:{tmp_path}/no-such-socket"}


def test_play_without_an_audio_device_says_so_in_one_sentence(mensetsu_home, tmp_path):
    import sys

    env = {**_no_audio_env(tmp_path), "MENSETSU_HOME": str(mensetsu_home)}
    probe = subprocess.run(
        [sys.executable, "-c", "import sounddevice as sd; sd.query_devices(kind='output')"], env={**os.environ, **env}, capture_output=True
    )
    if probe.returncode == 0:
        pytest.skip("this machine has an audio output device even without PulseAudio")
    _speech_session(mensetsu_home)
    r = run_cli("replay", "play", "--play", env=env)
    assert r.returncode == 7
    assert r.stderr.strip() == (
        ERROR_PREFIX + NO_DEVICE
    )


@pytest.fixture
def pulse_sink(tmp_path):
    """A private PulseAudio server with a null sink whose monitor a test can record."""
    if not shutil.which("pulseaudio") or not shutil.which("parec"):
        if os.environ.get("CI"):
            pytest.fail("pulseaudio is not installed (apt-get install -y pulseaudio pulseaudio-utils libasound2-plugins)")
        pytest.skip("pulseaudio is not installed")
    runtime = tmp_path / "xdg"
    runtime.mkdir(mode=0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime), "HOME": str(tmp_path)}
    env.pop("PULSE_SERVER", None)
    server = subprocess.Popen(
        ["pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n", "--load=module-native-protocol-unix",
         "--load=module-null-sink sink_name=test_out", "--load=module-always-sink"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        for _ in range(100):  # wait for the socket, not for a fixed time
            if subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode == 0:
                break
            server.poll()
            if server.returncode is not None:
                pytest.fail("pulseaudio did not start")
            import time

            time.sleep(0.1)
        subprocess.run(["pactl", "set-default-sink", "test_out"], env=env, check=True, capture_output=True)
        yield env
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_play_sends_the_audio_to_the_output_device(mensetsu_home, tmp_path, pulse_sink):
    """Real PortAudio playback into a PulseAudio null sink, recorded from its monitor."""
    folder, clip = _speech_session(mensetsu_home)
    rec_path = tmp_path / "recorded.raw"
    env = {**pulse_sink, "MENSETSU_HOME": str(mensetsu_home), "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    with open(rec_path, "wb") as rec_file:
        rec = subprocess.Popen(
            ["parec", "--device=test_out.monitor", "--format=s16le", "--rate=16000", "--channels=1", "--raw", "--latency-msec=20"],
            env=pulse_sink, stdout=rec_file,
        )  # fmt: skip
        try:
            r = run_cli("replay", "play", "--play", env=env, timeout=120)
        finally:
            rec.terminate()
            rec.wait(timeout=10)
    assert r.returncode == 0, r.stderr
    assert "回答: 山田太郎 ⏸ です。" in r.stdout
    recorded = np.frombuffer(rec_path.read_bytes(), dtype="<i2").astype(np.float32) / 32768.0
    frames = recorded[: len(recorded) // 160 * 160].reshape(-1, 160)  # 10 ms frames
    loud_s = (np.sqrt((frames**2).mean(axis=1)) > 0.01).sum() / 100.0  # time with sound at the device

    def loud_seconds(samples):
        f = samples[: len(samples) // 160 * 160].reshape(-1, 160)
        return (np.sqrt((f**2).mean(axis=1)) > 0.01).sum() / 100.0

    expected_loud_s = loud_seconds(clip.samples[: len(clip.samples) // 2]) + loud_seconds(clip.samples)  # prompt + answer
    assert loud_s == pytest.approx(expected_loud_s, rel=0.15), (loud_s, expected_loud_s)
