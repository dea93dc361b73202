"""Reading the candidate's documents: every format to text, every bad input to one Japanese sentence."""

from __future__ import annotations

import pytest

from simulator.errors import TargetError
from simulator.targets import documents
from simulator.targets.documents import read_document
from target_docs import encrypted_pdf, resume_docx, scanned_pdf, text_pdf

RESUME = "# 職務経歴書\n\n## 職務経歴\n- 新規開拓で年間売上を1.2億円から1.8億円に拡大\n"


def _one_japanese_line(message: str) -> None:
    assert "\n" not in message
    assert any("\u3040" <= c <= "\u30ff" for c in message), message  # kana: a Japanese sentence
    assert "Traceback" not in message


def test_utf8_markdown_and_text(tmp_path):
    for name in ("r.md", "r.txt", "r"):
        p = tmp_path / name
        p.write_text(RESUME, encoding="utf-8")
        assert read_document(p, "職務経歴書") == RESUME


def test_utf8_with_bom_and_crlf(tmp_path):
    p = tmp_path / "r.txt"
    p.write_bytes(b"\xef\xbb\xbf" + RESUME.replace("\n", "\r\n").encode("utf-8"))
    assert read_document(p, "職務経歴書") == RESUME


@pytest.mark.parametrize("codec", ["shift_jis", "cp932", "euc_jp", "utf-16"])
def test_japanese_legacy_encodings_are_decoded(tmp_path, codec):
    p = tmp_path / "r.txt"
    text = RESUME + "- ①髙橋さんと協力\n" if codec == "cp932" else RESUME  # cp932's own characters too
    p.write_bytes(text.encode(codec))
    assert read_document(p, "職務経歴書") == text


@pytest.mark.parametrize("content", [b"", b"   \n\n  \r\n"])
def test_empty_file(tmp_path, content):
    p = tmp_path / "empty.txt"
    p.write_bytes(content)
    with pytest.raises(TargetError, match="空です") as e:
        read_document(p, "求人票")
    _one_japanese_line(str(e.value))
    assert "求人票" in str(e.value) and str(p) in str(e.value)


def test_oversized_file_is_refused_without_reading_it(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:  # sparse: no disk used
        f.truncate(documents.MAX_FILE_BYTES + 1)
    with pytest.raises(TargetError, match="大きすぎます") as e:
        read_document(p, "職務経歴書")
    _one_japanese_line(str(e.value))


def test_too_much_text(tmp_path):
    p = tmp_path / "long.txt"
    p.write_text("あ" * (documents.MAX_TEXT_CHARS + 1), encoding="utf-8")
    with pytest.raises(TargetError, match="長すぎます"):
        read_document(p, "職務経歴書")


def test_binary_and_unknown_encodings(tmp_path):
    p = tmp_path / "x.txt"
    p.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(TargetError) as e:
        read_document(p, "職務経歴書")
    _one_japanese_line(str(e.value))


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(TargetError, match="見つかりません"):
        read_document(tmp_path / "none.pdf", "職務経歴書")
    with pytest.raises(TargetError, match="ファイルではありません"):
        read_document(tmp_path, "職務経歴書")


@pytest.mark.parametrize("suffix,words", [(".doc", "docx"), (".xlsx", "対応していません")])
def test_unsupported_formats(tmp_path, suffix, words):
    p = tmp_path / f"r{suffix}"
    p.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(TargetError, match=words) as e:
        read_document(p, "職務経歴書")
    _one_japanese_line(str(e.value))


def test_pdf_with_text(tmp_path):
    p = text_pdf(tmp_path / "r.pdf", ["Sales grew from 120 to 180 million yen", "Team leader of five"])
    text = read_document(p, "職務経歴書")
    assert "Sales grew from 120 to 180 million yen" in text and "Team leader of five" in text


def test_pdf_with_an_owner_password_only_is_read(tmp_path):
    source = text_pdf(tmp_path / "plain.pdf", ["Readable without a password"])
    p = encrypted_pdf(tmp_path / "owner.pdf", user_password="", source=source)
    assert "Readable without a password" in read_document(p, "求人票")


def test_encrypted_pdf(tmp_path):
    p = encrypted_pdf(tmp_path / "locked.pdf")
    with pytest.raises(TargetError, match="パスワード") as e:
        read_document(p, "職務経歴書")
    _one_japanese_line(str(e.value))


def test_scanned_pdf_without_text(tmp_path):
    p = scanned_pdf(tmp_path / "scan.pdf")
    with pytest.raises(TargetError, match="スキャン") as e:
        read_document(p, "職務経歴書")
    _one_japanese_line(str(e.value))


@pytest.mark.parametrize("blob", [b"%PDF-1.4\n garbage \x00\x01 no objects", b"%PDF-1.7\n1 0 obj << /Type /Catalog"])
def test_damaged_pdf(tmp_path, blob):
    p = tmp_path / "broken.pdf"
    p.write_bytes(blob)
    with pytest.raises(TargetError) as e:
        read_document(p, "職務経歴書")
    _one_japanese_line(str(e.value))
    assert "PDF" in str(e.value)


def test_docx_headings_bullets_and_tables(tmp_path):
    text = read_document(resume_docx(tmp_path / "r.docx"), "職務経歴書")
    assert "## 職務経歴" in text
    assert "- 配送ルートの見直しを主導し、配送コストを年間15%削減" in text
    assert "- 従業員数：120名" in text


def test_damaged_docx(tmp_path):
    p = tmp_path / "r.docx"
    p.write_bytes(b"this is not a zip file")
    with pytest.raises(TargetError, match="docx") as e:
        read_document(p, "職務経歴書")
    _one_japanese_line(str(e.value))
