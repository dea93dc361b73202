"""The local web app: pages, session files, and the live interview over a WebSocket.

create_app(token, port) builds the Starlette application; `mensetsu web` (commands/web.py) runs it
with uvicorn on 127.0.0.1. The checks (security.py) wrap every HTTP request and WebSocket before any
route runs. The interview is the terminal's (commands/practice.py: prepare, build_live, conduct) on
the browser's devices (devices.py), in a child process per interview (ChildInterview: the page's
messages relayed to it over a pipe, its events back), so its models are freed when it ends, as
terminal practice's are when it exits. Heavy parts (the model, numpy, the report) are imported only
when a page or an interview needs them, so the idle server stays small.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
import sys
import threading
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect

from simulator.web import security

STATIC = Path(__file__).resolve().parent / "static"
PAGES = {"/": "index.html", "/interview": "interview.html", "/sessions": "sessions.html"}
MAX_WS_MESSAGE = 1 << 20  # a microphone frame is a few KB; a start message a few hundred bytes
log = logging.getLogger("mensetsu.web")

NAV = ('<nav style="font:14px sans-serif;margin:0 0 1em"><a href="/">ホーム</a> ・ '
       '<a href="/sessions">セッション一覧</a> ・ <a href="/history">履歴</a></nav>')


def _refuse(status: int, text: str) -> PlainTextResponse:
    return PlainTextResponse(text + "\n", status_code=status, headers={"Cache-Control": "no-store"})


class Guard:
    """ASGI middleware: Host, token and Origin checks on every request and WebSocket; no tracebacks."""

    def __init__(self, app, token: str, port: int):
        self.app = app
        self.token = token
        self.port = port
        self.cookie = security.cookie_name(port)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True))
        cookies = SimpleCookie()
        try:
            cookies.load(headers.get("cookie", ""))
        except Exception:
            pass
        cookie = cookies.get(self.cookie)
        given = {"query": query.get("token"), "header": headers.get(security.HEADER), "cookie": cookie.value if cookie else None}
        tokened = any(security.token_matches(v, self.token) for v in given.values())
        if scope["type"] == "websocket":
            ok = security.host_ok(headers.get("host"), self.port) and security.origin_ok(headers.get("origin"), self.port) and tokened
            if not ok:
                await send({"type": "websocket.close", "code": 4403})  # before accept: the handshake gets HTTP 403
                return
            return await self.app(scope, receive, send)
        if not security.host_ok(headers.get("host"), self.port):
            return await _refuse(400, "このサーバーには 127.0.0.1 のアドレスで接続してください。")(scope, receive, send)
        if not tokened:
            return await _refuse(403, "アクセスが拒否されました。mensetsu web が表示したアドレス（トークン付き）から開いてください。")(scope, receive, send)
        if scope.get("method") not in ("GET", "HEAD") and not security.origin_ok(headers.get("origin"), self.port):
            return await _refuse(403, "別のサイトからの操作は受け付けません。")(scope, receive, send)
        if security.token_matches(given["query"], self.token) and scope.get("method") in ("GET", "HEAD"):
            # The first visit: the token moves into a cookie for this port, and out of the address bar.
            rest = urlencode([(k, v) for k, v in query.items() if k != "token"])
            target = scope.get("path", "/") + (f"?{rest}" if rest else "")
            if not target.startswith("/") or target.startswith("//"):
                target = "/"
            response = RedirectResponse(target, status_code=303)
            response.set_cookie(self.cookie, self.token, httponly=True, samesite="strict", path="/")
            return await response(scope, receive, send)

        sent = {"started": False}

        async def guarded_send(message):
            if message["type"] == "http.response.start":
                sent["started"] = True
                hdrs = list(message.get("headers", []))
                hdrs += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                         (b"x-frame-options", b"DENY"), (b"cache-control", b"no-store")]
                message = {**message, "headers": hdrs}
            await send(message)

        try:
            await self.app(scope, receive, guarded_send)
        except Exception as exc:  # never a traceback to the page
            log.error("mensetsu web: %s: %s", type(exc).__name__, exc)
            if not sent["started"]:
                await _refuse(500, "内部エラーが発生しました。")(scope, receive, send)


# --- pages and data --------------------------------------------------------------------------------
def _page(name: str) -> Response:
    return FileResponse(STATIC / name, media_type="text/html; charset=utf-8")


async def page(request: Request) -> Response:
    return _page(PAGES[request.url.path])


async def replay_page(request: Request) -> Response:
    if _folder(request) is None:
        return _refuse(404, "セッションが見つかりません。")
    return _page("replay.html")


_STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8", ".html": "text/html; charset=utf-8",
                 ".svg": "image/svg+xml"}


def _static_files() -> dict[str, Path]:
    return {p.name: p for p in STATIC.iterdir() if p.is_file() and p.suffix in _STATIC_TYPES}


async def static(request: Request) -> Response:
    path = request.app.state.static.get(request.path_params["name"])
    if path is None:
        return _refuse(404, "ファイルが見つかりません。")
    return FileResponse(path, media_type=_STATIC_TYPES[path.suffix])


def _root() -> Path:
    from simulator.paths import sessions_dir

    return sessions_dir()


def _folder(request: Request) -> Path | None:
    try:
        return security.session_folder(_root(), request.path_params["sid"])
    except Exception:
        return None


def _load(folder: Path):
    from simulator.store.session_store import load_session

    return load_session(folder)


async def api_options(request: Request) -> Response:
    def gather():
        from simulator.interview.question_sets import load_available_sets
        from simulator.targets.store import list_targets

        sets = [{"id": s.id, "title": s.title} for s in load_available_sets()]
        try:
            targets = [{"name": t.name, "company": t.company_name, "builtin": t.builtin} for t in list_targets()]
        except Exception:
            targets = []
        return {"sets": sets, "targets": targets, "modes": [{"id": "full", "title": "通常（45〜60分）"}, {"id": "short", "title": "短縮（約15分）"}],
                "busy": request.app.state.interview.busy()}

    return JSONResponse(await asyncio.to_thread(gather))


def recent_sessions(root: Path, limit: int = 50) -> list[dict]:
    """The newest sessions in the data folder, from their meta.json and turns.jsonl (no model, no index)."""
    from simulator.report.view import STATUS_LABELS

    out = []
    if not root.is_dir():
        return out
    for folder in sorted((p for p in root.iterdir() if not p.name.startswith(".")), key=lambda p: p.name, reverse=True):
        if len(out) >= limit:
            break
        if security.session_folder(root, folder.name) is None:
            continue
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            turns = sum(1 for line in (folder / "turns.jsonl").read_bytes().split(b"\n") if line.strip())
        except (OSError, ValueError):
            continue
        if not isinstance(meta, dict):
            continue
        status = meta.get("status")
        out.append({
            "id": folder.name,
            "started_at": str(meta.get("started_at", ""))[:16].replace("T", " "),
            "set_title": str(meta.get("set_title") or meta.get("set") or ""),
            "mode": str(meta.get("mode", "")),
            "demo": bool(meta.get("demo")),
            "status": STATUS_LABELS.get(status, {"stopped": "停止", "no_speech": "声が聞こえず"}.get(status, str(status))),
            "turns": turns,
        })
    return out


async def api_sessions(request: Request) -> Response:
    return JSONResponse({"sessions": await asyncio.to_thread(recent_sessions, _root())})


async def api_session(request: Request) -> Response:
    folder = _folder(request)
    if folder is None:
        return _refuse(404, "セッションが見つかりません。")
    from simulator.commands.replay import session_json

    view = session_json(await asyncio.to_thread(_load, folder))
    view.pop("session", None)
    view["folder"] = folder.name
    for turn in view["turns"]:
        for part in ("prompt", "answer"):
            entry = turn.get(part)
            if isinstance(entry, dict) and isinstance(entry.get("audio"), str):
                name = Path(entry["audio"]).name
                entry["audio_url"] = f"/sessions/{folder.name}/audio/{name}" if security.audio_file(folder, name) else None
    return JSONResponse(view)


async def session_audio(request: Request) -> Response:
    folder = _folder(request)
    path = security.audio_file(folder, request.path_params["name"]) if folder is not None else None
    if path is None:
        return _refuse(404, "音声ファイルが見つかりません。")
    return FileResponse(path, media_type="audio/wav")


def _with_nav(html: str) -> str:
    at = html.find("<body")
    end = html.find(">", at) if at != -1 else -1
    return html if end == -1 else html[: end + 1] + NAV + html[end + 1 :]


async def report_page(request: Request) -> Response:
    folder = _folder(request)
    if folder is None:
        return _refuse(404, "セッションが見つかりません。")

    def render():
        from simulator.report.html import render_html
        from simulator.report.view import build_report

        return render_html(build_report(_load(folder)), folder / "report.html")  # audio links: audio/<name>, served below

    from simulator.errors import MensetsuError

    try:
        html = await asyncio.to_thread(render)
    except MensetsuError as exc:
        return _refuse(404, str(exc))
    except (KeyError, TypeError, ValueError, AttributeError):
        return _refuse(422, "このセッションの記録に欠けている項目があるため、レポートを作れません。")
    return HTMLResponse(_with_nav(html))


async def history_page(request: Request) -> Response:
    def render():
        from simulator.report.history import open_history
        from simulator.report.history_html import render_history_html

        index, _sync = open_history()
        with index:
            return render_history_html(index.sessions(), index.worst_questions(5), index.review(), index.question_texts())

    return HTMLResponse(_with_nav(await asyncio.to_thread(render)))


# --- the live interview ----------------------------------------------------------------------------
class InterviewSlot:
    """One interview at a time (one candidate, one microphone)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._running = False

    def take(self) -> bool:
        with self._lock:
            if self._running:
                return False
            self._running = True
            return True

    def give_back(self) -> None:
        with self._lock:
            self._running = False

    def busy(self) -> bool:
        return self._running


