"""Japanese understanding of one answer: GiNZA's dependency parse, turned into typed clauses.

GiNZA (spaCy over SudachiPy, model inside the `ja_ginza` wheel: nothing downloads) is loaded
once, lazily, behind `parse()`. The rest of the program sees only the records below: tokens with
character offsets into the analysed text (so evidence stays a real span), and one `Clause` per
predicate with who does it, whether it is negated, passive or a benefactive refusal
(〜てくれない, 〜てもらえない), and its arguments. The content rules (content.py) read those.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, replace
from enum import Enum
from functools import cached_property, lru_cache

# Components GiNZA runs that the rules never read: skipping them saves time per sentence. Without
# the bunsetu recogniser the parser's labels keep their "_bunsetu" suffix; parse() strips it.
_UNUSED_PIPES = ("compound_splitter", "bunsetu_recognizer")


@dataclass(frozen=True)
class Tok:
    i: int
    text: str
    lemma: str
    pos: str  # Universal POS (NOUN, VERB, ADJ, AUX, ...)
    tag: str  # Sudachi part of speech (名詞-普通名詞-サ変可能, ...)
    dep: str
    head: int
    start: int  # character offsets in the analysed text
    end: int
    has_vector: bool
    entity: str = ""  # GiNZA's extended named-entity label, "" outside entities
    conjugation: str = ""  # Sudachi's conjugation type of a verb (五段-カ行, 下一段-ラ行, サ行変格, ...)
    norm: str = ""  # Sudachi's normalised form (泥くさい → 泥臭い, がんばる → 頑張る): the key of its word vector

    @property
    def is_predicate(self) -> bool:
        return self.pos in ("VERB", "ADJ") or (self.pos == "NOUN" and self.dep == "ROOT")


class Agent(Enum):
    """Who a clause says acts: the speaker (said or dropped), someone else, or a thing."""

    SELF = "self"
    OTHER = "other"
    THING = "thing"


@dataclass(frozen=True)
class Clause:
    head: Tok  # the predicate
    children: tuple[Tok, ...]  # its direct dependents
    aux: tuple[str, ...]  # lemmas of auxiliaries and fixed parts after it (れる, ない, くれる, た, ...)
    subject: Tok | None
    start: int
    end: int
    sentence: int  # index of the sentence it is in

    @property
    def negated(self) -> bool:
        return any(a in ("ない", "ず", "ぬ") for a in self.aux)  # not ん: 〜んです explains, it does not negate

    @property
    def passive(self) -> bool:
        return any(a in ("れる", "られる") for a in self.aux)

    @property
    def benefactive(self) -> bool:
        return any(a in ("くれる", "もらう", "もらえる", "いただく", "くださる", "頂く") for a in self.aux)

    def args(self, *deps: str) -> tuple[Tok, ...]:
        return tuple(c for c in self.children if c.dep in deps)


@dataclass(frozen=True)
class Parse:
    text: str
    tokens: tuple[Tok, ...]
    sentences: tuple[tuple[int, int], ...]  # (first token, last token + 1)

    @cached_property
    def clauses(self) -> tuple[Clause, ...]:
        return tuple(_clause(self, t) for t in self.tokens if t.is_predicate)

    def children(self, tok: Tok) -> tuple[Tok, ...]:
        return tuple(t for t in self.tokens if t.head == tok.i and t.i != tok.i)

    def subtree(self, tok: Tok) -> list[Tok]:
        out, todo = [], [tok]
        while todo:
            t = todo.pop()
            out.append(t)
            todo.extend(self.children(t))
        return sorted(out, key=lambda t: t.i)

    def sentence_of(self, tok: Tok) -> int:
        return next((n for n, (a, b) in enumerate(self.sentences) if a <= tok.i < b), 0)

    def compound_text(self, tok: Tok) -> str:
        """The word with its compound parts before it: 求人+票 gives 求人票."""
        return "".join(t.text for t in self.children(tok) if t.dep == "compound") + tok.text

    def sentence_at(self, offset: int) -> int:
        """The sentence holding a character offset of the text."""
        return next((n for n, (a, b) in enumerate(self.sentences) if offset < self.tokens[b - 1].end), len(self.sentences) - 1)

    def sentence_text(self, n: int) -> str:
        a, b = self.sentences[n]
        return self.text[self.tokens[a].start: self.tokens[b - 1].end]


def _clause(p: Parse, head: Tok) -> Clause:
    children = p.children(head)
    aux = tuple(c.lemma for c in children if c.dep in ("aux", "fixed", "cop") or (c.dep == "mark" and c.i > head.i))
    # A fixed part may hang under the mark (聞い←て←くれ): take the marks' own fixed children too.
    aux += tuple(g.lemma for c in children if c.dep == "mark" for g in p.children(c) if g.dep == "fixed")
    subject = next((c for c in children if c.dep in ("nsubj", "csubj")), None)
    tail = [c for c in children if c.i > head.i and c.dep in ("aux", "mark", "fixed", "cop")]
    end = max([head.end, *(c.end for c in tail)])
    # The clause reaches back to the previous clause break: a comma, a sentence end, or the text start.
    left = max(p.text.rfind(ch, 0, head.start) for ch in "、。,， ?？!！") + 1
    return Clause(head, children, aux, subject, left, end, p.sentence_of(head))


class _Model:
    """The GiNZA pipeline, loaded on first use (about 1.5 s) and shared by every thread."""

    def __init__(self) -> None:
        self._nlp = None
        self._lock = threading.Lock()

    def load(self):
        with self._lock:
            if self._nlp is None:
                try:
                    import spacy

                    self._nlp = spacy.load("ja_ginza", exclude=list(_UNUSED_PIPES))
                except (ImportError, OSError) as exc:
                    from simulator.errors import ModelError

                    raise ModelError(
                        "回答を理解するための日本語モデル（GiNZA）が読み込めません。./install.sh をもう一度実行してください。"
                        f" (ja_ginza could not be loaded: {exc})"
                    ) from exc
            return self._nlp


MODEL = _Model()


def load() -> None:
    """Load the model now (behind the first prompt), so the first answer does not wait for it."""
    MODEL.load()


# Sentences end here for caching: a transcript grows piece by piece while the candidate speaks,
# and each finished sentence is parsed once (streaming/transcriber.py warms the cache).
_CHUNK_END = re.compile(r"[。！？!?\n]+")
PARSE_CACHE_SENTENCES = 2048


def parse(text: str) -> Parse:
    """The parse of a text, one sentence at a time (each sentence's parse is cached)."""
    tokens: list[Tok] = []
    sentences: list[tuple[int, int]] = []
    start = 0
    for m in [*_CHUNK_END.finditer(text), None]:
        end = m.end() if m else len(text)
        chunk = text[start:end]
        if chunk.strip():
            local_tokens, local_sents = _parse_chunk(chunk)
            base = len(tokens)
            tokens.extend(replace(t, i=t.i + base, head=t.head + base, start=t.start + start, end=t.end + start) for t in local_tokens)
            sentences.extend((a + base, b + base) for a, b in local_sents)
        start = end
        if m is None:
            break
    return Parse(text, tuple(tokens), tuple(sentences))


@lru_cache(maxsize=PARSE_CACHE_SENTENCES)
def _parse_chunk(chunk: str) -> tuple[tuple[Tok, ...], tuple[tuple[int, int], ...]]:
    nlp = MODEL.load()
    with MODEL._lock:  # spaCy pipelines are not documented as thread-safe
        doc = nlp(chunk)
    ents = {t.i: e.label_ for e in doc.ents for t in e}
    tokens = tuple(
        Tok(t.i, t.text, t.lemma_, t.pos_, t.tag_, t.dep_.removesuffix("_bunsetu"), t.head.i, t.idx, t.idx + len(t.text), t.has_vector,
            ents.get(t.i, ""), (t.morph.get("Inflection") or [""])[0].split(";")[0], t.norm_)
        for t in doc
    )
    return tokens, tuple((s.start, s.end) for s in doc.sents)
