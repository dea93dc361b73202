"""`run --script`, `--no-probes`, `--json` and the demo: the script decides which questions and probes are asked.

Fast tests: the script's parsing and checks (unknown ids, missing and undecodable files), the
policy's per-question follow-up cap, and the loop with a fake transcriber. Slow tests: the real
model on the bundled samples, through the CLI as a user runs it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from simulator.errors import AudioError, QuestionSetError
from simulator.interview.policy import Exchange, PolicyOptions, next_prompt
from simulator.interview.question_sets import load_question_set
from simulator.interview.script import ScriptAnswers, load_script, script_question_set
from tests.conftest import SAMPLES, run_cli

CORE = load_question_set("core")


def write_script(folder: Path, body: str, files=("a.wav", "b.wav", "c.wav")) -> Path:
    for name in files:
        shutil.copy(SAMPLES / "06_reverse_none.wav", folder / name)
    path = folder / "script.toml"
    path.write_text(body, encoding="utf-8")
    return path


SCRIPT = """
[[answer]]
question = "achievement"
file = "a.wav"
probes = ["b.wav"]

[[answer]]
question = "reverse"
file = "c.wav"
"""


# --- parsing and checks -----------------------------------------------------------------------
def test_script_paths_are_relative_to_the_script_and_caps_count_probe_files(tmp_path):
    script = load_script(write_script(tmp_path, SCRIPT))
    assert [e.question_id for e in script.entries] == ["achievement", "reverse"]
    assert script.entries[0].file == tmp_path / "a.wav" and script.entries[0].probes == (tmp_path / "b.wav",)
    assert script.probe_caps() == {"achievement": 1, "reverse": 0}
    qset, _ = script_question_set(script, CORE)
    assert [q.id for q in qset.questions] == ["achievement", "reverse"] and qset.id == "core"


def test_unknown_question_id_names_the_file_and_line_in_japanese(tmp_path):
    path = write_script(tmp_path, SCRIPT.replace('"achievement"', '"achievment"'))
    script = load_script(path)
    with pytest.raises(QuestionSetError) as err:
        script_question_set(script, CORE)
    msg = str(err.value)
    assert str(path) in msg and "3行目" in msg and "achievment" in msg and "質問セット" in msg
    assert "self_intro" in msg  # the ids the set has


def test_missing_answer_file_is_an_audio_error_naming_it(tmp_path):
    path = write_script(tmp_path, SCRIPT, files=("a.wav", "c.wav"))
    with pytest.raises(AudioError) as err:
        load_script(path)
    assert "b.wav" in str(err.value) and "見つかりません" in str(err.value)


def test_undecodable_answer_file_is_reported_before_anything_runs(tmp_path):
    path = write_script(tmp_path, SCRIPT)
    (tmp_path / "b.wav").write_bytes(b"RIFF not really a wave file" * 10)
    source = ScriptAnswers(load_script(path))
    with pytest.raises(AudioError) as err:
        source.preload()
    assert "b.wav" in str(err.value) and "読み込めません" in str(err.value)


@pytest.mark.parametrize("body, words", [
    ('[[answer]]\nquestion = "achievement"\n', "file"),
    ('[[answer]]\nquestion = "achievement"\nfile = "a.wav"\nprobe = ["b.wav"]\n', "probe"),
    ('[[answer]]\nquestion = "achievement"\nfile = "a.wav"\n[[answer]]\nquestion = "achievement"\nfile = "b.wav"\n', "2回"),
    ('[[answer]]\nquestion = "achievement"\nfile = "a.wav"\nprobes = "b.wav"\n', "probes"),
    ('title = "x"\n', "title"),
    ("", "回答がありません"),
    ("[[answer]\n", "TOML の書き方の誤り"),
])
def test_bad_scripts_are_one_japanese_sentence(tmp_path, body, words):
    path = write_script(tmp_path, body)
    with pytest.raises(QuestionSetError) as err:
        load_script(path)
    assert words in str(err.value) and str(path) in str(err.value)


def test_the_bundled_demo_script_is_valid():
    from simulator.commands.run import demo_script

    script = load_script(demo_script())
    qset, _ = script_question_set(script, load_question_set(script.set_name))
    assert [q.id for q in qset.questions] == ["self_intro", "achievement", "motivation", "reverse"]
    manifest = {i["file"] for i in json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))["items"]}
    assert {f.name for f in script.files} <= manifest


# --- the policy's cap -------------------------------------------------------------------------
def test_probe_cap_skips_the_probe_and_moves_on():
    first = next_prompt(CORE, [])
    history = [Exchange(first, (("abstract", "「一生懸命頑張りました」"),), 30.0, "一生懸命頑張りました。")]
    assert next_prompt(CORE, history).kind == "probe"
    capped = next_prompt(CORE, history, PolicyOptions(probes_by_question={"self_intro": 0}))
    assert capped.kind == "question" and capped.question_id == "achievement"


def test_no_follow_up_at_the_reverse_question_when_capped():
    reverse = next(q for q in CORE.questions if q.id == "reverse")
    from simulator.interview.policy import Prompt

    asked = Prompt("question", "reverse", "reverse", reverse.text, {})
    history = [Exchange(asked, (("no_questions", "「特にありません」"),), 3.0, "特にありません。")]
    assert next_prompt(CORE, history).kind == "probe"  # the interviewer reacts once
    assert next_prompt(CORE, history, PolicyOptions(probes_by_question={"reverse": 0})) is None


# --- the loop with a fake transcriber ---------------------------------------------------------
def _speechlike(seconds: float = 6.0):
    from simulator.audio.clip import AudioClip

    rate = 16000
    t = np.arange(int(seconds * rate)) / rate
    voiced = 0.3 * np.sin(2 * np.pi * 150 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t))
    return AudioClip(np.concatenate([np.zeros(rate, np.float32), voiced.astype(np.float32), np.zeros(rate // 2, np.float32)]), rate)


def test_the_loop_asks_only_scripted_questions_and_probes(tmp_path):
    from simulator.audio.wavfile import write_wav
    from simulator.interview.session import run_interview
    from simulator.testing import FakeTranscriber
    from simulator.speech.voice import TextOnlyVoice
    from simulator.store.session_store import SessionWriter, load_session

    for name in ("a.wav", "b.wav", "c.wav"):
        write_wav(tmp_path / name, _speechlike())
    path = tmp_path / "script.toml"
    path.write_text(SCRIPT, encoding="utf-8")
    script = load_script(path)
    qset, policy = script_question_set(script, CORE, PolicyOptions())
    policy = PolicyOptions(probes_by_question=script.probe_caps())
    source = ScriptAnswers(script)
    source.preload()
    texts = ["前の部署で、一生懸命頑張りました。", "毎週お客様を訪問して、受注率を二割上げました。", "特にありません。"]
    writer = SessionWriter.create(tmp_path / "s", set=qset.id)
    # The prompt tells the source which question, and whether it is a follow-up.
    result = run_interview(qset, source, FakeTranscriber(texts), TextOnlyVoice(), writer, policy)
    turns = load_session(writer.folder).turns
    asked = [(t["prompt"]["kind"], t["prompt"]["question_id"], Path(t["answer"]["source"]).name) for t in turns]
    assert asked == [("question", "achievement", "a.wav"), ("probe", "achievement", "b.wav"), ("question", "reverse", "c.wav")]
    assert result.status == "completed" and source.unused() == []


# --- the CLI with the real model --------------------------------------------------------------
@pytest.mark.slow
def test_run_script_json_prints_the_whole_session(model_dir, tmp_path):
    body = ('[[answer]]\nquestion = "achievement"\nfile = "02.wav"\nprobes = ["03.wav"]\n'
            '[[answer]]\nquestion = "reverse"\nfile = "06.wav"\n')
    for n in ("02_achievement_vague", "03_achievement_specific", "06_reverse_none"):
        shutil.copy(SAMPLES / f"{n}.wav", tmp_path / f"{n[:2]}.wav")
    (tmp_path / "s.toml").write_text(body, encoding="utf-8")
    proc = run_cli("run", "--script", str(tmp_path / "s.toml"), "--voice", "none", "--json", "--model", str(model_dir),
                   "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["status"] == "completed" and data["id"] and Path(data["folder"]).is_dir() and data["session"] == data["folder"]
    assert data["unused_answers"] == [] and data["demo"] is False and data["meta"]["script"].endswith("s.toml")
    turns = data["turns"]
    assert [(t["prompt"]["kind"], t["prompt"]["question_id"]) for t in turns] == [
        ("question", "achievement"), ("probe", "achievement"), ("question", "reverse")]
    probe = turns[1]["prompt"]
    assert probe["reason"]["finding"] == "abstract" and probe["reason"]["evidence"] and probe["reason"]["why"]
    assert "頑張りました" in turns[0]["answer"]["transcript"]["text"]
    first = turns[0]["analysis"]
    assert any(f["id"] == "abstract" and f["evidence"] for f in first["findings"])
    assert first["answer_s"] > 5 and first["morae_per_min"] > 100 and "fillers" in first
    # replay --json gives the same view of the same folder
    shown = json.loads(run_cli("replay", data["folder"], "--json").stdout)
    assert shown["turns"] == turns and shown["status"] == "completed"


@pytest.mark.slow
def test_no_probes_asks_main_questions_only(model_dir, tmp_path):
    answers = [str(SAMPLES / n) for n in ("02_achievement_vague.wav", "04_motivation_generic.wav")]
    set_file = tmp_path / "mini.toml"
    set_file.write_text(
        'id = "mini"\ntitle = "t"\n[[questions]]\nid = "achievement"\ncategory = "experience"\n'
        'text = "これまでのお仕事で、一番大きな成果を教えてください。"\n[[questions]]\nid = "reverse"\n'
        'category = "reverse"\ntext = "最後に、何か質問はありますか。"\n', encoding="utf-8")
    proc = run_cli("run", "--set", str(set_file), "--answers", *answers, str(SAMPLES / "06_reverse_none.wav"),
                   "--no-probes", "--voice", "none", "--json", "--model", str(model_dir), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    kinds = [(t["prompt"]["kind"], t["prompt"]["question_id"]) for t in data["turns"]]
    # the vague achievement is not probed, and 特にありません gets no reaction: the interview ends
    assert kinds == [("question", "achievement"), ("question", "reverse")], kinds
    assert data["status"] == "completed"


def test_bad_script_creates_no_session(tmp_path, mensetsu_home):
    path = write_script(tmp_path, SCRIPT.replace('"reverse"', '"no_such_question"'))
    proc = run_cli("run", "--script", str(path), "--voice", "none")
    assert proc.returncode == 6, proc.stderr
    assert "no_such_question" in proc.stderr and "Traceback" not in proc.stderr
    assert not any((mensetsu_home / "sessions").glob("*"))


# Words that matter in each demo answer: what the sample says and the interviewer reacts to.
DEMO_WORDS = {
    "self_intro": ("営業", "30社"),
    "achievement": ("頑張りました",),
    "motivation": ("御社", "志望"),
    "reverse": ("特にありません",),
}
DEMO_PROBE_WORDS = {"achievement": ("具体的には", "20%"), "motivation": ("御社", "中小企業")}


@pytest.mark.slow
def test_demo_asks_the_scripted_questions_and_is_marked(model_dir, mensetsu_home):
    proc = run_cli("run", "--demo", "--voice", "none", "--model", str(model_dir))
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    for hint in ("mensetsu doctor", "mensetsu practice", "mensetsu report latest --html report.html"):
        assert hint in out
    from simulator.store.session_store import load_session

    session = load_session("latest")
    assert session.meta["demo"] is True and session.meta["status"] == "completed"
    turns = session.turns
    asked = [(t["prompt"]["kind"], t["prompt"]["question_id"], t["prompt"]["reason"].get("finding")) for t in turns]
    assert asked == [
        ("question", "self_intro", None),
        ("question", "achievement", None),
        ("probe", "achievement", "abstract"),
        ("question", "motivation", None),
        ("probe", "motivation", "generic_motivation"),
        ("question", "reverse", None),
    ], asked
    for t in turns:
        text = t["answer"]["transcript"]["text"]
        words = (DEMO_PROBE_WORDS if t["prompt"]["kind"] == "probe" else DEMO_WORDS)[t["prompt"]["question_id"]]
        assert all(w in text for w in words), (t["prompt"]["question_id"], text)
        assert "死亡" not in text
    assert "no_questions" in {f["id"] for f in turns[-1]["analysis"]["findings"]}
    # the probe answers fit the probes: specifics after 「一生懸命頑張りました」, why-us after a generic motivation
    assert "具体" in turns[2]["prompt"]["text"] and "当社" in turns[4]["prompt"]["text"]
