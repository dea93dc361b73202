"""Transcription behind one small interface, with the real faster-whisper adapter and a fake twin."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field, replace
from typing import Protocol

import numpy as np

from simulator.audio.clip import TARGET_RATE_HZ, AudioClip
from simulator.errors import ModelError


@dataclass(frozen=True)
class Word:
    text: str
    start_s: float
    end_s: float
    probability: float = 1.0


@dataclass(frozen=True)
class Transcript:
    text: str
    words: tuple[Word, ...] = ()
    language: str = "ja"
    # Where known mishearings were folded (speech/mishearings.py): what Whisper wrote, and what
    # was changed; None and () when nothing was.
    raw_text: str | None = None
    corrections: tuple = ()  # of mishearings.Correction
    # The vocabulary it was heard with (TranscribeOptions.hotwords), None: none. Its words come
    # out with low probabilities (faster-whisper's word alignment does not see the prompt), so
    # the unsure-word marker spares them (speech/confidence.py).
    hotwords: str | None = None

    def to_dict(self) -> dict:
        out = {"text": self.text, "language": self.language, "words": [asdict(w) for w in self.words]}
        if self.corrections:
            out["raw_text"] = self.raw_text
            out["corrections"] = [c.to_dict() for c in self.corrections]
        if self.hotwords:
            out["hotwords"] = self.hotwords
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "Transcript":
        words = tuple(Word(**w) for w in data.get("words", []))
        corrections: tuple = ()
        if data.get("corrections"):
            from simulator.speech.mishearings import Correction

            corrections = tuple(Correction.from_dict(c) for c in data["corrections"])
        return cls(text=data.get("text", ""), words=words, language=data.get("language", "ja"),
                   raw_text=data.get("raw_text"), corrections=corrections, hotwords=data.get("hotwords"))


EMPTY_TRANSCRIPT = Transcript("")


@dataclass(frozen=True)
class Capabilities:
    """What a recogniser can do beyond transcribe(clip). Declared, never probed with getattr."""

    in_context: bool = False  # transcribe_in_context: the text said just before guides the clip
    snippet: bool = False  # transcribe_snippet: a short stretch heard alone (filler recovery's probe)
    vocabulary: bool = False  # for_question: each question's words as hotwords
    ending: bool = False  # hear_ending: the last seconds before a pause, fast (end of turn)


class Transcriber(Protocol):
    """The recogniser interface. Every method exists on every recogniser; `capabilities` says
    which do real work (the others fall back: no vocabulary, the clip without context, "")."""

    name: str
    capabilities: Capabilities

    def load(self) -> None: ...
    def for_question(self, category: str | None) -> None: ...
    def transcribe(self, clip: AudioClip) -> Transcript: ...
    def transcribe_in_context(self, clip: AudioClip, context: str) -> Transcript: ...
    def transcribe_snippet(self, clip: AudioClip) -> str: ...
    def hear_ending(self, samples: np.ndarray) -> str: ...


# Short prompts written the way people speak, fillers included: Whisper imitates the style of its
# prompt, so it keeps more fillers (measured in docs/metrics.md; a long prompt made it drop text).
JA_FILLER_PROMPT = "えーと、あのー、うーん、まあ、あー、そうですね。"
EN_FILLER_PROMPT = "Um, so, uh, I mean, like, you know, we did it."
# Whisper's text context: the prompt and the decoded tokens together (faster-whisper's max_length).
WHISPER_MAX_LENGTH = 448


@dataclass
class TranscribeOptions:
    """Settings passed to faster-whisper. Chosen and measured in docs/metrics.md (`eval delivery`)."""

    language: str = "ja"
    beam_size: int = 5
    # Conditioning on earlier text makes Whisper "clean up" later windows and repeat itself.
    condition_on_previous_text: bool = False
    # A short prompt written with fillers nudges Whisper to keep them. faster-whisper uses it for
    # the first 30 s of audio only, hence the windows below, each of which gets it.
    initial_prompt: str | None = JA_FILLER_PROMPT
    # Windows shorter than this get no prompt. It was 5 s while faster-whisper decoded each
    # window's tail a second time, where short pieces grew invented text (ご視聴ありがとう
    # ございました); with one pass per window (single_pass) no piece did, and the prompt on every
    # piece raised the streamed filler F1 from 0.70 to 0.80 (docs/performance.md).
    prompt_min_audio_s: float = 0.0
    # How much of the text said before a window follows the filler prompt (transcribe_in_context).
    context_max_chars: int = 40
    # The words that matter for the question being answered (speech/vocabulary.py), placed
    # before the prompt on every window and streamed piece: key terms written right 0.35 -> 0.69
    # of the time and CER 0.18 -> 0.09 on synthesized interview answers, fillers kept (after the
    # filler prompt instead, filler F1 fell 0.88 -> 0.83): docs/metrics.md, "Interview
    # vocabulary". Set per question by WhisperTranscriber.for_question.
    hotwords: str | None = None
    temperature: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    # Which decodes are tried again at a higher temperature. A repetition loop (compression
    # ratio above the threshold) must be: without that fallback the real clips' CER went from
    # 0.24 to 1.3. A merely unsure decode (faster-whisper's default: avg log-prob below -1.0)
    # need not: those retries cost up to 20 s per window, and without them filler F1 and CER
    # stayed the same while transcription took 40% less time (docs/metrics.md).
    compression_ratio_max: float | None = 2.4
    fallback_logprob_min: float | None = None
    # A loop runs to Whisper's 448-token limit at every temperature tried; no real speech needs
    # more than ~9 tokens per second (measured on the real clips), so cap each window's decode.
    max_tokens_per_s: float | None = 16.0
    # Every window fits in one 30 s pass, and only that pass is used: when a decode does not end
    # on a single timestamp, faster-whisper seeks to the last word and decodes the window's tail
    # again (a second encoder pass, no prompt), where it invents text at low confidence
    # (ご視聴ありがとうございました). Measured in docs/metrics.md.
    single_pass: bool = True
    # One segment per window (without_timestamps): filler F1 0.82 -> 0.84, CER 0.231 -> 0.229.
    segment_timestamps: bool = False
    compute_type: str = "int8"
    cpu_threads: int = 0  # 0: let CTranslate2 decide (all cores)
    # Two model replicas share the weights (no extra memory, measured): one transcribes the
    # streamed pieces, the other hears the end of a sentence at a pause without waiting for it
    # (a 3 s ending took 0.47 s behind a running piece with one replica, 0.06 s with two).
    workers: int = 2
    # hear_ending: the last seconds of speech before a pause, encoded with a short audio
    # context (Whisper's encoder takes 0.02 s for 3 s instead of 0.56 s for its 30 s window) and
    # decoded greedily; enough to tell 〜です。 from 〜ですが、 (turntaking/ending.py).
    ending_s: float = 3.0
    # Whisper hears only the speech the VAD finds (padded by pad_s), joined with join_gap_s of
    # silence, in windows of at most window_max_s (see plan_windows).
    window_max_s: float = 28.0
    pad_s: float = 0.2
    join_gap_s: float = 0.3
    vad_threshold: float = 0.5
    vad_min_silence_ms: int = 300
    vad_min_speech_ms: int = 150
    # A segment Whisper itself thinks is not speech, decoded with low confidence, is dropped.
    no_speech_max: float = 0.6
    logprob_min: float = -1.0

    @classmethod
    def with_compute_type(cls, compute_type: str | None) -> "TranscribeOptions":
        """The defaults, with compute_type where one is given (--compute-type)."""
        return cls(compute_type=compute_type) if compute_type else cls()

    @classmethod
    def for_language(cls, language: str) -> "TranscribeOptions":
        prompt = {"ja": JA_FILLER_PROMPT, "en": EN_FILLER_PROMPT}.get(language)
        return cls(language=language, initial_prompt=prompt)


@dataclass(frozen=True)
class Piece:
    """A stretch of the original clip placed at concat_start_s in the audio Whisper hears."""

    start_s: float
    end_s: float
    concat_start_s: float

    @property
    def concat_end_s(self) -> float:
        return self.concat_start_s + (self.end_s - self.start_s)


def plan_windows(speech_spans_s: list[tuple[float, float]], duration_s: float, pad_s: float, gap_s: float,
                 window_max_s: float) -> list[list[Piece]]:
    """Group padded speech spans into windows Whisper hears one at a time.

    Inside a window the spans are joined with gap_s of silence instead of the real pause: long
    silences are where Whisper invents text (ご視聴ありがとうございました), and a window holding
    only speech gets the filler prompt on every 30 s decoding pass. Times map back exactly.
    """
    merged: list[list[float]] = []
    for s, e in speech_spans_s:
        s, e = max(0.0, s - pad_s), min(duration_s, e + pad_s)
        if merged and s <= merged[-1][1] + 1e-6:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    windows: list[list[Piece]] = []
    t = 0.0
    for s, e in merged:
        while e - s > 1e-6:
            take = min(e - s, window_max_s)
            if not windows or t + take > window_max_s:
                windows.append([])
                t = 0.0
            windows[-1].append(Piece(s, s + take, t))
            t += take + gap_s
            s += take
    return windows


def to_clip_time(pieces: list[Piece], t: float) -> float:
    """A time in the joined window audio -> the same moment in the original clip."""
    for p in pieces:
        if t < p.concat_end_s:
            return p.start_s + max(0.0, t - p.concat_start_s)
    return pieces[-1].end_s


class _TailPass(Exception):
    pass


_passes = threading.local()


def _counting_encode(encode):
    """model.encode, which stops the segment generator at a second pass while _first_pass runs."""

    def wrapped(features):
        left = getattr(_passes, "left", None)
        if left is not None:
            if left <= 0:
                raise _TailPass
            _passes.left = left - 1
        return encode(features)

    return wrapped


def _first_pass(segments):
    """The segments of faster-whisper's first 30 s pass only (see TranscribeOptions.single_pass).

    The generator runs the encoder once per pass; the second call raises inside it, before any
    tail is decoded. Thread-local, so other threads using the same model are not affected.
    """
    _passes.left = 1
    try:
        yield from segments
    except _TailPass:
        pass
    finally:
        _passes.left = None


@dataclass
class WhisperTranscriber:
    """faster-whisper on the CPU. The model loads on first use so that start-up stays fast."""

    model: str | None = None  # None: the bundled Whisper base; else a name or a folder
    options: TranscribeOptions = field(default_factory=TranscribeOptions)
    # Builds each question's hotwords (speech/vocabulary.py); None: options.hotwords as given.
    vocabulary: object = None
    _model: object = field(default=None, init=False, repr=False)
    capabilities: Capabilities = field(default=Capabilities(in_context=True, snippet=True, vocabulary=True, ending=True), init=False)

    def for_question(self, category: str | None) -> None:
        """Hear the next answers with the vocabulary of a question of this category.

        Called by the interview loop before each answer is captured, so every streamed piece of
        that answer (decoded in the background) gets it too. The options object is replaced,
        never changed, so a decode already running keeps the settings it started with.
        """
        if self.vocabulary is not None:
            self.options = replace(self.options, hotwords=self.vocabulary.hotwords(category) or None)

    @property
    def name(self) -> str:
        # Saved in each session's meta.json: float32 keeps more fillers than int8, so sessions
        # compared over time should say which one measured them.
        base = self.model or "base"
        default = TranscribeOptions.compute_type
        return base if self.options.compute_type == default else f"{base} ({self.options.compute_type})"

    def load(self):
        if self._model is None:
            from simulator.speech.model import resolve_model

            target = resolve_model(self.model)
            try:
                from faster_whisper import WhisperModel

                model = WhisperModel(
                    target, device="cpu", compute_type=self.options.compute_type, cpu_threads=self.options.cpu_threads,
                    num_workers=self.options.workers,
                )
                model.encode = _counting_encode(model.encode)
                self._model = model
            except ModelError:
                raise
            except Exception as exc:  # CTranslate2 / hub errors come in many types
                hint = "" if "/" in target else "（名前で指定したモデルは初回にダウンロードするため、一度だけネットワークが必要です）"
                raise ModelError(f"文字起こしモデル {target} を読み込めません{hint}。 ({str(exc).splitlines()[0][:160]})") from None
        return self._model

    def transcribe(self, clip: AudioClip) -> Transcript:
        """Transcribe the speech in the clip; silence and noise (no speech per the VAD) give ''."""
        return self.transcribe_in_context(clip, "")

    def transcribe_in_context(self, clip: AudioClip, context: str) -> Transcript:
        """transcribe(), with `context` (the text said just before the clip) after the filler
        prompt, as Whisper's own long-form decoding does: a streamed piece of 1-3 s loses the
        sentence it belongs to, and its words come out wrong without it (docs/performance.md)."""
        clip = clip.resampled()
        o = self.options
        if clip.duration_s < 0.05:
            return Transcript("", (), o.language)
        from simulator.audio.speech_activity import Segmentation, speech_spans

        rate = clip.rate_hz
        spans = speech_spans(clip.samples, Segmentation(o.vad_threshold, o.vad_min_silence_ms, 0, o.vad_min_speech_ms))
        words: list[Word] = []
        texts: list[str] = []
        gap = np.zeros(int(o.join_gap_s * rate), np.float32)
        for pieces in plan_windows(spans, clip.duration_s, o.pad_s, o.join_gap_s, o.window_max_s):
            parts: list[np.ndarray] = []
            for p in pieces:
                parts.extend([clip.slice_s(p.start_s, p.end_s).samples, gap])
            # Only the first window follows the context: the whole-answer path passes none, and its
            # windows stay unconditioned on each other (conditioning was measured worse, metrics.md).
            w_words, w_texts = self._transcribe_window(np.concatenate(parts[:-1]), pieces, self._prompt(context, o), o)
            context = ""
            words.extend(w_words)
            texts.extend(w_texts)
        text = ("" if o.language == "ja" else " ").join(t for t in texts if t)
        return Transcript(text, tuple(w for w in words if w.text), o.language, hotwords=o.hotwords)

    def transcribe_snippet(self, clip: AudioClip) -> str:
        """Text of a short stretch heard alone (no VAD, greedy, the filler prompt): filler recovery's probe."""
        clip = clip.resampled()
        if clip.duration_s < 0.05:
            return ""
        o = self.options
        segments, _info = self.load().transcribe(
            clip.samples, language=o.language, beam_size=o.beam_size, initial_prompt=o.initial_prompt,
            condition_on_previous_text=False, temperature=0.0, without_timestamps=True, vad_filter=False,
            max_new_tokens=self._max_tokens(clip.duration_s, self._prompt_tokens(o.initial_prompt, None)),
        )
        return "".join(seg.text.strip() for seg in segments if seg.no_speech_prob <= o.no_speech_max or seg.avg_logprob >= o.logprob_min)

    def hear_ending(self, samples: np.ndarray) -> str:
        """The words of the last `ending_s` of 16 kHz speech, fast: only their end matters.

        The encoder gets the features of this audio alone (plus 0.5 s of silence), not a 30 s
        window; the first word may come out cut, which the caller ignores. Greedy, capped at
        9 tokens a second, and cut where the text starts to repeat itself (short contexts loop).
        """
        o = self.options
        x = np.asarray(samples, np.float32)[-int(o.ending_s * TARGET_RATE_HZ):]
        if len(x) < 0.1 * TARGET_RATE_HZ:
            return ""
        import ctranslate2

        model = self.load()
        x = np.concatenate([x, np.zeros(TARGET_RATE_HZ // 2, np.float32)])
        features = model.feature_extractor(x, padding=0)  # the model's own mel filters; no 30 s padding
        frames = features.shape[1] + features.shape[1] % 2  # the encoder halves the frames
        padded = np.zeros((features.shape[0], frames), np.float32)
        padded[:, : features.shape[1]] = features
        tok = model.hf_tokenizer
        ids = tok.token_to_id
        prompt = [ids("<|startofprev|>"), *tok.encode(" " + (o.initial_prompt or ""), add_special_tokens=False).ids] if o.initial_prompt else []
        start = [ids("<|startoftranscript|>"), ids(f"<|{o.language}|>"), ids("<|transcribe|>"), ids("<|notimestamps|>")]
        # max_length counts the prompt too
        result = model.model.generate(ctranslate2.StorageView.from_array(padded[None]), [prompt + start], beam_size=1,
                                      max_length=len(prompt) + len(start) + int(4 + 9 * len(x) / TARGET_RATE_HZ), suppress_blank=True)
        end = ids("<|endoftext|>")
        return _cut_repetition(tok.decode([i for i in result[0].sequences_ids[0] if i < end]).strip())

    def _max_tokens(self, audio_s: float, prompt_tokens: int = 0) -> int | None:
        rate = self.options.max_tokens_per_s
        # 32 tokens of room for timestamps and punctuation; 320 leaves the prompt its place in
        # 448, and a longer prompt (a company's vocabulary: ~130 tokens) takes it from the cap,
        # or faster-whisper refuses the window (prompt + max_new_tokens over the model's 448).
        if rate is None:
            return None
        return max(1, min(320, WHISPER_MAX_LENGTH - prompt_tokens, int(32 + rate * audio_s)))

    def _prompt_tokens(self, prompt: str | None, hotwords: str | None) -> int:
        """The tokens faster-whisper puts before the output (its get_prompt): the previous-text
        marker, the hotwords and the prompt (each cut at half the context, as it does), the
        start sequence (start, language, task) and no-timestamps; 128 if it cannot be counted."""
        tokenizer = getattr(self._model, "hf_tokenizer", None)
        if tokenizer is None:
            return 128
        half = WHISPER_MAX_LENGTH // 2 - 1

        def count(text: str | None) -> int:
            return min(half, len(tokenizer.encode(" " + text.strip(), add_special_tokens=False).ids)) if text else 0

        return 1 + count(hotwords) + count(prompt) + 3 + 1

    def _prompt(self, context: str, o: TranscribeOptions | None = None) -> str | None:
        o = o or self.options
        tail = context[-o.context_max_chars :] if o.context_max_chars and context else ""
        return ((o.initial_prompt or "") + tail) or None

    def _transcribe_window(self, samples: np.ndarray, pieces: list[Piece], prompt: str | None,
                           o: TranscribeOptions) -> tuple[list[Word], list[str]]:
        model = self.load()
        prompt = prompt if len(samples) >= o.prompt_min_audio_s * TARGET_RATE_HZ else None
        segments, _info = model.transcribe(
            samples,
            language=o.language,
            beam_size=o.beam_size,
            word_timestamps=True,
            condition_on_previous_text=o.condition_on_previous_text,
            initial_prompt=prompt,
            hotwords=o.hotwords,
            temperature=list(o.temperature),
            compression_ratio_threshold=o.compression_ratio_max,
            log_prob_threshold=o.fallback_logprob_min,
            no_speech_threshold=None,  # non-speech segments are dropped below, by the same rule
            max_new_tokens=self._max_tokens(len(samples) / TARGET_RATE_HZ, self._prompt_tokens(prompt, o.hotwords)),
            without_timestamps=not o.segment_timestamps,
            vad_filter=False,  # done above, with settings that keep short fillers
        )
        words: list[Word] = []
        texts: list[str] = []
        for seg in _first_pass(segments) if o.single_pass else segments:
            if seg.no_speech_prob > o.no_speech_max and seg.avg_logprob < o.logprob_min:
                continue
            texts.append(seg.text.strip())
            for w in seg.words or []:
                words.append(Word(w.word.strip(), round(to_clip_time(pieces, float(w.start)), 3),
                                  round(to_clip_time(pieces, float(w.end)), 3), round(float(w.probability), 3)))
        return words, texts


_UNIT_ENDS = "。、！？!?"


def _cut_repetition(text: str, min_len: int = 2, min_sentence: int = 4) -> str:
    """The text up to where it starts over: 「以上です。以上です。以上で」 -> 「以上です。」.

    A decode of a short context can loop; the loop is the first stretch that the rest of the text
    only repeats (possibly cut off mid-unit). A loop stopped by the token cap ends mid-character
    (U+FFFD, dropped) and may repeat a sentence only once, in part: 「最後に、社員の雰囲気です。
    最後に、社員の」 -> 「最後に、社員の雰囲気です。」; left as it was, its end (「社員の」) read as
    open and held the answer for 7 s. That shorter repeat counts only after a unit of at least
    `min_sentence` characters that ends a clause or sentence, so 「はい、はい」 stays as said."""
    text = text.replace("\ufffd", "").strip()
    for i in range(len(text)):
        for n in range(min_len, len(text) - i - 1):
            rest = text[i + n :]
            if not all(c == text[i + k % n] for k, c in enumerate(rest)):
                continue
            if len(rest) > n:
                return text[: i + n]
            if n >= min_sentence and text[i + n - 1] in _UNIT_ENDS and (i == 0 or text[i - 1] in _UNIT_ENDS):
                return text[: i + n]
    return text


class RecogniserDefaults:
    """The fallbacks of the capabilities a recogniser does not declare (mixin)."""

    capabilities = Capabilities()

    def load(self) -> None:
        return None

    def for_question(self, category: str | None) -> None:
        return None

    def transcribe_in_context(self, clip: AudioClip, context: str) -> Transcript:
        return self.transcribe(clip)

    def transcribe_snippet(self, clip: AudioClip) -> str:
        return ""

    def hear_ending(self, samples: np.ndarray) -> str:
        return ""
