"""Session folders on disk.

Layout (format version 1, documented in docs/session-format.md):
    <sessions>/<id>/meta.json      set, model, program version, start/end time, status
    <sessions>/<id>/turns.jsonl    one JSON object per completed turn, appended, flushed, fsynced
    <sessions>/<id>/audio/turn-NNN-answer.wav   16 kHz mono answer audio
    <sessions>/<id>/audio/turn-NNN-prompt.wav   the interviewer's prompt audio, when spoken
    <sessions>/<id>/audio/partial-answer.wav    an answer cut off (Ctrl-C, device lost)
A turn's audio is written before its line, so a line on disk always has its audio. A session
cut off mid-write loads with every completed turn (a torn last line is skipped and reported).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum
from pathlib import Path

from simulator import __version__
from simulator.audio.clip import AudioClip
from simulator.audio.wavfile import write_wav
from simulator.errors import SessionError
from simulator.fsutil import atomic_write_bytes, fsync_dir, open_private, private_dir
from simulator.paths import data_home, sessions_dir

FORMAT = "mensetsu-session"
FORMAT_VERSION = 1
_SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
ROOTS_FILE = "session_roots.txt"  # in the data folder: sessions folders given with --out


def extra_session_roots() -> list[Path]:
    """Sessions folders other than the default that sessions were saved in (--out), oldest first."""
    try:
        text = (data_home() / ROOTS_FILE).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, SessionError):
        return []
    return [Path(line) for line in dict.fromkeys(text.splitlines()) if line.strip()]


def remember_root(root: Path) -> None:
    """Note a sessions folder given with --out, so that `history` and spaced review see its sessions."""
    try:
        root = root.resolve()
        if root == sessions_dir().resolve():
            return
        if root in extra_session_roots():
            return
        # One appended line, not a rewrite: two sessions started at once in new --out folders
        # would each rewrite the file from the same old copy and one folder would be lost.
        # An O_APPEND write this short lands whole; a duplicate line is harmless (read dedupes).
        path = private_dir(data_home()) / ROOTS_FILE
        with open_private(path, "ab") as f:
            f.write(f"{root}\n".encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
    except (OSError, SessionError):
        pass  # the session itself is saved; only the history index will not list it


class SessionStatus(str, Enum):
    """meta.json's `status` (a str, so the JSON stays a plain string)."""

    RUNNING = "running"
    COMPLETED = "completed"
    ANSWERS_EXHAUSTED = "answers_exhausted"  # headless: the answer files ran out
    INTERRUPTED = "interrupted"  # Ctrl-C
    STOPPED = "stopped"  # the candidate stopped at a microphone check
    NO_SPEECH = "no_speech"  # questions were asked and nothing was heard: not a practice session
    FAILED = "failed"


def counts_as_practice(meta: dict) -> bool:
    """Demo sessions and sessions in which nothing was heard stay out of history trends and review."""
    return not meta.get("demo") and meta.get("status") != SessionStatus.NO_SPEECH


def now_iso() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


