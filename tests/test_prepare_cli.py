"""`mensetsu prepare` as a user runs it: from files without a prompt, and interactively in a pty."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from target_docs import encrypted_pdf, resume_docx, scanned_pdf

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "simulator" / "data" / "targets" / "example"


def prepare(*args: str, home: Path, stdin=subprocess.DEVNULL, timeout: float = 120) -> subprocess.CompletedProcess:
    """The CLI in its own process with stdin not a terminal (never a prompt)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "MENSETSU_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "simulator", "prepare", *args], capture_output=True, text=True,
                          env=env, cwd=REPO, stdin=stdin, timeout=timeout)


def _targets(home: Path) -> list[str]:
    folder = home / "targets"
    return sorted(os.listdir(folder)) if folder.is_dir() else []


def test_prepare_from_files_without_prompts(mensetsu_home, tmp_path):
    resume = resume_docx(tmp_path / "職務経歴書.docx")
    sjis = tmp_path / "posting.txt"
    sjis.write_bytes("## 必須スキル\n- 配車計画の経験\n## 業務内容\n- 全国の配送網の改善\n".encode("shift_jis"))
    r = prepare("butsuryu", "--company-name", "株式会社サンプル物流", "--competitors", "A運輸,B急便",
                "--company-notes", str(EXAMPLE / "company_notes.md"), "--posting", str(sjis), "--resume", str(resume),
                "--round-one", str(EXAMPLE / "round_one.md"), home=mensetsu_home)
    assert r.returncode == 0, r.stderr
    assert "保存しました" in r.stdout
    folder = mensetsu_home / "targets" / "butsuryu"
    assert sorted(p.name for p in folder.iterdir()) == ["company_notes.md", "posting.md", "resume.md", "round_one.md", "target.toml"]
    assert "配車計画の経験" in (folder / "posting.md").read_text(encoding="utf-8")  # Shift_JIS decoded, saved as UTF-8
    assert "配送ルートの見直しを主導し、配送コストを年間15%削減" in (folder / "resume.md").read_text(encoding="utf-8")
    toml = (folder / "target.toml").read_text(encoding="utf-8")
    assert '"A運輸", "B急便"' in toml and "株式会社サンプル物流" in toml

    shown = prepare("--show", "butsuryu", home=mensetsu_home)
    assert shown.returncode == 0
    assert "職務経歴書に『配送ルートの見直しを主導し、配送コストを年間15%削減』とありますが" in shown.stdout
    assert "このポジションでは『配車計画の経験』が必須ですが" in shown.stdout
    listed = prepare("--list", home=mensetsu_home)
    assert "butsuryu" in listed.stdout and "株式会社サンプル物流" in listed.stdout and "example" in listed.stdout

    # --edit replaces only what it is given.
    edited = prepare("--edit", "butsuryu", "--competitors", "C便", home=mensetsu_home)
    assert edited.returncode == 0, edited.stderr
    t = (folder / "target.toml").read_text(encoding="utf-8")
    assert '"C便"' in t and "A運輸" not in t
    assert "配送コストを年間15%削減" in (folder / "resume.md").read_text(encoding="utf-8")
    # --edit with nothing to change, not in a terminal: where the files are, to edit by hand.
    plain = prepare("--edit", "butsuryu", home=mensetsu_home)
    assert plain.returncode == 0 and str(folder) in plain.stdout
    assert _targets(mensetsu_home) == ["butsuryu"]


def test_an_existing_name_is_not_overwritten(mensetsu_home):
    assert prepare("mirai", "--resume", str(EXAMPLE / "resume.md"), home=mensetsu_home).returncode == 0
    again = prepare("mirai", "--resume", str(EXAMPLE / "posting.md"), home=mensetsu_home)
    assert again.returncode == 6 and "すでにあります" in again.stderr and "--edit" in again.stderr


def test_no_name_and_no_terminal_asks_nothing(mensetsu_home):
    r = prepare(home=mensetsu_home)
    assert r.returncode == 6
    assert r.stderr.startswith("mensetsu: エラー: ") and "端末からの実行でないため" in r.stderr
    assert r.stdout == ""


def _bad_inputs(tmp_path: Path) -> dict[str, tuple[list[str], str]]:
    empty = tmp_path / "empty.md"
    empty.write_text("")
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(11 * 1024 * 1024)
    notes = tmp_path / "notes.md"
    notes.write_text("面接はなごやかだった\n")
    return {
        "encrypted": (["--resume", str(encrypted_pdf(tmp_path / "locked.pdf"))], "パスワード"),
        "scanned": (["--resume", str(scanned_pdf(tmp_path / "scan.pdf"))], "スキャン"),
        "empty": (["--posting", str(empty)], "空です"),
        "oversized": (["--company-notes", str(huge)], "大きすぎます"),
        "missing": (["--resume", str(tmp_path / "none.pdf")], "見つかりません"),
        "round one without questions": (["--round-one", str(notes)], "質問が見つかりません"),
    }


