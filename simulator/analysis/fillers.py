"""Filler detection over the transcript text, timed from the word timings; one lexicon per language.

Japanese: a lexicon of variant spellings matched only on SudachiPy token boundaries (so エージェント,
そのまま and まあまあ never match), then context rules for the words that are also ordinary words:
あの/その before a noun are determiners (あの会社, その成果), なんか after a noun or before a case
particle means "such as"/"something" (英語なんかは, なんかが), ええ and うん are answers, never fillers.
The analyser's own フィラー tag is not trusted: it tags あの私 as a determiner and うーーん as a plain
interjection. Scored on bench/delivery/text_fillers.txt (docs/metrics.md).

English: um, uh, er, hmm always; "like" and "you know" only when set off by commas.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from simulator.analysis.japanese import Token, tokenize
from simulator.speech.transcriber import Transcript

_LONG = r"[ー〜~ｰ]"
# (pattern, canonical form). Alternatives are tried longest first at each position.
JA_FORMS: list[tuple[str, str]] = [
    (rf"え{_LONG}*っと|ええっと|ええと|え{_LONG}+と|えと|エ{_LONG}*ット|エ{_LONG}+ト|エエト|エト", "えーと"),
    (rf"あの{_LONG}+|あのう|あのぉ|アノ{_LONG}+|アノウ", "あのー"),
    (rf"その{_LONG}+|そのう|そのぉ|ソノ{_LONG}+", "そのー"),
    (rf"う{_LONG}+ん|ウ{_LONG}+ン", "うーん"),
    (rf"ん{_LONG}+|ン{_LONG}+", "んー"),
    (rf"あ{_LONG}+|あぁ|ア{_LONG}+", "あー"),
    (rf"え{_LONG}+|えぇ|エ{_LONG}+", "えー"),
    (rf"まあ|まぁ|ま{_LONG}+|マア|マァ|マ{_LONG}+", "まあ"),
    (r"なんか|ナンカ", "なんか"),
    (r"あの|アノ", "あの"),
    (r"その|ソノ", "その"),
    (r"ま|マ", "ま"),
]
# Every spelled alternative on its own, so the longest one can be chosen at each position.
_JA_PREFIX = [re.compile(alt) for p, _ in JA_FORMS for alt in p.split("|")]
_JA_COMPILED = [(re.compile(rf"^(?:{p})$"), form) for p, form in JA_FORMS]
# Scoring folds these: form -> family. Whisper writes あのー as あの and back; んー and うーん are
# one thinking hum to a listener, and Whisper base writes a short んー as うーん (docs/metrics.md).
FAMILY = {"あの": "あのー", "その": "そのー", "ま": "まあ", "んー": "うーん"}
_PUNCT = set("、，,。．.！？!?…「」『』（）() 　")
_CASE_PARTICLES = {"が", "を", "は", "も", "に", "で", "の", "と", "へ", "や", "でも", "より", "から", "まで"}
# Parts of speech after which あの/その is a determiner (it modifies what follows).
_DETERMINED = {"名詞", "形状詞", "接頭辞", "連体詞"}

EN_FORMS: list[tuple[str, str]] = [
    (r"u+m+", "um"), (r"u+h+", "uh"), (r"e+r+m*", "uh"), (r"h+m+", "hmm"), (r"m+h+m+", "hmm"),
]
_EN_WORD = re.compile(r"[A-Za-z']+")


@dataclass(frozen=True)
class FillerHit:
    form: str
    start_s: float | None
    char_index: int
    recovered: bool = False  # found in the audio, not in Whisper's text (see filler_recovery)

    def to_dict(self) -> dict:
        return {"form": self.form, "start_s": None if self.start_s is None else round(self.start_s, 3)}


def canonical_form(surface: str) -> str | None:
    for pattern, form in _JA_COMPILED:
        if pattern.match(surface):
            return form
    return None


def family(form: str) -> str:
    return FAMILY.get(form, form)


def _is_set_off(text: str, end: int) -> bool:
    """True when the word is followed by punctuation, the end of the text, or another filler."""
    rest = text[end:]
    if not rest or rest[0] in _PUNCT:
        return True
    longest = max((m.group(0) for m in (rx.match(rest) for rx in _JA_PREFIX) if m), key=len, default="")
    return canonical_form(longest) not in (None, "ま", "あの", "その", "なんか")


def _token_after(tokens: list[Token], end: int) -> Token | None:
    for t in tokens:
        if t.begin >= end:
            return t
    return None


def _token_before(tokens: list[Token], begin: int) -> Token | None:
    prev = None
    for t in tokens:
        if t.end > begin:
            break
        prev = t
    return prev


def _keep(form: str, text: str, begin: int, end: int, tokens: list[Token]) -> bool:
    """Context rules for forms that are also ordinary words."""
    if form in ("あの", "その"):
        if _is_set_off(text, end):
            return True
        nxt = _token_after(tokens, end)
        return nxt is not None and nxt.pos[0] not in _DETERMINED
    if form == "なんか":
        prev = _token_before(tokens, begin)
        if prev is not None and prev.end == begin and prev.surface[-1] not in _PUNCT and prev.pos[0] in ("名詞", "代名詞"):
            return False  # 英語なんか: "such as"
        if _is_set_off(text, end):
            return True
        nxt = _token_after(tokens, end)
        return not (nxt is not None and nxt.surface in _CASE_PARTICLES)  # なんかが: "something"
    if form in ("まあ", "ま") and re.match(r"[まマ]", text[end:end + 1]):
        return False  # まあまあ written マーマー or まーま: "so-so"
    if form == "ま":
        return _is_set_off(text, end)
    return True


def find_fillers_in_text(text: str, language: str = "ja") -> list[tuple[str, int]]:
    """(canonical form, character index) for each filler in the text."""
    if language == "en":
        return find_english_fillers(text)
    tokens = tokenize(text)
    if not tokens:
        return []
    starts = {t.begin for t in tokens}
    ends = {t.end for t in tokens}
    hits: list[tuple[str, int]] = []
    i = 0
    while i < len(text):
        if i not in starts:
            i += 1
            continue
        # The longest variant that also ends on a token boundary (えーと before えー, not エー|ジェント).
        end = max((m.end() for m in (rx.match(text, i) for rx in _JA_PREFIX) if m and m.end() in ends), default=i)
        if end == i:
            i += 1
            continue
        form = canonical_form(text[i:end])
        if form is not None and _keep(form, text, i, end, tokens):
            hits.append((form, i))
        i = end
    return hits


def find_english_fillers(text: str) -> list[tuple[str, int]]:
    hits: list[tuple[str, int]] = []
    for m in _EN_WORD.finditer(text):
        word = m.group(0).lower()
        for pattern, form in EN_FORMS:
            if re.fullmatch(pattern, word):
                hits.append((form, m.start()))
                break
    # "like" and "you know" are fillers only when set off: ", like," / ", you know,".
    for m in re.finditer(r"(?:^|[,.;]\s*)(like|you know)\s*(?=,)", text, re.IGNORECASE):
        hits.append((m.group(1).lower(), m.start(1)))
    return sorted(hits, key=lambda h: h[1])


def count_substrings(text: str, language: str = "ja") -> list[tuple[str, int]]:
    """The baseline: plain substring counting of the lexicon (longest form first, no context)."""
    if language == "en":
        words = ["you know", "like", "um", "uh"]
        pat = re.compile("|".join(rf"\b{w}\b" for w in words), re.IGNORECASE)
        return [(m.group(0).lower(), m.start()) for m in pat.finditer(text)]
    lexicon = ["えーっと", "えーと", "えっと", "ええと", "あのー", "そのー", "うーん", "まあ", "なんか", "えー", "あー", "んー", "あの", "その"]
    pat = re.compile("|".join(map(re.escape, lexicon)))
    return [(canonical_form(m.group(0)) or m.group(0), m.start()) for m in pat.finditer(text)]


def _char_times(transcript: Transcript) -> tuple[str, list[float | None]]:
    """The text rebuilt from the timed words, with a start time per character."""
    if not transcript.words:
        return transcript.text, [None] * len(transcript.text)
    sep = " " if transcript.language == "en" else ""
    chars: list[str] = []
    times: list[float | None] = []
    for w in transcript.words:
        if chars and sep:
            chars.append(sep)
            times.append(w.start_s)
        chars.append(w.text)
        times.extend([w.start_s] * len(w.text))
    return "".join(chars), times


def find_fillers(transcript: Transcript) -> list[FillerHit]:
    text, times = _char_times(transcript)
    return [
        FillerHit(form, times[idx] if idx < len(times) else None, idx)
        for form, idx in find_fillers_in_text(text, transcript.language)
    ]
