"""Targets on disk (names, whole-or-nothing saves, the example) and the pure extractors behind them."""

from __future__ import annotations

import os

import pytest

from simulator.errors import TargetError
from simulator.targets import store
from simulator.targets.posting import parse_posting, skill_question
from simulator.targets.research import parse_research
from simulator.targets.resume import achievements, ranked
from simulator.targets.round_one_notes import parse_notes, render_notes, round_one, weakest_first


# --- names ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../x", "..", ".", "/etc", "a/b", "a\\b", ".hidden", "", " x", "x ", "a:b", "a\x00b", "x" * 65, "c:"])
def test_a_name_that_could_escape_the_data_folder_is_refused(name, mensetsu_home):
    with pytest.raises(TargetError, match="使えません"):
        store.check_name(name)
    with pytest.raises(TargetError):
        store.save_target(name, "会社", (), {"resume": "x"})
    assert not any(p.name != "targets" for p in mensetsu_home.rglob("*") if p.is_dir() and p.parent.name == "targets")


@pytest.mark.parametrize("name", ["mirai", "ミライ会計", "mirai-2025_二次", "A1"])
def test_plain_names_are_fine(name):
    assert store.check_name(name) == name


def test_a_symlinked_target_folder_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    root = store.targets_dir()
    (root / "link").symlink_to(outside, target_is_directory=True)
    with pytest.raises(TargetError):
        store.check_name("link")


# --- saving -------------------------------------------------------------------------------------
def test_save_and_load_round_trip():
    folder = store.save_target("mirai", "株式会社ミライ会計", ("クラウドブックス",), {"resume": "職務経歴\n- 売上を20%伸ばした", "posting": "必須: 法人営業"},
                               {"resume": "/x/r.pdf"})
    assert folder == store.targets_dir() / "mirai"
    assert sorted(p.name for p in folder.iterdir()) == ["posting.md", "resume.md", "target.toml"]
    assert oct(folder.stat().st_mode & 0o777) == "0o700"
    assert oct((folder / "resume.md").stat().st_mode & 0o777) == "0o600"
    t = store.load_target("mirai")
    assert t.company_name == "株式会社ミライ会計" and t.competitors == ("クラウドブックス",)
    assert t.texts["resume"].startswith("職務経歴") and t.sources == {"resume": "/x/r.pdf"}
    with pytest.raises(TargetError, match="すでにあります"):
        store.save_target("mirai", "x", (), {"resume": "y"})


def test_a_failed_save_leaves_nothing_half_written(monkeypatch):
    store.save_target("kept", "株式会社A", (), {"resume": "元の職務経歴書"})
    calls = {"n": 0}
    real = store.__dict__.get("os").rename

    def failing_rename(src, dst):
        calls["n"] += 1
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "rename", failing_rename)
    with pytest.raises(TargetError, match="何も保存していません"):
        store.save_target("new", "株式会社B", (), {"resume": "新しい"})
    with pytest.raises(TargetError):
        store.save_target("kept", "株式会社C", (), {"resume": "置き換え"}, replace=True)
    monkeypatch.setattr(store.os, "rename", real)
    names = sorted(os.listdir(store.targets_dir()))
    assert names == ["kept"], names  # no staging or half-made folder
    assert store.load_target("kept").texts["resume"] == "元の職務経歴書\n"


def test_edited_files_are_read_back_even_in_shift_jis():
    folder = store.save_target("sjis", "株式会社A", (), {"resume": "x"})
    (folder / "resume.md").write_bytes("## 職務経歴\n- 売上を前年比120%に拡大\n".encode("shift_jis"))
    assert store.load_target("sjis").achievements[0].quote == "売上を前年比120%に拡大"


def test_the_example_is_there_until_the_user_has_one_of_that_name():
    t = store.load_target("example")
    assert t.builtin and t.folder == store.example_dir()
    assert [x.name for x in store.list_targets()] == ["example"]
    store.save_target("example", "株式会社自分", (), {"resume": "- 自分の実績を30%改善"})
    assert not store.load_target("example").builtin
    assert [(x.name, x.builtin) for x in store.list_targets()] == [("example", False)]


def test_an_unknown_target():
    with pytest.raises(TargetError, match="ありません"):
        store.load_target("nothing")


# --- the extractors -------------------------------------------------------------------------------
RESUME = """# 職務経歴書
■職務要約
法人営業を8年、うち3年はチームリーダーとして成果を上げてまいりました。
■職務経歴
【株式会社サンプル（2017年4月〜現在）】
・事業内容：業務ソフトの販売
・担当顧客数：約120社
・新規開拓で年間売上を1.2億円から1.8億円に拡大（2022年度）
・5名の営業チームのリーダーとして、メンバーの育成を担当
・問い合わせ対応のマニュアルを整備
■資格
・日商簿記2級を取得し、経理の知識を向上
"""


