"""Record what the reliability tests tried and saw, and keep docs/reliability.md current from it.

Each reliability test calls record(...) with the case, how it was exercised and what was
observed, *before* asserting, so a failing case shows up as FAIL in the table rather than
vanishing. A plain test run writes nothing outside its temporary folders: results are kept only
when MENSETSU_RELIABILITY_RESULTS names a file. The docs are rebuilt by one explicit command,

    python -m tests.reliability_log          # runs the reliability tests, then rewrites the docs
    python -m tests.reliability_log --render # only re-renders docs/reliability.md

which runs the reliability tests with the results going to a temporary file, merges them by case
id into docs/reliability-results.json (committed, so a case not run keeps its last result) and
renders docs/reliability.md from it.

Adding a new command to the reliability suite: call record(area, case, how, observed, passed)
from its test; the table picks it up.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from contextlib import contextmanager
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "docs" / "reliability-results.json"
DOC = REPO / "docs" / "reliability.md"

AREAS = (
    ("audio", "Bad audio through the CLI"),
    ("question-sets", "Bad question sets (fuzzed)"),
    ("faults", "Faults: kills, full disk, read-only folder, model cache, concurrency"),
    ("privacy", "Privacy and safety"),
)

DEVICE_NOTE = (
    "A microphone disappearing mid-answer belongs to the live-practice work (microphone source) and "
    "is tested there; it is not in this table yet."
)


@contextmanager
def _locked():
    lock_path = Path(tempfile.gettempdir()) / "mensetsu-reliability-results.lock"
    with open(lock_path, "a+b") as lock:
        if os.name != "nt":
            import fcntl

            fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        yield


def _results_file() -> Path | None:
    value = os.environ.get("MENSETSU_RELIABILITY_RESULTS")
    return Path(value) if value else None


def _load(path: Path = RESULTS) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("cases"), dict):
            data.setdefault("metrics", {})
            return data
    except (OSError, ValueError):
        pass
    return {"cases": {}, "metrics": {}}


def record(area: str, case: str, how: str, observed: str, passed: bool, test: str = "") -> None:
    """Note one case's outcome (observed is what happened, in a few words)."""
    observed = re.sub(r"\d{8}-\d{6}-[0-9a-f]{4}", "<id>", observed)  # session ids change every run
    _update(lambda data: data["cases"].__setitem__(
        f"{area}/{case}",
        {"area": area, "case": case, "how": how, "observed": observed, "passed": bool(passed), "test": test or _current_test()},
    ))


def metric(name: str, value, note: str = "") -> None:
    """A counted target, e.g. tracebacks in the bad-audio corpus or turns lost across kill points."""
    _update(lambda data: data["metrics"].__setitem__(name, {"value": value, "note": note}))


def _update(change) -> None:
    path = _results_file()
    if path is None:
        return  # a plain test run: the tests assert; only `python -m tests.reliability_log` keeps results
    with _locked():
        data = _load(path)
        change(data)
        _write_json(path, data)


def _write_json(path: Path, data: dict) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def rebuild(pytest_args: list[str]) -> int:
    """Run the reliability tests with results kept, merge them into the committed results, render."""
    import subprocess
    import sys

    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "results.json"
        env = {**os.environ, "MENSETSU_RELIABILITY_RESULTS": str(fresh)}
        tests = ["tests/test_reliability_audio.py", "tests/test_reliability_faults.py",
                 "tests/test_reliability_privacy.py", "tests/test_fuzz_question_sets.py"]
        code = subprocess.call([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *tests, *pytest_args], cwd=REPO, env=env)
        new = _load(fresh)
    data = _load()
    data["cases"].update(new["cases"])
    data["metrics"].update(new["metrics"])
    if new["cases"] or new["metrics"]:
        data["updated"] = date.today().isoformat()
    _write_json(RESULTS, data)
    DOC.write_text(render(data), encoding="utf-8")
    print(f"{len(new['cases'])} cases run; wrote {RESULTS.relative_to(REPO)} and {DOC.relative_to(REPO)} (pytest exit {code})")
    return code


def _current_test() -> str:
    node = os.environ.get("PYTEST_CURRENT_TEST", "")
    return node.split(" ")[0]


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def render(data: dict) -> str:
    cases = data.get("cases", {})
    metrics = data.get("metrics", {})
    total = len(cases)
    failed = sorted(k for k, v in cases.items() if not v["passed"])
    out = [
        "# Reliability: bad input, faults and privacy",
        "",
        "<!-- Generated by tests/reliability_log.py from docs/reliability-results.json; do not edit by hand. -->",
        "",
        "Every case below is an automated test (tests/test_reliability_*.py, tests/test_fuzz_question_sets.py).",
        "The tests write what they observed into docs/reliability-results.json and regenerate this page,",
        "`python -m tests.reliability_log` runs them and rebuilds this page, so the table is the last observed",
        "result of each case (a plain `pytest` run changes no file in the checkout).",
        "",
        f"Last updated: {data.get('updated', '?')}. Cases: {total}, passing: {total - len(failed)}, failing: {len(failed)}.",
        "",
    ]
    if failed:
        out += ["Failing: " + ", ".join(f"`{k}`" for k in failed), ""]
    if metrics:
        out += ["## Targets", "", "| Measure | Value | Note |", "|---|---|---|"]
        for name in sorted(metrics):
            m = metrics[name]
            out.append(f"| {_cell(name)} | {_cell(m['value'])} | {_cell(m.get('note', ''))} |")
        out.append("")
    for area, title in AREAS + tuple((a, a) for a in sorted({v["area"] for v in cases.values()} - {a for a, _ in AREAS})):
        rows = sorted((v for v in cases.values() if v["area"] == area), key=lambda v: v["case"])
        if not rows:
            continue
        out += [f"## {title}", "", "| Case | How it was tested | Observed | Result |", "|---|---|---|---|"]
        for v in rows:
            result = "pass" if v["passed"] else ("**FAIL** (known bug, xfail)" if "known bug" in v["observed"] or "known gap" in v["observed"] else "**FAIL**")
            out.append(f"| `{_cell(v['case'])}` | {_cell(v['how'])} | {_cell(v['observed'])} | {result} |")
        out.append("")
    out += [
        "## Not covered here",
        "",
        DEVICE_NOTE,
        "",
        "## Extending",
        "",
        "- A new command: add its argv to `COMMANDS` in tests/test_reliability_audio.py (the whole bad-audio",
        "  corpus runs through it) and to `COMMANDS_OFFLINE` in tests/test_reliability_privacy.py.",
        "- A new odd file: add a `BadAudioCase` to `BAD_AUDIO_CASES` in tests/audio_factory.py.",
        "- A new data file (company files): add its loader to `LOADERS` in tests/test_fuzz_question_sets.py.",
        "- Kill points come from tests/fault_cli.py events; any new file write through simulator/fsutil.py",
        "  becomes a kill point automatically.",
        "",
    ]
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--render"]:
        DOC.write_text(render(_load()), encoding="utf-8")
        print(f"wrote {DOC}")
    else:
        sys.exit(rebuild(sys.argv[1:]))
