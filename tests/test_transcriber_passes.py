"""The single-pass guard and the token cap of WhisperTranscriber (logic only; the real model runs elsewhere)."""

from simulator.speech.transcriber import TranscribeOptions, WhisperTranscriber, _counting_encode, _first_pass


def _generator(encode, passes):
    # Shaped like faster-whisper's generate_segments: one encode per pass, then that pass's segments.
    for k in range(passes):
        encode(k)
        yield f"pass{k}-a"
        yield f"pass{k}-b"


def test_first_pass_stops_before_the_second_encode():
    calls = []
    encode = _counting_encode(lambda f: calls.append(f))
    assert list(_first_pass(_generator(encode, 3))) == ["pass0-a", "pass0-b"]
    assert calls == [0]  # the tail pass never reached the encoder


def test_guard_is_off_outside_first_pass():
    calls = []
    encode = _counting_encode(lambda f: calls.append(f))
    assert len(list(_generator(encode, 3))) == 6
    assert calls == [0, 1, 2]
    # and a generator stopped early by the guard leaves it off again
    list(_first_pass(_generator(encode, 2)))
    assert len(list(_generator(encode, 2))) == 4


def test_token_cap_scales_with_audio_and_leaves_room_for_the_prompt():
    t = WhisperTranscriber()
    assert t._max_tokens(2.0) == 32 + 32
    assert t._max_tokens(28.0) == 320
    assert WhisperTranscriber(options=TranscribeOptions(max_tokens_per_s=None))._max_tokens(10.0) is None


def test_the_prompt_is_the_filler_prompt_then_the_end_of_the_context():
    from simulator.speech.transcriber import JA_FILLER_PROMPT, TranscribeOptions, WhisperTranscriber

    w = WhisperTranscriber()
    assert w._prompt("") == JA_FILLER_PROMPT
    long = "前" * 100 + "最後の四十字" + "あ" * 34
    assert w._prompt(long) == JA_FILLER_PROMPT + long[-40:]
    assert WhisperTranscriber(options=TranscribeOptions(initial_prompt=None))._prompt("") is None


def test_token_cap_leaves_room_for_a_long_prompt():
    # A company's vocabulary can take ~130 tokens: prompt + cap must stay within Whisper's 448,
    # or faster-whisper refuses the window (a long motivation answer with --company crashed).
    from simulator.speech.transcriber import WHISPER_MAX_LENGTH

    class Encoded:
        def __init__(self, n):
            self.ids = list(range(n))

    class Tokenizer:
        def encode(self, text, add_special_tokens=False):
            return Encoded(len(text.strip()))  # one token a character

    class Model:
        hf_tokenizer = Tokenizer()

    t = WhisperTranscriber()
    assert t._prompt_tokens("p" * 17, "h" * 130) == 128  # no model loaded: the old allowance
    t._model = Model()
    n = t._prompt_tokens("p" * 17, "h" * 130)
    assert n == 1 + 130 + 17 + 3 + 1
    assert n + t._max_tokens(28.0, n) == WHISPER_MAX_LENGTH
    assert t._max_tokens(28.0, 40) == 320 and t._max_tokens(2.0, n) == 64
    assert t._prompt_tokens(None, None) == 5
    assert t._prompt_tokens("p", "h" * 1000) == 1 + (WHISPER_MAX_LENGTH // 2 - 1) + 1 + 4  # cut at half, as faster-whisper does
