"""The web app's checks, pure: who may talk to the server, and which names reach files.

- The server listens on 127.0.0.1 only.
- A random token is made at each start. Every request must carry it: in the first URL (?token=,
  which sets a cookie bound to this port and redirects to a clean URL), then in the cookie or an
  `X-Mensetsu-Token` header. Another local user or a page of another origin does not know it.
- The Host header must name this server (127.0.0.1 or localhost at its port): a DNS-rebinding
  page at evil.example resolving to 127.0.0.1 is refused.
- Requests that change something (POST) and the WebSocket must come from the server's own origin
  (Origin header): a page of another origin that got the cookie sent along is refused.
- File names come from the URL only as session ids and audio file names matching strict patterns,
  looked up inside the data folder's sessions folder; nothing else reaches the disk.
"""

from __future__ import annotations

import hmac
import re
import secrets
from pathlib import Path

TOKEN_BYTES = 24
HEADER = "x-mensetsu-token"
SESSION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
AUDIO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,80}\.wav$")


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def cookie_name(port: int) -> str:
    """Cookies are not kept apart by port: each server's cookie has its own name."""
    return f"mensetsu_token_{int(port)}"


def token_matches(given: str | None, token: str) -> bool:
    return isinstance(given, str) and bool(given) and hmac.compare_digest(given.encode("utf-8", "replace"), token.encode("utf-8"))


def allowed_hosts(port: int) -> set[str]:
    return {f"127.0.0.1:{port}", f"localhost:{port}"}


def allowed_origins(port: int) -> set[str]:
    return {f"http://127.0.0.1:{port}", f"http://localhost:{port}"}


def host_ok(host: str | None, port: int) -> bool:
    return isinstance(host, str) and host.lower() in allowed_hosts(port)


def origin_ok(origin: str | None, port: int) -> bool:
    """The request's Origin is this server's (a missing Origin is refused where one is required)."""
    return isinstance(origin, str) and origin.lower().rstrip("/") in allowed_origins(port)


def session_folder(root: Path, session_id: str) -> Path | None:
    """The session folder of this id inside root, or None (a bad name, absent, or a link out of root)."""
    if not isinstance(session_id, str) or not SESSION_ID.match(session_id) or session_id in (".", "..", "latest"):
        return None
    try:
        root = root.resolve()
        folder = (root / session_id).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if folder.parent != root or not (folder / "meta.json").is_file():
        return None
    return folder


def audio_file(folder: Path, name: str) -> Path | None:
    """An audio file of a session (audio/<name>.wav), or None; never a path out of the folder."""
    if not isinstance(name, str) or not AUDIO_NAME.match(name):
        return None
    try:
        path = (folder / "audio" / name).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    if path.parent != (folder / "audio").resolve() or not path.is_file():
        return None
    return path
