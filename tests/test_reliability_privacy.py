"""Privacy and safety: no network at run time, nothing escapes the data folder, files private.

The whole headless loop (real model, default settings) runs with networking disabled twice
over: in a fresh network namespace (`unshare -rn`, no interfaces but loopback) where available,
and always under a sitecustomize that records and refuses every Internet socket, so even a
library that would quietly fall back after a failed connection is caught. Cover a new command
by adding its argv to COMMANDS_OFFLINE.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import SessionError
from simulator.store.session_store import SessionWriter, _is_dir, load_session, resolve_session
from tests.conftest import REPO, SAMPLES
from tests.reliability_log import record

GUARD = '''
import os, socket

_LOG = os.environ.get("MENSETSU_NET_LOG")


def _refuse(what, detail):
    if _LOG:
        with open(_LOG, "a") as f:
            f.write(f"{what} {detail!r}\\n")
    raise OSError(101, "network use refused by the mensetsu-sim privacy test")


_INET = (socket.AF_INET, socket.AF_INET6)


class _GuardedSocket(socket.socket):
    def connect(self, address):
        if self.family in _INET:
            _refuse("connect", address)
        return super().connect(address)

    def connect_ex(self, address):
        if self.family in _INET:
            _refuse("connect_ex", address)
        return super().connect_ex(address)

    def sendto(self, *args):
        if self.family in _INET:
            _refuse("sendto", args[-1])
        return super().sendto(*args)


socket.socket = _GuardedSocket
socket.getaddrinfo = lambda *a, **k: _refuse("getaddrinfo", a[:2])
socket.gethostbyname = lambda *a, **k: _refuse("gethostbyname", a[:1])
'''


def _can_unshare_net() -> bool:
    return bool(shutil.which("unshare")) and subprocess.run(["unshare", "-rn", "true"], capture_output=True).returncode == 0


CAN_UNSHARE_NET = _can_unshare_net()

# Commands that must work offline; {answer} {session} are filled in. `run` first: it makes the session.
COMMANDS_OFFLINE = (
    ("run", ["run", "--answers", "{answer}", "{answer2}", "--json"]),
    ("analyze", ["analyze", "{answer}", "--json"]),
    ("replay", ["replay", "{session}", "--json"]),
)


def _guarded(argv: list[str], tmp: Path, home: Path) -> tuple[subprocess.CompletedProcess, list[str]]:
    guard_dir = tmp / "guard"
    guard_dir.mkdir(exist_ok=True)
    (guard_dir / "sitecustomize.py").write_text(GUARD)
    log = tmp / "net.log"
    env = {
        **os.environ,
        "PYTHONPATH": f"{guard_dir}{os.pathsep}{REPO}",
        "MENSETSU_NET_LOG": str(log),
        "MENSETSU_HOME": str(home),
    }
    prefix = ["unshare", "-rn"] if CAN_UNSHARE_NET else []
    proc = subprocess.run(prefix + argv, capture_output=True, text=True, cwd=REPO, env=env, timeout=900, preexec_fn=lambda: os.umask(0))
    attempts = log.read_text().splitlines() if log.exists() else []
    return proc, attempts


def test_the_guard_does_catch_network_use(tmp_path):
    """Negative control: without this, a guard that sees nothing would pass every test."""
    proc, attempts = _guarded([sys.executable, "-c", "import urllib.request; urllib.request.urlopen('http://example.com', timeout=5)"], tmp_path, tmp_path / "home")
    assert proc.returncode != 0 and attempts, (proc.stderr, attempts)


@pytest.fixture(scope="module")
def offline_runs(tmp_path_factory):
    """Run every command of COMMANDS_OFFLINE with the network off and umask 000, default settings."""
    tmp = tmp_path_factory.mktemp("offline")
    home = tmp / "home"
    outcomes = {}
    fill = {"answer": str(SAMPLES / "06_reverse_none.wav"), "answer2": str(SAMPLES / "04_motivation_generic.wav"), "session": "latest"}
    for name, args in COMMANDS_OFFLINE:
        argv = [sys.executable, "-m", "simulator", *[a.format(**fill) for a in args]]
        outcomes[name] = _guarded(argv, tmp, home)
        if name == "run" and outcomes[name][0].returncode == 0:
            fill["session"] = json.loads(outcomes[name][0].stdout)["session"]
    return outcomes, home


@pytest.mark.slow
@pytest.mark.parametrize("command", [c for c, _ in COMMANDS_OFFLINE])
def test_no_network_at_run_time(offline_runs, command):
    outcomes, _home = offline_runs
    proc, attempts = outcomes[command]
    passed = proc.returncode == 0 and not attempts and "Traceback" not in proc.stderr
    how = ("`unshare -rn` (no network) plus " if CAN_UNSHARE_NET else "") + f"a socket guard recording every Internet connection; `{command}` with default settings"
    observed = f"exit {proc.returncode}; {len(attempts)} network attempts" + (f": {attempts[0][:80]}" if attempts else "")
    record("privacy", f"offline: {command}", how, observed, passed)
    assert passed, (proc.stderr[-2000:], attempts)


@pytest.mark.slow
def test_session_files_are_private_even_under_umask_000(offline_runs):
    outcomes, home = offline_runs
    proc, _ = outcomes["run"]
    assert proc.returncode == 0, proc.stderr
    session = Path(json.loads(proc.stdout)["session"])
    exposed = []
    for path in [home, home / "sessions", session, *session.rglob("*")]:
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            exposed.append(f"{path.relative_to(home)} {mode:o}")
    files = sum(1 for p in session.rglob("*") if p.is_file())
    passed = not exposed and files >= 4
    record("privacy", "session files private", "real `run` under umask 000; mode of the data folder, sessions folder and every session file", f"{files} files and their folders: {'all 0600/0700' if not exposed else ', '.join(exposed[:4])}", passed)
    assert passed, exposed


NAMES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["..", ".", "../x", "a/../../b", "/etc/passwd", "~", "~root", "a\\..\\b", "latest", "CON", "x" * 300, "a\x00b", "名前", " a", "a/"]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES)
def test_session_names_cannot_escape_the_data_folder(tmp_path, name):
    root = tmp_path / "sessions"
    before = set(tmp_path.rglob("*"))
    try:
        writer = SessionWriter.create(root, name=name)
    except SessionError:
        created_outside = [p for p in set(tmp_path.rglob("*")) - before if root not in p.parents and p != root]
        assert not created_outside
        return
    assert writer.folder.resolve().parent == root.resolve()
    shutil.rmtree(writer.folder)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ref=NAMES)
def test_session_ids_resolve_only_inside_the_sessions_folder(tmp_path, ref):
    root = tmp_path / "data" / "sessions"
    root.mkdir(parents=True, exist_ok=True)
    if not (root / "20260101-000000-aaaa").exists():
        SessionWriter.create(root, name="20260101-000000-aaaa")
    (tmp_path / "data" / "outside").mkdir(exist_ok=True)
    if os.sep in ref or ref.startswith("~") or ref in (".", "..") or _is_dir(Path(ref)):
        return  # an explicit folder path the user typed: opened as given, by design
    try:
        found = resolve_session(ref, root)
    except SessionError:
        return
    assert found.resolve().parent == root.resolve()


def test_names_and_ids_summary(tmp_path):
    """The two hypothesis properties above, recorded for the table (with a few fixed examples)."""
    root = tmp_path / "s"
    rejected = []
    for name in ["..", "../x", "a/../../b", "/etc/passwd", "latest", "a\x00b"]:
        try:
            SessionWriter.create(root, name=name)
        except SessionError:
            rejected.append(name)
    (tmp_path / "outside").mkdir()  # a folder next to the sessions folder, named like an id
    try:
        resolve_session("outside", root)
        escaped = True
    except SessionError:
        escaped = False
    passed = len(rejected) == 6 and not escaped
    record("privacy", "session names and ids stay inside the data folder", "hypothesis: 300 random and hostile names for new sessions and 300 ids to open, plus fixed examples (.., ../x, /etc/passwd, NUL)", f"{len(rejected)}/6 hostile names refused; no id resolved outside the sessions folder", passed)
    assert passed


def test_turn_audio_paths_cannot_point_outside_the_session(tmp_path):
    """A crafted session file must not make replay read files elsewhere."""
    secret = tmp_path / "secret.wav"
    shutil.copy(SAMPLES / "06_reverse_none.wav", secret)
    w = SessionWriter.create(tmp_path / "sessions")
    (w.folder / "audio" / "link.wav").symlink_to(secret)
    bad = [str(secret), "../../secret.wav", "audio/link.wav", "audio/../../../secret.wav", ""]
    for rel in bad:
        w.append_turn({"prompt": {"kind": "question", "text": "質問", "category": "experience"}, "answer": {"audio": rel}, "analysis": {"transcript": ""}})
    w.finish()
    session = load_session(w.folder)
    kept = [t["answer"]["audio"] for t in session.turns if t["answer"]["audio"]]
    proc = subprocess.run([sys.executable, "-m", "simulator", "replay", str(w.folder), "--reanalyze", "--json"], capture_output=True, text=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, timeout=300)
    reanalyzed = [t for t in json.loads(proc.stdout)["turns"] if t.get("reanalyzed")] if proc.returncode == 0 else None
    passed = not kept and len(session.warnings) >= len(bad) and reanalyzed == []
    record("privacy", "turn audio paths stay inside the session", "session file naming an absolute path, ../.., and a symlink out of audio/; then `replay --reanalyze`", f"{len(bad) - len(kept)}/{len(bad)} paths refused with a warning; replay read none of them (exit {proc.returncode})", passed)
    assert passed, (kept, session.warnings, proc.stderr[-500:])


def test_meta_id_is_not_trusted_for_file_names(tmp_path):
    w = SessionWriter.create(tmp_path, name="ok-name")
    meta = json.loads((w.folder / "meta.json").read_text())
    meta["id"] = "../../../etc/cron.d/x"
    (w.folder / "meta.json").write_text(json.dumps(meta))
    session = load_session(w.folder)
    passed = session.id == "ok-name"
    record("privacy", "session id from meta.json", "meta.json edited to carry id '../../../etc/cron.d/x'", f"Session.id is {session.id!r} (the folder name)", passed)
    assert passed
