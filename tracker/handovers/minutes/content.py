"""Part B of the minutes: the item tables, totals, documents, duties and remarks.

Asset tables have 10–12 columns and go on landscape pages (they do not fit the 165 mm of
portrait text); the archive list fits portrait. The decision is made from the columns' widths.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from tracker.formatting import date_vn, decimal_vn, group_thousands
from tracker.handovers.minutes import layout
from tracker.handovers.minutes.data import ASSET_KIND_TITLES, AssetRow, MinutesData, kind_totals
from tracker.handovers.minutes.layout import para
from tracker.handovers.minutes.tables import Column, item_table, needs_landscape
from tracker.handovers.minutes.words import money_words

money = group_thousands
STT, NAME = Column("STT", 10, "center"), Column("Tên tài sản", 56)
UOM, QTY = Column("Đơn vị tính", 14, "center"), Column("Số lượng", 15, "center")
COST, VALUE = Column("Nguyên giá (đồng)", 27, "right"), Column("Giá trị còn lại (đồng)", 27, "right")
CONDITION, DOCS, NOTES = Column("Tình trạng", 22), Column("Hồ sơ kèm theo", 30), Column("Ghi chú", 23)

ASSET_COLUMNS = [STT, NAME, Column("Mã tài sản, biển kiểm soát", 28), UOM, QTY, COST, VALUE, CONDITION,
                 DOCS, NOTES]
HQ_COLUMNS = [Column("STT", 9, "center"), Column("Tên tài sản, địa chỉ", 41), Column("Mã tài sản", 20),
              Column("Đơn vị tính", 13, "center"), Column("Số lượng", 12, "center"),
              Column("Nguyên giá (đồng)", 25, "right"), Column("Giá trị còn lại (đồng)", 25, "right"),
              Column("Tình trạng", 18), Column("Hiện trạng sử dụng", 25), Column("Phương án sử dụng", 25),
              Column("Hồ sơ kèm theo", 22), Column("Ghi chú", 17)]
SUMMARY_COLUMNS = [Column("STT", 10, "center"), Column("Loại tài sản", 58), Column("Số tài sản", 22, "center"),
                   Column("Số lượng", 20, "center"), Column("Nguyên giá (đồng)", 27.5, "right"),
                   Column("Giá trị còn lại (đồng)", 27.5, "right")]
ARCHIVE_COLUMNS = [Column("STT", 9, "center"), Column("Số hộp", 13, "center"),
                   Column("Tiêu đề hộp, hồ sơ", 48), Column("Thời gian tài liệu", 18, "center"),
                   Column("Số hồ sơ", 13, "center"), Column("Mét giá", 13, "right"),
                   Column("Thời hạn bảo quản", 17), Column("Tình trạng", 18), Column("Ghi chú", 16)]
LISTED_DOCUMENTS = 30  # beyond this many, part B.2 points to the table's column instead of listing


class _Pages:
    """Tracks the orientation of the current section and starts a new one when it must change."""

    def __init__(self, doc):
        self.doc, self.landscape = doc, False

    def orient(self, landscape: bool) -> None:
        if landscape != self.landscape:
            layout.new_section(self.doc, landscape)
            self.landscape = landscape


def _asset_cells(index: int, row: AssetRow, headquarters: bool) -> list[object]:
    cells: list[object] = [index, row.name, row.code, row.unit_of_measure, row.quantity,
                           money(row.original_cost), money(row.remaining_value), row.condition]
    if headquarters:
        cells += [row.current_use, row.intended_use]
    return cells + [row.documents, row.notes]


def _rows(rows: Sequence[AssetRow], headquarters: bool) -> Iterator[list[object]]:
    for index, row in enumerate(rows, start=1):
        yield _asset_cells(index, row, headquarters)


def _total_cells(label: str, quantity: int, cost: int, value: int, headquarters: bool) -> list[object]:
    cells: list[object] = ["", label, "", "", quantity, money(cost), money(value), ""]
    return cells + (["", ""] if headquarters else []) + ["", ""]


def _kind_tables(doc, data: MinutesData, pages: _Pages) -> None:
    by_kind: dict[str, list[AssetRow]] = {}
    for row in data.assets:
        by_kind.setdefault(row.kind, []).append(row)
    totals = {t.kind: t for t in kind_totals(data.assets)}
    kinds = [k for k in ASSET_KIND_TITLES if k in by_kind] + [k for k in by_kind if k not in ASSET_KIND_TITLES]
    for number, kind in enumerate(kinds, start=1):
        headquarters = kind == "headquarters"
        columns = HQ_COLUMNS if headquarters else ASSET_COLUMNS
        pages.orient(needs_landscape(columns))
        para(doc, f"1.{number}. {ASSET_KIND_TITLES.get(kind, kind)}", bold=True, before=6)
        total = totals[kind]
        item_table(doc, columns, _rows(by_kind[kind], headquarters),
                   [_total_cells("Cộng", total.quantity, total.original_cost, total.remaining_value, headquarters)],
                   landscape=pages.landscape)


def _summary(doc, data: MinutesData, pages: _Pages) -> None:
    pages.orient(needs_landscape(SUMMARY_COLUMNS))
    para(doc, "Tổng hợp tài sản bàn giao, tiếp nhận:", bold=True, before=6)
    totals = kind_totals(data.assets)
    rows = [[i, ASSET_KIND_TITLES.get(t.kind, t.kind), t.count, t.quantity, money(t.original_cost),
             money(t.remaining_value)] for i, t in enumerate(totals[:-1], start=1)]
    overall = totals[-1]
    item_table(doc, SUMMARY_COLUMNS, rows, [["", "Tổng cộng", overall.count, overall.quantity,
                                             money(overall.original_cost), money(overall.remaining_value)]],
               landscape=pages.landscape)
    para(doc, f"Tổng nguyên giá: {money(overall.original_cost)} đồng ({money_words(overall.original_cost)}); "
              f"tổng giá trị còn lại: {money(overall.remaining_value)} đồng "
              f"({money_words(overall.remaining_value)}).", italic=True, before=6, indent_mm=10)


def _documents(doc, data: MinutesData) -> None:
    para(doc, "2. Hồ sơ, tài liệu bàn giao kèm theo tài sản", bold=True, indent_mm=10)
    with_docs = [r for r in data.assets if r.documents]
    if not with_docs:
        para(doc, "Không có hồ sơ, tài liệu kèm theo.", indent_mm=10)
    elif len(with_docs) <= LISTED_DOCUMENTS:
        for row in with_docs:
            code = f" ({row.code})" if row.code else ""
            name = row.name.replace("\n", ", ")
            para(doc, f"- {name}{code}: {row.documents}", indent_mm=10)
    else:
        para(doc, f"Hồ sơ kèm theo của {len(with_docs)} tài sản ghi tại cột «Hồ sơ kèm theo» "
                  "của danh mục tài sản nêu trên.", indent_mm=10)


def _duties(doc, data: MinutesData) -> None:
    para(doc, "3. Trách nhiệm của các bên", bold=True, indent_mm=10)
    para(doc, "- Bên giao chịu trách nhiệm về tính chính xác, đầy đủ của tài sản, hồ sơ bàn giao và "
              "số liệu theo sổ kế toán.", indent_mm=10)
    para(doc, "- Bên nhận có trách nhiệm kiểm tra thực tế tài sản tiếp nhận, báo cáo tài sản thiếu, hư "
              "hỏng so với biên bản; quản lý, sử dụng tài sản đúng mục đích, tiêu chuẩn, định mức.",
         indent_mm=10)
    if data.reallocation:
        para(doc, "- Bên giao ghi giảm, bên nhận ghi tăng tài sản điều chuyển trên sổ kế toán theo quy định "
                  "kể từ ngày bàn giao.", indent_mm=10)
    if data.immediate_use and data.decision_due_on:
        para(doc, "- Trụ sở làm việc được bàn giao để đưa vào sử dụng ngay; quyết định điều chuyển "
                  f"chính thức phải được ban hành chậm nhất ngày {date_vn(data.decision_due_on)}.",
             indent_mm=10)


def _remarks(doc, number: str, data: MinutesData) -> None:
    paragraph = para(doc, f"{number}. Ý kiến của các bên: ", bold=True, before=6, indent_mm=10)
    paragraph.add_run(data.remarks or "Không có ý kiến khác.")


def add_asset_content(doc, data: MinutesData) -> None:
    """B. NỘI DUNG: per-kind tables (landscape), totals, documents, duties, remarks."""
    para(doc, "B. NỘI DUNG BÀN GIAO, TIẾP NHẬN", bold=True)
    para(doc, "1. Danh mục tài sản bàn giao, tiếp nhận", bold=True, indent_mm=10)
    pages = _Pages(doc)
    _kind_tables(doc, data, pages)
    pages.orient(False)
    _summary(doc, data, pages)
    _documents(doc, data)
    _duties(doc, data)
    _remarks(doc, "4", data)


def add_archive_content(doc, data: MinutesData) -> None:
    """Phụ lục V of Nghị định 30/2020: block, time span, quantity, condition, the attached list."""
    boxes = data.boxes
    files = sum(b.files_count for b in boxes)
    para(doc, "Thống nhất lập biên bản giao nhận hồ sơ, tài liệu với những nội dung cụ thể như sau:",
         indent_mm=10)
    para(doc, f"1. Tên khối hồ sơ, tài liệu giao nộp: {data.records_block}", indent_mm=10)
    para(doc, f"2. Thời gian của hồ sơ, tài liệu: {data.time_span or 'không xác định'}", indent_mm=10)
    metres = _metres(boxes)
    para(doc, f"3. Số lượng hồ sơ, tài liệu: {len(boxes)} hộp; {group_thousands(files)} hồ sơ (đơn vị bảo "
              f"quản); quy ra {metres} mét giá.", indent_mm=10)
    para(doc, f"4. Tình trạng hồ sơ, tài liệu giao nộp: {data.condition_summary}", indent_mm=10)
    para(doc, "5. Mục lục hồ sơ, tài liệu kèm theo:", indent_mm=10)
    pages = _Pages(doc)
    pages.orient(needs_landscape(ARCHIVE_COLUMNS))
    rows = ([i, b.box_no, b.title, b.time_span, b.files_count, _metre(b.linear_m), b.retention, b.arrangement, b.notes]
            for i, b in enumerate(boxes, start=1))
    item_table(doc, ARCHIVE_COLUMNS, rows, [["", len(boxes), "Cộng", "", files, metres, "", "", ""]],
               landscape=pages.landscape)
    pages.orient(False)
    _remarks(doc, "6", data)


def _metre(value: Decimal | None) -> str:
    return "" if value is None else decimal_vn(value, 3)


def _metres(boxes) -> str:
    """Sum of the boxes' linear metres, '1,25'."""
    return decimal_vn(sum((b.linear_m for b in boxes if b.linear_m is not None), Decimal(0)), 3)
