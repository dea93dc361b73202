"""End of turn from what was said: the ending's grammar, the hold-or-yield rule, and the turn on audio time."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from simulator.audio.endpoint import EndpointOptions
from simulator.interview.policy import Prompt
from simulator.testing import FakeTranscriber
from simulator.turntaking.decision import Decision, TurnCues, TurnOptions, Why, decide, sentences_needed
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
    assert expects_more("二点お伺いしたいです。")  # announced by asking
    assert expects_more("2点を伺いしたいです。")  # as Whisper wrote it
    assert expects_more("強みを二つ挙げます。一つ目は粘り強さです。")
    assert not expects_more("二点お伺いしたいです。まず研修についてです。最後に配属についてです。")
    assert not expects_more("二点お伺いしたいです。まず、研修の内容です。次に、チームの人数です。")
    assert expects_more("理由は三つあります。まず、価格です。次に、品質です。")
    assert not expects_more("二つの部署を経験しました。")
    assert expects_more("発注の数を間違えたことがあります。")  # an episode announced: its story follows
    assert not expects_more("発注の数を間違えたことがあります。すぐに上司に報告して謝罪しました。")


def cues(ending, speech_s=20.0, more=False, sentences=3, needed=2, continued=0.0, greeting=False):
    return TurnCues(ending, more, speech_s, 2.5, continued, sentences, needed, greeting)


def test_hold_or_yield():
    o = TurnOptions()
    assert decide(cues(Ending.COMPLETE), o).silence_s == o.yield_s
    assert decide(cues(Ending.CLOSING), o).silence_s == o.closing_yield_s
    assert decide(cues(Ending.OPEN), o).silence_s == o.open_hold_s
    assert decide(cues(None), o).silence_s == 2.5  # not heard yet: the fixed rule
    assert decide(cues(Ending.UNKNOWN), o).silence_s == 2.5
    assert decide(cues(Ending.COMPLETE, more=True), o).silence_s == 2.5  # a list still owed
    assert decide(cues(Ending.COMPLETE, sentences=1, speech_s=4.0), o).silence_s == 2.5  # a headline: the substance follows
    assert decide(cues(Ending.COMPLETE, sentences=1), o).silence_s == o.yield_s  # one long sentence of several clauses
    assert decide(cues(Ending.COMPLETE, sentences=1, needed=1), o).silence_s == o.yield_s  # a follow-up's one sentence
    # a hesitant start: held as long as an open ending, unless nothing more is needed (「特にありません」)
    assert decide(cues(Ending.COMPLETE, speech_s=1.0), o).silence_s == o.open_hold_s
    assert decide(cues(Ending.COMPLETE, speech_s=1.0, sentences=1, needed=1), o).silence_s == o.yield_s
    # 「本日はよろしくお願いします」 at the start greets; 「以上です」 never does
    assert decide(cues(Ending.CLOSING, speech_s=4.0, greeting=True, sentences=1), o).silence_s == 2.5
    assert decide(cues(Ending.CLOSING, speech_s=4.0, sentences=1), o).silence_s == o.closing_yield_s
    # a candidate who went on after a 1.0 s pause at a sentence end gets more than that
    assert decide(cues(Ending.COMPLETE, continued=1.0), o).silence_s == pytest.approx(1.3)


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


def test_the_decision_says_which_rule_set_the_silence():
    o = TurnOptions()
    assert decide(cues(Ending.COMPLETE), o) == Decision(o.yield_s, Why.YIELD)
    assert decide(cues(Ending.COMPLETE, sentences=1, speech_s=4.0), o).why == Why.HEADLINE
    assert decide(cues(Ending.COMPLETE, more=True), o).why == Why.OWED
    assert decide(cues(Ending.COMPLETE, speech_s=1.0), o).why == Why.START
    assert decide(cues(Ending.OPEN), o).why == Why.OPEN
    assert decide(cues(Ending.UNKNOWN), o).why == Why.UNSETTLED
    assert decide(cues(Ending.CLOSING), o).yields and not decide(cues(Ending.OPEN), o).yields


def test_a_pause_the_rule_held_for_does_not_teach_the_speakers_pace():
    # 「成功体験は、赤字の店舗を黒字にしたことです。」 is a headline: held with the fixed rule, and
    # the candidate goes on after 1.8 s, as expected. The last sentence still yields at yield_s,
    # not 1.3 x 1.8 s (it did before: every answer with a headline waited 2-3 s at its end).
    rec = FakeTranscriber([], endings=["赤字の店舗を黒字にしたことです。", "シフトを見直しました。"])
    turn = TurnTaker(EndpointOptions(), TurnOptions(), rec, clock=iter([0.0, 0.1, 1.0, 1.1]).__next__, sentences_needed=2)
    reason, at = feed(turn, [(0.5, False), (3.5, True), (1.8, False), (4.0, True), (5.0, False)])
    assert [h.why for h in turn.heard] == [Why.HEADLINE, Why.YIELD]
    assert turn.longest_continued_s == 0.0
    assert at - (0.5 + 3.5 + 1.8 + 4.0) == pytest.approx(TurnOptions().yield_s, abs=0.06)


def test_going_on_after_a_yield_teaches_the_speakers_pace():
    # a follow-up's complete sentence: the rule yields, and the candidate goes on after 0.6 s
    rec = FakeTranscriber([], endings=["御社の研修について伺いました。", "その点を確認したいです。"])
    turn = TurnTaker(EndpointOptions(), TurnOptions(), rec, clock=iter([0.0, 0.1, 1.0, 1.1]).__next__)
    reason, at = feed(turn, [(0.5, False), (4.0, True), (0.6, False), (3.0, True), (5.0, False)])
    assert turn.heard[0].why == Why.YIELD and turn.longest_continued_s == pytest.approx(0.6, abs=0.06)
    assert at - (0.5 + 4.0 + 0.6 + 3.0) == pytest.approx(1.3 * turn.longest_continued_s, abs=0.06)


@dataclass
class Listening(FakeTranscriber):
    """A fake that also keeps how much audio each hear_ending was given."""

    lengths_s: list = field(default_factory=list)

    def hear_ending(self, samples):
        self.lengths_s.append(len(samples) / RATE)
        return super().hear_ending(samples)


def test_the_decode_hears_the_sentence_under_way():
    # after 「山本と申します。」 the next pause hears only what followed it (Whisper given both
    # wrote the earlier sentence again and the open 「現在は、」 was read as complete)
    rec = Listening([], endings=["山本と申します。", "現在は、物流会社では、"])
    turn = TurnTaker(EndpointOptions(), TurnOptions(), rec, clock=iter([0.0, 0.1, 1.0, 1.1]).__next__, sentences_needed=2)
    feed(turn, [(0.5, False), (2.0, True), (1.0, False), (2.5, True), (1.0, False)])
    assert rec.lengths_s[0] == pytest.approx(2.5 + 0.15, abs=0.06)  # the start of the answer, and 0.15 s of the pause
    assert rec.lengths_s[1] == pytest.approx(0.1 + 2.5 + 0.15, abs=0.06)  # not the last 3 s
    assert turn.heard[1].ending == Ending.OPEN


def test_a_decode_with_too_few_words_for_its_speech_is_heard_again_whole():
    # 2.5 s of speech heard as a bare 「です。」: the last 3 s are heard again, and that reading kept
    rec = Listening([], endings=["中村と申します。", "です。", "申します。経理を五年担当しておりますが、"])
    turn = TurnTaker(EndpointOptions(), TurnOptions(), rec, clock=iter([0.0, 0.1, 1.0, 1.1, 1.2, 1.3]).__next__,
                     sentences_needed=2)
    feed(turn, [(0.5, False), (2.0, True), (1.0, False), (2.5, True), (1.0, False)])
    assert len(rec.lengths_s) == 3 and rec.lengths_s[2] == pytest.approx(TurnOptions().hear_max_s, abs=0.06)
    assert turn.heard[1].ending == Ending.OPEN
    assert turn.heard[1].ready_at_s == pytest.approx(0.5 + 2.0 + 1.0 + 2.5 + 0.3 + 0.2, abs=0.06)  # both decodes took audio time


@pytest.mark.parametrize("raw, heard", [
    ("以上です。以上です。以上で", "以上です。"),
    # a loop stopped by the token cap: mid-character (U+FFFD) and one partial repeat
    ("最後に、社員の皆さんの雰囲気です。最後に、社員の皆さんの\ufffd", "最後に、社員の皆さんの雰囲気です。"),
    ("まず、現場の仕事を覚えます。まず、現場の仕事を覚えます", "まず、現場の仕事を覚えます。"),
    ("新規開\ufffd", "新規開"),
    ("はい、はい", "はい、はい"),  # said so
    ("そうですね、そうですね。", "そうですね、そうですね。"),
])
def test_a_looping_short_decode_is_cut_where_it_starts_over(raw, heard):
    from simulator.speech.transcriber import _cut_repetition

    assert _cut_repetition(raw) == heard
    assert classify_ending(_cut_repetition(raw)) == classify_ending(heard)


def test_the_final_contour_tells_a_fall_from_a_rise():
    from simulator.turntaking.prosody import final_contour

    t = np.arange(int(0.8 * RATE)) / RATE

    def tone(f0_start, f0_end):
        f0 = np.linspace(f0_start, f0_end, len(t))
        return (0.3 * np.sin(2 * np.pi * np.cumsum(f0) / RATE)).astype(np.float32)

    fall, rise, level = final_contour(tone(220, 160)), final_contour(tone(160, 220)), final_contour(tone(200, 200))
    assert fall.slope_st < -1.5 and rise.slope_st > 1.5 and abs(level.slope_st) < 0.5
    assert fall.last_voiced_s == pytest.approx(0.76, abs=0.05)
    assert final_contour(np.zeros(int(0.8 * RATE), np.float32)) is None  # silence: nothing to say
