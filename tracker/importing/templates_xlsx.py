"""Blank import templates, one per asset kind, built from the field table.

Each has a title, a header row in Vietnamese (the labels of ``tracker.assets.fields``, which
the importer recognises exactly), one example row marked "Ví dụ" in the STT column (the
importer skips it), drop-down lists for the choice columns, and a "Hướng dẫn" sheet explaining
every column. The same bytes are served by the app and committed under ``imports/``:

    .venv/bin/python -m tracker.importing.templates_xlsx imports/
"""
from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from tracker.assets.fields import DEFAULT_UNIT_OF_MEASURE, fields_for
from tracker.models import Arrangement, AssetKind, Condition, Ownership, Retention

FILENAMES = {AssetKind.HEADQUARTERS: "mau-nhap-tru-so.xlsx", AssetKind.VEHICLE: "mau-nhap-xe-o-to.xlsx",
             AssetKind.EQUIPMENT: "mau-nhap-may-moc-thiet-bi.xlsx",
             AssetKind.ARCHIVE_BOX: "mau-nhap-hop-tai-lieu-luu-tru.xlsx"}
TITLES = {AssetKind.HEADQUARTERS: "DANH SÁCH TRỤ SỞ LÀM VIỆC (CƠ SỞ NHÀ, ĐẤT)",
          AssetKind.VEHICLE: "DANH SÁCH XE Ô TÔ", AssetKind.EQUIPMENT: "DANH SÁCH MÁY MÓC, THIẾT BỊ",
          AssetKind.ARCHIVE_BOX: "DANH SÁCH HỘP TÀI LIỆU LƯU TRỮ"}
UNIT_COLUMN = "Đơn vị giao (đã giải thể)"
RECEIVER_COLUMN = "Đơn vị dự kiến nhận"
EXAMPLE = {
    "code": "", "name": {AssetKind.HEADQUARTERS: "Trụ sở UBND phường Thắng Lợi",
                         AssetKind.VEHICLE: "Xe ô tô Toyota Innova 7 chỗ",
                         AssetKind.EQUIPMENT: "Máy vi tính để bàn Dell Optiplex 3080",
                         AssetKind.ARCHIVE_BOX: "Hồ sơ hành chính năm 2015-2016"},
    "quantity": 1, "original_cost": 15_600_000, "remaining_value": 3_120_000, "condition": "Đang sử dụng",
    "ownership": Ownership.OWN.label, "current_use": "Phòng Văn phòng", "intended_use": "Bàn giao cho phường mới",
    "documents": "", "notes": "",
    "address": "Tổ 5, phường Thắng Lợi", "land_area": 1250.5, "floor_area": 820, "year_built": 2005,
    "land_certificate_no": "BĐ 123456", "plate": "20A-123.45", "make_model": "Toyota Innova", "seats": 7,
    "year_made": 2016, "odometer_km": 185000, "equipment_type": "Máy vi tính", "serial": "CN0F7K2",
    "fonds": "Phông UBND phường Thắng Lợi", "box_no": "1", "files_count": 12, "span_start": 2015, "span_end": 2016,
    "linear_m": "", "arrangement": Arrangement.UNSORTED.label, "retention": Retention.PERMANENT.label,
    "digitised": "Không",
}
CHOICES = {"condition": Condition, "ownership": Ownership, "arrangement": Arrangement, "retention": Retention}
HOW = {  # how to write each column, for the notes sheet
    "code": "Mã tài sản theo sổ của đơn vị. Để trống: hệ thống tự đặt (vd TB-459329-00001). Nhập lại cùng mã sẽ "
            "cập nhật tài sản đó, không tạo trùng.",
    "original_cost": "Số đồng, không có phần lẻ: 12500000 hoặc 12.500.000 hoặc «12.500.000 đ».",
    "remaining_value": "Số đồng, không lớn hơn nguyên giá.",
    "quantity": "Số nguyên, để trống là 1.",
    "year_built": "Năm (2005) hoặc ngày đầy đủ (05/07/2005).",
    "year_made": "Năm (2016) hoặc ngày đầy đủ.",
    "plate": "Biển số: 20A-123.45, 20A12345, 20a - 123.45 đều được. Nhập lại cùng biển số sẽ cập nhật xe đó.",
    "land_area": "Mét vuông; dấu phẩy hoặc dấu chấm thập phân đều được (1250,5).",
    "floor_area": "Mét vuông.",
    "box_no": "Số hộp trong phông. Phông + số hộp xác định một hộp: nhập lại sẽ cập nhật hộp đó.",
    "span_start": "Năm bắt đầu; hoặc dùng một cột «Thời gian tài liệu» ghi 2010-2020.",
    "digitised": "Có / Không.",
}


