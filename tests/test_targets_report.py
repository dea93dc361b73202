"""The report tied to the documents: achievements never used, required skills not evidenced,
whether the motivation used the company facts (from the snapshot saved with the session)."""

from __future__ import annotations

import json

import pytest

from session_factory import turn, write_session
from simulator.report.view import build_report
from simulator.store.session_store import load_session
from simulator.targets.coverage import document_coverage, snapshot
from simulator.targets.store import load_target

DEEP_DIVE = "職務経歴書に『新規開拓で年間売上を1.2億円から1.8億円に拡大』とありますが、どのように達成されたのですか。"


def _session(tmp_path, turns):
    folder = write_session(tmp_path, "s1", "2026-01-01T10:00:00+09:00", turns)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["target"] = snapshot(load_target("example"))
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    return folder


def _turns():
    def said(text):
        return [(text, 0.0, 30.0)]

    doc_reason = {"why": "a question grounded in the candidate's documents", "document": "resume",
                  "quote": "新規開拓で年間売上を1.2億円から1.8億円に拡大"}
    turns = [
        turn(1, "self_intro", "自己紹介をお願いします。", category="self_introduction",
             words=said("法人営業を8年しています。失注分析の仕組みを導入して、受注率を18%から27%に上げました。")),
        turn(2, "doc_resume_1", DEEP_DIVE, words=said("訪問の順番を変えて、決裁者に先に会うようにしました。")),
        turn(3, "doc_skill_1", "このポジションでは『法人営業の経験（3年以上）』が必須ですが、近い経験を教えてください。",
             words=said("頑張りました。"), findings=[("abstract", "「頑張りました」")]),
        turn(4, "motivation", "なぜ当社なのですか。", category="motivation",
             words=said("バックオフィス一体型プランで、中堅企業の経理の人手不足を解決したいからです。")),
    ]
    turns[1]["prompt"]["reason"] = doc_reason
    turns[2]["prompt"]["reason"] = {**doc_reason, "document": "posting", "quote": "法人営業の経験（3年以上）"}
    return turns


def test_coverage_of_the_documents(tmp_path):
    r = build_report(load_session(_session(tmp_path, _turns())))
    d = r.documents
    assert d is not None and d.target == "example" and d.company == "株式会社ミライ会計"
    used = {a.quote for a in d.achievements if a.status == "used"}
    assert "新規開拓で年間売上を1.2億円から1.8億円に拡大" in used  # asked about, and answered
    assert "失注分析の仕組みを導入し、チームの受注率を18%から27%に改善" in used  # told unasked
    unused = {a.quote for a in d.unused_achievements}
    assert "2019年度、支店内の新規契約件数で1位（年間48件）を獲得" in unused
    skills = {s.quote: s.status for s in d.skills}
    assert skills["法人営業の経験（3年以上）"] == "evidenced"  # the self-introduction told it with a figure
    assert skills["経営者や経理責任者への提案経験"] == "missing"
    assert d.motivation_asked and not d.motivation_generic
    assert any("バックオフィス一体型プラン" in f for f in d.motivation_facts)
    assert d.grounded_prompts == 2


def test_a_vague_answer_does_not_evidence_a_skill(tmp_path):
    turns = _turns()[2:3]
    d = document_coverage(snapshot(load_target("example")), turns)
    assert {s.quote: s.status for s in d.skills}["法人営業の経験（3年以上）"] == "vague"
    assert not d.motivation_asked and "ありませんでした" in d.motivation_summary


def test_a_generic_motivation_is_said(tmp_path):
    t = turn(1, "motivation", "なぜ当社なのですか。", category="motivation", words=[("御社の将来性に魅力を感じました。", 0.0, 10.0)],
             findings=[("generic_motivation", "「御社の将来性に魅力を感じました」")])
    d = document_coverage(snapshot(load_target("example")), [t])
    assert d.motivation_generic and d.motivation_facts == ()
    assert "使っていません" in d.motivation_summary


def test_the_report_renders_the_documents_section(tmp_path):
    from simulator.report.html import render_html
    from simulator.report.markdown import render_markdown
    from simulator.report.summary import format_summary

    r = build_report(load_session(_session(tmp_path, _turns())))
    text = format_summary(r)
    assert "応募書類との対応" in text and "使わなかった実績" in text and "『経営者や経理責任者への提案経験』（一度も示していない）" in text
    html = render_html(r, tmp_path / "r.html")
    assert 'id="documents"' in html and "1位（年間48件）を獲得" in html
    md = render_markdown(r, tmp_path / "r.md")
    assert "## 応募書類との対応" in md and "求人票の必須スキル" in md


def test_a_session_without_a_target_has_no_documents_section(tmp_path):
    from simulator.report.summary import format_summary

    folder = write_session(tmp_path, "plain", "2026-01-01T10:00:00+09:00", _turns())
    r = build_report(load_session(folder))
    assert r.documents is None and "応募書類" not in format_summary(r)


@pytest.mark.slow
def test_a_whole_interview_on_the_example_target(tmp_path):
    """The real loop and the real judgement (GiNZA) on the example: grounded prompts, saved and reported."""
    import argparse

    from simulator.audio.sources import ArrayAnswers
    from simulator.commands.common import judgement_options, target_meta
    from simulator.interview.question_sets import load_question_set
    from simulator.interview.session import run_interview
    from simulator.testing import FakeTranscriber
    from simulator.speech.voice import TextOnlyVoice
    from simulator.store.session_store import SessionWriter
    from test_loop import speechlike

    answers = {
        "self_introduction": "株式会社ヤマト事務機で8年間、中小企業向けの法人営業をしてきました。今は5名のチームのリーダーです。",
        "experience": "失注した商談を二十件分析して、決裁者に会えていないことが原因だと分かりました。そこで訪問の順番を変え、年間売上を1.2億円から1.8億円に伸ばしました。",
        "motivation": "全国の税理士事務所との連携に魅力を感じたからです。",
        "reverse": "中期経営計画で重点にされている分野を教えてください。",
    }
    current = {}

    class ByQuestion(FakeTranscriber):
        def transcribe(self, clip):
            self.texts, self.calls = [answers.get(current["category"], "まず原因を数字で確かめ、関係する人と話して打ち手を決めます。")], 0
            return super().transcribe(clip)

    args = argparse.Namespace(target="example", review=False, mode="full", seed=0, company=None, round_one=None, max_probes=None)
    policy, analysis = judgement_options(args)
    qset = load_question_set("core")
    writer = SessionWriter.create(tmp_path / "sessions", set=qset.id, set_title=qset.title, model="fake", voice="text",
                                  mode="headless", **target_meta(args))
    result = run_interview(qset, ArrayAnswers([speechlike(30.0)] * 60), ByQuestion([]), TextOnlyVoice(), writer, policy, analysis,
                           on_prompt=lambda p: current.update(category=p.category))
    session = load_session(result.folder)
    assert session.meta["target"]["name"] == "example"
    prompts = [t["prompt"] for t in session.turns]
    grounded = [p for p in prompts if p["reason"].get("document") in ("resume", "posting", "company_notes")]
    assert len(grounded) >= 6
    target = load_target("example")
    for p in grounded:
        assert p["reason"]["quote"] in target.texts[p["reason"]["document"]]
    assert any(p["reason"].get("probe") == "competitor_shared" for p in prompts)
    d = build_report(session).documents
    assert d.grounded_prompts >= 6 and d.unused_achievements and d.shared_praised and d.reverse_known
