"""Zero-wait turns: the cut policy (pure), the streamed VAD, the streaming transcriber with fakes on
virtual time, the real-time source on a fake clock, model preloading, and one real-model check."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.analysis.timing import measure_timing, speech_spans
from simulator.audio.clip import AudioClip
from simulator.audio.decode import load_audio
from simulator.audio.realtime import RealtimeArraySource
from simulator.errors import ModelError
from simulator.speech.transcriber import Capabilities, Transcript, Word
from simulator.testing import EnergyVad, FakeTranscriber, ManualWorker
from simulator.streaming.policy import FRAME_S, CutPolicy, choose_cut, silences_after_speech, silent_lead_to_drop
from simulator.streaming.preload import PreloadingTranscriber, speak_first_while_loading
from simulator.streaming.transcriber import InlineWorker, StreamingTranscriber, ThreadWorker
from simulator.audio.speech_activity import StreamingVad, spans_from_probs

from tests.conftest import DATA, run_cli

RATE = 16000
POLICY = CutPolicy(min_piece_s=8.0, max_piece_s=16.0, cut_pause_min_s=0.35, flush_pause_s=0.8, flush_min_piece_s=3.0, fallback_pause_min_s=0.1, idle_cut_pause_s=None)


def frames(*runs: tuple[bool, float]) -> list[bool]:
    """[(speech?, seconds), ...] -> one flag per 32 ms frame."""
    out: list[bool] = []
    for speech, seconds in runs:
        out += [speech] * int(round(seconds / FRAME_S))
    return out


# --- the cut policy (pure) ----------------------------------------------------------------------


def test_no_cut_inside_continuous_speech_even_past_the_maximum():
    assert choose_cut(frames((True, 30.0)), POLICY) is None


def test_no_cut_at_a_pause_before_the_piece_is_long_enough():
    flags = frames((True, 3.0), (False, 0.5), (True, 2.0))
    assert choose_cut(flags, POLICY) is None


def test_cut_at_the_middle_of_the_first_long_enough_pause_after_the_minimum():
    flags = frames((True, 5.0), (False, 0.2), (True, 4.0), (False, 0.5), (True, 2.0), (False, 0.6), (True, 1.0))
    cut = choose_cut(flags, POLICY)
    pause = silences_after_speech(flags)[1]  # the 0.2 s pause is too short; the 0.5 s one is the first eligible
    assert pause.frames * FRAME_S == pytest.approx(0.5, abs=0.04)
    assert cut == pause.middle
    assert not flags[cut - 1] and not flags[cut]


def test_an_ongoing_pause_cuts_as_soon_as_it_is_long_enough():
    assert choose_cut(frames((True, 9.0), (False, 0.2)), POLICY) is None
    cut = choose_cut(frames((True, 9.0), (False, 0.36)), POLICY)
    assert cut is not None and cut * FRAME_S == pytest.approx(9.0 + 0.18, abs=0.04)


def test_a_long_pause_flushes_a_piece_of_a_few_seconds():
    assert choose_cut(frames((True, 3.5), (False, 0.7)), POLICY) is None
    cut = choose_cut(frames((True, 3.5), (False, 0.81)), POLICY)
    assert cut is not None and 3.5 < cut * FRAME_S < 4.0


def test_an_idle_worker_gets_shorter_pieces():
    from dataclasses import replace

    policy = replace(POLICY, idle_cut_pause_s=0.35)
    flags = frames((False, 0.2), (True, 3.0), (False, 0.36))
    assert choose_cut(flags, policy) is None  # busy: too short a piece, keep listening
    cut = choose_cut(flags, policy, idle=True)
    assert cut is not None and cut * FRAME_S == pytest.approx(3.2 + 0.18, abs=0.06)
    assert choose_cut(frames((True, 3.0), (False, 0.3)), policy, idle=True) is None  # not a pause yet
    assert choose_cut(flags, POLICY, idle=True) is None  # idle cuts switched off
    # A phrase under idle_min_piece_s waits for what follows at a short pause, not at a long one.
    phrase = frames((True, 0.8), (False, 0.5))
    assert choose_cut(phrase, policy, idle=True) is None
    assert choose_cut(frames((True, 0.8), (False, 0.81)), policy, idle=True) is not None
    assert choose_cut(frames((True, 0.8), (False, 0.81)), policy) is None  # busy: flush_min_piece_s
    assert choose_cut(frames((True, 0.1), (False, 1.0)), policy, idle=True) is None  # a click is no piece
    # Past idle_max_piece_s with no 0.35 s pause, the longest pause of 0.2 s or more will do ...
    long = frames((True, 2.0), (False, 0.15), (True, 1.0), (False, 0.25), (True, 1.5))
    assert choose_cut(long, policy, idle=True) == silences_after_speech(long)[1].middle
    assert choose_cut(long, policy) is None  # ... busy, only past max_piece_s
    assert choose_cut(frames((True, 2.0), (False, 0.15), (True, 2.5)), policy, idle=True) is None  # never at 0.15 s


def test_past_the_maximum_the_longest_short_pause_is_used():
    flags = frames((True, 6.0), (False, 0.13), (True, 5.0), (False, 0.26), (True, 6.0))
    assert len(flags) * FRAME_S >= POLICY.max_piece_s
    cut = choose_cut(flags, POLICY)
    longest = max(silences_after_speech(flags), key=lambda s: s.frames)
    assert cut == longest.middle


def test_too_little_speech_is_never_a_piece():
    assert choose_cut(frames((False, 2.0), (True, 0.1), (False, 3.0)), POLICY) is None


def test_silent_start_is_dropped_down_to_the_lead_pad():
    pad = int(round(POLICY.lead_pad_s / FRAME_S))
    assert silent_lead_to_drop(frames((False, 3.0)), POLICY) == len(frames((False, 3.0))) - pad
    flags = frames((False, 2.0), (True, 1.0))
    assert silent_lead_to_drop(flags, POLICY) == flags.index(True) - pad
    assert silent_lead_to_drop(frames((True, 1.0), (False, 2.0)), POLICY) == 0


# Any answer as runs of speech or silence, each 1-120 VAD frames long.
RUNS = st.lists(st.tuples(st.booleans(), st.integers(1, 120)), min_size=1, max_size=30)


def flags_of(runs) -> list[bool]:
    return [speech for speech, n in runs for _ in range(n)]


@settings(max_examples=300, deadline=None)
@given(RUNS)
def test_a_cut_is_always_inside_a_pause_that_the_rules_allow(runs):
    flags = flags_of(runs)
    cut = choose_cut(flags, POLICY)
    if cut is None:
        return
    assert 0 < cut < len(flags)
    assert not flags[cut] and not flags[cut - 1], "a cut must never split speech"
    (pause,) = [s for s in silences_after_speech(flags) if s.start <= cut < s.end]
    assert cut == pause.middle
    pause_s = pause.frames * FRAME_S
    if len(flags) * FRAME_S < POLICY.max_piece_s:
        assert pause_s >= POLICY.cut_pause_min_s - 1e-9
        piece_s = cut * FRAME_S
        assert piece_s >= POLICY.min_piece_s or (pause_s >= POLICY.flush_pause_s - 1e-9 and piece_s >= POLICY.flush_min_piece_s)
    else:
        assert pause_s >= POLICY.fallback_pause_min_s - 1e-9


@settings(max_examples=200, deadline=None)
@given(RUNS)
def test_an_idle_cut_is_never_later_than_a_busy_one_and_never_splits_speech(runs):
    from dataclasses import replace

    flags = flags_of(runs)
    policy = replace(POLICY, idle_cut_pause_s=0.35)
    busy, idle = choose_cut(flags, policy), choose_cut(flags, policy, idle=True)
    if busy is not None:
        assert idle is not None and idle <= busy
    if idle is not None:
        assert not flags[idle] and not flags[idle - 1]
        (pause,) = [s for s in silences_after_speech(flags) if s.start <= idle < s.end]
        assert idle == pause.middle


# --- the streamed VAD is the whole-clip VAD --------------------------------------------------------


def _real_answer() -> AudioClip:
    """Two real recordings with a thinking pause between and the end-of-turn silence after."""
    a = load_audio(DATA / "common_voice_ja_38852485_16k.wav").samples
    b = load_audio(DATA / "test_ja_2.wav").samples
    z = lambda s: np.zeros(int(s * RATE), np.float32)  # noqa: E731
    return AudioClip(np.concatenate([z(0.8), a, z(1.3), b, z(2.5)]).astype(np.float32))


def _push_all(stream: StreamingTranscriber, clip: AudioClip, sizes=(320, 800, 173, 1024), after_each=None) -> None:
    i = k = 0
    while i < len(clip.samples):
        n = sizes[k % len(sizes)]
        stream.push(clip.samples[i : i + n])
        if after_each:
            after_each()
        i += n
        k += 1


def test_streamed_vad_gives_the_whole_clip_probabilities_and_timing():
    from faster_whisper.vad import get_vad_model

    clip = _real_answer()
    whole = get_vad_model()(np.pad(clip.samples, (0, 512 - len(clip.samples) % 512))).reshape(-1)
    stream = StreamingTranscriber(FakeTranscriber(["テスト"]), worker=InlineWorker())
    _push_all(stream, clip)
    stream.finish()
    probs = np.concatenate(stream._probs)
    assert probs.shape == whole.shape
    np.testing.assert_allclose(probs, whole, atol=1e-5)
    assert spans_from_probs(probs, len(clip.samples)) == speech_spans(clip)
    timing, expected = stream.timing(), measure_timing(clip)
    # The one segmentation (audio/speech_activity.py) is faster-whisper's, for every setting used.
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    from simulator.audio.speech_activity import Segmentation, speech_spans as spans_of
    from simulator.speech.transcriber import TranscribeOptions

    o = TranscribeOptions()
    for seg in (Segmentation(), Segmentation(o.vad_threshold, o.vad_min_silence_ms, 0, o.vad_min_speech_ms),
                Segmentation(0.3, 150, 30, 100)):
        reference = get_speech_timestamps(clip.samples, VadOptions(threshold=seg.threshold, min_silence_duration_ms=seg.min_silence_ms,
                                                                   speech_pad_ms=seg.speech_pad_ms, min_speech_duration_ms=seg.min_speech_ms))
        assert spans_of(clip.samples, seg) == [(r["start"] / 16000, r["end"] / 16000) for r in reference]
    assert timing == expected
    assert len(timing.pauses) >= 1 and timing.has_speech


def test_streamed_analysis_is_the_analysis_of_the_same_transcript():
    from simulator.analysis.answer import analyze_transcript

    clip = _real_answer()
    stream = StreamingTranscriber(FakeTranscriber(["えーと、売上を二割伸ばしました。", "あの、毎週訪問しました。"]), worker=InlineWorker())
    _push_all(stream, clip)
    streamed = stream.finish_analysis("experience")
    direct = analyze_transcript(clip, measure_timing(clip), streamed.transcript, "experience", None)
    assert streamed.to_dict() == direct.to_dict()
    assert streamed.transcript.text.startswith("えーと")
    assert len(streamed.fillers) >= 1


# --- the streaming transcriber with fakes (EnergyVad, scripted transcriber, virtual time) ----------


def synthetic(*runs: tuple[bool, float]) -> AudioClip:
    """Loud noise for speech, zeros for silence: EnergyVad hears exactly what the test means."""
    rng = np.random.default_rng(1)
    parts = [(0.3 * rng.standard_normal(int(s * RATE))).astype(np.float32) if speech else np.zeros(int(s * RATE), np.float32) for speech, s in runs]
    return AudioClip(np.concatenate(parts))


ANSWER = synthetic((False, 1.0), (True, 6.0), (False, 0.2), (True, 3.0), (False, 0.5), (True, 7.0), (False, 1.2), (True, 2.0), (False, 0.6))
SPEECH = [(1.0, 7.0), (7.2, 10.2), (10.7, 17.7), (18.9, 20.9)]  # seconds, from the runs above


class RecordingTranscriber(FakeTranscriber):
    """FakeTranscriber that also keeps the clips it was given."""

    def __init__(self, texts):
        super().__init__(texts)
        self.clips: list[AudioClip] = []

    def transcribe(self, clip):
        self.clips.append(clip)
        return super().transcribe(clip)


def test_pieces_are_cut_in_pauses_and_words_are_shifted_to_answer_time():
    fake = RecordingTranscriber(["一つ目、です。", "二つ目、です。", "三つ目。"])
    stream = StreamingTranscriber(fake, POLICY, vad=EnergyVad(), worker=InlineWorker())
    _push_all(stream, ANSWER)
    tr = stream.finish()
    pieces = stream.stats.pieces
    assert len(pieces) == 3
    # Cut in the 0.5 s pause (first eligible after 8 s) and in the 1.2 s pause; never inside speech.
    cuts = [p.end_sample / RATE for p in pieces[:-1]]
    assert 10.2 < cuts[0] < 10.7 and 17.7 < cuts[1] < 18.9
    for p in pieces:
        for edge in (p.start_sample / RATE, p.end_sample / RATE):
            assert not any(a + 0.03 < edge < b - 0.03 for a, b in SPEECH)
    # The leading second of silence is not sent (only the lead pad), nor is the trailing silence.
    assert pieces[0].start_s == pytest.approx(1.0 - POLICY.lead_pad_s, abs=0.04)
    assert pieces[-1].end_sample / RATE == pytest.approx(20.9 + POLICY.lead_pad_s, abs=0.05)
    assert [round(c.duration_s, 3) for c in fake.clips] == [round(p.duration_s, 3) for p in pieces]
    assert tr.text == "一つ目、です。二つ目、です。三つ目。"
    starts = [w.start_s for w in tr.words]
    assert starts == sorted(starts)
    assert tr.words[0].start_s == pytest.approx(pieces[0].start_s, abs=1e-3)
    assert tr.words[-1].end_s == pytest.approx(pieces[-1].start_s + pieces[-1].duration_s, abs=1e-3)
    assert all(pieces[2].start_s <= w.start_s for w in tr.words if w.text == "三つ目。")


def test_same_transcript_whatever_the_worker_or_the_block_size():
    def run(worker, sizes):
        stream = StreamingTranscriber(FakeTranscriber(["あ。", "い。", "う。"]), POLICY, vad=EnergyVad(), worker=worker)
        _push_all(stream, ANSWER, sizes)
        return stream.finish(), [(p.start_sample, p.end_sample) for p in stream.stats.pieces]

    expected = run(InlineWorker(), (320,))
    assert run(ManualWorker(), (7, 4096, 333)) == expected
    assert run(ThreadWorker(), (1600,)) == expected


def test_a_worker_that_keeps_up_leaves_only_the_last_piece_for_the_end():
    worker = ManualWorker()
    short_end = synthetic((False, 1.0), (True, 6.0), (False, 0.5), (True, 6.0), (False, 0.5), (True, 4.0), (False, 0.4))
    stream = StreamingTranscriber(FakeTranscriber(["a", "b", "c"]), POLICY, vad=EnergyVad(), worker=worker)
    _push_all(stream, short_end, after_each=worker.run_pending)  # the worker finishes each piece before the next block
    assert stream.pieces_pending == 0 and len(stream.stats.pieces) == 1
    stream.finish()
    assert stream.stats.pieces_left_at_finish == 1 and len(stream.stats.pieces) == 2
    assert stream.stats.audio_left_at_finish_s == pytest.approx(4.0 + 0.25 + POLICY.lead_pad_s, abs=0.1)


def test_the_end_of_turn_silence_is_used_to_transcribe_the_last_piece():
    worker = ManualWorker()
    answer = synthetic((False, 1.0), (True, 6.0), (False, 0.5), (True, 4.0), (False, 2.5))
    stream = StreamingTranscriber(FakeTranscriber(["a", "b"]), POLICY, vad=EnergyVad(), worker=worker)
    _push_all(stream, answer, after_each=worker.run_pending)
    stream.finish()
    assert stream.stats.pieces_left_at_finish == 0  # cut at the flush pause, done before the turn ended


def test_a_short_last_piece_is_done_during_the_end_of_turn_silence():
    from dataclasses import replace

    worker = ManualWorker()
    fake = RecordingTranscriber(["前半。", "以上です。"])
    answer = synthetic((False, 1.0), (True, 9.0), (False, 0.5), (True, 1.5), (False, 2.5))
    stream = StreamingTranscriber(fake, replace(POLICY, idle_cut_pause_s=0.35), vad=EnergyVad(), worker=worker)
    _push_all(stream, answer, after_each=worker.run_pending)
    assert stream.stats.idle_cuts == 2 and stream.pieces_pending == 0  # the 9 s piece at 0.2 s, the last at 0.35 s
    assert stream.finish().text == "前半。以上です。"
    assert stream.stats.pieces_left_at_finish == 0
    assert len(fake.clips) == 2  # nothing transcribed twice


def test_an_idle_cut_is_kept_when_the_candidate_goes_on():
    # The work done at a short pause is never thrown away, so it can never delay the last piece.
    from dataclasses import replace

    worker = ManualWorker()
    fake = RecordingTranscriber(["思ったのは、", "やはり現場です。"])
    answer = synthetic((False, 1.0), (True, 2.0), (False, 1.0), (True, 2.0), (False, 0.3))
    stream = StreamingTranscriber(fake, replace(POLICY, idle_cut_pause_s=0.35), vad=EnergyVad(), worker=worker)
    _push_all(stream, answer, after_each=worker.run_pending)
    assert stream.finish().text == "思ったのは、やはり現場です。"
    assert stream.stats.idle_cuts == 1 and len(stream.stats.pieces) == 2 and len(fake.clips) == 2
    # Busy or with idle cuts off, the short start waits for more context: one piece.
    fake = RecordingTranscriber(["思ったのは、やはり現場です。"])
    stream = StreamingTranscriber(fake, POLICY, vad=EnergyVad(), worker=ManualWorker())
    _push_all(stream, answer)
    assert stream.finish().text == "思ったのは、やはり現場です。"
    assert len(stream.stats.pieces) == 1 and fake.clips[0].duration_s > 4.0


def test_each_piece_is_transcribed_after_the_text_before_it():
    class ContextFake(RecordingTranscriber):
        def __init__(self, texts):
            super().__init__(texts)
            self.contexts = []

        def transcribe_in_context(self, clip, context):
            self.contexts.append(context)
            return self.transcribe(clip)

    fake = ContextFake(["一つ目。", "二つ目。", "三つ目。"])
    stream = StreamingTranscriber(fake, POLICY, vad=EnergyVad(), worker=ManualWorker())
    _push_all(stream, ANSWER)
    assert stream.finish().text == "一つ目。二つ目。三つ目。"
    # The first piece has no text before it (plain transcribe()); the others get all of it.
    assert fake.contexts == ["一つ目。", "一つ目。二つ目。"] and len(fake.clips) == 3


class ProbingFake(RecordingTranscriber):
    """A fake with filler recovery's probe: every stretch heard alone sounds like えー."""

    def __init__(self, texts):
        super().__init__(texts)
        self.probed: list[float] = []

    def transcribe(self, clip):
        tr = super().transcribe(clip)  # words Whisper was unsure of: recovery may probe them
        return Transcript(tr.text, tuple(Word(w.text, w.start_s, w.end_s, 0.5) for w in tr.words), tr.language)

    @property
    def capabilities(self):
        return Capabilities(snippet=True)

    def transcribe_snippet(self, clip):
        self.probed.append(clip.duration_s)
        return "えー"


