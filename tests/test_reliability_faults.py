"""Faults: SIGKILL mid-answer and mid-write, a full disk, a read-only folder, a damaged model cache,
two sessions at once. Real processes, the real store, real files.

The kill, disk and concurrency cases drive `python -m tests.fault_cli` (the real CLI with a
scripted transcriber and numbered kill points, see tests/fault_cli.py) so that dozens of
processes stay cheap; the model-cache and concurrent-start cases use the real model.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from simulator.audio.decode import load_audio
from simulator.errors import ERROR_PREFIX, SessionError
from simulator.store.session_store import SessionWriter, load_session
from tests.conftest import REPO, SAMPLES, run_cli
from tests.reliability_log import metric, record

ANSWERS = [SAMPLES / n for n in ("06_reverse_none.wav", "04_motivation_generic.wav", "02_achievement_vague.wav", "05_motivation_specific.wav")]
KILL_POINTS_MIN = 50
TIMEOUT_S = 180


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MENSETSU_TEST_")}
    return {**env, "PYTHONPATH": str(REPO), **{k: str(v) for k, v in extra.items()}}


def _fault_argv(out: Path, answers=ANSWERS) -> list[str]:
    return [sys.executable, "-m", "tests.fault_cli", "run", "--answers", *map(str, answers), "--voice", "none", "--json", "--out", str(out)]


def _fault_run(out: Path, answers=ANSWERS, timeout=TIMEOUT_S, **env) -> subprocess.CompletedProcess:
    return subprocess.run(_fault_argv(out, answers), capture_output=True, text=True, cwd=REPO, env=_env(**env), timeout=timeout)


def _completed(log: Path) -> int:
    if not log.exists():
        return 0
    return sum(1 for line in log.read_text().splitlines() if line.startswith("completed turn"))


def _sessions(out: Path) -> list[Path]:
    return sorted(p for p in out.iterdir() if not p.name.startswith(".")) if out.is_dir() else []


def _check_saved(out: Path, completed: int, answers=ANSWERS) -> tuple[int, list[str]]:
    """Load what is on disk as a user would; return (turns loaded, problems)."""
    sessions = _sessions(out)
    if not sessions:
        return 0, [] if completed == 0 else [f"{completed} completed turns but no session folder"]
    if len(sessions) > 1:
        return 0, [f"{len(sessions)} session folders from one run"]
    try:
        session = load_session(sessions[0])
    except SessionError as exc:
        return 0, [f"session does not load: {exc}"]
    problems = []
    n = len(session.turns)
    if [t["turn"] for t in session.turns] != list(range(1, n + 1)):
        problems.append(f"turn numbers {[t['turn'] for t in session.turns]}")
    if n < completed:
        problems.append(f"lost {completed - n} completed turns")
    if n > completed + 1:
        problems.append(f"{n} turns on disk, only {completed} completed")
    for i, turn in enumerate(session.turns):
        audio = session.folder / turn["answer"]["audio"]
        try:
            got = load_audio(audio).duration_s
        except Exception as exc:  # noqa: BLE001 - any failure is the finding
            problems.append(f"turn {i + 1} audio unreadable: {exc}")
            continue
        want = load_audio(answers[i]).duration_s
        if abs(got - want) > 0.05:
            problems.append(f"turn {i + 1} audio is {got:.2f} s, answer was {want:.2f} s")
    return n, problems


@pytest.fixture(scope="module")
def dry_run(tmp_path_factory):
    """One uninterrupted run: the list of events (kill points) and how long a run takes."""
    tmp = tmp_path_factory.mktemp("dry")
    log = tmp / "events.log"
    start = time.monotonic()
    proc = _fault_run(tmp / "out", MENSETSU_TEST_EVENTS=log)
    wall_s = time.monotonic() - start
    assert proc.returncode == 0, proc.stderr
    events = [line.split(" ", 1) for line in log.read_text().splitlines() if line[0].isdigit()]
    assert _completed(log) == len(ANSWERS)
    return events, wall_s


def test_sigkill_at_random_points_loses_no_completed_turn(dry_run, tmp_path):
    events, wall_s = dry_run
    seed = int(os.environ.get("MENSETSU_KILL_SEED") or random.randrange(1 << 30))
    rng = random.Random(seed)
    # Kill points: events drawn at random (every file step: open, half-written, fsync, rename,
    # decode, transcription), then kills from outside at random moments of a run.
    event_points = rng.sample(range(1, len(events) + 1), min(len(events), KILL_POINTS_MIN))
    while len(event_points) < KILL_POINTS_MIN:
        event_points.append(rng.randint(1, len(events)))
    timer_points = [round(rng.uniform(0.0, wall_s), 3) for _ in range(10)]
    plan = [("event", k) for k in event_points] + [("timer", t) for t in timer_points]

    def one(i_point):
        i, (kind, point) = i_point
        out, log = tmp_path / f"k{i}" / "out", tmp_path / f"k{i}" / "events.log"
        out.parent.mkdir()
        if kind == "event":
            proc = _fault_run(out, MENSETSU_TEST_KILL_AT=point, MENSETSU_TEST_EVENTS=log)
            killed = proc.returncode == -signal.SIGKILL
        else:
            p = subprocess.Popen(_fault_argv(out), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=REPO, env=_env(MENSETSU_TEST_EVENTS=log))
            time.sleep(point)
            p.send_signal(signal.SIGKILL)
            p.wait(timeout=TIMEOUT_S)
            killed = p.returncode == -signal.SIGKILL
        completed = _completed(log)
        loaded, problems = _check_saved(out, completed)
        if kind == "event" and not killed:
            problems.append("the process was not killed at its kill point")
        if i % 10 == 0 and _sessions(out):  # now and then, load it through the CLI too
            shown = run_cli("replay", str(_sessions(out)[0]), "--json", timeout=TIMEOUT_S)
            if shown.returncode != 0 or len(json.loads(shown.stdout)["turns"]) != loaded:
                problems.append(f"replay failed: {shown.stderr.strip()[:200]}")
        where = events[point - 1][1] if kind == "event" else f"{point:.2f} s"
        return kind, where, killed, completed, loaded, problems

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(one, enumerate(plan)))
    killed_n = sum(r[2] for r in results)
    lost = sum(max(0, r[3] - r[4]) for r in results)
    failures = [r for r in results if r[5]]
    mid_write = sum(1 for r in results if r[0] == "event" and ("mid-write" in r[1] or "rename" in r[1] or r[1] == "fsync"))
    mid_answer = sum(1 for r in results if r[0] == "event" and ("transcribe" in r[1] or "decode" in r[1]))
    passed = not failures and killed_n >= KILL_POINTS_MIN and lost == 0
    observed = (
        f"{killed_n} processes killed ({mid_write} mid-write, {mid_answer} mid-answer, {sum(r[2] for r in results if r[0] == 'timer')} at random moments); "
        f"{sum(r[3] for r in results)} completed turns, {lost} lost; sessions that failed to load or check: {len(failures)} (seed {seed})"
    )
    record("faults", "SIGKILL at random points", f"{len(ANSWERS)}-answer headless run, SIGKILL at {len(plan)} random points; every session loaded and checked", observed, passed)
    metric("kill points (SIGKILL) tried", killed_n, "target >= 50")
    metric("completed turns lost across kill points", lost, "target 0")
    assert passed, (observed, failures[:5])


def _can_unshare_mount() -> bool:
    if not shutil.which("unshare"):
        return False
    return subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs none /mnt 2>/dev/null || mount -t tmpfs none \"$0\"", "/tmp"], capture_output=True).returncode == 0


CAN_MOUNT = _can_unshare_mount()


def _in_mount_namespace(script: str, timeout=TIMEOUT_S) -> subprocess.CompletedProcess:
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, cwd=REPO, env=_env(), timeout=timeout)


def _one_error_line(stderr: str) -> list[str]:
    return [l for l in stderr.splitlines() if l.startswith(ERROR_PREFIX)]


def _sh_quote(s) -> str:
    return "'" + str(s).replace("'", "'\\''") + "'"


@pytest.mark.skipif(not CAN_MOUNT, reason="needs unshare -rm (user and mount namespaces) for a real full tmpfs")
def test_disk_fills_up_mid_session(tmp_path):
    disk, copy, log = tmp_path / "disk", tmp_path / "copy", tmp_path / "events.log"
    disk.mkdir(), copy.mkdir()
    argv = " ".join(_sh_quote(a) for a in _fault_argv(disk / "sessions"))
    fill = f"head -c 64M /dev/zero > {_sh_quote(disk / 'filler')} 2>/dev/null"
    script = (
        f"mount -t tmpfs -o size=8m tmpfs {_sh_quote(disk)} || exit 99\n"
        f"MENSETSU_TEST_EVENTS={_sh_quote(log)} MENSETSU_TEST_HOOK={_sh_quote('turn saved#2=' + fill)} {argv}; rc=$?\n"
        f"rm -f {_sh_quote(disk / 'filler')}; cp -a {_sh_quote(disk)}/. {_sh_quote(copy)}/; exit $rc"
    )
    proc = _in_mount_namespace(script)
    assert proc.returncode != 99, proc.stderr
    loaded, problems = _check_saved(copy / "sessions", _completed(log))
    errors = _one_error_line(proc.stderr)
    leftovers = [p.name for p in (copy / "sessions").rglob(".*")]
    passed = proc.returncode == 5 and "Traceback" not in proc.stderr and len(errors) == 1 and "No space left" in errors[0] and loaded == 2 and not problems and not leftovers
    observed = f"exit {proc.returncode}: \"{errors[0].split(': ', 2)[-1] if errors else proc.stderr[-200:]}\"; {loaded} earlier turns load; temp files left: {len(leftovers)}"
    record("faults", "disk full mid-session", "8 MB tmpfs (unshare -rm) filled after turn 2 of 4", observed.replace(str(copy), "<out>").replace(str(disk), "<out>"), passed)
    assert passed, (observed, problems, proc.stderr)


def test_file_size_limit_mid_session(tmp_path):
    """Without mounts: RLIMIT_FSIZE makes the kernel refuse the third answer's audio (EFBIG)."""
    import resource

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (350_000, resource.RLIM_INFINITY))

    log, out = tmp_path / "events.log", tmp_path / "out"
    proc = subprocess.run(_fault_argv(out), capture_output=True, text=True, cwd=REPO, env=_env(MENSETSU_TEST_EVENTS=log), timeout=TIMEOUT_S, preexec_fn=limit)
    loaded, problems = _check_saved(out, _completed(log))
    errors = _one_error_line(proc.stderr)
    passed = proc.returncode == 5 and "Traceback" not in proc.stderr and len(errors) == 1 and "それまでの回答は保存されています" in errors[0] and loaded == 2 and not problems
    observed = f"exit {proc.returncode}: \"{errors[0].split(': ', 2)[-1] if errors else proc.stderr[-200:]}\"; {loaded} earlier turns load"
    record("faults", "file too large mid-session", "RLIMIT_FSIZE 350 kB: the 3rd answer's 447 kB WAV is refused by the kernel", observed.replace(str(out), "<out>"), passed)
    assert passed, (observed, problems, proc.stderr)


