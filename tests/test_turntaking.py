"""End of turn from what was said: the ending's grammar, the hold-or-yield rule, and the turn on audio time."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.audio.endpoint import EndpointOptions
from simulator.interview.policy import Prompt
from simulator.testing import FakeTranscriber
from simulator.turntaking.decision import TurnCues, TurnOptions, required_silence_s, sentences_needed
from simulator.turntaking.ending import Ending, classify_ending, expects_more
from simulator.turntaking.turn import TurnTaker

RATE = 16000


@pytest.mark.parametrize("text, ending", [
    ("前職では法人営業を担当しておりまして、", Ending.OPEN),  # a conjunctive て
    ("提案の内容を変えていったのですが", Ending.OPEN),
    ("チームで進めていったんですけど。", Ending.OPEN),  # Whisper's 。 does not close a けど
    ("私の強みは", Ending.OPEN),  # a topic still without its comment
    ("声を聞きながら、えーと", Ending.OPEN),
    ("そうですね", Ending.OPEN),  # a filler phrase, not a sentence
    ("ひとつめは", Ending.OPEN),
    ("担当し", Ending.OPEN),  # 連用形
    ("売上を前年比120%まで伸ばすことができました。", Ending.COMPLETE),
    ("と考えております", Ending.COMPLETE),
    ("特にございません", Ending.COMPLETE),
    ("御社でも通用するでしょうか", Ending.COMPLETE),
    ("以上です。", Ending.CLOSING),
    ("異常です", Ending.CLOSING),  # 以上 heard alone
    ("よろしくお願いいたします。", Ending.CLOSING),
    ("", Ending.UNKNOWN),
    ("営業の経験", Ending.UNKNOWN),  # 体言止め: the grammar does not settle it
])
def test_the_ending_is_read_from_its_grammar(text, ending):
    assert classify_ending(text) == ending


def test_a_list_announced_and_not_given_expects_more():
    assert expects_more("理由は二つあります。一つ目は価格です。")
    assert not expects_more("理由は二つあります。一つ目は価格です。二つ目はサポートです。")
    assert not expects_more("理由は三つあります。まず価格、最後に人です。")  # 最後に closes a list
    assert expects_more("結論から申しますと、営業を続けたいです。")
    assert expects_more("成功体験は、赤字の店舗を黒字にしたことです。まず、面談を増やしました。")  # a sequence begun
    assert not expects_more("まず、面談を増やしました。次に、シフトを見直しました。")
    assert not expects_more("結論から申しますと、営業を続けたいです。理由は顧客に近いからです。")
    assert not expects_more("営業を七年担当しました。")
    assert expects_more("発注の数を間違えたことがあります。")  # an episode announced: its story follows
    assert not expects_more("発注の数を間違えたことがあります。すぐに上司に報告して謝罪しました。")


def cues(ending, speech_s=20.0, more=False, sentences=3, needed=2, continued=0.0, greeting=False):
    return TurnCues(ending, more, speech_s, 2.5, continued, sentences, needed, greeting)


def test_hold_or_yield():
    o = TurnOptions()
    assert required_silence_s(cues(Ending.COMPLETE), o) == o.yield_s
    assert required_silence_s(cues(Ending.CLOSING), o) == o.closing_yield_s
    assert required_silence_s(cues(Ending.OPEN), o) == o.open_hold_s
    assert required_silence_s(cues(None), o) == 2.5  # not heard yet: the fixed rule
    assert required_silence_s(cues(Ending.UNKNOWN), o) == 2.5
    assert required_silence_s(cues(Ending.COMPLETE, more=True), o) == 2.5  # a list still owed
    assert required_silence_s(cues(Ending.COMPLETE, sentences=1, speech_s=4.0), o) == 2.5  # a headline: the substance follows
    assert required_silence_s(cues(Ending.COMPLETE, sentences=1), o) == o.yield_s  # one long sentence of several clauses
    assert required_silence_s(cues(Ending.COMPLETE, sentences=1, needed=1), o) == o.yield_s  # a follow-up's one sentence
    # a hesitant start: held as long as an open ending, unless nothing more is needed (「特にありません」)
    assert required_silence_s(cues(Ending.COMPLETE, speech_s=1.0), o) == o.open_hold_s
    assert required_silence_s(cues(Ending.COMPLETE, speech_s=1.0, sentences=1, needed=1), o) == o.yield_s
    # 「本日はよろしくお願いします」 at the start greets; 「以上です」 never does
    assert required_silence_s(cues(Ending.CLOSING, speech_s=4.0, greeting=True, sentences=1), o) == 2.5
    assert required_silence_s(cues(Ending.CLOSING, speech_s=4.0, sentences=1), o) == o.closing_yield_s
    # a candidate who went on after a 1.0 s pause at a sentence end gets more than that
    assert required_silence_s(cues(Ending.COMPLETE, continued=1.0), o) == pytest.approx(1.3)


def test_how_many_sentences_a_prompt_needs():
    assert sentences_needed(Prompt("question", "q", "experience", "…")) == 2
    assert sentences_needed(Prompt("probe", "q", "experience", "…")) == 1
    assert sentences_needed(Prompt("question", "r", "reverse", "…")) == 1


def feed(turn: TurnTaker, plan, block_s=0.05):
    """plan: [(seconds, is_speech)]; returns (reason, audio time it ended at)."""
    n = int(block_s * RATE)
    for seconds, speech in plan:
        for _ in range(int(round(seconds / block_s))):
            block = (0.1 * np.sin(np.arange(n) / 3.0) if speech else np.zeros(n)).astype(np.float32)
            reason = turn.feed(block, speech)
            if reason:
                return reason, turn.ep.elapsed_s
    return None, turn.ep.elapsed_s


def test_a_complete_answer_ends_soon_after_its_last_word():
    rec = FakeTranscriber([], endings=["…ことができました。"])
    turn = TurnTaker(EndpointOptions(), TurnOptions(), rec, clock=iter([0.0, 0.1]).__next__)
    reason, at = feed(turn, [(0.5, False), (12.0, True), (5.0, False)])
    assert reason == "silence"
    assert at - 12.5 == pytest.approx(TurnOptions().yield_s, abs=0.06)
    assert [h.ending for h in turn.heard] == [Ending.COMPLETE]


def test_an_open_ending_holds_past_the_fixed_rule_and_the_answer_goes_on():
    rec = FakeTranscriber([], endings=["一つ目は", "以上です。"])
    clock = iter([0.0, 0.1, 1.0, 1.1]).__next__
    turn = TurnTaker(EndpointOptions(), TurnOptions(), rec, clock=clock)
    reason, at = feed(turn, [(0.5, False), (12.0, True), (4.0, False), (3.0, True), (3.0, False)])
    assert reason == "silence"
    # the 4 s pause after 一つ目は was held (the fixed rule would have ended at 2.5 s), and
    # after 以上です the turn ended at closing_yield_s
    assert at == pytest.approx(0.5 + 12 + 4 + 3 + TurnOptions().closing_yield_s, abs=0.06)
    assert [h.ending for h in turn.heard] == [Ending.OPEN, Ending.CLOSING]


def test_the_decode_time_delays_the_decision_on_audio_time():
    # hearing the ending took 0.9 s: the decision exists only 0.3 + 0.9 s into the pause
    rec = FakeTranscriber([], endings=["…ました。"])
    turn = TurnTaker(EndpointOptions(), TurnOptions(), rec, clock=iter([0.0, 0.9]).__next__)
    reason, at = feed(turn, [(0.5, False), (12.0, True), (5.0, False)])
    assert at - 12.5 == pytest.approx(0.3 + 0.9, abs=0.06)


def test_without_the_ending_capability_the_fixed_rule_decides():
    turn = TurnTaker(EndpointOptions(), TurnOptions(), FakeTranscriber([]))
    reason, at = feed(turn, [(0.5, False), (12.0, True), (5.0, False)])
    assert at - 12.5 == pytest.approx(2.5, abs=0.06) and turn.heard == []
    fixed = TurnTaker(EndpointOptions(), None, FakeTranscriber([], endings=["以上です。"]))
    reason, at = feed(fixed, [(0.5, False), (12.0, True), (5.0, False)])
    assert at - 12.5 == pytest.approx(2.5, abs=0.06)