def test_resume_achievements_and_roles_only_from_the_career_sections():
    items = achievements(RESUME)
    quotes = [a.quote for a in items]
    assert quotes == ["新規開拓で年間売上を1.2億円から1.8億円に拡大", "5名の営業チームのリーダーとして、メンバーの育成を担当",
                      "問い合わせ対応のマニュアルを整備"]
    assert [a.kind for a in items] == ["result", "role", "initiative"]
    for a in items:
        assert a.quote in RESUME
    assert ranked(items)[0].kind == "result"


def test_posting_sections_and_inline_labels():
    text = "【仕事内容】\n法人向けSaaSの新規開拓営業をお任せします。\n【応募資格】\n・法人営業経験3年以上\n・顧客の課題を整理し、提案できる方\n歓迎：マネジメント経験\n勤務地：東京\n"
    p = parse_posting(text)
    assert [i.text for i in p.required] == ["法人営業経験3年以上", "顧客の課題を整理し、提案できる方"]
    assert [i.text for i in p.welcome] == ["マネジメント経験"]
    assert [i.text for i in p.duties] == ["法人向けSaaSの新規開拓営業をお任せします。"]
    assert skill_question(p.required[1]) == "このポジションでは『顧客の課題を整理し、提案できる』ことが必須ですが、そうした経験を具体的に教えてください。"


def test_research_facts_competitors_and_shared_points():
    notes = "会社名：株式会社ミライ会計\n競合：クラウドブックス、会計ワン\n- 税理士事務所1,200か所と提携\n- クラウドブックスも税理士との提携を強みにしている\n- クラウドブックスは個人事業主が中心\n"
    r = parse_research(notes)
    assert r.company == "株式会社ミライ会計" and r.competitors == ("クラウドブックス", "会計ワン")
    assert [f.text for f in r.facts] == ["税理士事務所1,200か所と提携", "クラウドブックスは個人事業主が中心"]
    assert [(s.competitor, s.text) for s in r.shared] == [("クラウドブックス", "クラウドブックスも税理士との提携を強みにしている")]
    profile = r.profile()
    assert profile.aliases == ("ミライ会計",) and "クラウドブックス" in profile.competitors


def test_round_one_notes_weakest_first_and_back():
    notes = "Q1. 自己紹介をお願いします。\n手応え: うまく答えられた\nQ2. 一番の失敗は何ですか。\n手応え: 詰まってしまった\n懸念: 失敗から何を学んだか\nQ3: 当社の志望理由は？\n"
    qs = parse_notes(notes)
    assert [q.weakness for q in qs] == [0, 2, 1]
    assert [q.text for q in weakest_first(qs)] == ["一番の失敗は何ですか。", "当社の志望理由は？", "自己紹介をお願いします。"]
    ro = round_one(qs)
    assert [q.stalled for q in ro.questions] == [True, False, False]
    again = parse_notes(render_notes(qs))
    assert [(q.text, q.weakness, q.doubt) for q in again] == [(q.text, q.weakness, q.doubt) for q in qs]


def test_a_plain_text_resume_with_period_headers_and_a_company_profile_line():
    text = ("■職務経歴\n2016年4月～現在　株式会社ABCシステムズ\n事業内容：受託開発　資本金：1億円　従業員数：300名\n"
            "2019年4月～現在　ECサイトのリニューアルプロジェクト（PL、メンバー6名）\n"
            "・ページ表示速度を平均3.2秒から1.1秒に短縮\n・6名のチームのPLとして、進捗管理とコードレビューを担当\n")
    items = ranked(achievements(text))
    assert [(a.kind, a.quote) for a in items] == [("result", "ページ表示速度を平均3.2秒から1.1秒に短縮"),
                                                 ("role", "6名のチームのPLとして、進捗管理とコードレビューを担当")]


def test_a_duty_written_as_sentences_is_quoted_whole():
    from simulator.targets.posting import situation_question

    p = parse_posting("【仕事内容】\n自社SaaSのバックエンド開発をお任せします。設計からリリースまで一貫して担当いただきます。\n")
    assert [i.quote for i in p.duties] == ["自社SaaSのバックエンド開発をお任せします", "設計からリリースまで一貫して担当いただきます"]
    assert situation_question(p.duties[0], 0).startswith("求人票の業務内容に『自社SaaSのバックエンド開発をお任せします』とあります。")
