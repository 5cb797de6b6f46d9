"""The minutes as a DOCX: ``build_minutes(data) -> bytes``. Pure: plain data in, bytes out.

Order of the document (Mẫu 01/TSC-BBGN laid out per Nghị định 30/2020): header block (issuing
body | national motto; number | place and date), title, legal basis, "Hôm nay …", A. the
parties, B. the content with the item tables, duties, remarks, copies, signature blocks.
"""
from __future__ import annotations

import datetime as dt
import io

from docx import Document

from tracker.formatting import group_thousands
from tracker.handovers.minutes import layout
from tracker.handovers.minutes.content import add_archive_content, add_asset_content
from tracker.handovers.minutes.data import ASSETS, MinutesData, Party, copies_split
from tracker.handovers.minutes.layout import para

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"
TITLES = {
    "assets": "BIÊN BẢN BÀN GIAO, TIẾP NHẬN TÀI SẢN CÔNG",
    "archives": "BIÊN BẢN GIAO NHẬN HỒ SƠ, TÀI LIỆU",
}
SIGN_NOTE = "(Ký, ghi rõ họ tên, đóng dấu)"
HEADER_WIDTHS_MM = [68.0, 97.0]


def date_words(day: dt.date) -> str:
    """'ngày 05 tháng 7 năm 2025': days under 10 and months 1–2 take a leading zero (NĐ 30/2020)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def format_code(code: str) -> str:
    """Verification code grouped for reading aloud: 'ABCDEFGHJK' -> 'ABCD-EFGH-JK'."""
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def footer_text(data: MinutesData) -> str:
    """What every page's footer says; the verification page reads the code back from it."""
    number = data.number_text.replace("Số: ", "")
    return f"Biên bản số {number} · Mã xác thực: {format_code(data.verification_code)}"


def _header_block(doc, data: MinutesData) -> None:
    table = layout.plain_table(doc, 2, HEADER_WIDTHS_MM)
    left, right = table.rows[0].cells
    para_left = left.paragraphs[0]
    para_left.alignment = layout.ALIGN["center"]
    para_left.paragraph_format.space_after = layout.Pt(0)
    run = para_left.add_run(data.parent_body.upper())
    run.font.size = layout.Pt(13)
    para(left, data.issuing_body.upper(), bold=True, size=13, align="center", after=0)
    layout.short_rule(para(left, "", after=0, size=6), HEADER_WIDTHS_MM[0], 25)

    motto = right.paragraphs[0]
    motto.alignment = layout.ALIGN["center"]
    motto.paragraph_format.space_after = layout.Pt(0)
    run = motto.add_run(MOTTO_1)
    run.bold = True
    run.font.size = layout.Pt(12)
    para(right, MOTTO_2, bold=True, size=13, align="center", underline=True, after=0)

    number_cell, date_cell = table.rows[1].cells
    number = number_cell.paragraphs[0]
    number.alignment = layout.ALIGN["center"]
    number.paragraph_format.space_before = layout.Pt(6)
    number.add_run(data.number_text).font.size = layout.Pt(13)
    date_line = date_cell.paragraphs[0]
    date_line.alignment = layout.ALIGN["center"]
    date_line.paragraph_format.space_before = layout.Pt(6)
    run = date_line.add_run(f"{data.locality}, {date_words(data.date)}")
    run.italic = True
    run.font.size = layout.Pt(14)


def subject_line(data: MinutesData) -> str:
    """The subject under the title: what is handed over, from whom, to whom. A reallocation keeps
    the unified form's title (Mẫu 01/TSC-BBGN serves every transfer) and says so here."""
    if data.doc_type != ASSETS:
        verb = "Giao nhận hồ sơ, tài liệu"
    elif data.reallocation:
        verb = "Bàn giao, tiếp nhận tài sản công điều chuyển"
    else:
        verb = "Bàn giao, tiếp nhận tài sản công"
    return f"{verb} từ {data.giver_name} cho {data.receiver_name}"


