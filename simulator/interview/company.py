"""The optional company profile: what a motivation answer should name to be more than generic.

A TOML file (safe loading, tomllib) with the company's name, business, strengths, policies and
competitors. A motivation answer that names none of the business, strengths, policies or
competitors is `generic_motivation`, and the interviewer may ask why this company rather than
a named competitor. Format: docs/question-sets.md ("Company profile").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from simulator.errors import QuestionSetError
from simulator.interview.toml_file import read_toml, where as _where

LIST_FIELDS = ("business", "strengths", "policies", "competitors", "keywords")

# Words that occur in any company's description and so say nothing specific when an answer
# repeats them (「御社の事業」「成長できる環境」).
_GENERIC_TERMS = frozenset(
    """
    事業 会社 企業 サービス 経営 支援 計画 部門 方針 提供 運営 重点 拡充 一位 全国 環境 社会 成長 価値
    顧客 お客様 日本 業界 技術 理念 貢献 取り組み 強み 製品 商品 市場 分野 展開 強化 推進 実現 向上
    ビジネス ソリューション グローバル 働き方 改革 仕事 社員 人材 経験 業務 情報 開発 販売 営業 拡大
    """.split()
)


@dataclass(frozen=True)
class CompanyProfile:
    name: str
    aliases: tuple[str, ...] = ()
    business: tuple[str, ...] = ()
    strengths: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()  # extra specific terms (product names, programmes)
    path: Path | None = field(default=None, compare=False)

    @cached_property
    def terms(self) -> tuple[tuple[str, str], ...]:
        """(surface, katakana reading) of each specific term named in the profile."""
        out: dict[str, str] = {}
        for item in (*self.business, *self.strengths, *self.policies, *self.competitors, *self.keywords):
            for surface, reading in _content_terms(item):
                out.setdefault(surface, reading)
        # Competitor and keyword entries also count whole (a product or company name may split).
        for item in (*self.competitors, *self.keywords):
            norm = _norm(item)
            out.setdefault(norm, _reading(norm))
        return tuple(out.items())

    def named_in(self, text: str, text_reading: str | None = None) -> list[str]:
        """The profile's specific terms that the text names, by spelling or by sound.

        Matching by katakana reading keeps a term found when Whisper writes it with other
        kanji or in kana (e.g. 冷凍 heard as レイトウ).
        """
        norm = _norm(text)
        reading = text_reading if text_reading is not None else _reading(norm)
        hits = []
        for surface, term_reading in self.terms:
            if surface in norm or (len(term_reading) >= 4 and term_reading in reading):
                hits.append(surface)
        return hits

    def named_competitor(self) -> str | None:
        return self.competitors[0] if self.competitors else None


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _reading(text: str) -> str:
    from simulator.analysis.japanese import tokenize

    return "".join(t.reading for t in tokenize(text))


def _content_terms(item: str) -> list[tuple[str, str]]:
    from simulator.analysis.japanese import tokenize

    out = []
    for tok in tokenize(_norm(item)):
        if tok.pos[0] != "名詞" or tok.surface in _GENERIC_TERMS:
            continue
        if tok.pos[1] == "数詞" and len(tok.surface) < 3:
            continue  # 「一」「2」 alone say nothing; 「2030」 does
        if len(tok.surface) < 2 and not re.fullmatch(r"[A-Za-z0-9]+", tok.surface):
            continue
        out.append((tok.surface, tok.reading))
    return out


def load_company(path: str | Path) -> CompanyProfile:
    path = Path(path).expanduser()
    data, raw = read_toml(path, "会社プロフィール")
    return parse_company(data, path, raw)


def parse_company(data: dict, path: Path | None = None, raw: str = "") -> CompanyProfile:
    def fail(problem: str, key: str | None = None) -> QuestionSetError:
        line = next((n for n, ln in enumerate(raw.splitlines(), 1) if key and ln.lstrip().startswith(key)), None)
        return QuestionSetError(f"{_where('会社プロフィール', path, line)}: {problem}")

    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fail("会社名の 'name'（文字列）がありません。")
    known = {"name", "aliases", *LIST_FIELDS}
    for key in data:
        if key not in known:
            raise fail(f"キー {key!r} は使えません（使えるのは {', '.join(sorted(known))} です）。", key)
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("aliases", *LIST_FIELDS):
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise fail(f"'{key}' は空でない文字列のリストにしてください。", key)
        lists[key] = tuple(v.strip() for v in value)
    if not any(lists[k] for k in ("business", "strengths", "policies", "competitors", "keywords")):
        raise fail("business, strengths, policies, competitors, keywords のどれか1つは書いてください"
                   "（ないと、どの会社にも言える志望動機と区別できません）。")
    return CompanyProfile(name.strip(), path=path, **lists)
