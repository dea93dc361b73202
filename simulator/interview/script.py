"""Answer scripts for `run --script`: which audio file answers which question, and its follow-ups.

A script is a TOML file (format: docs/question-sets.md, "Answer script"):

    set = "core"                      # optional: the question set (run --set wins)

    [[answer]]
    question = "achievement"          # a question id of the set
    file = "achievement.wav"          # the answer to the question itself
    probes = ["achievement_probe.wav"]  # optional: the answers to its follow-ups, in order

Paths are relative to the script file. The script controls the interview: only the questions it
lists are asked (in its order; the reverse question last), and a question gets at most as many
follow-ups as the script has probe answers for it (PolicyOptions.probes_by_question), so no answer
meant for one question is ever spent on another question's probe.

Everything is checked before a session folder exists: the file's shape, the question ids against
the set, and every audio file decoded (ScriptAnswers.preload). Each problem is one Japanese
sentence naming the file, as a QuestionSetError (the script) or an AudioError (an answer file).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from simulator.audio.clip import AudioClip
from simulator.audio.sources import Answer
from simulator.errors import AudioError, QuestionSetError
from simulator.interview.toml_file import read_toml

_TOP_KEYS = {"set", "answer"}
_ENTRY_KEYS = {"question", "file", "probes"}


@dataclass(frozen=True)
class ScriptEntry:
    question_id: str
    file: Path
    probes: tuple[Path, ...] = ()
    line: int | None = None  # where the entry's question id is written in the script


@dataclass(frozen=True)
class AnswerScript:
    path: Path
    entries: tuple[ScriptEntry, ...]
    set_name: str | None = None

    @property
    def files(self) -> list[Path]:
        return [f for e in self.entries for f in (e.file, *e.probes)]

    def probe_caps(self) -> dict[str, int]:
        """question id -> how many follow-ups the script can answer (PolicyOptions.probes_by_question)."""
        return {e.question_id: len(e.probes) for e in self.entries}


def _where(path: Path, line: int | None) -> str:
    return f"{path}（{line}行目）" if line else str(path)


def _line_of(raw: str, question_id: str) -> int | None:
    pattern = re.compile(r"^\s*question\s*=\s*[\"']" + re.escape(question_id) + r"[\"']")
    for n, text in enumerate(raw.splitlines(), 1):
        if pattern.match(text):
            return n
    return None


def load_script(path: str | Path) -> AnswerScript:
    """Read and check a script's shape and that its files exist (decoding comes in preload)."""
    path = Path(path)
    data, raw = read_toml(path, "answer script")  # its errors already name the script, file and line
    unknown = sorted(set(data) - _TOP_KEYS)
    if unknown:
        raise QuestionSetError(f"回答の台本 {path} に使えないキー {', '.join(unknown)} があります（使えるのは set と [[answer]] です）。")
    set_name = data.get("set")
    if set_name is not None and (not isinstance(set_name, str) or not set_name.strip()):
        raise QuestionSetError(f"回答の台本 {path} の set は質問セットの名前（文字列）にしてください。")
    items = data.get("answer")
    if not isinstance(items, list) or not items:
        raise QuestionSetError(f"回答の台本 {path} に回答がありません（[[answer]] を1つ以上書いてください）。")
    base = path.parent
    entries: list[ScriptEntry] = []
    seen: set[str] = set()
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict):
            raise QuestionSetError(f"回答の台本 {path} の {i} 番目の answer は表（[[answer]]）にしてください。")
        qid = item.get("question")
        if not isinstance(qid, str) or not qid:
            raise QuestionSetError(f"回答の台本 {path} の {i} 番目の answer に question（質問ID）がありません。")
        where = _where(path, _line_of(raw, qid))
        bad = sorted(set(item) - _ENTRY_KEYS)
        if bad:
            raise QuestionSetError(f"回答の台本 {where} の質問「{qid}」に使えないキー {', '.join(bad)} があります（使えるのは question, file, probes です）。")
        if qid in seen:
            raise QuestionSetError(f"回答の台本 {where} で質問「{qid}」が2回出てきます（深掘りへの回答は probes に並べてください）。")
        seen.add(qid)
        file = item.get("file")
        if not isinstance(file, str) or not file:
            raise QuestionSetError(f"回答の台本 {where} の質問「{qid}」に file（回答の音声ファイル）がありません。")
        probes = item.get("probes", [])
        if not isinstance(probes, list) or not all(isinstance(p, str) and p for p in probes):
            raise QuestionSetError(f"回答の台本 {where} の質問「{qid}」の probes は音声ファイル名のリストにしてください。")
        entries.append(ScriptEntry(qid, base / file, tuple(base / p for p in probes), _line_of(raw, qid)))
    script = AnswerScript(path, tuple(entries), set_name.strip() if set_name else None)
    for f in script.files:
        if not f.is_file():
            raise AudioError(f"回答の台本 {path} にある音声ファイル {f} が見つかりません。")
    return script