def practice_args(config: dict, extra: list[str] = ()):
    """The page's choices as `practice` options, parsed by practice's own parser (the same defaults).

    Only names from the lists the server offers are accepted (a set id, a target name): never a path.
    """
    from simulator.cli import build_parser
    from simulator.errors import MensetsuError
    from simulator.interview.question_sets import load_available_sets

    if not isinstance(config, dict):
        raise MensetsuError("開始の設定が正しくありません。")
    argv = ["practice"]
    qset = config.get("set") or "core"
    if not isinstance(qset, str) or qset not in {s.id for s in load_available_sets()}:
        raise MensetsuError(f"質問セット {qset!r} はありません。")
    argv += ["--set", qset]
    if config.get("mode") == "short":
        argv.append("--short")
    elif config.get("mode") not in (None, "", "full"):
        raise MensetsuError("モードは通常か短縮を選んでください。")
    target = config.get("target")
    if target:
        from simulator.targets.store import list_targets

        if not isinstance(target, str) or target not in {t.name for t in list_targets()}:
            raise MensetsuError(f"面接の準備 {target!r} はありません。")
        argv += ["--target", target]
    for key, flag, low, high in (("max_questions", "--max-questions", 1, 50), ("max_probes", "--max-probes", 0, 10)):
        value = config.get(key)
        if value in (None, ""):
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise MensetsuError(f"{key} は {low} 以上 {high} 以下の整数で指定してください。")
        argv += [flag, str(value)]
    for key, flag in (("text_only", "--text-only"), ("review", "--review"), ("silence_only", "--silence-only")):
        if config.get(key) is True:
            argv.append(flag)
    if config.get("mic_check") is False:
        argv.append("--no-mic-check")
    return build_parser().parse_args(argv + list(extra))


