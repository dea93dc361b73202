"""The interview vocabulary (per-question hotwords), the mishearing fold, and unsure words.

Fast tier: the builder and the fold are pure; the wiring (loop -> wrappers -> Whisper options,
streamed pieces included) runs with the model's decode replaced. One slow test runs the real
model with and without the vocabulary on a synthesized answer from bench/vocabulary.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from simulator.audio.clip import AudioClip
from simulator.interview.company import load_company, parse_company
from simulator.interview.round_one import load_round_one
from simulator.speech.confidence import UNSURE_BELOW, UNSURE_LEGEND, marked_text, spared_terms, unsure_spans
from simulator.speech.mishearings import Correction, fold, fold_transcript, fold_words
from simulator.speech.transcriber import Transcript, WhisperTranscriber, Word
from simulator.testing import FakeTranscriber
from simulator.speech.vocabulary import CORE_TERMS, MAX_CHARS, QuestionVocabulary, hotwords_for, noun_compounds

from tests.conftest import REPO

BENCH = REPO / "bench" / "vocabulary"
MIRAI = REPO / "bench" / "findings" / "companies" / "mirai.toml"
TOYO = REPO / "bench" / "findings" / "companies" / "toyo.toml"


def terms(text: str) -> list[str]:
    return text.split("、")


# --- the vocabulary builder (pure) ---------------------------------------------------------------


def test_core_terms_are_there_for_any_question():
    words = terms(hotwords_for(None))
    for t in ("前職", "御社", "貴社", "弊社", "志望", "社風", "解約率", "売上", "新規開拓"):
        assert t in words
    assert words == list(dict.fromkeys(words))  # each term once


def test_the_order_follows_the_question():
    assert terms(hotwords_for("motivation"))[:2] == ["御社", "貴社"]
    assert terms(hotwords_for("experience"))[:3] == list(CORE_TERMS["results"][:3])
    assert terms(hotwords_for("reason_for_leaving"))[0] == "前職"


def test_a_motivation_question_gets_the_company_terms_first():
    company = load_company(MIRAI)
    words = terms(hotwords_for("motivation", company))
    assert words[0] == "ミライ会計"  # 株式会社 dropped: nobody says it
    assert words.index("クラウドブックス") < words.index("志望動機") + 10
    for t in ("会計ワン", "税理士事務所", "DX支援"):
        assert t in words
    # elsewhere the core terms lead and the company's name follows them
    exp = terms(hotwords_for("experience", company))
    assert exp[0] == "売上" and "ミライ会計" in exp


def test_company_compounds_are_whole_and_generic_words_are_left_out():
    assert noun_compounds("冷凍冷蔵倉庫の運営") == ["冷凍冷蔵倉庫"]  # 運営 alone is generic
    assert noun_compounds("食品と日用品の3PL物流") == ["食品", "日用品", "3PL物流"]
    assert "2030年" not in noun_compounds("2030年までに配送のCO2排出を半減する環境方針")
    words = terms(hotwords_for("motivation", load_company(TOYO)))
    assert words[0] == "東洋ロジテック" and "ピッキングロボット" in words and "コールドチェーン" in words


def test_round_one_terms_are_included():
    words = terms(hotwords_for("experience", None, load_round_one(BENCH / "round_one.toml")))
    assert "アップセル" in words and "深耕" in words


def test_the_text_is_bounded_and_the_same_every_time():
    big = parse_company({"name": "株式会社テスト", "keywords": [f"製品{chr(0x30A2 + i)}{i}" for i in range(60)]})
    text = hotwords_for("motivation", big)
    assert len(text) <= MAX_CHARS
    assert text == hotwords_for("motivation", big)
    assert len(hotwords_for(None, max_chars=10)) <= 10


def test_question_vocabulary_caches_per_category():
    v = QuestionVocabulary(load_company(MIRAI))
    assert v.hotwords("motivation") is v.hotwords("motivation")
    assert v.hotwords("motivation") != v.hotwords("experience")


# --- wiring: the loop sets the question's vocabulary, the streamed pieces get it --------------------


def test_for_question_sets_the_hotwords_without_loading_the_model():
    t = WhisperTranscriber(vocabulary=QuestionVocabulary())
    before = t.options
    t.for_question("motivation")
    assert t.options.hotwords == hotwords_for("motivation")
    assert before.hotwords is None  # replaced, not changed: a decode under way keeps its options
    assert t._model is None
    plain = WhisperTranscriber()
    plain.for_question("motivation")
    assert plain.options.hotwords is None


class RecordingWhisper(WhisperTranscriber):
    """WhisperTranscriber with its decode replaced: records the hotwords each window was decoded with."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.heard_with: list[str | None] = []

    def _transcribe_window(self, samples, pieces, prompt, o):
        self.heard_with.append(o.hotwords)
        return [Word("はい", pieces[0].start_s, pieces[0].end_s)], ["はい"]

    def transcribe_snippet(self, clip):
        return ""