def test_torn_append_is_cut_back_so_later_turns_still_load(tmp_path):
    """A write that stops half-way (disk full) must not glue the next turn's line to the fragment."""
    w = SessionWriter.create(tmp_path)
    turn = {"prompt": {"kind": "question", "text": "質問"}, "answer": {"audio": None}, "analysis": {"transcript": "回答" * 200}}
    w.append_turn(turn)
    code = (
        "import json, resource, signal, sys\n"
        "from pathlib import Path\n"
        "from simulator.store.session_store import SessionWriter\n"
        "from simulator.errors import SessionError\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "folder = Path(sys.argv[1]); meta = json.loads((folder / 'meta.json').read_text())\n"
        "w = SessionWriter(folder, meta); w.turns_written = 1\n"
        "turn = json.loads(sys.argv[2])\n"
        "size = (folder / 'turns.jsonl').stat().st_size\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (size + 300, resource.RLIM_INFINITY))\n"
        "try:\n    w.append_turn(turn); print('no error')\nexcept SessionError as e:\n    print('error:', e)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))\n"
        "w.append_turn(turn)\n"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(w.folder), json.dumps(turn)], capture_output=True, text=True, cwd=REPO, env=_env(), timeout=60)
    session = load_session(w.folder)
    passed = proc.returncode == 0 and "error:" in proc.stdout and [t["turn"] for t in session.turns] == [1, 2] and not session.warnings[:-1]
    record("faults", "torn append after a failed write", "RLIMIT_FSIZE stops turn 2's line after 300 bytes; then turn 2 is saved again", f"first try: {proc.stdout.strip().replace(str(w.folder), '<session>')[:90]}; file loads with turns {[t['turn'] for t in session.turns]}", passed)
    assert passed, (proc.stdout, proc.stderr, session.warnings)