def test_each_piece_gets_filler_recovery_as_the_whole_answer_does():
    from simulator.analysis.fillers import find_fillers

    texts = ["いや、一つ目です。", "二つ目です。", "三つ目。"]
    fake = ProbingFake(texts)
    stream = StreamingTranscriber(fake, POLICY, vad=EnergyVad(), worker=InlineWorker())
    _push_all(stream, ANSWER)
    tr = stream.finish()
    # The set-off いや at the start of piece 1 was heard again, alone, and is a filler now, at its
    # own time in answer time; the other pieces had no stretch worth a probe.
    assert tr.text == "えー、一つ目です。二つ目です。三つ目。"
    assert len(fake.probed) == 1
    hits = find_fillers(tr)
    assert [h.form for h in hits] == ["えー"] and hits[0].start_s == pytest.approx(stream.stats.pieces[0].start_s, abs=1e-3)
    off = StreamingTranscriber(ProbingFake(texts), POLICY, vad=EnergyVad(), worker=InlineWorker(), recovery=None)
    _push_all(off, ANSWER)
    assert off.finish().text == "".join(texts)


def test_the_preloading_wrapper_declares_what_the_transcriber_declares():
    with_probe, without = ProbingFake(["はい"]), FakeTranscriber(["はい"])
    pre = PreloadingTranscriber.start(with_probe)
    assert pre.capabilities.snippet and pre.transcribe_snippet(AudioClip.silence(0.5)) == "えー"
    bare = PreloadingTranscriber.start(without)
    assert not bare.capabilities.snippet and bare.transcribe_snippet(AudioClip.silence(0.5)) == ""
    # hearing an ending never waits for the model: "" (the silence rule) until it is loaded
    assert not bare.capabilities.ending and bare.hear_ending(np.zeros(16000, np.float32)) == ""