def speechlike(duration_s: float, rate: int = 16000) -> np.ndarray:
    t = np.arange(int(duration_s * rate)) / rate
    return (0.3 * np.sin(2 * np.pi * 150 * t) * (0.5 + 0.5 * np.sin(2 * np.pi * 4 * t))).astype(np.float32)


def test_streamed_pieces_are_heard_with_the_vocabulary_of_the_question():
    from simulator.streaming.policy import CutPolicy
    from simulator.streaming.preload import PreloadingTranscriber
    from simulator.streaming.transcriber import InlineWorker, StreamingTranscriber
    from simulator.testing import EnergyVad

    inner = RecordingWhisper(vocabulary=QuestionVocabulary())
    pre = PreloadingTranscriber.start(inner)
    pre.for_question("reason_for_leaving")  # what the loop does before each answer
    stream = StreamingTranscriber(pre, CutPolicy(min_piece_s=1.0, idle_cut_pause_s=None), vad=EnergyVad(), worker=InlineWorker())
    gap = np.zeros(16000, np.float32)
    audio = np.concatenate([gap, speechlike(2.0), gap, speechlike(2.0), gap])
    for i in range(0, len(audio), 1600):
        stream.push(audio[i : i + 1600])
    transcript = stream.finish()
    assert len(stream.stats.pieces) >= 2
    assert transcript.hotwords == hotwords_for("reason_for_leaving")
    assert inner.heard_with and set(inner.heard_with) == {hotwords_for("reason_for_leaving")}


def test_the_interview_loop_sets_each_questions_vocabulary_before_the_answer(tmp_path):
    from simulator.audio.sources import ArrayAnswers
    from simulator.interview.question_sets import load_question_set
    from simulator.interview.session import run_interview
    from simulator.speech.voice import TextOnlyVoice
    from simulator.store.session_store import SessionWriter

    events: list[tuple[str, str | None]] = []

    class Fake(FakeTranscriber):
        def for_question(self, category):
            events.append(("question", category))

    class Source(ArrayAnswers):
        def next_answer(self, prompt, prompt_audio):
            events.append(("answer", None))
            return super().next_answer(prompt, prompt_audio)

    clip = AudioClip(np.concatenate([np.zeros(8000, np.float32), speechlike(3.0)]))
    qset = load_question_set("core")
    writer = SessionWriter.create(tmp_path, set=qset.id)
    run_interview(qset, Source([clip, clip]), Fake(["はい。"]), TextOnlyVoice(), writer)
    assert events[0] == ("question", qset.questions[0].category) and events[1] == ("answer", None)
    assert [e for e, _ in events[:4]] == ["question", "answer", "question", "answer"]


def test_build_transcriber_reads_company_and_round_one_and_no_vocabulary_turns_it_off():
    import argparse

    from simulator.commands.common import add_model_option, build_transcriber

    p = argparse.ArgumentParser()
    add_model_option(p)
    p.add_argument("--company")
    p.add_argument("--round-one", dest="round_one")
    p.add_argument("--category")
    args = p.parse_args(["--company", str(MIRAI), "--round-one", str(BENCH / "round_one.toml"), "--category", "motivation"])
    t = build_transcriber(args)
    assert t.options.hotwords.startswith("ミライ会計")
    t.for_question("experience")
    assert "アップセル" in t.options.hotwords
    off = build_transcriber(p.parse_args(["--no-vocabulary"]))
    assert off.vocabulary is None and off.options.hotwords is None


def test_bench_vocabulary_is_a_bench_command():
    import argparse

    from simulator.commands import bench

    sub = argparse.ArgumentParser().add_subparsers()
    bench.register(sub)
    args = sub.choices["bench"].parse_args(["vocabulary", "--json", "--streamed"])
    assert args.what == "vocabulary" and args.streamed and args.placement == "hotwords"


# --- the mishearing fold (pure) -----------------------------------------------------------------


@pytest.mark.parametrize("heard, written", [
    ("音車の社風", "御社の社風"), ("恩社", "御社"), ("温社", "御社"), ("御者", "御社"), ("オンシャ", "御社"),
    ("音者を", "御社を"), ("温者は", "御社は"), ("オンサの", "御社の"), ("平者の売上", "弊社の売上"),
    ("死亡した理由", "志望した理由"), ("指望した", "志望した"), ("全職では", "前職では"), ("シャフよりも", "社風よりも"),
    ("シャフーは", "社風は"), ("砂風に", "社風に"), ("開躍率", "解約率"), ("解役率", "解約率"), ("会約率", "解約率"),
    ("新機開拓", "新規開拓"), ("1時面接", "一次面接"), ("成球所", "請求書"),
])
def test_fold_writes_known_mishearings_as_meant(heard, written):
    text, corrections = fold(heard)
    assert text == written and corrections


