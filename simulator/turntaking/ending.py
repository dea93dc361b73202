"""How did the candidate's last words end? Pure functions over text (SudachiPy tokens).

A listener knows a speaker is not done when the words before a pause leave something open:
a connective (〜ですが、 〜して、 〜ので、), a topic or case particle (私の強みは、 前職では、),
a filler (えーと、 あのー、), an ordinal or a list opener (一つ目は、 まず、), or a list announced
and not yet given (理由は二つあります。一つ目は…). A sentence-final form (〜です。 〜ました。
〜と考えております。) is complete, and a closing formula (以上です。 よろしくお願いいたします。)
ends the answer itself.

The text is what the recogniser heard of the last seconds before the pause (hear_ending): its
first word may be cut, so only the end is read, by its grammar, never by a list of sentences.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum

from simulator.analysis.fillers import canonical_form
from simulator.analysis.japanese import Token, tokenize


class Ending(str, Enum):
    CLOSING = "closing"  # the answer's own end: 以上です, よろしくお願いします
    COMPLETE = "complete"  # a sentence end: 〜です。 〜ました。 〜でしょうか。
    OPEN = "open"  # more is coming: a connective, a particle, a filler, an ordinal
    UNKNOWN = "unknown"  # nothing heard, or an ending the grammar does not settle (体言止め)


# The answer's own end. 異常 is how Whisper often writes 以上 heard alone.
_CLOSING = re.compile(r"(以上|異常|いじょう)(で(す|ございます))?$|お願い(いた|致)?(し|致し)ます$|よろしく(お願いします)?$"
                      r"|ありがとうございま(す|した)$")
# Of those, the ones that also open an answer (「山田と申します。本日はよろしくお願いいたします。」).
_GREETING = re.compile(r"お願い(いた|致)?(し|致し)ます$|よろしく(お願いします)?$")
# Words that open a list or a sequence: what follows them is the content.
_OPENERS = frozenset("まず 次に 最初に 最後に 例えば たとえば 特に それから そして また あと で".split())
_ORDINAL = re.compile(r"(一|二|三|四|1|2|3|4|１|２|３|ひと|ふた|みっ)(つ目|つめ|点目|番目)$|^第.$")
# Verb and auxiliary forms that end a sentence; 連用形/連体形/仮定形 lead on to what follows.
_FINAL_FORMS = ("終止形", "意志推量形", "命令形")
_OPEN_PARTICLES = ("接続助詞", "係助詞", "格助詞", "副助詞", "準体助詞")
_FILLER_PHRASES = frozenset(["そうですね", "そうですねえ", "なんていうか", "なんて言うか", "何て言うか", "どう言えばいいか"])
_TRAILING = "、。,.!?！？…・ 　「」『』"


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().rstrip(_TRAILING).strip()


def is_greeting(text: str) -> bool:
    """A closing formula that may also be a greeting at the start (よろしくお願いします)."""
    return bool(_GREETING.search(_norm(text)))


def sentence_ends(text: str) -> int:
    """How many sentences the text ends (its 。 ！ ？, as Whisper writes them)."""
    return len(re.findall(r"[。！？!?]", unicodedata.normalize("NFKC", text).replace(".", "。")))


def last_clause(text: str) -> str:
    """The words after the last 、 or 。 (Whisper may or may not punctuate)."""
    t = _norm(text)
    return re.split(r"[、。,.!?！？]", t)[-1].strip() if t else ""


def classify_ending(text: str) -> Ending:
    """The ending of the heard words (see the module docstring)."""
    t = _norm(text)
    if not t:
        return Ending.UNKNOWN
    if _CLOSING.search(t):
        return Ending.CLOSING
    clause = last_clause(text)
    if clause in _FILLER_PHRASES:
        return Ending.OPEN
    tokens = [tok for tok in tokenize(t) if tok.pos[0] not in ("補助記号", "空白")]
    if not tokens:
        return Ending.UNKNOWN
    return _by_grammar(tokens)


def _by_grammar(tokens: list[Token]) -> Ending:
    last = tokens[-1]
    pos, sub, form = last.pos[0], last.pos[1], last.pos[5]
    if canonical_form(last.surface) is not None or sub == "フィラー":
        return Ending.OPEN
    if last.surface in _OPENERS or _ORDINAL.search("".join(t.surface for t in tokens[-3:])):
        return Ending.OPEN
    if pos == "助詞":
        if sub == "終助詞":  # 〜ですね。 〜でしょうか。
            return Ending.COMPLETE
        return Ending.OPEN if sub in _OPEN_PARTICLES else Ending.UNKNOWN
    if pos in ("動詞", "助動詞", "形容詞", "形状詞"):
        if form.startswith(_FINAL_FORMS):
            return Ending.COMPLETE
        return Ending.OPEN if form.startswith(("連用形", "連体形", "仮定形", "未然形")) else Ending.UNKNOWN
    if pos in ("接続詞", "副詞", "感動詞"):
        return Ending.OPEN
    return Ending.UNKNOWN  # a noun end (体言止め) may or may not be the end


# A list announced (理由は二つあります, 三点ございます, 二点お伺いしたいです, 二つ挙げます) and the
# items given since: a count, then having, asking or telling (not 二つ目 and not 二つの部署).
_ANNOUNCED = re.compile(r"(二|三|四|2|3|4|２|３|４|ふた|みっ|よっ)(つ|点)[をほどがは、]?"
                        r"(あり|ござい|お?伺い|うかがい|お?聞き|ご?質問|挙げ|申し上げ|お?話し|ご?説明|お伝え)")
_COUNT = {"二": 2, "2": 2, "２": 2, "ふた": 2, "三": 3, "3": 3, "３": 3, "みっ": 3, "四": 4, "4": 4, "４": 4, "よっ": 4}
# An item: an ordinal, or a step word (二点お伺いしたいです。まず…。次に…。 gives both).
_ITEM = re.compile(r"(一|二|三|四|1|2|3|4|１|２|３|４|ひと|ふた|みっ|よっ)(つ目|つめ|点目)|第(一|二|三|四)に|もう一つ|最後に"
                   r"|(^|[、。\s])(まず|最初に|はじめに|次に|続いて)")
_SEQUENCE_OPEN = re.compile(r"(^|[、。\s])(まず|最初に|はじめに|第一に)")
_SEQUENCE_NEXT = re.compile(r"次に|それから|二つ目|第二に|最後に|続いて|その後")
_CONCLUSION_FIRST = re.compile(r"結論(から|を先に)(申し上げ|申し|言い|言う|いう)")
# An episode announced, not yet told: 「発注の数を間違えたことがあります。」 opens a story.
_EPISODE = re.compile(r"(た|だ)ことが(あります|ありました|ございます)$")


def expects_more(text: str) -> bool:
    """Has the answer so far promised more than it gave? A list announced and not finished, a
    sequence begun (まず…) with no next step, a conclusion given first (結論から申しますと…) or an
    episode announced (〜たことがあります。) with nothing after its sentence yet."""
    t = unicodedata.normalize("NFKC", text)
    sentences_so_far = [s.strip() for s in re.split(r"[。！？!?]", t) if s.strip()]
    if len(sentences_so_far) == 1 and _EPISODE.search(sentences_so_far[0]):
        return True
    announced = list(_ANNOUNCED.finditer(t))
    if announced:
        last = announced[-1]
        wanted = _COUNT.get(last.group(1), 2)
        after = t[last.end():]
        items = _ITEM.findall(after)
        if "最後に" not in after and len(items) < wanted:
            return True
    m = None
    for m in _CONCLUSION_FIRST.finditer(t):
        pass
    if m is not None:
        sentences = [s for s in re.split(r"[。！？!?]", t[m.end():]) if s.strip()]
        return len(sentences) <= 1
    # A sequence begun (まず…, 最初に…) in the last sentences and no later step named yet.
    recent = "。".join(re.split(r"[。！？!?]", t)[-3:])
    opened = [x for x in _SEQUENCE_OPEN.finditer(recent)]
    return bool(opened) and not _SEQUENCE_NEXT.search(recent[opened[-1].end():])