def test_a_slow_worker_leaves_more_but_loses_nothing():
    worker = ManualWorker()
    stream = StreamingTranscriber(FakeTranscriber(["a", "b", "c"]), POLICY, vad=EnergyVad(), worker=worker)
    _push_all(stream, ANSWER)  # the worker never ran during the answer
    assert stream.pieces_pending == 2
    assert stream.finish().text == "abc"
    assert stream.stats.pieces_left_at_finish == 3


def test_silence_only_answer_sends_nothing_to_the_model():
    fake = RecordingTranscriber(["ご視聴ありがとうございました"])
    stream = StreamingTranscriber(fake, POLICY, vad=EnergyVad(), worker=InlineWorker())
    _push_all(stream, AudioClip.silence(6.0))
    assert stream.finish() == Transcript("", (), "ja")
    assert fake.clips == [] and stream.stats.pieces == []
    assert not stream.timing().has_speech


def test_a_model_failure_in_the_worker_is_raised_by_finish():
    class Broken:
        name = "broken"

        def transcribe(self, clip):
            raise ModelError("The transcription model could not run.")

    stream = StreamingTranscriber(Broken(), POLICY, vad=EnergyVad(), worker=ThreadWorker())
    _push_all(stream, ANSWER)
    with pytest.raises(ModelError):
        stream.finish()
    assert stream.audio().duration_s == pytest.approx(ANSWER.duration_s)  # the recording itself is kept