@pytest.mark.parametrize("text", ["死亡事故をゼロにしました", "全職員に説明しました", "シャフトの設計", "解約率を下げた", "御社を志望", "音叉"])
def test_fold_leaves_real_words_alone(text):
    assert fold(text) == (text, [])


def test_fold_reports_what_was_heard_where_and_is_idempotent():
    text, corrections = fold("音者を死亡した理由は、全職の社風です")
    assert text == "御社を志望した理由は、前職の社風です"
    assert corrections == [Correction("音者", "御社", 0), Correction("死亡", "志望", 3), Correction("全職", "前職", 11)]
    assert fold(text) == (text, [])


def test_fold_words_merges_a_mishearing_split_over_words():
    words = (Word("御社", 0.0, 0.5, 0.9), Word("を", 0.5, 0.6, 0.9), Word("死", 0.6, 0.8, 0.12), Word("亡", 0.8, 1.0, 0.8), Word("しました", 1.0, 1.5, 0.9))
    out = fold_words(words)
    assert [w.text for w in out] == ["御社", "を", "志望", "しました"]
    assert (out[2].start_s, out[2].end_s, out[2].probability) == (0.6, 1.0, 0.12)
    assert fold_words((Word("死亡全職", 0, 1, 0.5),))[0].text == "志望前職"
    assert fold_words((Word("は", 0, 1), Word("死亡で", 1, 2))) == (Word("は", 0, 1), Word("志望で", 1, 2))


def test_fold_transcript_keeps_the_raw_text_and_old_records_still_load():
    t = Transcript("死亡しました", (Word("死亡", 0, 1, 0.2), Word("しました", 1, 2)))
    f = fold_transcript(t)
    assert f.text == "志望しました" and f.raw_text == "死亡しました" and f.corrections == (Correction("死亡", "志望", 0),)
    assert fold_transcript(f) == f
    d = f.to_dict()
    assert d["raw_text"] == "死亡しました" and d["corrections"] == [{"heard": "死亡", "written": "志望", "at": 0}]
    assert Transcript.from_dict(d) == f
    # a record saved before the fold existed: no raw_text, no corrections
    old = Transcript.from_dict({"text": "はい", "language": "ja", "words": [{"text": "はい", "start_s": 0, "end_s": 1, "probability": 0.9}]})
    assert old.raw_text is None and old.corrections == ()
    assert "corrections" not in Transcript("はい").to_dict()  # unchanged format when nothing was folded


def test_the_answer_analysis_shows_the_folded_text_and_keeps_what_was_heard():
    from simulator.analysis.answer import analyze_answer

    clip = AudioClip(np.concatenate([np.zeros(8000, np.float32), speechlike(3.0), np.zeros(8000, np.float32)]))
    analysis = analyze_answer(clip, FakeTranscriber(["御社を死亡した理由は、全職の経験です。"]), category="motivation")
    d = analysis.to_dict()
    assert d["transcript"] == "御社を志望した理由は、前職の経験です。"
    assert [c["heard"] for c in d["transcript_corrections"]] == ["死亡", "全職"]
    assert analysis.transcript.raw_text == "御社を死亡した理由は、全職の経験です。"
    assert "".join(w.text for w in analysis.transcript.words) == d["transcript"]


# --- unsure words: the card and the report ----------------------------------------------------


WORDS = [{"text": "御社", "start_s": 0.0, "end_s": 0.4, "probability": 0.9}, {"text": "の", "start_s": 0.4, "end_s": 0.5, "probability": 0.9},
         {"text": "社風", "start_s": 0.5, "end_s": 0.9, "probability": 0.12}, {"text": "に惹かれて、", "start_s": 0.9, "end_s": 1.5, "probability": 0.95},
         {"text": "えーと", "start_s": 1.6, "end_s": 1.9, "probability": 0.1}, {"text": "志望しました。", "start_s": 2.0, "end_s": 2.6, "probability": 0.9}]


def test_unsure_words_are_marked_below_the_threshold():
    assert 0.0 < UNSURE_BELOW < 1.0
    assert unsure_spans(WORDS) == [(3, 5), (11, 14)]
    assert marked_text(WORDS[:4]) == "御社の社風(?)に惹かれて、"
    assert unsure_spans([{"text": "、", "probability": 0.01}]) == []  # punctuation is never "unsure"
    # a word of the vocabulary the answer was heard with is spared (its low probability is the alignment's)
    assert unsure_spans(WORDS, spare=spared_terms("御社、社風")) == [(11, 14)]
    assert spared_terms(None) == [] and spared_terms("御社、志望") == ["御社", "志望"]


