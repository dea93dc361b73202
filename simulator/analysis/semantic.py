"""Word classes that reach past their lists: a word is in a class when it is listed, or when its
GiNZA word vector is close to the class's seed words and closer to them than to a contrast set.

The vectors ship in the `ja_ginza` wheel (chiVe, 300-d, keyed by Sudachi's normalised form, so
泥くさい and 泥臭い, がんばる and 頑張る look up the same row). A class is a phenomenon, not a phrase
list: 「がむしゃら」「奔走」 are effort claims because they sit next to 頑張る and 必死, not because
an answer used them. Similarities are fixed by the model and the seeds: pure and deterministic,
cached per word (a dot product over a few dozen seeds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from simulator.analysis.language import MODEL, Tok

# Words that never carry a class, whatever their vector says: grammar and the commonest verbs.
_FUNCTION_WORDS = frozenset(
    """
    する なる ある いる できる 思う 考える 言う いう 行く 来る 見る やる おる くる いく ない 無い たい てる
    こと もの ところ 自分 私 僕 人 方 皆 みんな 今 今度 結局 もう まだ 本当 とても すごい 凄い 非常 かなり 少し
    """.split()
)


@lru_cache(maxsize=65536)
def vector(word: str) -> np.ndarray | None:
    """The unit vector of a word (its normalised form), or None when the model has none."""
    if not word:
        return None
    vocab = MODEL.load().vocab
    row = vocab.vectors.key2row.get(vocab.strings[word])
    if row is None:
        return None
    v = np.asarray(vocab.vectors.data[row], dtype=np.float32)
    n = float(np.linalg.norm(v))
    return v / n if n > 0 else None


def _matrix(words: tuple[str, ...]) -> np.ndarray:
    rows = [v for v in map(vector, words) if v is not None]
    return np.stack(rows) if rows else np.zeros((0, 300), dtype=np.float32)


@dataclass(frozen=True)
class WordClass:
    """Listed members, and the words near the seeds (cosine ≥ near) and nearer them than the contrast
    words by at least `margin`. Expansion applies only to the parts of speech in `pos`."""

    name: str
    listed: frozenset[str]
    seeds: tuple[str, ...] = ()  # default: the listed words
    near: float = 0.62
    against: tuple[str, ...] = ()
    margin: float = 0.05
    pos: frozenset[str] = frozenset({"NOUN", "VERB", "ADJ", "ADV"})
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def similarity(self, word: str) -> float:
        """How far the word is in the class: its best cosine to a seed minus any excess of the contrast."""
        if word in self._cache:
            return self._cache[word]
        v = vector(word)
        score = 0.0
        if v is not None:
            if "seeds" not in self._cache:
                self._cache["seeds"] = _matrix(self.seeds or tuple(sorted(self.listed)))
                self._cache["against"] = _matrix(self.against)
            s, a = self._cache["seeds"], self._cache["against"]
            best = float((s @ v).max()) if len(s) else 0.0
            worst = float((a @ v).max()) if len(a) else -1.0
            score = best if best - worst >= self.margin else 0.0
        self._cache[word] = score
        return score

    def has_word(self, word: str) -> bool:
        return word in self.listed or (len(word) >= 2 and word not in _FUNCTION_WORDS and self.similarity(word) >= self.near)

    def has(self, tok: Tok) -> bool:
        """The token's lemma or normalised form is listed, or (in an open part of speech) near the seeds."""
        if tok.lemma in self.listed or tok.norm in self.listed:
            return True
        if tok.pos not in self.pos or "固有名詞" in tok.tag:
            return False
        word = tok.norm or tok.lemma
        return len(word) >= 2 and word not in _FUNCTION_WORDS and tok.lemma not in _FUNCTION_WORDS \
            and self.similarity(word) >= self.near


# Parts of speech whose words say what a sentence is about.
_CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})


def content_vectors(toks) -> list[np.ndarray]:
    """The unit vectors of the content words among tokens (grammar and the commonest verbs left out)."""
    out = []
    for t in toks:
        word = t.norm or t.lemma
        if t.pos not in _CONTENT_POS or len(word) < 2 or word in _FUNCTION_WORDS or t.lemma in _FUNCTION_WORDS:
            continue
        v = vector(word)
        if v is not None:
            out.append(v)
    return out


def centroid(vectors) -> np.ndarray | None:
    """The unit mean of unit vectors, or None for none."""
    if not len(vectors):
        return None
    m = np.mean(vectors, axis=0)
    n = float(np.linalg.norm(m))
    return m / n if n > 0 else None
