"""The minutes as a document: reopened with python-docx (and LibreOffice) and checked.

Layout per Nghị định 30/2020 (shared/DOMAIN.md "Document format"); content checked against
the database to the đồng.
"""
from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import time

import docx
import pytest
import sqlalchemy as sa
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from tests.handover_factory import equipment, issued, units
from tracker.formatting import group_thousands
from tracker.handovers.minutes import ARCHIVES, ArchiveRow, AssetRow, MinutesData, Party, build_minutes
from tracker.handovers.minutes.words import money_words, number_words
from tracker.models import Asset, AssetKind, HandoverItem, Role, StoredFile

FONT = "Times New Roman"


def sample(rows: int = 12, doc_type: str = "assets") -> MinutesData:
    assets = [AssetRow("equipment", f"Máy vi tính số {i}", f"TB-{i:04d}", "bộ", 1, 12_500_000 + i, 3_000_000 + i,
                       "Đang sử dụng") for i in range(rows)]
    assets.append(AssetRow("headquarters", "Trụ sở UBND phường Phố Cò\nTổ 5; DT đất 1.200 m²", "TS-1", "cơ sở", 1,
                           5_000_000_000, 2_100_000_000, "Tốt", "Trụ sở UBND", "Trụ sở Công an phường",
                           "GCN QSDĐ số BA 123456"))
    boxes = [ArchiveRow(str(i), f"Hồ sơ năm {2010 + i}", "Phông UBND phường Phố Cò", f"{2010 + i}", 10 + i)
             for i in range(rows)]
    return MinutesData(
        doc_type=doc_type, number_text="Số: 07/BB-BG", parent_body="UBND tỉnh Thái Nguyên", issuing_body="Sở Tài chính",
        locality="Sông Công", date=dt.date(2025, 7, 5), place="Trụ sở UBND phường Sông Công",
        giver_name="Phường Phố Cò (Thành phố Sông Công)", receiver_name="Phường Sông Công",
        legal_basis=["Căn cứ Nghị quyết số 1683/NQ-UBTVQH15 ngày 16/6/2025;"],
        parties=[Party("giver", "Nguyễn Văn An", "Chủ tịch"), Party("receiver", "Trần Thị Bình", "Chủ tịch"),
                 Party("witness", "Lê Văn Cường", "Phó Giám đốc", "Sở Tài chính tỉnh Thái Nguyên")],
        assets=assets if doc_type == "assets" else [], boxes=boxes if doc_type == ARCHIVES else [],
        verification_code="ABCDEFGHJK", records_block="Phông UBND phường Phố Cò", time_span="2010–2021")


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def run_size(run, paragraph) -> float:
    size = run.font.size or paragraph.style.font.size or paragraph.part.document.styles["Normal"].font.size
    return size.pt


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def test_page_setup_is_a4_with_the_decree_margins_and_wide_tables_go_landscape():
    document = open_docx(build_minutes(sample()))
    orientations = []
    for section in document.sections:
        size = sorted([round(section.page_width.mm), round(section.page_height.mm)])
        assert size == [210, 297]
        assert 20 <= section.top_margin.mm <= 25 and 20 <= section.bottom_margin.mm <= 25
        assert 30 <= section.left_margin.mm <= 35 and 15 <= section.right_margin.mm <= 20
        landscape = section.orientation == WD_ORIENT.LANDSCAPE
        assert landscape == (section.page_width > section.page_height)
        orientations.append(landscape)
    assert orientations == [False, True, False]  # text, asset tables, totals and signatures


def test_archive_minutes_fit_portrait():
    document = open_docx(build_minutes(sample(doc_type=ARCHIVES)))
    assert [s.orientation for s in document.sections] == [WD_ORIENT.PORTRAIT]
    assert any(p.text == "BIÊN BẢN GIAO NHẬN HỒ SƠ, TÀI LIỆU" for p in document.paragraphs)
    listing = document.tables[1]
    assert table_rows(listing)[0][:3] == ["STT", "Số hộp", "Tiêu đề hộp, hồ sơ"]
    assert len(listing.rows) == 1 + 12 + 1
    assert table_rows(listing)[-1][4] == str(sum(10 + i for i in range(12)))