def test_push_after_finish_is_an_error():
    stream = StreamingTranscriber(FakeTranscriber(["a"]), POLICY, vad=EnergyVad(), worker=InlineWorker())
    stream.finish()
    with pytest.raises(RuntimeError):
        stream.push(np.zeros(10, np.float32))


# --- the real-time source on a fake clock ------------------------------------------------------------


class FakeClock:
    def __init__(self):
        self.now = 100.0
        self.sleeps: list[float] = []

    def __call__(self):
        return self.now

    def sleep(self, s):
        self.sleeps.append(s)
        self.now += s


def test_realtime_source_hands_each_block_over_when_a_device_would():
    clock = FakeClock()
    clip = AudioClip(np.arange(16000, dtype=np.float32) / 16000)
    src = RealtimeArraySource(clip, block_s=0.1, clock=clock, sleep=clock.sleep)
    times, got = [], []
    for block in src:
        times.append(clock.now - 100.0)
        got.append(block)
        clock.now += 0.03  # the consumer's own work, shorter than a block
    assert np.array_equal(np.concatenate(got), clip.samples)
    assert times == pytest.approx([0.1 * (i + 1) for i in range(10)])
    assert src.delivered_at - 100.0 == pytest.approx(1.0) and src.late_s == 0.0


def test_realtime_source_notes_a_consumer_that_falls_behind():
    clock = FakeClock()
    src = RealtimeArraySource(AudioClip(np.zeros(3200, np.float32)), block_s=0.1, clock=clock, sleep=clock.sleep)
    for _ in src:
        clock.now += 0.25
    assert src.late_s == pytest.approx(0.15 * 1, abs=0.11) and src.late_s > 0


