"""Known Whisper-base mishearings of interview words, folded back before anything is judged.

Whisper base writes 志望 as 死亡 and 御社 as 音車: the candidate should read what they said, and the
findings should see it. Every entry is a mishearing that was observed (in `bench vocabulary`'s
synthesized answers, bench/vocabulary/, without and with the interview vocabulary) or reported
(content.py's list), with a guard where the heard text is also a real word in some context.
`fold(text)` returns the folded text and the corrections (what was heard, what is written, where),
so the raw text is never lost; `fold_transcript` does the same to a Transcript and its timed words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# (pattern, written form, why). Patterns match the text as Whisper writes it (no NFKC needed:
# full-width forms are listed where Whisper uses them). Order does not matter: matches never overlap
# (the earliest, then longest, wins).
_TABLE: tuple[tuple[str, str, str], ...] = (
    # 御社 (オンシャ): reported (content.py: 音車 恩社 温社 御者 オンシャ おんしゃ オン社 おん社);
    # observed: 音者 (voc01), 温者 (voc05, voc06 with the vocabulary), オンシャ (voc06, voc20),
    # 音社 (bench/findings/audio h2_com_01).
    # オンサ (voc07) only before a particle: 音叉 is written in kanji.
    (r"音車|音社|恩社|温社|御者|音者|温者|オンシャ|おんしゃ|オン社|おん社|オンサ(?=[のはがをにで])", "御社",
     "御社 (onsha) heard as a homophone"),
    # 弊社 (ヘイシャ): observed 平者 (voc14, without the vocabulary). 平者 is no word.
    (r"平者", "弊社", "弊社 heard as 平者"),
    # 志望 (シボウ): observed 死亡 (voc01, voc04, voc07, without the vocabulary). Not before the
    # words that make 死亡 mean death (a logistics answer may well speak of 死亡事故).
    # 指望: observed (voc01 in `run`, answering a self-introduction question with the vocabulary);
    # a Chinese word, not used in Japanese speech.
    (r"死亡(?!事故|者|率|診断|届|保険|事件|原因|時)|指望", "志望", "志望 (shibō) heard as 死亡 or 指望"),
    # 前職 (ゼンショク): observed 全職 (voc08, voc09, voc17, with and without). 全職員/全職種 are words.
    (r"全職(?!員|種|場|域|階)", "前職", "前職 (zenshoku) heard as 全職"),
    # 社風 (シャフウ): observed シャフ (voc21), シャフー (voc09), 砂風 (voc07). シャフト is a shaft.
    (r"シャフー?(?![トタテツ])|砂風", "社風", "社風 (shafū) heard as シャフ/砂風"),
    # 解約率 (カイヤクリツ): observed 開躍率 (voc13), 解役率 (voc10), 会約率 (voc19).
    (r"(?!解約率)[解開会改][約躍役薬]率", "解約率", "解約率 (kaiyakuritsu) heard with a wrong kanji"),
    # 新規開拓: observed 新機開拓 (voc23).
    (r"新機開拓", "新規開拓", "新規 heard as 新機"),
    # 一次面接: observed 1時面接 (voc19).
    (r"[1１一]時面接", "一次面接", "一次 (ichiji) heard as 1時"),
    # 請求書: observed 成球所 (voc15, with and without). No word.
    (r"成球所", "請求書", "請求書 (seikyūsho) heard as 成球所"),
)
_RULES = tuple((re.compile(p), written, why) for p, written, why in _TABLE)


@dataclass(frozen=True)
class Correction:
    heard: str  # as Whisper wrote it
    written: str  # as shown and judged
    at: int  # character offset in the raw text

    def to_dict(self) -> dict:
        return {"heard": self.heard, "written": self.written, "at": self.at}

    @classmethod
    def from_dict(cls, data: dict) -> "Correction":
        return cls(str(data["heard"]), str(data["written"]), int(data.get("at", 0)))


def find_mishearings(text: str) -> list[Correction]:
    """The known mishearings in `text`, in order, none overlapping."""
    found = [(m.start(), m.end(), written) for pattern, written, _ in _RULES for m in pattern.finditer(text)]
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out: list[Correction] = []
    end = 0
    for s, e, written in found:
        if s >= end and text[s:e] != written:
            out.append(Correction(text[s:e], written, s))
            end = e
    return out


def fold(text: str) -> tuple[str, list[Correction]]:
    """`text` with the known mishearings written as meant, and the corrections made.

    Idempotent: folding folded text changes nothing. fold("死亡した理由") == ("志望した理由",
    [Correction("死亡", "志望", 0)]).
    """
    corrections = find_mishearings(text)
    if not corrections:
        return text, []
    parts: list[str] = []
    pos = 0
    for c in corrections:
        parts += [text[pos : c.at], c.written]
        pos = c.at + len(c.heard)
    parts.append(text[pos:])
    return "".join(parts), corrections


def fold_words(words: tuple) -> tuple:
    """Timed words (transcriber.Word) with the mishearings in their joined text folded.

    A mishearing may span several words (死 + 亡): they become one word with the written form,
    from the first one's start to the last one's end, with the lowest of their probabilities.
    """
    text = "".join(w.text for w in words)
    corrections = find_mishearings(text)
    if not corrections:
        return tuple(words)
    starts, n = [], 0
    for w in words:
        starts.append(n)
        n += len(w.text)
    out = list(words)
    # From the last correction back, so earlier offsets stay valid.
    for c in reversed(corrections):
        s, e = c.at, c.at + len(c.heard)
        idx = [i for i, w in enumerate(words) if starts[i] < e and starts[i] + len(w.text) > s]
        first, last = idx[0], idx[-1]
        # out[first..last] still hold the original text up to e (later corrections changed
        # only what comes after), so the offsets hold.
        head = out[first].text[: s - starts[first]]
        tail = out[last].text[e - starts[last] :]
        merged = replace(out[first], text=head + c.written + tail, end_s=out[last].end_s,
                         probability=min(out[i].probability for i in idx))
        out[first : last + 1] = [merged]
    return tuple(out)


def fold_transcript(transcript):
    """A Transcript with its text and words folded; the raw text and corrections kept on it.

    Folding a transcript already folded keeps its first raw text and corrections.
    """
    text, corrections = fold(transcript.text)
    if not corrections:
        return transcript
    return replace(
        transcript,
        text=text,
        words=fold_words(transcript.words),
        raw_text=transcript.raw_text if transcript.raw_text is not None else transcript.text,
        corrections=tuple(transcript.corrections) + tuple(corrections),
    )