def test_everything_is_times_new_roman_and_the_motto_and_title_have_their_sizes():
    document = open_docx(build_minutes(sample()))
    normal = document.styles["Normal"]
    assert normal.font.name == FONT and normal.font.size == Pt(14)
    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    fonts = defaults.find(qn("w:rFonts"))
    assert {fonts.get(qn(f"w:{k}")) for k in ("ascii", "hAnsi", "cs", "eastAsia")} == {FONT}
    for paragraph in all_paragraphs(document):
        for run in paragraph.runs:
            assert run.font.name in (None, FONT)
    header = document.tables[0]
    motto_1, motto_2 = header.cell(0, 1).paragraphs[:2]
    assert motto_1.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert motto_1.runs[0].bold and run_size(motto_1.runs[0], motto_1) in (12, 13)
    assert motto_2.text == "Độc lập - Tự do - Hạnh phúc"
    assert motto_2.runs[0].bold and motto_2.runs[0].underline and run_size(motto_2.runs[0], motto_2) in (13, 14)
    parent, issuer = header.cell(0, 0).paragraphs[:2]
    assert parent.text == "UBND TỈNH THÁI NGUYÊN" and not parent.runs[0].bold
    assert issuer.text == "SỞ TÀI CHÍNH" and issuer.runs[0].bold
    number, date_line = header.cell(1, 0).paragraphs[0], header.cell(1, 1).paragraphs[0]
    assert number.text == "Số: 07/BB-BG" and run_size(number.runs[0], number) == 13
    assert date_line.text == "Sông Công, ngày 05 tháng 7 năm 2025" and date_line.runs[0].italic
    assert run_size(date_line.runs[0], date_line) in (13, 14)
    title = next(p for p in document.paragraphs if p.text == "BIÊN BẢN BÀN GIAO, TIẾP NHẬN TÀI SẢN CÔNG")
    assert title.runs[0].bold and run_size(title.runs[0], title) in (13, 14) and title.alignment == 1  # centred


def test_page_numbers_start_on_page_two_and_the_code_is_in_every_footer():
    document = open_docx(build_minutes(sample()))
    first = document.sections[0]
    assert first.different_first_page_header_footer
    assert first.first_page_header.paragraphs[0].text == ""
    assert "PAGE" in first.header._element.xml
    for footer in (first.footer, first.first_page_footer):
        assert "Mã xác thực: ABCD-EFGH-JK" in footer.paragraphs[0].text
    for later in document.sections[1:]:
        assert not later.different_first_page_header_footer
        assert later.header.is_linked_to_previous and later.footer.is_linked_to_previous


def test_signature_blocks_of_both_sides_and_the_witness():
    document = open_docx(build_minutes(sample()))
    signatures = table_rows(document.tables[-1])[0]
    assert [cell.split("\n")[0] for cell in signatures] == [
        "ĐẠI DIỆN BÊN NHẬN", "ĐẠI DIỆN BÊN GIAO", "ĐẠI DIỆN CƠ QUAN CHỨNG KIẾN"]
    assert all("(Ký, ghi rõ họ tên, đóng dấu)" in cell for cell in signatures)
    assert signatures[0].endswith("Trần Thị Bình") and signatures[1].endswith("Nguyễn Văn An")


def test_amounts_are_written_in_words():
    assert number_words(12_500_000) == "mười hai triệu năm trăm nghìn"
    assert number_words(1_005) == "một nghìn không trăm linh năm"
    assert number_words(21) == "hai mươi mốt" and number_words(15) == "mười lăm"
    assert money_words(5_000_000_000) == "Năm tỷ đồng"


def test_control_characters_pasted_from_spreadsheets_do_not_break_the_document():
    data = sample(1)
    data.assets[0] = AssetRow("equipment", "Máy\x0bin\x07 HP", "TB-1", "cái", 1, 1, 1)
    document = open_docx(build_minutes(data))
    assert any("Máyin HP" in row[1] for row in table_rows(document.tables[2]))


def test_five_thousand_rows_build_quickly():
    """The benchmark (benchmarks/minutes_bench.py) holds the 0.5 s target; this guards against a regression."""
    data = sample(5_000)
    build_minutes(data)
    started = time.process_time()  # CPU time: a busy machine does not make this test flaky
    content = build_minutes(data)
    assert time.process_time() - started < 2.0
    table = open_docx(content).tables[2]
    assert len(table.rows) == 1 + 5_000 + 1