def script_question_set(script: AnswerScript, qset, policy=None):
    """The set narrowed to the script's questions, in the script's order (the reverse question last).

    Unknown question ids are reported with the ids the set has. `policy` (PolicyOptions) brings
    the round-one questions, whose ids (round1_1, ...) a script may then name too.
    """
    from simulator.interview.policy import PolicyOptions, plan

    planned = {q.id: q for q in plan(qset, replace(policy, mode="full") if policy else PolicyOptions())}
    known = {q.id: q for q in qset.questions} | planned
    for e in script.entries:
        if e.question_id not in known:
            ids = ", ".join(known)
            raise QuestionSetError(
                f"回答の台本 {_where(script.path, e.line)} の質問ID「{e.question_id}」は質問セット「{qset.id}」にありません"
                f"（あるもの: {ids}）。")
    # Every scripted question is asked, in the short mode too (the mode still sets budget and probe depth).
    questions = [replace(known[e.question_id], short=True) for e in script.entries]
    questions = [q for q in questions if q.category != "reverse"] + [q for q in questions if q.category == "reverse"]
    # The id stays the set's own, so the session still names a set that can be loaded.
    narrowed = replace(qset, questions=tuple(questions))
    if policy is not None and policy.round_one is not None:
        # Round-one questions named by the script are already in `questions`: do not add them twice.
        policy = replace(policy, round_one=None)
    if policy is not None and policy.grounding is not None:
        # A target's document questions (doc_...) named by the script are in `questions` too: none added.
        policy = replace(policy, grounding=policy.grounding.scripted())
    return narrowed, policy


@dataclass
class ScriptAnswers:
    """The answer source for a script: the answer for the question being asked, or its next probe answer.

    The prompt says which: its question id, and whether it is a main question or a follow-up.
    """

    script: AnswerScript
    spoken_prompt = None
    _clips: dict[Path, AudioClip] = field(default_factory=dict, init=False, repr=False)
    _used: set[tuple[str, int]] = field(default_factory=set, init=False, repr=False)
    _probes_used: dict[str, int] = field(default_factory=dict, init=False, repr=False)

    def preload(self) -> None:
        """Decode every file now, so a bad one is reported before a session is created."""
        from simulator.audio.decode import load_audio

        for f in self.script.files:
            if f in self._clips:
                continue
            try:
                self._clips[f] = load_audio(f)
            except AudioError as exc:
                raise AudioError(f"回答の台本 {self.script.path} にある音声ファイル {f} を読み込めません（{exc}）。") from None

    def _entry(self, question_id: str | None) -> ScriptEntry | None:
        return next((e for e in self.script.entries if e.question_id == question_id), None)

    def exhausted(self) -> bool:
        return len(self._used) >= len(self.script.files)

    def unused(self) -> list[Path]:
        """Files the interview did not ask for (a probe not asked, questions cut by the time budget)."""
        out = []
        for e in self.script.entries:
            if (e.question_id, 0) not in self._used:
                out.append(e.file)
            out.extend(e.probes[self._probes_used.get(e.question_id, 0):])
        return out

    def next_answer(self, prompt, prompt_audio: AudioClip | None) -> Answer | None:
        qid, is_probe = prompt.question_id, prompt.kind != "question"
        entry = self._entry(qid)
        if entry is None:
            return None
        if is_probe:
            k = self._probes_used.get(qid, 0)
            if k >= len(entry.probes):
                return None  # no answer for this follow-up (the policy caps prevent it)
            self._probes_used[qid] = k + 1
            self._used.add((qid, k + 1))
            path = entry.probes[k]
        else:
            if (qid, 0) in self._used:
                return None
            self._used.add((qid, 0))
            path = entry.file
        clip = self._clips.get(path)
        if clip is None:
            from simulator.audio.decode import load_audio

            clip = load_audio(path)
        return Answer(clip, str(path))
