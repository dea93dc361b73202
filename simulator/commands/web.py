"""`web`: the local web app (live interview, replay, reports, history) in the default browser (docs/web.md)."""

from __future__ import annotations

import sys

from simulator.commands.common import add_model_option

DEFAULT_PORT = 8765  # tried first; another free port when it is taken (an explicit --port must be free)


def register(sub) -> None:
    p = sub.add_parser("web", help="the interview, replay, reports and history as local pages in your browser")
    p.add_argument("--port", type=int, metavar="N", help=f"port on 127.0.0.1 (default: {DEFAULT_PORT}, or a free one)")
    p.add_argument("--no-browser", dest="browser", action="store_false", help="print the address only; do not open the browser")
    add_model_option(p)  # for the interviews started from the page
    p.set_defaults(handler=run)


def web_available() -> bool:
    """The web stack is installed (starlette, uvicorn, websockets)."""
    import importlib.util

    return all(importlib.util.find_spec(m) is not None for m in ("starlette", "uvicorn", "websockets"))


def graphical_desktop() -> bool:
    """A desktop the default browser can open on: not over SSH; on Linux an X11 or Wayland display."""
    import os

    if os.environ.get("SSH_CONNECTION") or os.environ.get("SSH_TTY"):
        return False
    if sys.platform in ("darwin", "win32"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def bind(port: int | None):
    """A listening socket on 127.0.0.1 (never another interface)."""
    import errno
    import socket

    from simulator.errors import MensetsuError

    if port is not None and not 0 < port < 65536:
        raise MensetsuError("--port には 1〜65535 の番号を指定してください。")
    for candidate in ([port] if port is not None else [DEFAULT_PORT, 0]):
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if sys.platform != "win32":
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", candidate))
        except OSError as exc:
            sock.close()
            if port is None and exc.errno == errno.EADDRINUSE:
                continue
            raise MensetsuError(f"ポート {candidate} を使えないため、--port で別の番号を指定してください（{exc.strerror}）。") from None
        sock.listen(16)
        sock.set_inheritable(True)
        return sock
    raise MensetsuError("空いているポートが見つかりません。--port で番号を指定してください。")


def run(args) -> int:
    import threading
    import time

    from simulator.errors import MensetsuError

    if not web_available():
        raise MensetsuError("Web 画面に必要なパッケージがないため、`pip install starlette uvicorn websockets` を実行してください。")
    import uvicorn

    from simulator.web.app import MAX_WS_MESSAGE, create_app
    from simulator.web.security import new_token

    sock = bind(args.port)
    port = sock.getsockname()[1]
    token = new_token()
    practice_extra = (["--model", args.model] if args.model else []) + (["--compute-type", args.compute_type] if args.compute_type else [])
    practice_extra += [] if args.vocabulary else ["--no-vocabulary"]
    if args.model:
        from simulator.speech.model import resolve_model

        resolve_model(args.model)  # a bad --model is said now, not at the first interview
    app, _inner = create_app(token, port, practice_extra)
    url = f"http://127.0.0.1:{port}/?token={token}"
    config = uvicorn.Config(app, log_level="warning", ws_max_size=MAX_WS_MESSAGE, lifespan="off", access_log=False,
                            server_header=False, ws_ping_interval=20.0, ws_ping_timeout=60.0)
    server = uvicorn.Server(config)

    def announce():
        while not server.started and not server.should_exit:
            time.sleep(0.02)
        if not server.started:
            return
        print(f"mensetsu web: {url}", flush=True)
        print("このアドレスをブラウザで開いてください（このパソコンの中だけで動きます）。終了は Ctrl-C。", flush=True)
        if args.browser:
            import webbrowser

            try:
                if not webbrowser.open(url):
                    print("ブラウザを開けなかったため、上のアドレスを手で開いてください。", flush=True)
            except Exception:
                print("ブラウザを開けなかったため、上のアドレスを手で開いてください。", flush=True)

    threading.Thread(target=announce, name="web-announce", daemon=True).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    print("mensetsu web を終了しました。", flush=True)
    return 0
