"""Question sets: the built-in ones load; bad files get one message naming the file and the line."""

from __future__ import annotations

import pytest

from simulator.errors import QuestionSetError
from simulator.interview.question_sets import available_sets, load_question_set, user_sets_dir
from tests.conftest import run_cli

GOOD = 'id = "mine"\ntitle = "自分用"\n\n[[questions]]\nid = "a"\ncategory = "experience"\ntext = "成果は？"\n'


def test_builtin_sets_load_with_all_families():
    ids = {load_question_set(str(p)).id for p in available_sets()}
    assert {"core", "managers", "engineers", "career_changers"} <= ids
    cats = {q.category for q in load_question_set("core").questions}
    assert {"self_introduction", "experience", "motivation", "values", "reason_for_leaving", "reverse"} <= cats
    for name, cat in (("managers", "management"), ("engineers", "technical"), ("career_changers", "career_change")):
        qs = load_question_set(name).questions
        assert any(q.category == cat for q in qs) and qs[-1].category == "reverse"


def test_probes_have_several_phrasings():
    core = load_question_set("core")
    q = core.question("achievement")
    for key in ("abstract", "no_numbers", "no_process", "no_learning"):
        assert len(core.probes_for(q, key)) >= 2
    assert core.probes_for(q, "generic_motivation") == ()  # not a finding for experience questions


@pytest.mark.parametrize("body, line, words", [
    (GOOD + '[questions.probes]\nabstrakt = ["x"]\n', 9, "キー 'abstrakt' は使えません"),
    (GOOD.replace('"experience"', '"hobby"'), 6, "category 'hobby'"),
    (GOOD + '\n[[questions]]\nid = "a"\ncategory = "values"\ntext = "x"\n', 10, "2回使われています"),
    (GOOD + '[questions.probes]\nabstract = ["{name}さん"]\n', 9, "差し込み {name} は使えません"),
    (GOOD.replace('text = "成果は？"', 'txt = "成果は？"'), 7, "キー 'txt' は使えません"),
    ('id = "x"\ntitle = "t"\n[[questions]\n', 3, "TOML の書き方の誤り"),
])
def test_errors_name_file_line_and_problem(tmp_path, body, line, words):
    f = tmp_path / "bad.toml"
    f.write_text(body, encoding="utf-8")
    with pytest.raises(QuestionSetError) as err:
        load_question_set(str(f))
    msg = str(err.value)
    assert str(f) in msg and f"{line}行目" in msg and words in msg


def test_user_sets_are_listed(tmp_path):
    folder = user_sets_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "mine.toml").write_text(GOOD, encoding="utf-8")
    assert load_question_set("mine").id == "mine"
    proc = run_cli("sets", "list")
    assert proc.returncode == 0 and "mine" in proc.stdout and "core" in proc.stdout


def test_sets_validate_cli(tmp_path):
    ok = run_cli("sets", "validate", "question_sets/managers.toml")
    assert ok.returncode == 0 and "OK" in ok.stdout and "使えます" in ok.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text(GOOD.replace('"experience"', '"hobby"'), encoding="utf-8")
    proc = run_cli("sets", "validate", str(bad))
    assert proc.returncode == 6 and "6行目" in proc.stderr and "Traceback" not in proc.stderr