def test_fast_source_never_sleeps():
    clock = FakeClock()
    blocks = list(RealtimeArraySource(AudioClip(np.zeros(8000, np.float32)), realtime=False, clock=clock, sleep=clock.sleep))
    assert clock.sleeps == [] and sum(len(b) for b in blocks) == 8000


# --- the model loads while the first question is spoken ----------------------------------------------


class SlowLoad:
    name = "slow"

    def __init__(self, fail=False):
        self.release = threading.Event()
        self.fail = fail
        self.loaded = False

    def load(self):
        assert self.release.wait(10)
        if self.fail:
            raise ModelError("The model files are damaged.")
        self.loaded = True

    def transcribe(self, clip):
        assert self.loaded
        return Transcript("はい", (Word("はい", 0.0, 0.5),))


def test_first_prompt_plays_before_the_model_has_loaded():
    inner = SlowLoad()
    played = []

    class Voice:
        name = "v"

        def render(self, text):
            return AudioClip(np.zeros(10, np.float32))

    pre = speak_first_while_loading(inner, Voice(), "自己紹介をお願いします。", lambda clip, text: played.append((text, inner.loaded)))
    assert played == [("自己紹介をお願いします。", False)]
    assert not pre.ready
    inner.release.set()
    assert pre.transcribe(AudioClip.silence(1.0)).text == "はい"  # waits for the load, then delegates
    assert pre.ready and pre.load_s is not None