def run_interview_thread(args, link) -> dict:
    """The interview of one page, in the calling thread: the terminal's composition on the browser's devices."""
    from simulator.commands import practice
    from simulator.errors import MensetsuError

    link.owner = threading.current_thread()
    try:
        link.send({"type": "notice", "text": "準備しています（音声認識のモデルを読み込んでいます）…"})
        plan = practice.prepare(args)
        if plan is None:
            return {"type": "done", "outcome": "nothing_to_review", "text": "復習が必要な質問はまだありません。まず通常の練習をしてください。"}
        link.view.heard = plan.heard_text
        live = practice.build_live(plan, link.mic, link.speaker, link.keys, link.view)
        result = practice.conduct(plan, live, link.keys, link.view, say=lambda text, err=False: None)
        return {"type": "done", "outcome": result.outcome, "turns": result.turns, "code": result.code,
                "session": result.folder.name if result.folder is not None else None, "status": result.status,
                "text": result.message}
    except KeyboardInterrupt:
        return {"type": "done", "outcome": "stopped_before_session", "turns": 0, "session": None,
                "text": "面接を終了しました（保存されたセッションはありません）。"}
    except MensetsuError as exc:
        return {"type": "error", "text": str(exc)}
    except Exception as exc:
        log.error("mensetsu web: interview: %s: %s", type(exc).__name__, exc)
        return {"type": "error", "text": f"内部エラーで面接を続けられませんでした（{type(exc).__name__}）。"}


