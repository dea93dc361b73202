"""Reading the candidate's documents to plain text: text and Markdown, PDF (pypdf), docx (python-docx).

Every failure is one TargetError sentence in Japanese naming the file: not found, too large, empty,
an encoding that is not UTF-8, Shift_JIS (cp932) or EUC-JP, a PDF that is encrypted, damaged or
has no text layer (a scan), a docx that is not one, a format that is not supported. Text in
Shift_JIS is decoded, not refused. Nothing here writes anything.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from pathlib import Path

from simulator.errors import TargetError

MAX_FILE_BYTES = 10 * 1024 * 1024  # a résumé or a posting is a few pages; a scan of many is refused anyway
MAX_TEXT_CHARS = 100_000  # about fifty pages of Japanese text
MAX_PDF_PAGES = 60
MIN_PDF_TEXT_CHARS = 20  # below this a PDF with pages is a scan (no text layer)

TEXT_SUFFIXES = {"", ".txt", ".text", ".md", ".markdown"}
# The encodings tried in order when a text file is not UTF-8: Shift_JIS as Windows writes it
# (cp932 is its superset), then EUC-JP.
FALLBACK_ENCODINGS = (("cp932", "Shift_JIS"), ("euc_jp", "EUC-JP"))
_CJK = "\u3040-\u30ff\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])[ \t\u3000]+(?=[{_CJK}])")


def read_document(path: str | Path, label: str) -> str:
    """The text of a document file; `label` names it in messages (「職務経歴書」「求人票」)."""
    path = Path(path).expanduser()
    where = f"{label}のファイル {path}"
    if not path.exists():
        raise TargetError(f"{where} が見つかりません。")
    if not path.is_file():
        raise TargetError(f"{where} はファイルではありません。")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise TargetError(f"{where} は大きすぎます（{size / 1024 / 1024:.1f} MB、上限 {MAX_FILE_BYTES // 1024 // 1024} MB）。"
                          "必要な部分だけをテキストにして指定してください。")
    if size == 0:
        raise TargetError(f"{where} は空です。")
    suffix = path.suffix.lower()
    try:
        blob = path.read_bytes()
    except OSError as exc:
        raise TargetError(f"{where} を読み込めません（{exc.strerror or exc}）。") from None
    if suffix == ".pdf" or blob.startswith(b"%PDF"):
        text = _pdf_text(blob, where)
    elif suffix == ".docx":
        text = _docx_text(path, where)
    elif suffix == ".doc":
        raise TargetError(f"{where} は古い Word 形式（.doc）のため読めません。Word で .docx か PDF として保存し直してください。")
    elif suffix in TEXT_SUFFIXES:
        text = decode_text(blob, where)
    else:
        raise TargetError(f"{where} の形式（{suffix}）には対応していません。テキスト（.txt・.md）、PDF、docx で指定してください。")
    return clean_text(text, where)


def decode_text(blob: bytes, where: str) -> str:
    """Bytes of a text file as str: UTF-8 (with or without BOM), UTF-16 with BOM, Shift_JIS, EUC-JP."""
    if blob.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return blob.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in blob:
        raise TargetError(f"{where} は文字のファイルではありません（バイナリのようです）。テキスト・PDF・docx で指定してください。")
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    for codec, _name in FALLBACK_ENCODINGS:
        try:
            text = blob.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise TargetError(f"{where} の文字コードを判別できません（UTF-8・Shift_JIS・EUC-JP のどれでもありません）。"
                      "UTF-8 で保存し直してください。")


def _looks_like_text(text: str) -> bool:
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return controls <= max(2, len(text) // 200)


def clean_text(text: str, where: str) -> str:
    """Newlines unified, trailing spaces and blank runs trimmed; refused when empty or too long."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\x00", "")
    lines = [ln.rstrip() for ln in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    if not text.strip():
        raise TargetError(f"{where} は空です（文字がありません）。")
    if len(text) > MAX_TEXT_CHARS:
        raise TargetError(f"{where} は長すぎます（{len(text):,}文字、上限 {MAX_TEXT_CHARS:,}文字）。必要な部分だけを指定してください。")
    return text + "\n"


def _pdf_text(blob: bytes, where: str) -> str:
    import io

    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings on odd files are not the user's business
    unreadable = f"{where} を PDF として読み込めません（壊れているか、PDF ではありません）。"
    try:
        reader = PdfReader(io.BytesIO(blob))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")  # protected by an owner password only: readable
            except (DependencyError, NotImplementedError, PyPdfError, ValueError):
                opened = PasswordType.NOT_DECRYPTED
            if opened == PasswordType.NOT_DECRYPTED:
                raise TargetError(f"{where} はパスワードで保護されているため読めません。保護を外して保存し直すか、"
                                  "テキストで指定してください。")
        pages = reader.pages
        count = len(pages)
        if count > MAX_PDF_PAGES:
            raise TargetError(f"{where} はページが多すぎます（{count}ページ、上限 {MAX_PDF_PAGES}ページ）。必要なページだけにしてください。")
        texts = [page.extract_text() or "" for page in pages]
    except TargetError:
        raise
    except (DependencyError,) as exc:
        raise TargetError(f"{where} はパスワードで保護されているため読めません（{exc}）。") from None
    except Exception as exc:  # pypdf raises many kinds on a damaged file; each is the same for the user
        raise TargetError(f"{unreadable[:-1]}（{exc.__class__.__name__}）。") from None
    text = "\n".join(texts)
    if count == 0 or len(re.sub(r"\s", "", text)) < MIN_PDF_TEXT_CHARS:
        raise TargetError(f"{where} には文字の情報がありません（スキャンした画像だけの PDF のようです）。"
                          "文字を選択できる PDF か、docx・テキストで指定してください。")
    # Extraction often spaces out Japanese characters: the text reads as written.
    return _CJK_GAP.sub("", text)


def _docx_text(path: Path, where: str) -> str:
    import zipfile

    try:
        import docx
    except ImportError:  # pragma: no cover - a dependency of the package
        raise TargetError(f"{where} を読むための python-docx が入っていません（./install.sh を実行してください）。") from None
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TargetError(f"{where} を docx として読み込めません（壊れているか、docx ではありません: {exc.__class__.__name__}）。") from None
    except Exception as exc:  # lxml and python-docx raise their own kinds on a damaged file
        raise TargetError(f"{where} を docx として読み込めません（{exc.__class__.__name__}）。") from None
    lines: list[str] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            lines.append("")
            continue
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith(("Heading", "見出し")) or style == "Title":
            level = re.search(r"(\d)", style)
            lines.append("#" * (int(level.group(1)) + 1 if level else 1) + " " + text)
        elif "List" in style or "箇条書き" in style:
            lines.append(f"- {text}")
        else:
            lines.append(text)
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                value = cell.text.strip()
                if value and (not cells or cells[-1] != value):  # merged cells repeat their text
                    cells.append(value)
            if cells:
                lines.append("- " + "：".join(cells) if len(cells) == 2 else "- " + " / ".join(cells))
    return "\n".join(lines)