@pytest.mark.parametrize("case", ["encrypted", "scanned", "empty", "oversized", "missing", "round one without questions"])
def test_bad_input_is_one_japanese_line_and_nothing_is_saved(mensetsu_home, tmp_path, case):
    flags, words = _bad_inputs(tmp_path)[case]
    # A good document before the bad one: still nothing is saved.
    r = prepare("mirai", "--resume", str(EXAMPLE / "resume.md"), *flags, home=mensetsu_home) if "--resume" not in flags \
        else prepare("mirai", "--posting", str(EXAMPLE / "posting.md"), *flags, home=mensetsu_home)
    assert r.returncode == 6, (r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("mensetsu: エラー: ") and words in lines[0], r.stderr
    assert "Traceback" not in r.stderr
    assert _targets(mensetsu_home) == []


@pytest.mark.parametrize("name", ["../escape", "/tmp/abs", "a/b", ".hidden", ".."])
def test_a_name_escaping_the_data_folder(mensetsu_home, tmp_path, name):
    r = prepare(name, "--resume", str(EXAMPLE / "resume.md"), home=mensetsu_home)
    assert r.returncode == 6 and "使えません" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert _targets(mensetsu_home) == []
    assert not (mensetsu_home.parent / "escape").exists() and not (tmp_path.parent / "escape").exists()


def test_the_example_cannot_be_edited_in_place(mensetsu_home):
    r = prepare("--edit", "example", "--competitors", "X", home=mensetsu_home)
    assert r.returncode == 6 and "同梱の例" in r.stderr


# --- the interactive flow, in a pty -------------------------------------------------------------
pexpect = pytest.importorskip("pexpect")


def _spawn(home: Path, *args: str):
    env = {**os.environ, "PYTHONPATH": str(REPO), "MENSETSU_HOME": str(home), "COLUMNS": "200", "LANG": "C.UTF-8"}
    child = pexpect.spawn(sys.executable, ["-m", "simulator", "prepare", *args], env=env, cwd=str(REPO),
                          encoding="utf-8", timeout=60, dimensions=(50, 200))
    return child


def test_interactive_flow_in_a_pty(mensetsu_home, tmp_path):
    child = _spawn(mensetsu_home)
    child.expect("ターゲットの名前")
    child.sendline("../bad")  # refused, asked again
    child.expect("使えません")
    child.expect("ターゲットの名前")
    child.sendline("mirai")
    child.expect("会社名")
    child.sendline("株式会社ミライ会計")
    child.expect("競合他社")
    child.sendline("クラウドブックス、会計ワン")
    child.expect("会社について調べたこと")
    child.expect("> ")
    child.sendline(str(EXAMPLE / "company_notes.md"))
    child.expect("求人票")
    child.expect("> ")
    child.sendline(str(tmp_path / "missing.pdf"))  # a file that is not there: said, asked again
    child.expect("見つかりません")
    child.sendline(str(EXAMPLE / "posting.md"))
    child.expect("職務経歴書")
    child.expect("> ")
    # Pasted text, ended by a line with only "."
    child.sendline("## 職務経歴")
    child.sendline("- 失注分析の仕組みを導入し、チームの受注率を18%から27%に改善")
    child.sendline(".")
    child.expect("一次面接のメモ")
    child.expect("> ")
    child.sendline("1")
    child.expect("質問1")
    child.sendline("なぜ当社なのですか。")
    child.expect("手応え")
    child.sendline("3")
    child.expect("気にしていた")
    child.sendline("競合との違い")
    child.expect("質問2")
    child.sendline("")
    child.expect("保存しますか")
    assert "『失注分析の仕組みを導入し、チームの受注率を18%から27%に改善』" in child.before
    child.sendline("")
    child.expect("保存しました")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    folder = mensetsu_home / "targets" / "mirai"
    assert "失注分析の仕組みを導入" in (folder / "resume.md").read_text(encoding="utf-8")
    notes = (folder / "round_one.md").read_text(encoding="utf-8")
    assert "## 質問: なぜ当社なのですか。" in notes and "×" in notes and "競合との違い" in notes
    assert "クラウドブックス" in (folder / "target.toml").read_text(encoding="utf-8")


def test_interactive_ctrl_c_saves_nothing(mensetsu_home):
    child = _spawn(mensetsu_home, "mirai")
    child.expect("会社名")
    child.sendline("株式会社ミライ会計")
    child.expect("競合他社")
    child.sendintr()
    child.expect("何も保存していません")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert _targets(mensetsu_home) == []


def test_interactive_no_at_the_end_saves_nothing(mensetsu_home):
    child = _spawn(mensetsu_home, "mirai")
    for prompt, answer in (("会社名", "株式会社A"), ("競合他社", ""), ("> ", ""), ("> ", ""), ("> ", str(EXAMPLE / "resume.md")),
                           ("> ", ""), ("保存しますか", "n")):
        child.expect(prompt)
        child.sendline(answer)
    child.expect("保存しませんでした")
    child.expect(pexpect.EOF)
    child.close()
    assert _targets(mensetsu_home) == []


def test_interactive_edit_keeps_what_enter_keeps(mensetsu_home):
    assert prepare("mirai", "--company-name", "株式会社ミライ会計", "--resume", str(EXAMPLE / "resume.md"),
                   "--posting", str(EXAMPLE / "posting.md"), home=mensetsu_home).returncode == 0
    child = _spawn(mensetsu_home, "--edit", "mirai")
    child.expect("会社名")
    child.expect("株式会社ミライ会計")  # the current value is shown
    child.sendline("")
    child.expect("競合他社")
    child.sendline("会計ワン")
    # notes: skip; posting: removed; résumé: kept; round one: skip
    for answer in ("", "-", "", ""):
        child.expect("> ")
        child.sendline(answer)
    child.expect("保存しますか")
    child.sendline("y")
    child.expect(pexpect.EOF)
    child.close()
    folder = mensetsu_home / "targets" / "mirai"
    assert sorted(p.name for p in folder.iterdir()) == ["resume.md", "target.toml"]
    toml = (folder / "target.toml").read_text(encoding="utf-8")
    assert "株式会社ミライ会計" in toml and '"会計ワン"' in toml