def interview_child(args, conn, mic_name: str) -> None:
    """A child process's interview (spawned per interview, so the models leave with it).

    The page's messages arrive on `conn` (audio as bytes, the page's JSON as dicts, None: the page
    went away) and feed a BrowserLink here; its events go back on `conn`, the last one marked final.
    """
    from simulator.web.devices import BrowserLink

    lock = threading.Lock()

    def send(event) -> None:
        with lock:
            conn.send(event)

    link = BrowserLink(send)
    link.mic.name = mic_name

    def reader() -> None:
        while True:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                message = None
            if message is None:
                link.disconnect()
                return
            if isinstance(message, bytes):
                link.receive_audio(message)
            elif isinstance(message, dict):
                link.receive(message)

    threading.Thread(target=reader, name="page-reader", daemon=True).start()
    final = run_interview_thread(args, link)
    try:
        send({"final": final})
    except (OSError, ValueError):
        pass
    conn.close()


class ChildInterview:
    """The server's side of an interview run in a child process: the page's messages go to it, its events come back.

    Terminal practice frees the models when its process exits; so does each interview here (the
    server itself stays at its idle size between interviews)."""

    def __init__(self, args, mic_name: str, emit, target=None):
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self._conn, child = ctx.Pipe()
        self._emit = emit
        self._lock = threading.Lock()
        self._closed = False
        self.proc = ctx.Process(target=target or interview_child, args=(args, child, mic_name), name="mensetsu-interview", daemon=True)
        self.proc.start()
        child.close()

    def _send(self, message) -> None:
        with self._lock:
            if self._closed:
                return
            try:
                self._conn.send(message)
            except (OSError, ValueError):
                self._closed = True

    def receive(self, message: dict) -> None:
        self._send(message)

    def receive_audio(self, data: bytes) -> None:
        self._send(bytes(data))

    def disconnect(self) -> None:
        self._send(None)

    def run(self) -> dict:
        """Relay the child's events until its final one (in a worker thread); the child is then reaped."""
        final = None
        try:
            while True:
                try:
                    event = self._conn.recv()
                except (EOFError, OSError):
                    break
                if isinstance(event, dict) and "final" in event:
                    final = event["final"]
                    break
                self._emit(event)
        finally:
            self.proc.join(timeout=30)
            if self.proc.is_alive():
                self.proc.kill()
                self.proc.join(timeout=10)
            with self._lock:
                self._closed = True
                self._conn.close()
        if final is None:
            log.error("mensetsu web: interview process ended without a result (exit code %s)", self.proc.exitcode)
            final = {"type": "error", "text": "内部エラーで面接を続けられませんでした（面接のプロセスが終了しました）。"}
        return final


