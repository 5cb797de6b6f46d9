"""Plain data the minutes are built from: no database, no Flask.

The services turn a handover (its parties and the item snapshots frozen at issue) into a
``MinutesData``; the builder turns that into DOCX bytes. Keeping the two apart lets the layout
be tested and benchmarked on made-up data, and lets a record be rebuilt from its snapshots.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from dataclasses import dataclass, field

ASSETS = "assets"
ARCHIVES = "archives"

# Kinds in the order the minutes list them, with the heading of each table.
ASSET_KIND_TITLES = {
    "headquarters": "Trụ sở làm việc (cơ sở nhà, đất)",
    "vehicle": "Xe ô tô",
    "equipment": "Máy móc, thiết bị",
}


@dataclass(frozen=True)
class Party:
    """One representative: side is 'giver', 'receiver' or 'witness'."""

    side: str
    full_name: str
    position: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class AssetRow:
    """One asset line as printed (strings are printed as they are; money in whole đồng)."""

    kind: str
    name: str
    code: str = ""  # asset code, or the plate for a vehicle
    unit_of_measure: str = ""
    quantity: int = 1
    original_cost: int = 0  # nguyên giá
    remaining_value: int = 0  # giá trị còn lại
    condition: str = ""
    current_use: str = ""  # hiện trạng sử dụng (headquarters)
    intended_use: str = ""  # phương án sử dụng (headquarters)
    documents: str = ""  # hồ sơ kèm theo
    notes: str = ""


@dataclass(frozen=True)
class ArchiveRow:
    """One archive box of the attached list (mục lục)."""

    box_no: str
    title: str
    fonds: str = ""
    time_span: str = ""
    files_count: int = 0
    linear_m: Decimal | None = None  # mét giá
    retention: str = ""
    arrangement: str = ""
    notes: str = ""


@dataclass
class MinutesData:
    """Everything printed on one set of minutes."""

    doc_type: str  # ASSETS or ARCHIVES
    number_text: str  # 'Số: 07/BB-BG'
    parent_body: str  # top left, capitals, not bold: 'UBND TỈNH THÁI NGUYÊN'
    issuing_body: str  # top left, capitals, bold: 'SỞ TÀI CHÍNH'
    locality: str  # place name of the date line: 'Sông Công'
    date: dt.date
    place: str  # 'tại …'
    giver_name: str
    receiver_name: str
    legal_basis: list[str] = field(default_factory=list)
    parties: list[Party] = field(default_factory=list)
    assets: list[AssetRow] = field(default_factory=list)
    boxes: list[ArchiveRow] = field(default_factory=list)
    remarks: str = ""
    copies: int = 4
    verification_code: str = ""  # printed grouped in every footer
    immediate_use: bool = False
    decision_due_on: dt.date | None = None
    reallocation: bool = False  # điều chuyển: the giver is a unit still working, not a dissolved one
    records_block: str = ""  # archives: 'Phông UBND phường Thắng Lợi'
    time_span: str = ""  # archives: '2010–2020'
    condition_summary: str = ""  # archives: 'Đã chỉnh lý: 3 hộp; chưa chỉnh lý: 2 hộp'

    def side(self, side: str) -> list[Party]:
        """Representatives of one side, in the order typed."""
        return [p for p in self.parties if p.side == side]


@dataclass(frozen=True)
class KindTotal:
    """Totals of one kind (or overall when kind is '')."""

    kind: str
    count: int
    quantity: int
    original_cost: int
    remaining_value: int


def kind_totals(rows: list[AssetRow]) -> list[KindTotal]:
    """Totals per kind in the minutes' order, then the overall line (kind '')."""
    sums: dict[str, list[int]] = {}
    for row in rows:
        s = sums.setdefault(row.kind, [0, 0, 0, 0])
        s[0] += 1
        s[1] += row.quantity
        s[2] += row.original_cost
        s[3] += row.remaining_value
    order = [k for k in ASSET_KIND_TITLES if k in sums] + [k for k in sums if k not in ASSET_KIND_TITLES]
    result = [KindTotal(k, *sums[k]) for k in order]
    result.append(KindTotal("", sum(t.count for t in result), sum(t.quantity for t in result),
                            sum(t.original_cost for t in result), sum(t.remaining_value for t in result)))
    return result


def copies_split(copies: int, has_witness: bool) -> tuple[int, int, int]:
    """How the copies are shared: (giver, receiver, witness); the witness keeps one if present."""
    witness = 1 if has_witness and copies >= 3 else 0
    rest = copies - witness
    giver = rest // 2
    return giver, rest - giver, witness