def test_a_failed_background_load_is_raised_where_the_model_is_needed():
    inner = SlowLoad(fail=True)
    pre = PreloadingTranscriber.start(inner)
    inner.release.set()
    with pytest.raises(ModelError):
        pre.transcribe(AudioClip.silence(1.0))


# --- the real model on real speech --------------------------------------------------------------------


@pytest.mark.slow
def test_real_model_streamed_transcript_matches_the_whole_answer(whisper):
    from simulator.evaluation.speech_bank import build_answer, load_bank
    from simulator.evaluation.streaming import cer

    bank = load_bank(("tests",))
    answer = build_answer(bank, 24.0, end_silence_s=0.5)
    assert 20.0 < answer.clip.duration_s < 32.0
    worker = ManualWorker()
    # No idle cuts here, so that the last piece is still to do when the audio ends (with it,
    # a worker that keeps up has usually done it already: see the fake-transcriber tests).
    stream = StreamingTranscriber(whisper, CutPolicy(idle_cut_pause_s=None), worker=worker)
    _push_all(stream, answer.clip, sizes=(320,), after_each=worker.run_pending)
    assert stream.pieces_pending == 0 and len(stream.stats.pieces) >= 1
    streamed = stream.finish()
    assert stream.stats.pieces_left_at_finish == 1  # only the last piece was left for the end
    assert stream.stats.audio_left_at_finish_s == pytest.approx(stream.stats.pieces[-1].duration_s)
    assert len(stream.stats.pieces) >= 2
    whole = whisper.transcribe(answer.clip)
    assert len(streamed.text) > 30
    assert cer(whole.text, streamed.text) <= 0.2, (whole.text, streamed.text)
    assert cer(answer.text, streamed.text) <= cer(answer.text, whole.text) + 0.1
    assert streamed.words[-1].end_s <= answer.clip.duration_s + 0.01
    assert streamed.words[-1].end_s > answer.speech_end_s - 3.0


