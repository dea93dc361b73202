"""Session folders: append-only turns, loading, damage and cut-off handling, safe names."""

from __future__ import annotations

import json

import numpy as np
import pytest

from simulator.audio.clip import AudioClip
from simulator.errors import SessionError
from simulator.store.session_store import SessionWriter, load_session, resolve_session


def _turn(text="回答です"):
    return {"prompt": {"kind": "question", "question_id": "q1", "category": "experience", "text": "質問", "reason": {}}, "answer": {"audio": None}, "analysis": {"transcript": text}}


def test_create_append_and_load(tmp_path):
    w = SessionWriter.create(tmp_path, set="core", model="base")
    rel = w.save_audio("turn-001-answer.wav", AudioClip(np.zeros(1600, np.float32)))
    w.append_turn({**_turn(), "answer": {"audio": rel}})
    w.append_turn(_turn("二つ目"))
    w.finish()
    s = load_session(w.folder)
    assert [t["turn"] for t in s.turns] == [1, 2]
    assert s.meta["status"] == "completed" and s.meta["set"] == "core" and s.meta["format_version"] == 1
    assert (w.folder / rel).is_file()
    assert s.warnings == []
    for path in [w.folder / "meta.json", w.folder / "turns.jsonl", w.folder / rel]:
        assert path.stat().st_mode & 0o077 == 0, path  # private to the user
    assert w.folder.stat().st_mode & 0o077 == 0


def test_turn_is_on_disk_immediately(tmp_path):
    w = SessionWriter.create(tmp_path)
    w.append_turn(_turn())
    # no finish(): a crash right now must still leave the turn readable
    s = load_session(w.folder)
    assert len(s.turns) == 1
    assert any("最後まで終わっていません" in m for m in s.warnings)


def test_torn_last_line_is_skipped_with_warning(tmp_path):
    w = SessionWriter.create(tmp_path)
    w.append_turn(_turn())
    w.append_turn(_turn())
    with open(w.folder / "turns.jsonl", "ab") as f:
        f.write(b'{"turn": 3, "prompt": {"kind": "qu')  # killed mid-write
    s = load_session(w.folder)
    assert len(s.turns) == 2
    assert any("途中で切れている" in m for m in s.warnings)


def test_damaged_middle_line_is_an_error_naming_the_line(tmp_path):
    w = SessionWriter.create(tmp_path)
    w.append_turn(_turn())
    with open(w.folder / "turns.jsonl", "ab") as f:
        f.write(b"garbage\n")
    w.append_turn(_turn())
    with pytest.raises(SessionError, match="2行目"):
        load_session(w.folder)


def test_format_version_is_checked(tmp_path):
    w = SessionWriter.create(tmp_path)
    meta = json.loads((w.folder / "meta.json").read_text())
    meta["format_version"] = 99
    (w.folder / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(SessionError, match="バージョン 99"):
        load_session(w.folder)


def test_not_a_session(tmp_path):
    (tmp_path / "x").mkdir()
    with pytest.raises(SessionError, match="meta.json がありません"):
        load_session(tmp_path / "x")
    (tmp_path / "x" / "meta.json").write_text("{not json")
    with pytest.raises(SessionError, match="壊れています"):
        load_session(tmp_path / "x")


def test_names_cannot_escape_the_sessions_folder(tmp_path):
    with pytest.raises(SessionError):
        SessionWriter.create(tmp_path, name="../evil")
    with pytest.raises(SessionError):
        SessionWriter.create(tmp_path, name="a/b")
    with pytest.raises(SessionError, match="見つかりません"):
        resolve_session("../x", tmp_path)


def test_latest(tmp_path):
    a = SessionWriter.create(tmp_path, name="20260101-000000-aaaa")
    b = SessionWriter.create(tmp_path, name="20260102-000000-bbbb")
    assert resolve_session("latest", tmp_path) == b.folder
    assert resolve_session("20260101-000000-aaaa", tmp_path) == a.folder