@pytest.fixture
def issued_minutes(db, make_user, make_asset, unit_by_name):
    """An issued handover of an HQ, a car and 25 equipment items, with its stored DOCX."""
    giver, receiver = units(unit_by_name)
    officer = make_user(Role.OFFICER)
    assets = equipment(make_asset, giver, 25)
    assets.append(make_asset(AssetKind.VEHICLE, unit=giver, plate="98A-811.18", name="Xe ô tô Toyota Innova",
                             original_cost="750.000.000", remaining_value="120.000.000",
                             documents="Giấy đăng ký xe số 012345"))
    assets.append(make_asset(AssetKind.HEADQUARTERS, unit=giver, name="Trụ sở UBND phường Phố Cò", code="TS-1",
                             address="Tổ 5, phường Phố Cò", original_cost="5.000.000.000",
                             remaining_value="2.100.000.000", intended_use="Trụ sở Công an phường"))
    handover = issued(db, officer, giver, receiver, assets, immediate_use=True)
    file = db.session.get(StoredFile, handover.minutes_file_id)
    return handover, file.data


def test_issued_minutes_list_every_asset_and_totals_equal_the_database(db, issued_minutes):
    handover, content = issued_minutes
    document = open_docx(content)
    text = "\n".join(p.text for p in document.paragraphs)
    assert f"Số: {handover.number:02d}/BB-BG" in document.tables[0].cell(1, 0).text
    assert "Sông Công, ngày 05 tháng 7 năm 2025" in document.tables[0].cell(1, 1).text
    assert "Nguyễn Văn An" in text and "Trần Thị Bình" in text and "Lê Văn Cường" in text
    assert "1. Đại diện bên giao: Phường Phố Cò (Thành phố Sông Công)" in text
    assert "chậm nhất ngày 04/08/2025" in text  # immediate use: decision due 30 days after 05/07/2025
    rows = [row for table in document.tables[1:-2] for row in table_rows(table)]
    assets = db.session.execute(sa.select(Asset).join(HandoverItem, HandoverItem.asset_id == Asset.id)
                                .where(HandoverItem.handover_id == handover.id)).scalars().all()
    assert len(assets) == 27
    for asset in assets:
        code = asset.plate or asset.code
        matching = [row for row in rows if row[2] == code]
        assert len(matching) == 1, code
        row = matching[0]
        assert row[1].startswith(asset.name)
        assert row[5] == group_thousands(asset.original_cost) and row[6] == group_thousands(asset.remaining_value)
    cost, value = db.session.execute(
        sa.select(sa.func.sum(Asset.original_cost), sa.func.sum(Asset.remaining_value))
        .join(HandoverItem, HandoverItem.asset_id == Asset.id).where(HandoverItem.handover_id == handover.id)).one()
    summary = table_rows(document.tables[-2])
    assert summary[-1][1] == "Tổng cộng"
    assert summary[-1][2] == "27" and summary[-1][4] == group_thousands(cost) and summary[-1][5] == group_thousands(value)
    equipment_total = next(r for t in document.tables[1:-2] for r in table_rows(t)
                           if r[1] == "Cộng" and "Máy vi tính số 1" in t.cell(1, 1).text)
    assert equipment_total[5] == group_thousands(sum(a.original_cost for a in assets if a.kind == AssetKind.EQUIPMENT))
    assert f"Tổng nguyên giá: {group_thousands(cost)} đồng" in text


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed: the PDF rendering test "
                                               "needs it; .ci/run installs libreoffice-writer-nogui")
def test_libreoffice_renders_the_minutes_to_pdf_with_numbered_pages(db, issued_minutes, tmp_path):
    from pypdf import PdfReader

    handover, content = issued_minutes
    source = tmp_path / "minutes.docx"
    source.write_bytes(content)
    subprocess.run([_soffice(), "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    reader = PdfReader(str(tmp_path / "minutes.pdf"))
    pages = reader.pages
    assert 3 <= len(pages) <= 6
    first = pages[0]
    assert first.mediabox.width < first.mediabox.height  # page 1 portrait
    assert any(p.mediabox.width > p.mediabox.height for p in pages)  # the asset tables landscape
    code = f"{handover.verification_code[:4]}-{handover.verification_code[4:8]}-{handover.verification_code[8:]}"
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert code in text, f"page {number} has no verification code"
        if number > 1:
            assert text.lstrip().startswith(str(number)), f"page {number} is not numbered at the top"
    everything = "".join(p.extract_text() for p in pages)
    assert "98A-811.18" in everything and "TB-0025" in everything


def test_every_row_of_an_item_table_has_the_grid_widths():
    """Word lays out fixed tables by the cell widths: cloned rows must carry the grid's, not a default."""
    table = open_docx(build_minutes(sample(3))).tables[2]
    grid = [col.width for col in table.columns]
    assert abs(sum(grid) - Mm(252)) < Mm(1)
    for row in table.rows:
        assert [cell.width for cell in row.cells] == grid
