"""Documents for the target tests, made here: PDFs (with text, encrypted, scanned, damaged) and docx files."""

from __future__ import annotations

import io
from pathlib import Path


def text_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page PDF with a real text layer (Helvetica: ASCII text)."""
    content = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({ln}) '" for ln in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    path.write_bytes(out.getvalue())
    return path


def encrypted_pdf(path: Path, user_password: str = "secret", source: Path | None = None) -> Path:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    if source is not None:
        for page in PdfReader(str(source)).pages:
            writer.add_page(page)
    else:
        writer.add_blank_page(612, 792)
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    with open(path, "wb") as f:
        writer.write(f)
    return path


def scanned_pdf(path: Path, pages: int = 2) -> Path:
    """Pages with no text layer, as a scanner makes them (blank here: no image needed)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    with open(path, "wb") as f:
        writer.write(f)
    return path


def resume_docx(path: Path) -> Path:
    import docx

    d = docx.Document()
    d.add_heading("職務経歴書", 0)
    d.add_heading("職務経歴", 1)
    d.add_paragraph("株式会社サンプル物流（2018年4月〜現在）")
    d.add_paragraph("配送ルートの見直しを主導し、配送コストを年間15%削減", style="List Bullet")
    d.add_paragraph("8名の配車チームのリーダーとして、シフト管理と新人教育を担当", style="List Bullet")
    d.add_heading("資格", 1)
    d.add_paragraph("運行管理者（貨物）", style="List Bullet")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "従業員数"
    table.rows[0].cells[1].text = "120名"
    d.save(str(path))
    return path