def _title(doc, data: MinutesData) -> None:
    para(doc, TITLES[data.doc_type], bold=True, size=14, align="center", before=18, after=0)
    para(doc, subject_line(data), bold=True, size=14, align="center", after=12)


def _legal_basis(doc, data: MinutesData) -> None:
    for line in data.legal_basis:
        para(doc, line, italic=True, indent_mm=10)
    place = f", tại {data.place}" if data.place else ""
    para(doc, f"Hôm nay, {date_words(data.date)}{place}, chúng tôi gồm:", indent_mm=10)


def _representatives(doc, parties: list[Party]) -> None:
    for party in parties:
        position = f"; chức vụ: {party.position}" if party.position else ""
        para(doc, f"- Ông/Bà: {party.full_name}{position}", indent_mm=10)


def _parties(doc, data: MinutesData) -> None:
    if data.doc_type == ASSETS:
        para(doc, "A. THÀNH PHẦN THAM GIA BÀN GIAO, TIẾP NHẬN", bold=True)
    labels = [("giver", f"1. Đại diện bên giao: {data.giver_name}"),
              ("receiver", f"2. Đại diện bên nhận: {data.receiver_name}")]
    witnesses = data.side("witness")
    if witnesses:
        organisation = witnesses[0].organisation or ""
        labels.append(("witness", f"3. Đại diện cơ quan chứng kiến: {organisation}".rstrip(": ")))
    for side, label in labels:
        para(doc, label, bold=True, indent_mm=10)
        _representatives(doc, data.side(side))


def copies_sentence(data: MinutesData) -> str:
    """'Biên bản được lập thành 04 bản …; bên giao giữ 02 bản, bên nhận giữ 02 bản.'"""
    giver, receiver, witness = copies_split(data.copies, bool(data.side("witness")))
    text = (f"Biên bản được lập thành {data.copies:02d} bản có giá trị pháp lý như nhau; "
            f"bên giao giữ {giver:02d} bản, bên nhận giữ {receiver:02d} bản")
    if witness:
        text += f", cơ quan chứng kiến giữ {witness:02d} bản"
    return text + "."


def _signatures(doc, data: MinutesData) -> None:
    blocks = [("ĐẠI DIỆN BÊN NHẬN", data.side("receiver")), ("ĐẠI DIỆN BÊN GIAO", data.side("giver"))]
    if data.side("witness"):
        blocks.append(("ĐẠI DIỆN CƠ QUAN CHỨNG KIẾN", data.side("witness")))
    para(doc, "", after=6).paragraph_format.keep_with_next = True
    width = layout.PORTRAIT_TEXT_MM / len(blocks)
    table = layout.plain_table(doc, 1, [width] * len(blocks))
    for cell, (heading, people) in zip(table.rows[0].cells, blocks):
        first = cell.paragraphs[0]
        first.alignment = layout.ALIGN["center"]
        first.paragraph_format.space_after = layout.Pt(0)
        first.paragraph_format.keep_with_next = True
        run = first.add_run(heading)
        run.bold = True
        run.font.size = layout.Pt(13)
        signer = people[0] if people else Party("", "")
        if signer.position:
            para(cell, signer.position.upper(), bold=True, size=13, align="center", after=0)
        para(cell, SIGN_NOTE, italic=True, size=13, align="center", after=0)
        for _ in range(4):
            para(cell, "", after=0)
        para(cell, signer.full_name, bold=True, size=14, align="center")


def build_minutes(data: MinutesData) -> bytes:
    """The DOCX bytes of one set of minutes."""
    doc = Document()
    layout.setup_styles(doc)
    first = doc.sections[0]
    layout.page_setup(first)
    layout.headers_and_footers(first, footer_text(data))
    _header_block(doc, data)
    _title(doc, data)
    _legal_basis(doc, data)
    _parties(doc, data)
    if data.doc_type == ASSETS:
        add_asset_content(doc, data)
    else:
        add_archive_content(doc, data)
    para(doc, copies_sentence(data), indent_mm=10)
    _signatures(doc, data)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


__all__ = ["build_minutes", "date_words", "format_code", "footer_text", "group_thousands", "subject_line"]
