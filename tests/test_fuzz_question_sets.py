"""Hand-edited question sets, fuzzed: every malformed file is one QuestionSetError naming the file
(and the line, where the problem has one), never another exception, and nothing in a data file
is ever executed.

Written against the public loaders only. To cover company files (or any new data file) when
their loader lands, add it to LOADERS: every strategy below runs through every loader.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.errors import QuestionSetError
from simulator.interview.question_sets import load_question_set
from tests.conftest import REPO
from tests.reliability_log import record

CORE = (REPO / "question_sets" / "core.toml").read_text(encoding="utf-8")
LOADERS = {"question set": load_question_set}
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

_failures: dict[str, list[str]] = {}
_counts: dict[str, int] = {}


def _check(kind: str, loader_name: str, path: Path, must_fail: bool = False, syntax_error: bool | None = None) -> None:
    """Load one file; any exception other than a well-formed QuestionSetError is a failure."""
    key = f"{loader_name}: {kind}"
    _counts[key] = _counts.get(key, 0) + 1
    try:
        LOADERS[loader_name](str(path))
    except QuestionSetError as exc:
        message = str(exc)
        problems = []
        if str(path) not in message:
            problems.append("does not name the file")
        if "\n" in message.strip():
            problems.append("is more than one line")
        if syntax_error and not re.search(r"\d+行目|ファイルの末尾", message):
            problems.append("a TOML syntax error without its line")
        if problems:
            _failures.setdefault(key, []).append(f"{message[:160]!r} {', '.join(problems)}")
            raise AssertionError(f"{message!r}: {', '.join(problems)}")
        return
    except Exception as exc:  # noqa: BLE001 - exactly what this test hunts for
        _failures.setdefault(key, []).append(f"{type(exc).__name__}: {str(exc)[:120]}")
        raise
    if must_fail:
        _failures.setdefault(key, []).append("loaded without error")
        raise AssertionError("a malformed file loaded without error")


def _write(tmp_path: Path, data: str | bytes) -> Path:
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"))
    return path


def _is_toml(text: str) -> bool:
    """True for valid TOML, and for text that is not even UTF-8 (an encoding error, not a syntax one)."""
    import tomllib

    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    try:
        tomllib.loads(text)
        return True
    except Exception:  # noqa: BLE001
        return False


@pytest.mark.parametrize("loader", sorted(LOADERS))
@SETTINGS
@given(text=st.text(max_size=400))
def test_random_text(tmp_path, loader, text):
    path = _write(tmp_path, text.encode("utf-8", "replace"))
    _check("random text", loader, path, syntax_error=not _is_toml(text.encode("utf-8", "replace").decode("utf-8")))


@pytest.mark.parametrize("loader", sorted(LOADERS))
@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes(tmp_path, loader, data):
    _check("random bytes", loader, _write(tmp_path, data))


def _mutations():
    lines = CORE.splitlines()
    n = len(lines)
    return st.one_of(
        st.integers(0, len(CORE)).map(lambda k: ("truncated", CORE[:k])),
        st.integers(0, n - 1).map(lambda i: ("line deleted", "\n".join(lines[:i] + lines[i + 1 :]))),
        st.integers(0, n - 1).map(lambda i: ("line duplicated", "\n".join(lines[: i + 1] + lines[i:]))),
        st.tuples(st.integers(0, max(0, len(CORE) - 1)), st.characters()).map(lambda t: ("character replaced", CORE[: t[0]] + t[1] + CORE[t[0] + 1 :])),
        st.tuples(st.integers(0, n - 1), st.sampled_from(['= ', '"', "[", "]]", "[[questions]]", "id = 1", 'category = "sales"', "probes = 3", 'text = ""', "text = []", "questions = 5", "\x00", "\ufeff", "= = ="])).map(
            lambda t: ("token inserted", "\n".join(lines[: t[0]] + [t[1]] + lines[t[0] :]))
        ),
    )


@pytest.mark.parametrize("loader", sorted(LOADERS))
@SETTINGS
@given(mutation=_mutations())
def test_mutated_core_set(tmp_path, loader, mutation):
    kind, text = mutation
    _check(f"core.toml {kind}", loader, _write(tmp_path, text), syntax_error=not _is_toml(text))


# Valid TOML with the wrong shapes: every value a random type, keys present or missing.
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), st.text(max_size=8))


def _toml_value(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v) if v == v and v not in (float("inf"), float("-inf")) else "0"
    if isinstance(v, str):
        return '"' + v.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    if isinstance(v, list):
        items = [_toml_value(x) for x in v]
        return "[" + ", ".join(i for i in items if i is not None) + "]"
    if isinstance(v, dict):
        items = [f'"{k}" = {_toml_value(x)}' for k, x in v.items() if _toml_value(x) is not None]
        return "{" + ", ".join(items) + "}"
    return None


_FIELD = st.one_of(_SCALARS, st.lists(_SCALARS, max_size=3), st.dictionaries(st.sampled_from(["abstract", "too_long", "x"]), st.one_of(_SCALARS, st.lists(_SCALARS, max_size=2)), max_size=2))


@st.composite
def _shaped_sets(draw):
    lines = []
    for key in ("id", "title", "description"):
        if draw(st.booleans()):
            v = _toml_value(draw(st.one_of(st.text(min_size=1, max_size=8), _FIELD)))
            if v is not None:
                lines.append(f"{key} = {v}")
    for _ in range(draw(st.integers(0, 3))):
        lines.append("[[questions]]")
        for key in ("id", "category", "text", "probes"):
            if draw(st.booleans()):
                choice = draw(st.one_of(st.sampled_from(["self_intro", "experience", "motivation", "reverse"]), _FIELD))
                v = _toml_value(choice)
                if v is not None:
                    lines.append(f"{key} = {v}")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("loader", sorted(LOADERS))
@SETTINGS
@given(text=_shaped_sets())
def test_valid_toml_wrong_shapes(tmp_path, loader, text):
    _check("valid TOML, wrong shapes", loader, _write(tmp_path, text), syntax_error=not _is_toml(text))


def test_encoding_error_names_the_line(tmp_path):
    path = _write(tmp_path, CORE.encode("utf-8").replace("自己紹介".encode("utf-8"), b"\x8e\xa9\x8c\xc8", 1))
    line = CORE[: CORE.index("自己紹介")].count("\n") + 1
    with pytest.raises(QuestionSetError) as err:
        load_question_set(str(path))
    passed = f"{line}行目" in str(err.value)
    record("question-sets", "question set: Shift_JIS bytes in a UTF-8 file", "core.toml with one word saved as Shift_JIS", f"\"{str(err.value).replace(str(path), '<file>')}\" (known gap: no line)" if not passed else "names the line", passed)
    assert passed


PAYLOADS = [
    'id = "x"\ntitle = "__import__(\'os\').system(\'touch {marker}\')"\n[[questions]]\nid = "q"\ncategory = "experience"\ntext = "eval(open(\'{marker}\',\'w\'))"\n',
    '!!python/object/apply:os.system ["touch {marker}"]\n',
    'id = "x"\ntitle = "t"\n[[questions]]\nid = "q"\ncategory = "experience"\ntext = "${{touch {marker}}}"\nprobes = {{ "x" = ["$(touch {marker})", "`touch {marker}`"] }}\n',
]


@pytest.mark.parametrize("loader", sorted(LOADERS))
def test_no_code_from_a_data_file_runs(tmp_path, loader):
    """Payloads in every form a loader could be tricked into running, watched by an audit hook."""
    marker = tmp_path / "pwned"
    events: list[str] = []
    watching = [True]
    dangerous = ("exec", "os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "pickle.find_class", "marshal.loads", "ctypes.dlopen")

    def hook(event, args):
        if watching[0] and event in dangerous:
            events.append(event)

    sys.addaudithook(hook)  # cannot be removed: it stays silent once watching is off
    try:
        for i, payload in enumerate(PAYLOADS):
            path = tmp_path / f"payload{i}.toml"
            path.write_text(payload.format(marker=marker), encoding="utf-8")
            try:
                LOADERS[loader](str(path))
            except QuestionSetError:
                pass
        path = tmp_path / "pickle.toml"
        path.write_bytes(b"\x80\x04\x95" + b"cos\nsystem\n(Vtouch " + str(marker).encode() + b"\ntR.")
        try:
            LOADERS[loader](str(path))
        except QuestionSetError:
            pass
    finally:
        watching[0] = False
    passed = not events and not marker.exists()
    record("question-sets", f"{loader}: code in a data file", "shell, Python, YAML-tag and pickle payloads in field values, under an audit hook for exec/system/Popen/pickle", f"{len(events)} dangerous events, marker file created: {marker.exists()}", passed)
    assert passed, events


def test_record_fuzz_results():
    """Runs after the fuzz tests above (same module, file order): one table row per kind."""
    if not _counts:
        pytest.skip("the fuzz tests did not run in this session")
    for key, count in sorted(_counts.items()):
        failures = _failures.get(key, [])
        loader, kind = key.split(": ", 1)
        observed = f"{count} files: " + ("every one loaded or gave one QuestionSetError naming the file (and line for syntax errors)" if not failures else f"{len(failures)} failed, e.g. {failures[0]}")
        record("question-sets", f"{loader}: {kind}", f"hypothesis: {kind}", observed, not failures)
    assert not _failures, {k: v[:3] for k, v in _failures.items()}