def _columns(kind: AssetKind) -> list[tuple[str, str, str]]:
    """(header, field name, explanation) for every column of the template."""
    columns = [("STT", "_stt", "Số thứ tự. Dòng ghi «Ví dụ» ở cột này được bỏ qua khi nhập."),
               (UNIT_COLUMN, "_unit", "Tên đơn vị đã giải thể có tài sản (vd «Phường Thắng Lợi», «UBND xã Tân "
                                      "Quang»). Có thể bỏ cột này và chọn đơn vị khi tải lên, hoặc ghi dòng tên "
                                      "đơn vị (I, II…) phía trên các tài sản của đơn vị đó.")]
    for f in fields_for(kind):
        text = HOW.get(f.name, "")
        if f.name in CHOICES:
            text = "Chọn một trong: " + ", ".join(m.label for m in CHOICES[f.name]) + " (có dấu hoặc không dấu)."
        if f.name == "unit_of_measure":
            text = f"Để trống là «{DEFAULT_UNIT_OF_MEASURE[kind]}»."
        columns.append((f.label, f.name, " ".join(t for t in (f.help, text) if t)))
    columns.append((RECEIVER_COLUMN, "_receiver", "Không bắt buộc: xã, phường mới hoặc cơ quan cấp tỉnh dự kiến nhận."))
    return columns


def build(kind: AssetKind) -> bytes:
    """The template for one kind, as .xlsx bytes (identical on every run)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"title": TITLES[kind], "author": "Theo dõi bàn giao tài sản",
                         "created": dt.datetime(2025, 7, 1)})
    title = book.add_format({"bold": True, "font_size": 14, "align": "center"})
    note = book.add_format({"italic": True, "font_color": "#555555"})
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", "border": 1,
                            "bg_color": "#DDEBF7"})
    required = book.add_format({"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center",
                                "border": 1, "bg_color": "#FCE4D6"})
    example = book.add_format({"italic": True, "font_color": "#7F7F7F", "border": 1})
    columns = _columns(kind)
    fields = {f.name: f for f in fields_for(kind)}
    sheet = book.add_worksheet(kind.label[:31])
    sheet.merge_range(0, 0, 0, len(columns) - 1, TITLES[kind], title)
    sheet.write(1, 0, "Điền từ dòng 5 trở xuống; giữ nguyên dòng tiêu đề (dòng 4). Cột tô cam là bắt buộc. "
                      "Xem trang «Hướng dẫn».", note)
    for col, (header, name, _how) in enumerate(columns):
        sheet.write(3, col, header, required if name in fields and fields[name].required else head)
        value = "Ví dụ" if name == "_stt" else "Phường Thắng Lợi" if name == "_unit" else (
            "" if name == "_receiver" else EXAMPLE.get(name, ""))
        if isinstance(value, dict):
            value = value[kind]
        sheet.write(4, col, value, example)
        sheet.set_column(col, col, 8 if name == "_stt" else 30 if name in ("name", "_unit", "address") else 18)
        if name in CHOICES:
            sheet.data_validation(4, col, 5000, col, {"validate": "list",
                                                      "source": [m.label for m in CHOICES[name]],
                                                      "error_type": "warning"})
    sheet.set_row(3, 45)
    sheet.freeze_panes(4, 2)
    guide = book.add_worksheet("Hướng dẫn")
    guide.write_row(0, 0, ["Cột", "Bắt buộc", "Cách ghi"], head)
    for row, (header, name, how) in enumerate(columns, start=1):
        guide.write_row(row, 0, [header, "Có" if name in fields and fields[name].required else "", how])
    guide.set_column(0, 0, 32)
    guide.set_column(2, 2, 100)
    book.close()
    return buffer.getvalue()


def write_all(folder: str | Path) -> list[Path]:
    """Write the four templates into ``folder``; returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for kind, name in FILENAMES.items():
        path = folder / name
        path.write_bytes(build(kind))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_all(sys.argv[1] if len(sys.argv) > 1 else "imports"):
        print(written)