def test_transcripts_say_which_vocabulary_they_were_heard_with():
    t = Transcript("はい", (Word("はい", 0, 1),), hotwords="御社、志望")
    assert t.to_dict()["hotwords"] == "御社、志望" and Transcript.from_dict(t.to_dict()) == t
    assert "hotwords" not in Transcript("はい").to_dict()


def test_the_live_card_marks_unsure_words_and_explains_the_marker():
    from simulator.ui.screen import card_lines

    record = {"answer": {"ended_by": "silence", "transcript": {"text": "", "words": WORDS[:4]}},
              "analysis": {"answer_s": 45.0, "response_latency_s": 1.0, "morae_per_min": 300, "fillers": {"total": 0},
                           "findings": [], "transcript": "御社の社風に惹かれて、"}}
    lines = card_lines(record)
    assert "「御社の社風(?)に惹かれて、」" in lines and UNSURE_LEGEND in lines
    record["answer"]["transcript"]["words"] = [dict(w, probability=0.9) for w in WORDS[:4]]
    assert UNSURE_LEGEND not in card_lines(record)
    record["answer"]["transcript"].update(words=WORDS[:4], hotwords="社風")  # heard with the vocabulary: spared
    assert "「御社の社風に惹かれて、」" in card_lines(record)


def test_report_segments_mark_unsure_words_but_not_over_a_filler():
    from simulator.report.view import transcript_segments

    text = "".join(w["text"] for w in WORDS)
    segs = transcript_segments(text, WORDS, [{"form": "えーと", "start_s": 1.6}], [])
    assert [(s.kind, s.text) for s in segs] == [
        ("text", "御社の"), ("unsure", "社風"), ("text", "に惹かれて、"), ("filler", "えーと"), ("text", "志望しました。")]
    assert segs[1].probability == 0.12
    spared = transcript_segments(text, WORDS, [{"form": "えーと", "start_s": 1.6}], [], hotwords="御社、社風")
    assert "unsure" not in [s.kind for s in spared]


def test_report_renderers_show_the_unsure_marker_and_legend(tmp_path):
    from simulator.report.html import environment
    from simulator.report.markdown import mdescape
    from simulator.report.view import transcript_segments

    segs = transcript_segments("御社の社風に", WORDS[:3] + [{"text": "に", "start_s": 0.9, "end_s": 1.0, "probability": 0.9}], [], [])
    html = environment().from_string(
        '{% for s in segs %}{% if s.kind == "unsure" %}<span class="unsure">{{ s.text }}</span>{% else %}{{ s.text }}{% endif %}{% endfor %}'
    ).render(segs=segs)
    assert html == '御社の<span class="unsure">社風</span>に'
    templates = REPO / "simulator" / "report" / "templates"
    page = (templates / "report.html.j2").read_text(encoding="utf-8")
    assert 's.kind == "unsure"' in page and 'class="unsure">点線' in page
    assert "span.unsure" in (templates / "report.css").read_text(encoding="utf-8")
    md = (templates / "report.md.j2").read_text(encoding="utf-8")
    assert '{{ s.text|mdescape }}(?)' in md and "(?) は聞き取りに自信のない語" in md
    assert mdescape("社風") == "社風"


# --- the real model (slow) ----------------------------------------------------------------------


@pytest.mark.slow
def test_the_vocabulary_makes_whisper_hear_the_key_term(whisper):
    from simulator.evaluation.vocabulary import load_items, term_heard, transcribe_item

    truth = json.loads((BENCH / "truth.json").read_text(encoding="utf-8"))
    name = "voc07.ogg"  # 御社の社風に惹かれて、志望しました。 (Whisper base alone writes 死亡)
    assert any(it["file"] == name for it in truth["items"])
    item = next(i for i in load_items()[0] if i.name == name)
    before = whisper.options
    without, _ = transcribe_item(whisper, item, vocabulary=False, streamed=False)
    with_, hotwords = transcribe_item(whisper, item, vocabulary=True, streamed=False)
    assert whisper.options is before and whisper.vocabulary is None  # the shared model is left as it was
    assert "志望" in hotwords
    assert term_heard("志望", with_.text), with_.text
    heard = lambda text: sum(term_heard(t, text) for t in item.terms)  # noqa: E731
    assert heard(with_.text) > heard(without.text), (without.text, with_.text)
    assert fold(without.text)[0] != without.text or term_heard("志望", without.text)  # the fold catches what the base model writes
