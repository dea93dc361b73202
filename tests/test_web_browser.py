"""`mensetsu web` in a real browser: Debian's Chromium, headless, driven by Selenium and chromium-driver.

Nothing downloads a browser: the system's /usr/bin/chromium and /usr/bin/chromedriver are used,
and the tests skip (with the reason) where they are not installed. The microphone is Chromium's
fake capture device playing a WAV made from the bundled sample answers
(--use-file-for-fake-audio-capture; the file loops). The server runs as `python -m simulator web
--no-browser` in its own process, with this test's data folder (MENSETSU_HOME from conftest).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO, SAMPLES

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if Path(p).exists()), None)
CHROMEDRIVER = shutil.which("chromedriver") or ("/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None)

try:
    import selenium  # noqa: F401

    _SELENIUM = None
except ImportError as exc:  # pragma: no cover - the test extra installs it
    _SELENIUM = str(exc)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None or CHROMEDRIVER is None or _SELENIUM is not None,
    reason="needs Debian's chromium and chromium-driver (./install.sh --test) and selenium"
    + (f" ({_SELENIUM})" if _SELENIUM else f" (chromium: {CHROMIUM}, chromedriver: {CHROMEDRIVER})"),
)

# Three experience questions of the core set (their audio is pre-rendered in audio_prompts/), no follow-ups.
WEB_SET = """id = "webtest"
title = "ブラウザ試験"
[[questions]]
id = "achievement"
category = "experience"
text = "これまでのお仕事で、一番大きな成果を教えてください。"
[[questions]]
id = "strength"
category = "experience"
text = "あなたの強みを、それが発揮された場面と一緒に教えてください。"
[[questions]]
id = "failure"
category = "experience"
text = "反対に、仕事での一番大きな失敗と、そこから学んだことを教えてください。"
"""


class WebServer:
    def __init__(self, home: Path, log: Path, *extra: str):
        env = {**os.environ, "PYTHONPATH": str(REPO), "MENSETSU_HOME": str(home), "PYTHONUNBUFFERED": "1"}
        for name in ("DISPLAY", "WAYLAND_DISPLAY"):
            env.pop(name, None)
        self.log = log
        self._out = open(log, "w", encoding="utf-8")
        self.started = time.monotonic()
        self.proc = subprocess.Popen([sys.executable, "-m", "simulator", "web", "--no-browser", *extra], cwd=REPO, env=env,
                                     stdout=self._out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        self.url = None
        while time.monotonic() < deadline and self.proc.poll() is None:
            m = re.search(r"(http://127\.0\.0\.1:(\d+)/\?token=([A-Za-z0-9_-]+))", log.read_text(encoding="utf-8"))
            if m:
                self.url, self.port, self.token = m.group(1), int(m.group(2)), m.group(3)
                self.ready_s = time.monotonic() - self.started
                break
            time.sleep(0.05)
        if self.url is None:
            self.stop()
            raise AssertionError("the server did not start: " + log.read_text(encoding="utf-8")[-2000:])
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self._out.close()


def make_browser(profile: Path, fake_audio: Path | None = None, width: int = 1100, height: int = 1400):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-default-apps",
                 "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream", "--autoplay-policy=no-user-gesture-required",
                 f"--user-data-dir={profile}", f"--window-size={width},{height}"):
        opts.add_argument(flag)
    if fake_audio is not None:
        opts.add_argument(f"--use-file-for-fake-audio-capture={fake_audio}")
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=opts)


@pytest.fixture()
def server(tmp_path, mensetsu_home, request):
    extra = getattr(request, "param", ())
    srv = WebServer(mensetsu_home, tmp_path / "server.log", *extra)
    yield srv
    srv.stop()


@pytest.fixture()
def browser(tmp_path):
    driver = make_browser(tmp_path / "profile")
    yield driver
    driver.quit()


def wait_for(driver, condition, timeout: float, what: str):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(condition, message=what)


def non_blank(png: bytes) -> float:
    """The share of the screenshot's pixels that are not the page background (0: a blank page)."""
    from io import BytesIO

    from PIL import Image

    img = Image.open(BytesIO(png)).convert("L")
    hist = img.histogram()
    background = max(range(256), key=lambda v: hist[v])
    return 1.0 - hist[background] / sum(hist)