@pytest.mark.skipif(not CAN_MOUNT, reason="needs unshare -rm for a real read-only bind mount (root ignores permission bits)")
def test_output_folder_turns_read_only_mid_session(tmp_path):
    out, log = tmp_path / "out", tmp_path / "events.log"
    out.mkdir()
    argv = " ".join(_sh_quote(a) for a in _fault_argv(out / "sessions"))
    remount = f"mount -o remount,bind,ro {_sh_quote(out)} {_sh_quote(out)}"
    script = f"mount --bind {_sh_quote(out)} {_sh_quote(out)} || exit 99\nMENSETSU_TEST_EVENTS={_sh_quote(log)} MENSETSU_TEST_HOOK={_sh_quote('turn saved#2=' + remount)} {argv}"
    proc = _in_mount_namespace(script)
    assert proc.returncode != 99, proc.stderr
    loaded, problems = _check_saved(out / "sessions", _completed(log))
    errors = _one_error_line(proc.stderr)
    passed = proc.returncode == 5 and "Traceback" not in proc.stderr and len(errors) == 1 and "Read-only" in errors[0] and loaded == 2 and not problems
    observed = f"exit {proc.returncode}: \"{errors[0].split(': ', 2)[-1] if errors else proc.stderr[-200:]}\"; {loaded} earlier turns load"
    record("faults", "output folder read-only mid-session", "bind mount remounted read-only after turn 2 of 4 (unshare -rm)", observed.replace(str(out), "<out>"), passed)
    assert passed, (observed, problems, proc.stderr)