async def interview_socket(ws: WebSocket) -> None:
    from simulator.web.devices import BrowserLink

    slot: InterviewSlot = ws.app.state.interview
    await ws.accept()
    loop = asyncio.get_running_loop()
    outbox: asyncio.Queue = asyncio.Queue()
    emit = lambda event: loop.call_soon_threadsafe(outbox.put_nowait, event)  # noqa: E731 (thread-safe)
    link = BrowserLink(emit)
    worker = None
    took = False

    async def sender():
        while True:
            event = await outbox.get()
            if event is None:
                return
            await ws.send_text(json.dumps(event, ensure_ascii=False))

    send_task = asyncio.create_task(sender())
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                break
            if message.get("bytes") is not None:
                if worker is not None:
                    link.receive_audio(message["bytes"])
                continue
            try:
                data = json.loads(message.get("text") or "")
            except ValueError:
                continue
            if not isinstance(data, dict):
                continue
            if data.get("type") == "start" and worker is None:
                from simulator.errors import MensetsuError

                try:
                    args = await asyncio.to_thread(practice_args, data.get("config") or {}, ws.app.state.practice_extra)
                except MensetsuError as exc:
                    await outbox.put({"type": "error", "text": str(exc)})
                    continue
                if not slot.take():
                    await outbox.put({"type": "error", "text": "別の面接が進行中です。終わってから始めてください。"})
                    continue
                took = True
                mic_name = f"ブラウザ: {str(data.get('device') or 'マイク')[:80]}"
                if ws.app.state.interview_in_child:
                    try:
                        link = await asyncio.to_thread(ChildInterview, args, mic_name, emit)
                    except Exception as exc:  # the process could not start
                        slot.give_back()
                        took = False
                        log.error("mensetsu web: interview process: %s: %s", type(exc).__name__, exc)
                        await outbox.put({"type": "error", "text": "面接を開始できませんでした（面接のプロセスを起動できません）。"})
                        continue
                    run = link.run
                else:
                    link.mic.name = mic_name
                    run = functools.partial(run_interview_thread, args, link)

                async def work(run=run):
                    try:
                        final = await asyncio.to_thread(run)
                    finally:
                        slot.give_back()
                    await outbox.put(final)

                worker = asyncio.create_task(work())
            else:
                link.receive(data)
    except WebSocketDisconnect:
        pass
    finally:
        link.disconnect()  # the interview thread stops at its next read (saved as interrupted)
        if worker is not None:
            try:
                await asyncio.wait_for(asyncio.shield(worker), timeout=120)
            except Exception:
                pass
        elif took:
            slot.give_back()
        await outbox.put(None)
        send_task.cancel()


def create_app(token: str, port: int, practice_extra: list[str] = (), interview_in_child: bool = True):
    """(the guarded ASGI app to serve, the Starlette app inside); practice_extra: options added to every
    interview's `practice` options (the server's --model, --compute-type); interview_in_child: each
    interview in its own process (its models freed when it ends), else in a thread of the server."""
    routes = [Route(path, page) for path in PAGES]
    routes += [
        Route("/history", history_page),
        Route("/sessions/{sid}/report", report_page),
        Route("/sessions/{sid}/replay", replay_page),
        Route("/sessions/{sid}/audio/{name}", session_audio),
        Route("/static/{name}", static),
        Route("/api/options", api_options),
        Route("/api/sessions", api_sessions),
        Route("/api/sessions/{sid}", api_session),
        WebSocketRoute("/ws", interview_socket),
    ]
    app = Starlette(routes=routes)
    app.state.static = _static_files()
    app.state.interview = InterviewSlot()
    app.state.practice_extra = list(practice_extra)
    app.state.interview_in_child = interview_in_child
    return Guard(app, token, port), app
