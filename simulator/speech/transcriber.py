"""Transcription behind one small interface, with the real faster-whisper adapter and a fake twin."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Protocol

from simulator.audio.clip import AudioClip
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

    def to_dict(self) -> dict:
        return {"text": self.text, "language": self.language, "words": [asdict(w) for w in self.words]}

    @classmethod
    def from_dict(cls, data: dict) -> "Transcript":
        words = tuple(Word(**w) for w in data.get("words", []))
        return cls(text=data.get("text", ""), words=words, language=data.get("language", "ja"))


EMPTY_TRANSCRIPT = Transcript("")


class Transcriber(Protocol):
    name: str

    def transcribe(self, clip: AudioClip) -> Transcript: ...


@dataclass
class TranscribeOptions:
    """Settings passed to faster-whisper. Chosen and measured in docs/metrics.md."""

    language: str = "ja"
    beam_size: int = 5
    # Conditioning on earlier text makes Whisper "clean up" later windows and repeat itself.
    condition_on_previous_text: bool = False
    # A short prompt written with fillers nudges Whisper to keep them (first 30 s window only).
    initial_prompt: str | None = None
    hotwords: str | None = None
    temperature: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    compute_type: str = "int8"
    cpu_threads: int = 0  # 0: let CTranslate2 decide (all cores)


@dataclass
class WhisperTranscriber:
    """faster-whisper on the CPU. The model loads on first use so that start-up stays fast."""

    model: str | None = None  # None: the bundled Whisper base; else a name or a folder
    options: TranscribeOptions = field(default_factory=TranscribeOptions)
    _model: object = field(default=None, init=False, repr=False)

    @property
    def name(self) -> str:
        return self.model or "base"

    def load(self):
        if self._model is None:
            from simulator.speech.model import resolve_model

            target = resolve_model(self.model)
            try:
                from faster_whisper import WhisperModel

                self._model = WhisperModel(
                    target, device="cpu", compute_type=self.options.compute_type, cpu_threads=self.options.cpu_threads
                )
            except ModelError:
                raise
            except Exception as exc:  # CTranslate2 / hub errors come in many types
                hint = "" if "/" in target else " (a model name is downloaded on first use: this needs the network once)"
                raise ModelError(f"Could not load the transcription model {target!r}{hint}: {str(exc).splitlines()[0][:160]}") from None
        return self._model

    def transcribe(self, clip: AudioClip) -> Transcript:
        clip = clip.resampled()
        if clip.duration_s < 0.05:
            return Transcript("", (), self.options.language)
        model = self.load()
        o = self.options
        segments, _info = model.transcribe(
            clip.samples,
            language=o.language,
            beam_size=o.beam_size,
            word_timestamps=True,
            condition_on_previous_text=o.condition_on_previous_text,
            initial_prompt=o.initial_prompt,
            hotwords=o.hotwords,
            temperature=list(o.temperature),
            vad_filter=False,  # the analysis runs its own VAD and passes only speech-bearing audio
        )
        words: list[Word] = []
        texts: list[str] = []
        for seg in segments:
            texts.append(seg.text.strip())
            for w in seg.words or []:
                words.append(Word(w.word.strip(), round(float(w.start), 3), round(float(w.end), 3), round(float(w.probability), 3)))
        text = ("" if o.language == "ja" else " ").join(t for t in texts if t)
        return Transcript(text, tuple(w for w in words if w.text), o.language)


@dataclass
class FakeTranscriber:
    """Returns scripted texts in order, words spread evenly over the clip. For loop tests."""

    texts: list[str]
    name: str = "fake"
    calls: int = 0

    def transcribe(self, clip: AudioClip) -> Transcript:
        text = self.texts[self.calls % len(self.texts)] if self.texts else ""
        self.calls += 1
        tokens = [t for t in text.replace("、", "、 ").replace("。", "。 ").split(" ") if t]
        if not tokens:
            return Transcript("")
        step = clip.duration_s / len(tokens)
        words = tuple(Word(t, round(i * step, 3), round((i + 1) * step, 3)) for i, t in enumerate(tokens))
        return Transcript(text, words)