def _readonly_prefix(folder: Path) -> str | None:
    """A shell prefix that makes folder read-only for the command, or None where impossible."""
    if CAN_MOUNT:
        return f"mount --bind {_sh_quote(folder)} {_sh_quote(folder)} && mount -o remount,bind,ro {_sh_quote(folder)} {_sh_quote(folder)} && "
    return None


@pytest.mark.skipif(not CAN_MOUNT and os.geteuid() == 0, reason="root ignores permission bits and unshare -rm is unavailable")
def test_read_only_output_folder_from_the_start(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    argv = " ".join(_sh_quote(a) for a in _fault_argv(out))
    if CAN_MOUNT:
        proc = _in_mount_namespace(_readonly_prefix(out) + argv)
    else:
        out.chmod(0o500)
        proc = subprocess.run(_fault_argv(out), capture_output=True, text=True, cwd=REPO, env=_env(), timeout=TIMEOUT_S)
        out.chmod(0o700)
    errors = _one_error_line(proc.stderr)
    passed = proc.returncode == 5 and "Traceback" not in proc.stderr and len(errors) == 1 and "セッションフォルダ" in errors[0] and "作成できません" in errors[0] and not list(out.iterdir())
    observed = f"exit {proc.returncode}: \"{errors[0].split(': ', 2)[-1] if errors else proc.stderr[-200:]}\"; nothing left in the folder"
    record("faults", "read-only output folder", "`run --out` a read-only folder", observed.replace(str(out), "<out>"), passed)
    assert passed, proc.stderr


@pytest.mark.skipif(not CAN_MOUNT, reason="needs unshare -rm for a read-only data folder")
def test_read_only_data_folder_with_no_model_cache(tmp_path, mensetsu_home):
    mensetsu_home.mkdir(parents=True, exist_ok=True)
    argv = " ".join(_sh_quote(a) for a in [sys.executable, "-m", "simulator", "analyze", str(SAMPLES / "06_reverse_none.wav")])
    proc = _in_mount_namespace(_readonly_prefix(mensetsu_home) + f"MENSETSU_HOME={_sh_quote(mensetsu_home)} {argv}")
    errors = _one_error_line(proc.stderr)
    passed = proc.returncode == 4 and "Traceback" not in proc.stderr and len(errors) == 1 and "MENSETSU_HOME" in errors[0]
    observed = f"exit {proc.returncode}: \"{errors[0].split(': ', 2)[-1] if errors else proc.stderr[-300:]}\""
    record("faults", "read-only data folder", "`analyze` with MENSETSU_HOME read-only and no model cache yet", observed.replace(str(mensetsu_home), "<home>"), passed)
    assert passed, proc.stderr


# --- the model cache ----------------------------------------------------------------------------


def _corrupt(folder: Path, kind: str) -> None:
    model = folder / "model.bin"
    if kind == "bit flip":
        with open(model, "r+b") as f:
            f.seek(70_000_000)
            byte = f.read(1)
            f.seek(70_000_000)
            f.write(bytes([byte[0] ^ 0x01]))
    elif kind == "half-written":
        os.truncate(model, model.stat().st_size // 2)
    elif kind == "zero bytes":
        os.truncate(model, 0)
    elif kind == "side file missing":
        (folder / "tokenizer.json").unlink()
    elif kind == "model.bin missing":
        model.unlink()


@pytest.mark.parametrize("kind", ["bit flip", "half-written", "zero bytes", "side file missing", "model.bin missing"])
def test_model_cache_damage_is_detected_and_rebuilt(tmp_path, kind):
    from simulator.speech.model import BASE_MODEL_DIRNAME, _is_valid, ensure_base_model

    folder = ensure_base_model(tmp_path)
    _corrupt(folder, kind)
    detected = not _is_valid(folder)
    rebuilt = ensure_base_model(tmp_path)
    passed = detected and _is_valid(rebuilt) and rebuilt == tmp_path / BASE_MODEL_DIRNAME and not list(rebuilt.glob(".*.tmp"))
    record("faults", f"model cache: {kind}", "damage the joined model.bin (or a side file), then start again", f"detected: {detected}; rebuilt and SHA-256 verified: {_is_valid(rebuilt)}", passed)
    assert passed


def test_model_cache_bit_flip_rebuilt_through_cli(tmp_path, mensetsu_home):
    """The real CLI with the default model: one flipped bit in the cache, and analyze still works."""
    from simulator.speech.model import _is_valid, ensure_base_model

    folder = ensure_base_model(mensetsu_home / "models")
    _corrupt(folder, "bit flip")
    proc = run_cli("analyze", str(SAMPLES / "06_reverse_none.wav"), "--json", timeout=TIMEOUT_S)
    ok = proc.returncode == 0 and "Traceback" not in proc.stderr and len(json.loads(proc.stdout or "{}").get("transcript", "")) > 3
    passed = ok and _is_valid(folder)
    record("faults", "model cache: bit flip, through the CLI", "flip one bit of the cached model.bin, then `analyze` with the default model", f"exit {proc.returncode}; cache rebuilt and verified: {_is_valid(folder)}", passed)
    assert passed, proc.stderr


def test_model_join_killed_half_way_is_rebuilt_and_cleaned(tmp_path):
    """SIGKILL while the model is being joined: the next start rebuilds and removes the orphan."""
    from simulator.speech.model import BASE_MODEL_DIRNAME, _is_valid, ensure_base_model

    code = f"from pathlib import Path; from simulator.speech.model import ensure_base_model; ensure_base_model(Path({str(tmp_path)!r}))"
    folder = tmp_path / BASE_MODEL_DIRNAME
    rng = random.Random()
    kills = 0
    for _ in range(3):
        shutil.rmtree(folder, ignore_errors=True)
        p = subprocess.Popen([sys.executable, "-c", code], cwd=REPO, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not list(folder.glob(".model.bin.*.tmp")) and p.poll() is None and time.monotonic() < deadline:
            time.sleep(0.005)
        time.sleep(rng.uniform(0, 0.05))
        p.send_signal(signal.SIGKILL)
        p.wait()
        kills += p.returncode == -signal.SIGKILL
    orphans_before = len(list(folder.glob(".model.bin.*.tmp")))
    rebuilt = ensure_base_model(tmp_path)
    orphans_after = len(list(rebuilt.glob(".*.tmp")))
    passed = _is_valid(rebuilt) and orphans_after == 0 and kills >= 1
    record("faults", "model join killed half-way", "SIGKILL while model.bin is being joined (3 times), then start again", f"{kills} joins killed, {orphans_before} orphan temp file(s); rebuilt and verified, {orphans_after} orphans after", passed)
    assert passed


# --- two sessions at once -------------------------------------------------------------------------


def test_two_sessions_at_once_do_not_interfere(tmp_path, mensetsu_home):
    """Two headless runs started together in the same data folder, with different answers."""
    lists = [ANSWERS[:3], [ANSWERS[2], ANSWERS[0], ANSWERS[1]]]
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.fault_cli", "run", "--answers", *map(str, answers), "--voice", "none", "--json"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO, env=_env(MENSETSU_TEST_EVENTS=log),
        )
        for answers, log in zip(lists, logs)
    ]
    outs = [p.communicate(timeout=TIMEOUT_S) for p in procs]
    problems = [f"exit {p.returncode}: {e[-300:]}" for p, (o, e) in zip(procs, outs) if p.returncode != 0]
    folders = [Path(json.loads(o)["session"]) for (o, e), p in zip(outs, procs) if p.returncode == 0]
    if len(set(folders)) != 2:
        problems.append(f"session folders: {folders}")
    for folder, answers in zip(folders, lists):
        session = load_session(folder)
        durations = [round(load_audio(folder / t["answer"]["audio"]).duration_s, 1) for t in session.turns]
        want = [round(load_audio(a).duration_s, 1) for a in answers]
        if durations != want or session.meta["status"] != "answers_exhausted":
            problems.append(f"{folder.name}: audio {durations} vs answers {want}, status {session.meta['status']}")
    passed = not problems
    record("faults", "two sessions at once", "two `run`s started together in one data folder, different answers", "two separate sessions, each with its own 3 turns and audio" if passed else "; ".join(problems), passed)
    assert passed, problems


@pytest.mark.slow
def test_two_real_runs_at_once_share_a_fresh_model_cache(tmp_path, mensetsu_home):
    """Real model, default settings, empty data folder: both join the cache at once, under the lock."""
    def go(answer):
        return run_cli("run", "--answers", str(answer), "--voice", "none", "--json", timeout=TIMEOUT_S)

    with ThreadPoolExecutor(max_workers=2) as pool:
        procs = list(pool.map(go, [SAMPLES / "06_reverse_none.wav", SAMPLES / "04_motivation_generic.wav"]))
    from simulator.speech.model import BASE_MODEL_DIRNAME, _is_valid

    cache = mensetsu_home / "models" / BASE_MODEL_DIRNAME
    ok = all(p.returncode == 0 for p in procs)
    sessions = {json.loads(p.stdout)["session"] for p in procs} if ok else set()
    passed = ok and len(sessions) == 2 and _is_valid(cache) and not list(cache.glob(".*.tmp"))
    record("faults", "two real runs at once, fresh model cache", "two `run`s with the real default model in an empty data folder", f"exits {[p.returncode for p in procs]}; {len(sessions)} sessions; cache joined once and verified: {_is_valid(cache)}", passed)
    assert passed, [p.stderr[-500:] for p in procs]


def test_session_name_collision_is_retried(tmp_path, monkeypatch):
    import secrets
    from datetime import datetime

    import simulator.store.session_store as store

    class SameSecond(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 1, 1, 9, 0, 0, tzinfo=tz)

    draws = iter(["aaaa", "aaaa", "aaaa", "bbbb"])
    monkeypatch.setattr(secrets, "token_hex", lambda n: next(draws))
    monkeypatch.setattr(store, "datetime", SameSecond)
    a = SessionWriter.create(tmp_path)
    b = SessionWriter.create(tmp_path)  # same second, same suffix twice: retried
    passed = a.folder != b.folder and b.folder.name.endswith("bbbb")
    record("faults", "session id collision", "two sessions created in the same second drawing the same random suffix", f"second session became {b.folder.name[-4:]!r}, no error", passed)
    assert passed


def test_half_created_session_folders_are_hidden_and_cleaned(tmp_path):
    """A process killed while creating a session leaves only a hidden staging folder, removed later."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    orphan = tmp_path / f".20260101-000000-dead.{dead.pid}.creating"
    (orphan / "audio").mkdir(parents=True)
    (orphan / "meta.json").write_text("{}")
    alive = tmp_path / f".20260101-000000-live.{os.getpid()}.creating"
    alive.mkdir()
    from simulator.store.session_store import resolve_session

    with pytest.raises(SessionError, match="保存されたセッションがありません"):
        resolve_session("latest", tmp_path)
    SessionWriter.create(tmp_path)
    passed = not orphan.exists() and alive.exists()
    record("faults", "half-created session folder", "a staging folder left by a killed process (and one of a live process)", f"never listed as a session; the dead one removed on the next start: {not orphan.exists()}, the live one kept: {alive.exists()}", passed)
    assert passed