# --- the token, the Origin, bad paths: from the browser ----------------------------------------------
def test_without_the_token_the_browser_gets_nothing(server, browser):
    browser.get(server.base + "/")
    assert "アクセスが拒否されました" in browser.page_source
    browser.get(server.base + "/api/sessions")
    assert "sessions" not in browser.page_source
    browser.get(server.url)  # the printed address: the token becomes a cookie, the address is clean
    wait_for(browser, lambda d: d.find_elements("css selector", "#set option"), 20, "the question sets listed")
    assert "token" not in browser.current_url
    assert browser.find_element("tag name", "h1").text == "二次面接の練習"
    assert browser.execute_script("return document.cookie") == ""  # HttpOnly: no script reads the token
    # a bad session id or file name is a clean 404, never a traceback
    for path in ("/sessions/..%2F..%2Fetc/report", "/sessions/nosuch/replay", "/static/..%2Fapp.py", "/sessions/x/audio/..%2Fmeta.json"):
        browser.get(server.base + path)
        text = browser.find_element("tag name", "body").text
        assert "Traceback" not in text and ("見つかりません" in text or "Not Found" in text), (path, text)


def test_a_page_of_another_origin_cannot_open_the_interview_socket(server, browser, tmp_path):
    browser.get(server.url)  # the cookie is set: a page of another origin would have it sent along
    other = tmp_path / "other.html"
    other.write_text("<!doctype html><title>other</title>", encoding="utf-8")
    browser.get(other.as_uri())
    script = """
        const done = arguments[arguments.length - 1];
        const ws = new WebSocket(arguments[0]);
        ws.onopen = () => done("open");
        ws.onerror = () => done("refused");
    """
    assert browser.execute_async_script(script, f"ws://127.0.0.1:{server.port}/ws") == "refused"
    browser.get(server.base + "/")
    same = browser.execute_async_script(script + "; setTimeout(() => ws.close(), 100)", f"ws://127.0.0.1:{server.port}/ws")
    assert same == "open"  # the same page's own origin is let in


# --- the report and history pages, in screenshots ---------------------------------------------------
@pytest.fixture()
def saved_sessions(mensetsu_home):
    """Two saved practice sessions in the test's data folder (hand-written records, answer audio; no model)."""
    import numpy as np

    from session_factory import turn, write_session

    words = [("えーと", 0.5, 0.9), ("売上を", 1.0, 1.6), ("二十", 1.6, 2.0), ("パーセント", 2.0, 2.6), ("伸ばしました。", 2.6, 3.4)]
    tone = (0.1 * np.sin(np.arange(16000 * 4) * 2 * np.pi * 220 / 16000)).astype(np.float32)
    out = []
    for i, findings in enumerate(([("abstract", "頑張りました")], []), 1):
        turns = [turn(1, "achievement", "これまでのお仕事で、一番大きな成果を教えてください。", findings=findings, words=words,
                      fillers=[("えーと", 0.5)], answer_audio="audio/turn-001-answer.wav"),
                 turn(2, "motivation", "なぜ当社を志望されたのですか。", category="motivation", answer_s=25.0)]
        out.append(write_session(mensetsu_home / "sessions", f"2026010{i}-100000-abc{i}", f"2026-01-0{i}T10:00:00+09:00", turns,
                                 audio={"audio/turn-001-answer.wav": tone}))
    return out


