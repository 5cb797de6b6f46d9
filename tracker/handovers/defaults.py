"""Defaults an officer starts from and edits: legal-basis lines, header bodies, place names.

Resolution numbers differ by province; where the number is not known here the line keeps a
'…' for the officer to fill, so the minutes never print another province's resolution.
"""
from __future__ import annotations

from tracker.models import Unit, UnitKind

# Standing Committee resolutions on each province's commune-level rearrangement (2025).
COMMUNE_RESOLUTIONS = {19: ("1683/NQ-UBTVQH15", "16/6/2025")}
DIVISION_WORDS = ("Thành phố ", "Thị trấn ", "Thị xã ", "Đặc khu ", "Phường ", "Huyện ", "Quận ", "Xã ")


def province_title(name: str) -> str:
    """'Thái Nguyên' -> 'tỉnh Thái Nguyên'; 'Thành phố Huế' -> 'thành phố Huế'."""
    if name.startswith("Thành phố "):
        return "thành phố " + name[len("Thành phố "):]
    return "tỉnh " + name


def place_name(name: str) -> str:
    """A unit's name without its division word: 'Phường Sông Công' -> 'Sông Công'."""
    for word in DIVISION_WORDS:
        if name.startswith(word):
            return name[len(word):]
    return name


def locality(receiver: Unit) -> str:
    """Place name of the date line: the receiving commune, or the province for a provincial body."""
    if receiver.kind == UnitKind.NEW_COMMUNE:
        return place_name(receiver.name)
    return place_name(receiver.province.name)


def header_bodies(province_name: str) -> tuple[str, str]:
    """(parent body, issuing body) of the top-left block: the Department of Finance issues."""
    return f"UBND {province_title(province_name).upper()}", "SỞ TÀI CHÍNH"


def reallocation_legal_basis(province_name: str) -> list[str]:
    """The 'Căn cứ …' lines of a reallocation (điều chuyển tài sản công): the law, its decree, and
    the decision to reallocate, whose number and date the officer fills in."""
    return [
        "Căn cứ Luật Quản lý, sử dụng tài sản công ngày 21 tháng 6 năm 2017;",
        "Căn cứ Nghị định số 151/2017/NĐ-CP ngày 26 tháng 12 năm 2017 của Chính phủ quy định chi tiết "
        "một số điều của Luật Quản lý, sử dụng tài sản công;",
        f"Căn cứ Quyết định số …/QĐ-UBND ngày …/…/2025 của Ủy ban nhân dân {province_title(province_name)} "
        "về việc điều chuyển tài sản công;",
    ]


def default_legal_basis(province_code: int, province_name: str, doc_type: str, *,
                        reallocation: bool = False) -> list[str]:
    """The 'Căn cứ …' lines for a new draft, one per line on the form (``reallocation``: asset
    minutes of a reallocation, whose basis is the decision to reallocate)."""
    if reallocation and doc_type != "archives":
        return reallocation_legal_basis(province_name)
    province = province_title(province_name)
    number, day = COMMUNE_RESOLUTIONS.get(province_code, ("…/NQ-UBTVQH15", "…/…/2025"))
    lines = [
        f"Căn cứ Nghị quyết số {number} ngày {day} của Ủy ban Thường vụ Quốc hội về việc sắp xếp các "
        f"đơn vị hành chính cấp xã của {province} năm 2025;",
    ]
    if doc_type == "archives":
        lines += [
            "Căn cứ Luật Lưu trữ ngày 21 tháng 6 năm 2024;",
            "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;",
        ]
    else:
        lines.append(
            "Căn cứ Nghị định số 151/2017/NĐ-CP ngày 26 tháng 12 năm 2017 của Chính phủ quy định chi tiết "
            "một số điều của Luật Quản lý, sử dụng tài sản công;")
    lines.append(f"Căn cứ Kế hoạch số …/KH-UBND ngày …/…/2025 của Ủy ban nhân dân {province} về việc bàn "
                 "giao, tiếp nhận tài sản, hồ sơ, tài liệu khi sắp xếp đơn vị hành chính;")
    return lines


def legal_basis_for(lines: list[str], province_code: int, province_name: str, doc_type: str, *,
                    reallocation: bool) -> list[str]:
    """The lines typed; or this kind of minutes' defaults when the lines were left empty or as the
    defaults of another kind (the new-draft form starts from the rearrangement's asset minutes)."""
    untouched = [default_legal_basis(province_code, province_name, kind, reallocation=moved)
                 for kind in ("assets", "archives") for moved in (False, True)]
    if not lines or lines in untouched:
        return default_legal_basis(province_code, province_name, doc_type, reallocation=reallocation)
    return lines