def test_bench_rejects_bad_lengths_with_one_line():
    res = run_cli("bench", "latency", "--lengths", "abc")
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert "--lengths" in res.stderr


@pytest.mark.slow
def test_bench_latency_quick_reports_every_key():
    import json

    res = run_cli("bench", "latency", "--quick", "--json", timeout=900)
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    for key in ("streaming_p50_s", "streaming_p95_s", "batch_p50_s", "batch_p95_s", "peak_rss_mb", "startup_s"):
        assert isinstance(out[key], float) and out[key] >= 0.0, key
    assert out["by_length"]["8"]["batch_cpu_s"] > 0
    assert out["turns"][0]["streaming"]["transcript"] and out["turns"][0]["batch"]["transcript"]


def test_an_idle_worker_starts_on_the_last_piece_as_soon_as_a_pause_begins():
    from dataclasses import replace

    policy = replace(POLICY, idle_cut_pause_s=0.35)
    answer = synthetic((False, 1.0), (True, 4.0), (False, 2.5))
    worker = ManualWorker()
    fake = RecordingTranscriber(["以上です。"])
    stream = StreamingTranscriber(fake, policy, vad=EnergyVad(), worker=worker)
    seen_at = []
    _push_all(stream, answer, sizes=(320,), after_each=lambda: seen_at.append((stream.received_s, worker.run_pending())))
    started = [t for t, n in seen_at if n]
    assert started and 5.15 < started[0] < 5.45  # 0.2-0.35 s into the silence (a 4 s piece: the idle fallback), not 0.8 s
    assert stream.finish().text == "以上です。"
    assert len(fake.clips) == 1 and stream.stats.idle_cuts == 1
    assert stream.stats.pieces_left_at_finish == 0

    busy = ManualWorker()
    busy.submit(lambda: None)  # something else queued: no cut at 0.35 s, the flush cut at 0.8 s
    stream = StreamingTranscriber(RecordingTranscriber(["以上です。"]), policy, vad=EnergyVad(), worker=busy)
    seen_at = []
    _push_all(stream, answer, sizes=(320,), after_each=lambda: seen_at.append((stream.received_s, len(stream.stats.pieces))))
    assert stream.stats.idle_cuts == 0 and len(stream.stats.pieces) == 1
    assert 5.75 < min(t for t, n in seen_at if n) < 5.9


# --- the answer returned with its stream -------------------------------------------------------------


def test_an_answer_with_its_stream_is_analysed_from_the_stream_with_the_whole_answer_timing():
    from simulator.analysis.answer import AnalysisOptions, analyze_answer
    from simulator.audio.sources import Answer
    from simulator.interview.session import analyse

    clip = _real_answer()
    stream = StreamingTranscriber(FakeTranscriber(["はい、営業を七年担当しました。"]), worker=InlineWorker())
    for i in range(0, len(clip.samples), 800):  # the live source pushes every 50 ms block
        stream.push(clip.samples[i : i + 800])
    streamed = analyse(Answer(clip, "microphone", "silence", stream=stream), clip, None, "experience", AnalysisOptions())
    whole = analyze_answer(clip, FakeTranscriber(["はい、営業を七年担当しました。"]), category="experience")
    assert streamed.timing == whole.timing
    assert streamed.transcript.text.startswith("はい、営業を七年担当しました。")
    # an answer without a stream is analysed whole, by the transcriber
    again = analyse(Answer(clip, "file"), clip, FakeTranscriber(["はい、営業を七年担当しました。"]), "experience", AnalysisOptions())
    assert again.timing == whole.timing