def test_report_and_history_pages_render(server, browser, saved_sessions, tmp_path):
    browser.get(server.url)
    sid = saved_sessions[-1].name
    wait_for(browser, lambda d: d.find_elements("css selector", "#recent-list table"), 20, "the recent sessions listed")
    assert sid[:8] in browser.find_element("id", "recent-list").text.replace("-", "") or browser.find_elements("css selector", f"a[href='/sessions/{sid}/report']")
    shots = {}
    for name, path, expected in (
        ("report", f"/sessions/{sid}/report", ("面接練習レポート", "まとめ", "回答の長さ")),
        ("history", "/history", ("推移", "うまくいかなかった質問")),
        ("replay", f"/sessions/{sid}/replay", ("再生", "面接官")),
        ("sessions", "/sessions", ("セッション一覧", "レポート")),
    ):
        browser.get(server.base + path)
        if name in ("replay", "sessions"):
            wait_for(browser, lambda d: "読み込み中" not in d.find_element("tag name", "main").text, 20, f"{name} loaded")
        text = browser.find_element("tag name", "body").text
        for word in expected:
            assert word in text, (name, word, text[:500])
        png = browser.get_screenshot_as_png()
        (tmp_path / f"{name}.png").write_bytes(png)
        shots[name] = non_blank(png)
        assert shots[name] > 0.02, (name, shots[name])
    # the report's charts are drawn and its answer audio is served from the session folder
    browser.get(server.base + f"/sessions/{sid}/report")
    assert browser.find_elements("css selector", "svg")
    src = browser.execute_script("const a = document.querySelector('audio'); return a ? a.currentSrc || a.src : null")
    assert src and src.endswith(f"/sessions/{sid}/audio/turn-001-answer.wav"), src
    browser.get(server.base + "/sessions")  # the report's own policy allows no fetch(); the app's pages do
    status = browser.execute_async_script("const done = arguments[1]; fetch(arguments[0]).then(r => done(r.status), e => done(String(e)))", src)
    assert status == 200


# --- a whole interview through the page -------------------------------------------------------------
def answer_wav(path: Path) -> Path:
    """The fake microphone's file: a sample answer, then 5 s of silence (Chromium loops it)."""
    from simulator.audio.clip import AudioClip, concat
    from simulator.audio.decode import load_audio
    from simulator.audio.wavfile import write_wav

    clip = load_audio(SAMPLES / "03_achievement_specific.wav")
    write_wav(path, concat([clip, AudioClip.silence(5.0)]))
    return path


@pytest.mark.slow
def test_a_three_question_interview_through_the_page(model_dir, mensetsu_home, tmp_path, request):
    from simulator.store.session_store import load_session

    sets = mensetsu_home / "question_sets"
    sets.mkdir(parents=True, exist_ok=True)
    (sets / "webtest.toml").write_text(WEB_SET, encoding="utf-8")
    srv = WebServer(mensetsu_home, tmp_path / "server.log", "--model", str(model_dir))
    driver = make_browser(tmp_path / "profile", fake_audio=answer_wav(tmp_path / "answer.wav"))
    try:
        driver.get(srv.url)
        wait_for(driver, lambda d: d.find_elements("css selector", "#set option[value=webtest]"), 20, "the test set offered")
        driver.get(srv.base + "/interview?set=webtest&max_probes=0")
        driver.find_element("id", "begin").click()
        wait_for(driver, lambda d: d.execute_script("return document.body.dataset.done || null"), 540,
                 "the interview finished (server log: %s)" % srv.log)
        outcome = driver.execute_script("return document.body.dataset.done")
        sid = driver.execute_script("return document.body.dataset.session")
        cards = driver.find_elements("css selector", ".turncard")
        driver.get_screenshot_as_file(str(tmp_path / "interview-done.png"))
    finally:
        driver.quit()
        srv.stop()
    assert outcome == "completed", srv.log.read_text(encoding="utf-8")[-3000:]
    session = load_session(mensetsu_home / "sessions" / sid)
    assert session.meta["status"] == "completed" and session.meta["mode"] == "live"
    assert session.meta["input_device"].startswith("ブラウザ")
    assert session.meta["level_check"]["verdict"] in ("ok", "quiet", "loud")
    assert [t["prompt"]["question_id"] for t in session.turns] == ["achievement", "strength", "failure"]
    assert len(cards) == 3
    for turn in session.turns:
        text = turn["analysis"]["transcript"]
        # the sample says 既存のお客様を毎週訪問 ... 提案書を作り直し ... 受注率が二十パーセント上がりました
        assert any(word in text for word in ("お客様", "訪問", "提案書", "受注", "課題")), text
        assert (session.folder / turn["answer"]["audio"]).is_file()
        assert turn["prompt"]["audio"] and (session.folder / turn["prompt"]["audio"]).is_file()