class SessionWriter:
    """Creates a session folder and appends completed turns to it."""

    def __init__(self, folder: Path, meta: dict):
        self.folder = folder
        self.meta = meta
        self.turns_written = 0

    @classmethod
    def create(cls, root: Path | None = None, name: str | None = None, **meta) -> "SessionWriter":
        """Make a new session folder, complete (meta.json, turns.jsonl, audio/) or not at all.

        The folder is built under a hidden temporary name and renamed into place, so a crash
        during creation never leaves a folder that looks like a session but cannot be loaded.
        """
        if name is not None and (not _SAFE_NAME.match(name) or name == "latest"):
            raise SessionError(f"セッション名 {name!r} には英数字と '.', '_', '-' だけが使えます（'latest' は使えません）。")
        root = Path(root) if root else sessions_dir()
        try:
            private_dir(root)
        except OSError as exc:
            raise SessionError(f"セッションの保存フォルダ {root} を作成できません（{exc.strerror or exc}）。") from None
        _remove_orphaned_staging(root)
        for attempt in range(20):
            session_id = name or f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{secrets.token_hex(2)}"
            folder = root / session_id
            if folder.exists():
                if name is not None:
                    raise SessionError(f"セッション {folder} はすでに存在するため、別の名前を指定してください。")
                continue  # two sessions started in the same second drew the same suffix
            full_meta = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "id": session_id,
                "program_version": __version__,
                "started_at": now_iso(),
                "status": "running",
                **meta,
            }
            staging = root / f".{session_id}.{os.getpid()}.creating"
            writer = cls(staging, full_meta)
            try:
                staging.mkdir(mode=0o700)
                private_dir(staging / "audio")
                writer._write_meta()
                os.close(os.open(staging / "turns.jsonl", os.O_WRONLY | os.O_CREAT, 0o600))
                os.rename(staging, folder)  # fails if a non-empty session took the name meanwhile
            except OSError as exc:
                shutil.rmtree(staging, ignore_errors=True)
                if folder.exists() and name is None:
                    continue
                if folder.exists():
                    raise SessionError(f"セッション {folder} はすでに存在するため、別の名前を指定してください。") from None
                raise SessionError(f"セッションフォルダ {folder} を作成できません（{exc.strerror or exc}）。") from None
            except SessionError:
                shutil.rmtree(staging, ignore_errors=True)
                raise
            fsync_dir(root)
            writer.folder = folder
            remember_root(root)
            return writer
        raise SessionError(f"{root} に空いているセッション名が見つからないため、もう一度実行してください。")

    def _write_meta(self) -> None:
        try:
            atomic_write_bytes(self.folder / "meta.json", json.dumps(self.meta, ensure_ascii=False, indent=2).encode("utf-8"))
        except OSError as exc:
            raise SessionError(f"{self.folder / 'meta.json'} に書き込めません（{exc.strerror or exc}）が、それまでの回答は保存されています。") from None

    def save_audio(self, name: str, clip: AudioClip) -> str:
        rel = f"audio/{name}"
        try:
            write_wav(self.folder / rel, clip)
        except OSError as exc:
            raise SessionError(f"{self.folder / rel} を保存できません（{exc.strerror or exc}）が、それまでの回答は保存されています。") from None
        return rel

    def append_turn(self, record: dict) -> None:
        self.turns_written += 1
        record = {"turn": self.turns_written, "completed_at": now_iso(), **record}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        path = self.folder / "turns.jsonl"
        size_before = None
        try:
            with open_private(path, "ab") as f:
                size_before = os.fstat(f.fileno()).st_size
                f.write(line.encode("utf-8"))
                f.flush()
                os.fsync(f.fileno())
        except OSError as exc:
            self.turns_written -= 1
            # A full disk can take half a line. Left there, the next turn's line would be glued
            # to it and the file would no longer load: cut back to the last complete line.
            if size_before is not None:
                try:
                    os.truncate(path, size_before)
                except OSError:
                    pass
            raise SessionError(f"{self.folder} に {record['turn']}問目の回答を保存できません（{exc.strerror or exc}）が、それまでの回答は保存されています。") from None

    def finish(self, status: str = "completed", **extra) -> None:
        self.meta.update({"status": status, "finished_at": now_iso(), "turns": self.turns_written, **extra})
        try:
            self._write_meta()
        except SessionError:
            # Finishing after a failure (disk full, folder gone read-only) is best effort: the
            # turns are already safe, the session loads as "did not finish", and raising here
            # would hide the error that stopped the interview behind a meta.json message.
            if status not in ("failed", "interrupted"):
                raise


@dataclass
class Session:
    folder: Path
    meta: dict
    turns: list[dict]
    warnings: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        # The id may end up in file names (reports, exports): never trust the one in meta.json.
        meta_id = self.meta.get("id")
        return meta_id if isinstance(meta_id, str) and _SAFE_NAME.match(meta_id) and meta_id != "latest" else self.folder.name


_PART_JA = {"prompt": "質問", "answer": "回答"}


