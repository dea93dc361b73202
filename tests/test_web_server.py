"""`mensetsu web` without a browser: the token, Host and Origin checks on every route and the
WebSocket, paths that must not reach the disk, clean 4xx answers, and the page's options mapped to
practice's own (Starlette's TestClient: no socket, no model)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("starlette")
pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402
from starlette.websockets import WebSocketDisconnect  # noqa: E402

from simulator.errors import MensetsuError  # noqa: E402
from simulator.web import security  # noqa: E402
from simulator.web.app import create_app, practice_args, recent_sessions  # noqa: E402

PORT = 8123
TOKEN = "t0ken-for-tests_abcdefghijklmnopqrstuvwx"
BASE = f"http://127.0.0.1:{PORT}"
ORIGIN = {"origin": BASE}


@pytest.fixture()
def app():
    guarded, _ = create_app(TOKEN, PORT)
    return guarded


@pytest.fixture()
def anon(app):
    return TestClient(app, base_url=BASE, raise_server_exceptions=False)


@pytest.fixture()
def client(app):
    c = TestClient(app, base_url=BASE, raise_server_exceptions=False)
    r = c.get(f"/?token={TOKEN}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/"
    assert security.cookie_name(PORT) in r.headers["set-cookie"] and "HttpOnly" in r.headers["set-cookie"]
    assert "samesite=strict" in r.headers["set-cookie"].lower()
    c.cookies.set(security.cookie_name(PORT), TOKEN)
    return c


@pytest.fixture()
def session_id(mensetsu_home):
    import numpy as np

    from session_factory import turn, write_session

    folder = write_session(mensetsu_home / "sessions", "20260105-120000-beef", "2026-01-05T12:00:00+09:00",
                           [turn(1, "achievement", "一番大きな成果を教えてください。", words=[("売上を", 0.2, 0.8), ("伸ばしました。", 0.8, 1.6)],
                                 answer_audio="audio/turn-001-answer.wav")],
                           audio={"audio/turn-001-answer.wav": np.zeros(16000, np.float32)})
    (mensetsu_home / "secret.txt").write_text("secret", encoding="utf-8")
    return folder.name


ROUTES = ["/", "/interview", "/sessions", "/history", "/api/options", "/api/sessions", "/static/app.css",
          "/sessions/20260105-120000-beef/report", "/sessions/20260105-120000-beef/replay",
          "/sessions/20260105-120000-beef/audio/turn-001-answer.wav", "/api/sessions/20260105-120000-beef", "/nope"]


@pytest.mark.parametrize("path", ROUTES)
def test_every_route_refuses_a_request_without_the_token(anon, session_id, path):
    r = anon.get(path)
    assert r.status_code == 403, (path, r.status_code)
    assert "アクセスが拒否されました" in r.text and "Traceback" not in r.text
    assert "売上" not in r.text and "secret" not in r.text


@pytest.mark.parametrize("given", ["", "wrong", TOKEN[:-1], TOKEN + "x", TOKEN.upper()])
def test_a_wrong_token_is_refused_in_query_cookie_and_header(anon, session_id, given):
    assert anon.get(f"/api/sessions?token={given}").status_code == 403
    assert anon.get("/api/sessions", headers={security.HEADER: given}).status_code == 403
    anon.cookies.set(security.cookie_name(PORT), given)
    assert anon.get("/api/sessions").status_code == 403
    anon.cookies.clear()


def test_the_token_in_a_header_or_cookie_is_accepted(anon, client, session_id):
    assert anon.get("/api/sessions", headers={security.HEADER: TOKEN}).status_code == 200
    data = client.get("/api/sessions").json()
    assert [s["id"] for s in data["sessions"]] == [session_id]


def test_a_cookie_of_another_port_does_not_count(anon, session_id):
    anon.cookies.set(security.cookie_name(PORT + 1), TOKEN)
    assert anon.get("/api/sessions").status_code == 403


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:{PORT}", f"127.0.0.1:{PORT + 1}", "0.0.0.0", f"192.168.1.2:{PORT}"])
def test_another_host_header_is_refused_even_with_the_token(client, host):
    r = client.get("/api/sessions", headers={"host": host})
    assert r.status_code == 400 and "127.0.0.1" in r.text


def test_localhost_is_this_server_too(client):
    assert client.get("/api/options", headers={"host": f"localhost:{PORT}"}).status_code == 200


def test_a_post_from_another_origin_is_refused(client):
    r = client.post("/api/options", headers={"origin": "http://evil.example"})
    assert r.status_code == 403 and "別のサイト" in r.text
    assert client.post("/api/options").status_code == 403  # no Origin at all
    assert client.post("/api/options", headers=ORIGIN).status_code == 405  # our own: passes the guard, no such method


@pytest.mark.parametrize("path", [
    "/sessions/..%2F..%2Fetc%2Fpasswd/report",
    "/sessions/%2Fetc%2Fpasswd/report",
    "/sessions/../secret.txt/report",
    "/sessions/latest/report",
    "/sessions/nosuch/report",
    "/sessions/nosuch/replay",
    "/api/sessions/..",
    "/api/sessions/%2E%2E",
    "/sessions/20260105-120000-beef/audio/..%2Fmeta.json",
    "/sessions/20260105-120000-beef/audio/../meta.json",
    "/sessions/20260105-120000-beef/audio/turn-001-answer.WAV.txt",
    "/sessions/20260105-120000-beef/audio/%2Fetc%2Fpasswd",
    "/sessions/20260105-120000-beef/audio/missing.wav",
    "/static/..%2Fapp.py",
    "/static/app.py",
    "/static/%2Fetc%2Fpasswd",
    "/static/nosuch.js",
    "/nope",
])
def test_bad_paths_get_a_clean_404(client, session_id, path):
    r = client.get(path)
    assert r.status_code == 404, (path, r.status_code, r.text[:200])
    assert "Traceback" not in r.text and "secret" not in r.text and "root:" not in r.text


def test_a_session_folder_that_is_a_link_out_of_the_data_folder_is_not_served(client, session_id, mensetsu_home, tmp_path):
    outside = tmp_path / "outside"
    (outside / "audio").mkdir(parents=True)
    (outside / "meta.json").write_text(json.dumps({"format": "mensetsu-session", "format_version": 1}), encoding="utf-8")
    (outside / "audio" / "x.wav").write_bytes(b"RIFF")
    (mensetsu_home / "sessions" / "linked").symlink_to(outside)
    assert client.get("/sessions/linked/audio/x.wav").status_code == 404
    assert client.get("/api/sessions/linked").status_code == 404
    assert "linked" not in [s["id"] for s in client.get("/api/sessions").json()["sessions"]]


def test_pages_and_session_data_are_served_with_the_token(client, session_id):
    home = client.get("/")
    assert home.status_code == 200 and "二次面接の練習" in home.text
    assert "https://" not in home.text and "http://" not in home.text  # no CDN: every asset is local
    assert home.headers["x-content-type-options"] == "nosniff" and home.headers["cache-control"] == "no-store"
    report = client.get(f"/sessions/{session_id}/report")
    assert report.status_code == 200 and "面接練習レポート" in report.text and 'src="audio/turn-001-answer.wav"' in report.text
    wav = client.get(f"/sessions/{session_id}/audio/turn-001-answer.wav")
    assert wav.status_code == 200 and wav.content[:4] == b"RIFF" and wav.headers["content-type"] == "audio/wav"
    data = client.get(f"/api/sessions/{session_id}").json()
    assert data["folder"] == session_id and "session" not in data  # no absolute path of the data folder
    assert data["turns"][0]["answer"]["audio_url"] == f"/sessions/{session_id}/audio/turn-001-answer.wav"
    history = client.get("/history")
    assert history.status_code == 200 and "面接練習の記録" in history.text


def test_every_static_asset_is_local(client):
    from simulator.web.app import STATIC

    for path in STATIC.iterdir():
        text = path.read_text(encoding="utf-8")
        assert "//cdn" not in text and "https://" not in text, path.name
        assert client.get(f"/static/{path.name}").status_code == 200


def test_a_damaged_session_is_a_clean_4xx(client, mensetsu_home):
    folder = mensetsu_home / "sessions" / "20260106-000000-dead"
    folder.mkdir(parents=True)
    (folder / "meta.json").write_text("{not json", encoding="utf-8")
    for path in (f"/sessions/{folder.name}/report", f"/api/sessions/{folder.name}"):
        r = client.get(path)
        assert 400 <= r.status_code < 500 or r.status_code == 500 and "Traceback" not in r.text, (path, r.status_code)
        assert "Traceback" not in r.text


# --- the WebSocket ---------------------------------------------------------------------------------
WS = f"ws://127.0.0.1:{PORT}/ws"


def ws_refused(c: TestClient, headers: dict, url: str = WS) -> bool:
    try:
        with c.websocket_connect(url, headers=headers):
            return False
    except WebSocketDisconnect:
        return True


def test_the_websocket_needs_the_token_and_this_origin(anon, client):
    assert ws_refused(anon, ORIGIN)  # no token
    assert ws_refused(anon, ORIGIN, WS + "?token=wrong")
    assert ws_refused(client, {"origin": "http://evil.example"})  # the cookie is sent along: the Origin is not ours
    assert ws_refused(client, {"origin": f"http://127.0.0.1:{PORT + 1}"})
    assert ws_refused(client, {"origin": "null"})
    assert ws_refused(client, {})  # no Origin
    assert ws_refused(client, {**ORIGIN, "host": "evil.example"})
    with client.websocket_connect(WS, headers=ORIGIN) as ws:  # ours, with the cookie
        ws.send_text(json.dumps({"type": "start", "config": {"set": "/etc/passwd"}}))
        event = json.loads(ws.receive_text())
        assert event["type"] == "error" and "質問セット" in event["text"]
    with anon.websocket_connect(f"{WS}?token={TOKEN}", headers=ORIGIN) as ws:  # the token in the address
        ws.send_text("not json")
        ws.send_bytes(b"\x00" * 7)  # audio before any interview: ignored
        ws.send_text(json.dumps({"type": "start", "config": {"set": "core", "max_questions": "all"}}))
        assert json.loads(ws.receive_text())["type"] == "error"


# --- the page's options are practice's options ---------------------------------------------------------
def test_the_page_choices_become_practice_options():
    args = practice_args({"set": "core", "mode": "short", "max_questions": 3, "max_probes": 0, "mic_check": False}, ["--model", "m"])
    assert (args.command, args.qset, args.short, args.max_questions, args.max_probes, args.mic_check, args.model) == \
        ("practice", "core", True, 3, 0, False, "m")
    defaults = practice_args({})
    assert (defaults.qset, defaults.short, defaults.mic_check, defaults.text_only, defaults.end_silence) == ("core", False, True, False, 2.5)
    assert practice_args({"target": "example"}).target == "example"


@pytest.mark.parametrize("config", [
    {"set": "../../etc/passwd"}, {"set": "question_sets/core.toml"}, {"set": 3}, {"mode": "long"},
    {"target": "../x"}, {"target": "nosuch"}, {"max_questions": 0}, {"max_questions": True}, {"max_probes": 99}, [],
])
def test_choices_the_server_did_not_offer_are_refused(config):
    with pytest.raises(MensetsuError):
        practice_args(config)


def test_recent_sessions_reads_only_the_folders_that_are_sessions(mensetsu_home, session_id):
    root = mensetsu_home / "sessions"
    (root / ".20260107-000000-hide.123.creating").mkdir()
    (root / "not-a-session").mkdir()
    (root / "broken").mkdir()
    (root / "broken" / "meta.json").write_text("[]", encoding="utf-8")
    (root / "broken" / "turns.jsonl").write_text("", encoding="utf-8")
    assert [s["id"] for s in recent_sessions(root)] == [session_id]
    assert recent_sessions(mensetsu_home / "nowhere") == []


# --- the pure checks ---------------------------------------------------------------------------------
def test_tokens_are_long_random_and_compared_whole():
    a, b = security.new_token(), security.new_token()
    assert a != b and len(a) >= 32
    assert security.token_matches(a, a) and not security.token_matches(a[:-1], a) and not security.token_matches(None, a)
    assert not security.token_matches("", "")


def test_origin_and_host_checks():
    assert security.origin_ok(f"http://127.0.0.1:{PORT}", PORT) and security.origin_ok(f"http://localhost:{PORT}/", PORT)
    for bad in (None, "", "null", f"https://127.0.0.1:{PORT}", f"http://127.0.0.1:{PORT}.evil.example", f"http://127.0.0.1:{PORT + 1}", "file://"):
        assert not security.origin_ok(bad, PORT), bad
    assert security.host_ok(f"127.0.0.1:{PORT}", PORT) and not security.host_ok("127.0.0.1", PORT) and not security.host_ok(None, PORT)


# --- each interview in a child process -----------------------------------------------------------------
def echo_child(args, conn, mic_name):
    """Stands in for interview_child (no model): says what it got, ends at the page's None."""
    conn.send({"type": "notice", "text": f"{args['set']} {mic_name}"})
    audio = 0
    while True:
        message = conn.recv()
        if message is None:
            break
        if isinstance(message, bytes):
            audio += len(message)
        else:
            conn.send({"type": "notice", "text": message.get("type")})
    conn.send({"final": {"type": "done", "outcome": "stopped", "audio": audio}})
    conn.close()


def test_an_interview_child_relays_the_page_both_ways():
    from simulator.web.app import ChildInterview

    events = []
    child = ChildInterview({"set": "core"}, "ブラウザ: mic", events.append, target=echo_child)
    child.receive_audio(b"\x00" * 1280)
    child.receive({"type": "key", "key": "enter"})
    child.receive_audio(memoryview(b"\x00" * 640))
    child.disconnect()
    final = child.run()
    assert final == {"type": "done", "outcome": "stopped", "audio": 1920}
    assert [e["text"] for e in events] == ["core ブラウザ: mic", "key"]
    assert not child.proc.is_alive() and child.proc.exitcode == 0
    child.receive({"type": "stop"})  # after the end: ignored, no error


def test_an_interview_child_that_dies_is_an_error_not_a_hang():
    from simulator.web.app import ChildInterview

    child = ChildInterview({}, "", lambda e: None, target=dying_child)
    final = child.run()
    assert final["type"] == "error" and "Traceback" not in final["text"]


def dying_child(args, conn, mic_name):
    raise SystemExit(3)
