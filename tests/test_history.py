"""History: the SQLite index follows the session folders; trends, worst questions, the HTML page."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from session_factory import shared_real_session, turn, write_session
from simulator.report.history import DB_NAME, open_history
from tests.conftest import run_cli


def three_sessions(root):
    write_session(
        root,
        "20260105-week1",
        "2026-01-05T20:00:00+09:00",
        [
            turn(1, "self_intro", "自己紹介をお願いします。", [("too_long", "200 s")], answer_s=200.0, fillers=[("えーと", 1.0)] * 20, morae_per_min=400.0, category="self_introduction"),
            turn(2, "motivation", "なぜ当社ですか。", [("generic_motivation", "成長できる環境"), ("too_short", "5 s")], answer_s=5.0, morae_per_min=400.0, category="motivation"),
        ],
    )
    write_session(
        root,
        "20260112-week2",
        "2026-01-12T20:00:00+09:00",
        [
            turn(1, "self_intro", "自己紹介をお願いします。", [("long_answer", "100 s")], answer_s=100.0, fillers=[("えーと", 1.0)] * 5, morae_per_min=370.0, category="self_introduction"),
            turn(2, "motivation", "なぜ当社ですか。", [("generic_motivation", "成長できる環境")], answer_s=20.0, morae_per_min=370.0, category="motivation"),
        ],
    )
    write_session(
        root,
        "20260119-week3",
        "2026-01-19T20:00:00+09:00",
        [
            turn(1, "self_intro", "自己紹介をお願いします。", [], answer_s=60.0, morae_per_min=340.0, category="self_introduction"),
            turn(2, "motivation", "なぜ当社ですか。", [], answer_s=50.0, fillers=[("あの", 3.0)], morae_per_min=340.0, category="motivation"),
        ],
    )


def test_trends_over_several_sessions(mensetsu_home):
    three_sessions(mensetsu_home / "sessions")
    index, sync = open_history()
    with index:
        rows = index.sessions()
        assert sync.added == 3 and not sync.skipped
        assert [r.id for r in rows] == ["20260105-week1", "20260112-week2", "20260119-week3"]
        assert [r.mean_answer_s for r in rows] == [102.5, 60.0, 55.0]
        assert [r.fillers_per_min for r in rows] == [round(20 / (205 / 60), 2), round(5 / 2, 2), round(1 / (110 / 60), 2)]
        assert [r.morae_per_min for r in rows] == [400.0, 370.0, 340.0]
        assert [r.findings for r in rows] == [3, 2, 0]
        worst = index.worst_questions()
        # motivation: 5 + 3 over two bad attempts beats self_intro: 3 + 1; both clean now
        assert [(w.question_id, w.latest_score, w.total_score) for w in worst] == [("motivation", 0, 8), ("self_intro", 0, 4)]


def test_index_follows_the_folders(mensetsu_home):
    root = mensetsu_home / "sessions"
    three_sessions(root)
    index, _ = open_history()
    index.close()
    # a turn appended to a session, a session deleted, a new one added: one sync sees all three
    extra = turn(3, "values", "大切にしていることは？", [("abstract", "一生懸命")], category="values")
    with open(root / "20260119-week3" / "turns.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(extra, ensure_ascii=False) + "\n")
    shutil.rmtree(root / "20260105-week1")
    write_session(root, "20260126-week4", "2026-01-26T20:00:00+09:00", [turn(1, "self_intro", "自己紹介をお願いします。")])
    index, sync = open_history()
    with index:
        assert (sync.added, sync.updated, sync.removed) == (1, 1, 1)
        rows = {r.id: r for r in index.sessions()}
        assert set(rows) == {"20260112-week2", "20260119-week3", "20260126-week4"}
        assert rows["20260119-week3"].turns == 3 and rows["20260119-week3"].findings == 1
        n_turns = index.conn.execute("SELECT count(*) FROM turns").fetchone()[0]
        assert n_turns == 2 + 3 + 1  # nothing left over from the deleted session
        assert index.conn.execute("SELECT count(*) FROM findings WHERE session_id = '20260105-week1'").fetchone()[0] == 0
    # an unchanged folder is not re-read
    index, sync = open_history()
    index.close()
    assert (sync.added, sync.updated, sync.removed) == (0, 0, 0)


def test_damaged_database_is_rebuilt_and_damaged_session_skipped(mensetsu_home):
    root = mensetsu_home / "sessions"
    three_sessions(root)
    (mensetsu_home / DB_NAME).write_bytes(b"this is not a database" * 100)
    (root / "broken").mkdir()
    (root / "broken" / "meta.json").write_text("{not json", encoding="utf-8")
    index, sync = open_history()
    with index:
        assert len(index.sessions()) == 3
        assert len(sync.skipped) == 1 and "broken" in sync.skipped[0]
    # a database from a future version is rebuilt too
    con = sqlite3.connect(mensetsu_home / DB_NAME)
    con.execute("UPDATE info SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    index, sync = open_history()
    with index:
        assert sync.added == 3


def test_history_command_table_json_and_html(mensetsu_home, tmp_path):
    three_sessions(mensetsu_home / "sessions")
    env = {"MENSETSU_HOME": str(mensetsu_home)}
    r = run_cli("history", env=env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert "セッションごとの推移" in lines[0]
    assert [l.split()[0] for l in lines[2:5]] == ["2026-01-05", "2026-01-12", "2026-01-19"]
    assert "うまくいかなかった質問" in r.stdout and "なぜ当社ですか。" in r.stdout
    data = json.loads(run_cli("history", "--json", env=env).stdout)
    assert [s["findings"] for s in data["sessions"]] == [3, 2, 0]
    assert data["worst_questions"][0]["question_id"] == "motivation"

    page_path = tmp_path / "history.html"
    r = run_cli("history", "--html", str(page_path), env=env)
    assert r.returncode == 0, r.stderr
    page = page_path.read_text(encoding="utf-8")
    svg = re.search(r'<svg id="chart-trends".*?</svg>', page, re.S).group(0)
    for title in ("回答の長さ平均（秒）", "フィラー（回/分）", "話す速さ（モーラ/分）", "指摘の数"):
        assert title in svg
    assert "01-05 20:00" in svg and "01-19 20:00" in svg
    assert "<script" not in page and not re.search(r'(?:src|href)="https?:', page)


def test_sessions_saved_with_out_are_in_history(mensetsu_home, tmp_path):
    from simulator.store.session_store import SessionWriter, extra_session_roots

    three_sessions(mensetsu_home / "sessions")
    elsewhere = tmp_path / "practice-folder"
    writer = SessionWriter.create(elsewhere, set="core", set_title="二次面接（基本）", mode="headless")  # what --out does
    with open(writer.folder / "turns.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(turn(1, "self_intro", "自己紹介をお願いします。"), ensure_ascii=False) + "\n")
    SessionWriter.create(elsewhere, set="core")  # a second session there: the folder is noted once
    assert extra_session_roots() == [elsewhere.resolve()]
    index, sync = open_history()
    with index:
        rows = {r.id: r for r in index.sessions()}
        assert len(rows) == 5 and rows[writer.folder.name].folder == str(writer.folder)
        assert rows[writer.folder.name].turns == 1
    shutil.rmtree(writer.folder)  # deleted there: gone from history too
    index, sync = open_history()
    index.close()
    assert sync.removed == 1
    r = run_cli("history", "--json", env={"MENSETSU_HOME": str(mensetsu_home)})
    assert r.returncode == 0 and len(json.loads(r.stdout)["sessions"]) == 4
    # The default folder is never noted, and an explicit root sees only itself.
    SessionWriter.create(None, set="core")
    assert extra_session_roots() == [elsewhere.resolve()]
    index, _ = open_history(root=elsewhere)
    with index:
        assert len(index.sessions()) == 1


def _remember_many(folders: list[str]) -> None:
    from simulator.store.session_store import remember_root

    for folder in folders:
        remember_root(Path(folder))


def test_folders_noted_at_once_are_all_kept(mensetsu_home, tmp_path):
    """Several processes noting new --out folders at the same moment: none is lost."""
    import multiprocessing

    from simulator.store.session_store import extra_session_roots

    folders = [[str(tmp_path / f"p{i}-{k}") for k in range(10)] for i in range(6)]
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_remember_many, args=(batch,)) for batch in folders]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
        assert p.exitcode == 0
    noted = extra_session_roots()
    assert sorted(noted) == sorted(Path(f).resolve() for batch in folders for f in batch)


def test_history_with_no_sessions(mensetsu_home):
    r = run_cli("history", env={"MENSETSU_HOME": str(mensetsu_home)})
    assert r.returncode == 0 and "まだありません" in r.stdout


@pytest.mark.slow
def test_history_indexes_real_sessions(mensetsu_home, whisper, tmp_path_factory):
    """A real interview from the real model on the bundled answers, twice, indexed and reviewed."""
    root = mensetsu_home / "sessions"
    real = shared_real_session(tmp_path_factory, whisper)
    shutil.copytree(real, root / "20260201-real1")
    shutil.copytree(real, root / "20260202-real2")  # the same answers a day later
    meta = json.loads((root / "20260202-real2" / "meta.json").read_text(encoding="utf-8"))
    meta.update(id="20260202-real2", started_at="2099-01-01T00:00:00+09:00")
    (root / "20260202-real2" / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    index, sync = open_history()
    with index:
        rows = index.sessions()
        assert [r.id for r in rows] == ["20260201-real1", "20260202-real2"]
        assert rows[0].turns == rows[1].turns >= 6 and rows[0].findings > 0
        assert 250 < rows[0].morae_per_min < 500  # Japanese speech at a plausible pace
        due = index.review()
        assert due and all(d.findings for d in due)


def test_demo_and_no_speech_sessions_stay_out_of_history_and_review(tmp_path):
    root = tmp_path / "sessions"
    asked = [turn(1, "motivation", "なぜ当社ですか。", [("generic_motivation", "成長できる環境")], answer_s=20.0, category="motivation")]
    write_session(root, "20261101-100000-aaaa", "2026-11-01T10:00:00+09:00", asked)
    write_session(root, "20261102-100000-bbbb", "2026-11-02T10:00:00+09:00",
                  [turn(1, "self_intro", "自己紹介をお願いします。", [("too_short", "0 s")], answer_s=0.0)], status="no_speech")
    demo = write_session(root, "20261103-100000-cccc", "2026-11-03T10:00:00+09:00",
                         [turn(1, "strengths", "強みは何ですか。", [("abstract", "頑張りました")], answer_s=10.0)])
    meta = json.loads((demo / "meta.json").read_text(encoding="utf-8"))
    (demo / "meta.json").write_text(json.dumps({**meta, "demo": True}), encoding="utf-8")
    index, _ = open_history(tmp_path / DB_NAME, root)
    with index:
        assert [s.id for s in index.sessions()] == ["20261101-100000-aaaa"]
        assert [it.question_id for it in index.review(due_only=False)] == ["motivation"]
        assert index.attempts()[1] == 1