def _contained_audio(folder: Path, turn: dict, warnings: list[str]) -> None:
    """Drop audio paths in a turn record that point outside the session folder (a crafted or
    hand-edited session must not make replay read, say, ~/.ssh/id_rsa or /etc/shadow)."""
    root = folder.resolve()
    for part in ("prompt", "answer"):
        entry = turn.get(part)
        if not isinstance(entry, dict) or entry.get("audio") is None:
            continue
        rel = entry["audio"]
        ok = isinstance(rel, str) and rel and not Path(rel).is_absolute()
        if ok:
            target = (folder / rel).resolve()
            ok = target != root and root in target.parents
        if not ok:
            entry["audio"] = None
            warnings.append(f"{turn.get('turn')}問目の{_PART_JA.get(part, part)}の音声パス {rel!r} はセッションフォルダの外を指しているため、使いません。")


def resolve_session(ref: str, root: Path | None = None) -> Path:
    """A session path, or a session id (or 'latest') inside the sessions folder; ids cannot escape it."""
    root = Path(root) if root else sessions_dir()
    try:
        path = Path(ref).expanduser()
    except RuntimeError:  # '~nosuchuser'
        path = Path(ref)
    if ref == "latest":
        candidates = sorted((p for p in root.iterdir() if not p.name.startswith(".") and (p / "meta.json").is_file()), key=lambda p: p.name)
        if not candidates:
            raise SessionError(f"{root} には保存されたセッションがありません。")
        return candidates[-1]
    # An id names a folder inside the sessions folder; only what is not an id there is a path.
    if _SAFE_NAME.match(ref) and _is_dir(root / ref):
        return root / ref
    if _is_dir(path):
        return path
    raise SessionError(f"セッション {ref!r} が見つかりません（セッションのフォルダ、{root} にある ID、または latest を指定してください）。")


def _remove_orphaned_staging(root: Path) -> None:
    """Hidden half-created session folders left by a process that was killed while creating one."""
    for staging in root.glob(".*.creating"):
        try:
            pid = int(staging.name.rsplit(".", 2)[-2])
            os.kill(pid, 0)  # still running: it is someone's session being created right now
        except ProcessLookupError:
            shutil.rmtree(staging, ignore_errors=True)
        except (ValueError, IndexError, PermissionError, OSError):
            continue


def _is_dir(path: Path) -> bool:
    """is_dir() that says False for names the OS refuses (too long, NUL) instead of raising."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


def load_session(ref: str | Path, root: Path | None = None) -> Session:
    folder = resolve_session(str(ref), root)
    meta_path = folder / "meta.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SessionError(f"{folder} はセッションのフォルダではありません（meta.json がありません）。") from None
    except (ValueError, UnicodeDecodeError):
        raise SessionError(f"{meta_path} が壊れています（JSON として読めません）。") from None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise SessionError(f"{meta_path} は mensetsu-sim のセッションファイルではありません。")
    version = meta.get("format_version")
    if version != FORMAT_VERSION:
        raise SessionError(f"{meta_path} のセッション形式のバージョン {version!r} には対応していません（このプログラムが読めるのは {FORMAT_VERSION} です）。")
    turns: list[dict] = []
    warnings: list[str] = []
    turns_path = folder / "turns.jsonl"
    try:
        raw = turns_path.read_bytes()
    except FileNotFoundError:
        raw = b""
        warnings.append("turns.jsonl がないため、完了した回答はありません。")
    lines = raw.split(b"\n")
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            turn = json.loads(line.decode("utf-8"))
            if not isinstance(turn, dict) or "prompt" not in turn:
                raise ValueError("not a turn record")
        except (ValueError, UnicodeDecodeError):
            if n == len(lines):  # no trailing newline: the write was cut off
                warnings.append(f"turns.jsonl の{n}行目は書き込みの途中で切れているため、飛ばしました。")
                continue
            raise SessionError(f"{turns_path} の{n}行目の回答の記録が壊れています。") from None
        _contained_audio(folder, turn, warnings)
        turns.append(turn)
    if meta.get("status") == "running":
        warnings.append("このセッションは最後まで終わっていません（中断されたか、まだ実行中です）。")
    return Session(folder, meta, turns, warnings)
