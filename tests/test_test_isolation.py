"""The test run's own guard: a run that touches the user's data folder fails (tests/conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _pytest_with_guard(tmp_path: Path, body: str) -> subprocess.CompletedProcess:
    """Run one generated test file under this suite's conftest, with a stand-in user data folder."""
    user = tmp_path / "user-data"
    user.mkdir()
    (user / "history.sqlite3").write_bytes(b"the user's own history")
    case = tmp_path / "case"
    case.mkdir()
    (case / "test_case.py").write_text(textwrap.dedent(body), encoding="utf-8")
    env = {**os.environ, "MENSETSU_HOME": str(user), "PYTHONPATH": str(REPO), "USER_DATA": str(user)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "tests.conftest", "--rootdir", str(case), str(case)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120,
    )


def test_a_run_that_writes_into_the_user_data_folder_fails(tmp_path):
    r = _pytest_with_guard(tmp_path, """
        import os
        from pathlib import Path

        def test_leaks():
            (Path(os.environ["USER_DATA"]) / "session_roots.txt").write_text("/tmp/pytest-of-root/x")
    """)
    assert r.returncode != 0
    assert "changed what it must leave alone" in r.stdout and "session_roots.txt" in r.stdout


def test_a_run_that_keeps_to_its_own_folder_passes_and_sees_no_user_data(tmp_path):
    r = _pytest_with_guard(tmp_path, """
        import os
        from simulator.paths import data_home, sessions_dir

        def test_clean():
            sessions_dir()  # creates the data folder: the test's own, never the user's
            assert os.environ["USER_DATA"] not in str(data_home())
    """)
    assert r.returncode == 0, r.stdout + r.stderr
