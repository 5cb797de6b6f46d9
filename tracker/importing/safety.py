"""Refusing files that are not what they claim, before any parser touches them.

Checks, in order: an empty file; the file's real type from its first bytes (not its name); a
password-protected workbook (an OLE container holding ``EncryptedPackage``); a zip bomb (the
declared sizes and ratios, then every entry actually inflated under a cap, since a crafted
archive can lie about its sizes). While inflating the worksheets it also finds formula cells
saved without a computed value, which every reader would see as empty.
Pure: bytes in, a format name or a ``FileRefused`` with a Vietnamese message out.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from xml.etree import ElementTree

from tracker.errors import DomainError

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_MARKER = "EncryptedPackage".encode("utf-16-le")  # OLE directory names are UTF-16
EXTENSIONS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "csv", ".txt": "csv"}
ACCEPTED = ".xlsx, .xls, .csv"
# A formula cell with no value (or an empty one): <c r="F12"><f>SUM(F2:F11)</f></c>. Any namespace prefix.
_EMPTY_FORMULA = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*>\s*(?:<(?:\w+:)?f\b[^>]*/>|<(?:\w+:)?f\b[^>]*>[^<]*'
    rb'</(?:\w+:)?f>)\s*(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>')


class FileRefused(DomainError):
    """The file cannot be read as an inventory; ``message`` says why, in Vietnamese."""


@dataclass(frozen=True)
class Limits:
    """How much an uploaded workbook may inflate to; generous for 1 million rows, fatal for a bomb."""

    max_unzipped: int = 600 * 1024 * 1024
    max_ratio: int = 150  # real worksheets compress 5-20x; a bomb thousands of times
    max_entries: int = 5000


@dataclass
class Inspection:
    """What the checks learnt: the real format and, per sheet name, formula cells without a value."""

    format: str
    empty_formulas: dict[str, set[tuple[int, int]]] = field(default_factory=dict)


def _extension(filename: str) -> str:
    name = filename.lower().strip()
    return name[name.rfind("."):] if "." in name else ""


def inspect(data: bytes, filename: str, limits: Limits | None = None) -> Inspection:
    """Check an upload and tell its real format ('xlsx', 'xls' or 'csv'); raise FileRefused if unsafe."""
    limits = limits or Limits()
    ext = _extension(filename)
    if not data:
        raise FileRefused(f"Tệp «{filename}» rỗng (0 byte): không có gì để nhập.")
    if ext == ".ods":
        raise FileRefused(f"Tệp «{filename}» là bảng tính OpenDocument (.ods). Hãy mở bằng LibreOffice và "
                          "lưu lại dạng Excel (.xlsx) rồi tải lên.")
    if ext not in EXTENSIONS:
        raise FileRefused(f"Tệp «{filename}» không phải bảng tính: chỉ nhận tệp {ACCEPTED}.")
    if data.startswith(OLE_MAGIC):
        if ENCRYPTED_MARKER in data:
            raise FileRefused(f"Tệp «{filename}» được đặt mật khẩu nên không đọc được. Hãy mở bằng Excel, bỏ "
                              "mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc → Mã hóa bằng mật khẩu, xóa mật "
                              "khẩu), lưu lại rồi tải lên.")
        return Inspection("xls")
    if data.startswith(ZIP_MAGIC):
        return _inspect_zip(data, filename, limits)
    if ext == ".csv" or ext == ".txt":
        _check_text(data, filename)
        return Inspection("csv")
    head = data[:512].lstrip().lower()
    if head.startswith((b"<html", b"<!doctype", b"<table", b"<?xml", b"mime-version")):
        raise FileRefused(f"Tệp «{filename}» là trang web (HTML/XML) được đặt đuôi {ext}, không phải bảng tính "
                          "Excel thật. Hãy mở bằng Excel, chọn Lưu thành → Sổ làm việc Excel (.xlsx) rồi tải lên.")
    raise FileRefused(f"Tệp «{filename}» có đuôi {ext} nhưng nội dung không phải bảng tính Excel (có thể tệp "
                      "bị hỏng hoặc là loại tệp khác bị đổi tên). Hãy mở tệp bằng Excel và lưu lại.")


def _check_text(data: bytes, filename: str) -> None:
    sample = data[:65536]
    if sample.startswith((b"\xff\xfe", b"\xfe\xff")):
        return  # UTF-16 text, as Excel's "Unicode Text" writes it
    if b"\x00" in sample:
        raise FileRefused(f"Tệp «{filename}» không phải tệp văn bản CSV (có dữ liệu nhị phân).")


def _inspect_zip(data: bytes, filename: str, limits: Limits) -> Inspection:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise FileRefused(f"Tệp «{filename}» bị hỏng: không mở được như một tệp Excel (.xlsx).") from exc
    names = {info.filename for info in infos}
    if "xl/workbook.xml" not in names:
        what = "tài liệu Word" if "word/document.xml" in names else (
            "bảng tính OpenDocument" if "content.xml" in names else "tệp nén zip")
        raise FileRefused(f"Tệp «{filename}» là {what}, không phải bảng tính Excel (.xlsx).")
    if any(name.startswith("EncryptedPackage") for name in names):
        raise FileRefused(f"Tệp «{filename}» được đặt mật khẩu nên không đọc được.")
    too_big = FileRefused(f"Tệp «{filename}» giải nén ra quá lớn (có thể là tệp độc hại kiểu «zip bomb»); "
                          f"giới hạn {limits.max_unzipped // (1024 * 1024)} MB sau giải nén. Hãy chia nhỏ tệp.")
    if len(infos) > limits.max_entries or sum(i.file_size for i in infos) > limits.max_unzipped:
        raise too_big
    for info in infos:
        if info.file_size > 1024 * 1024 and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise too_big
    sheets = _sheet_paths(archive)
    inflated = 0
    found: dict[str, set[tuple[int, int]]] = {}
    for info in infos:
        # Inflate everything under a running cap: a crafted archive can declare small sizes and lie.
        chunks = [] if info.filename in sheets else None
        try:
            with archive.open(info) as stream:
                while block := stream.read(1 << 20):
                    inflated += len(block)
                    if inflated > limits.max_unzipped:
                        raise too_big
                    if chunks is not None:
                        chunks.append(block)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
            raise FileRefused(f"Tệp «{filename}» bị hỏng (phần «{info.filename}» không giải nén được).") from exc
        if chunks is not None:
            cells = _empty_formula_cells(chunks)
            if cells:
                found[sheets[info.filename]] = cells
    return Inspection("xlsx", found)


def _empty_formula_cells(chunks: list[bytes]) -> set[tuple[int, int]]:
    """(row, column), 0-based, of formula cells saved without a computed value."""
    if not any(b"<f" in chunk or b":f" in chunk for chunk in chunks):
        return set()
    xml = b"".join(chunks)
    return {(int(row) - 1, _column_index(col.decode())) for col, row in _EMPTY_FORMULA.findall(xml)}


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet XML path -> sheet name, from the workbook and its relationships."""
    try:
        book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, ElementTree.ParseError):
        return {}
    targets = {}
    for rel in rels:
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    paths = {}
    for element in book.iter():
        if element.tag.endswith("}sheet") or element.tag == "sheet":
            rid = next((v for k, v in element.attrib.items() if k.endswith("}id")), None)
            if rid in targets:
                paths[targets[rid]] = element.get("name", "")
    return paths
