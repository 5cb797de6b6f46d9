"""Unsorted archives (tài liệu chưa chỉnh lý): boxes, files and linear metres not arranged,
per fonds, per dissolved unit and per current holder; boxes not handed over; boxes described
without a time span or a retention period.

Extents are computed, never typed twice: a box's metres are its own ``linear_m`` when the
inventory gives it, else 1/8 m (about 8 standard boxes to a metre of shelf). Preliminary
arrangement (chỉnh lý sơ bộ) is counted apart from none at all. Boxes written off or reported
missing are not on any shelf and are left out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Arrangement, Asset, AssetKind, AssetStatus, Unit
from tracker.models.assets import BOXES_PER_METRE

NOT_ON_SHELF = (AssetStatus.WRITTEN_OFF, AssetStatus.MISSING)
UNARRANGED = (Arrangement.UNSORTED, Arrangement.PRELIMINARY)
METRE = Decimal("0.001")


@dataclass
class Extent:
    """Boxes, files and linear metres of one arrangement state."""

    boxes: int = 0
    files: int = 0
    metres: Decimal = Decimal(0)

    def add(self, boxes: int, files: int, metres: Decimal) -> None:
        self.boxes += boxes
        self.files += files
        self.metres += metres


@dataclass
class ArchiveRow:
    """One fonds, dissolved unit or holder, with its unsorted and preliminary extents."""

    key: str | int
    label: str
    unsorted: Extent = field(default_factory=Extent)
    preliminary: Extent = field(default_factory=Extent)

    @property
    def worst_key(self) -> tuple:
        return (-self.unsorted.metres, -self.preliminary.metres, -self.unsorted.boxes, str(self.label))


@dataclass
class ArchiveSummary:
    by_fonds: list[ArchiveRow]
    by_unit: list[ArchiveRow]
    by_holder: list[ArchiveRow]
    total: ArchiveRow


def box_metres(given_sum: Decimal | None, boxes_without: int) -> Decimal:
    """Linear metres of a set of boxes: the metres given, plus 1/8 m for each box without a figure."""
    total = Decimal(given_sum or 0) + Decimal(boxes_without) / BOXES_PER_METRE
    return total.quantize(METRE)


def is_archive_box() -> sa.ColumnElement[bool]:
    """``kind = 'archive_box'`` written out in the SQL, not bound, so the planners can match the
    partial index ``ix_assets_archive`` (a bound parameter does not prove its WHERE clause)."""
    return Asset.kind == sa.literal(AssetKind.ARCHIVE_BOX.value, literal_execute=True)


def archive_base(province_id: int | None) -> list[sa.ColumnElement[bool]]:
    """Archive boxes of a province still on a shelf somewhere."""
    conditions = [is_archive_box(), Asset.status.not_in(NOT_ON_SHELF)]
    if province_id is not None:
        conditions.append(Asset.province_id == province_id)
    return conditions


def unsorted_summary(province_id: int | None, holder_id: int | None = None) -> ArchiveSummary:
    """The three tables of unsorted archives, worst first, from one grouped query."""
    no_metres = sa.func.sum(sa.case((Asset.linear_m.is_(None), 1), else_=0))
    # Grouped in the order of the partial index ix_assets_archive, which holds every column used:
    # SQLite aggregates straight off the index. Spelling variants of one fonds fold together here.
    query = (sa.select(Asset.fonds_folded, Asset.fonds, Asset.unit_id, Asset.holder_id,
                       Asset.arrangement, sa.func.count(), sa.func.sum(Asset.files_count), sa.func.sum(Asset.linear_m),
                       no_metres)
             .where(*archive_base(province_id), Asset.arrangement.in_(UNARRANGED))
             .group_by(Asset.fonds_folded, Asset.fonds, Asset.unit_id, Asset.holder_id, Asset.arrangement))
    if holder_id is not None:
        query = query.where(Asset.holder_id == holder_id)
    fonds: dict[str, ArchiveRow] = {}
    units: dict[int, ArchiveRow] = {}
    holders: dict[int, ArchiveRow] = {}
    total = ArchiveRow("total", "Tổng cộng")
    for folded, name, unit_id, holder, arrangement, boxes, files, given, without in db.session.execute(query):
        metres = box_metres(given, int(without or 0))
        files = int(files or 0)
        part = "unsorted" if Arrangement(arrangement) == Arrangement.UNSORTED else "preliminary"
        for table, key, label in ((fonds, folded, name), (units, unit_id, None), (holders, holder, None)):
            row = table.get(key)
            if row is None:
                row = table[key] = ArchiveRow(key, label or "")
            getattr(row, part).add(boxes, files, metres)
        getattr(total, part).add(boxes, files, metres)
    names = _unit_names(set(units) | set(holders))
    for table in (units, holders):
        for key, row in table.items():
            row.label = names.get(key, str(key))
    order = lambda rows: sorted(rows, key=lambda r: r.worst_key)  # noqa: E731
    return ArchiveSummary(order(fonds.values()), order(units.values()), order(holders.values()), total)


def unsorted_by_province() -> sa.Select:
    """(province, unsorted boxes, metres given, boxes without metres) for the country report."""
    return (sa.select(Asset.province_id, sa.func.count(), sa.func.sum(Asset.linear_m),
                      sa.func.sum(sa.case((Asset.linear_m.is_(None), 1), else_=0)))
            .where(*archive_base(None), Asset.arrangement == Arrangement.UNSORTED).group_by(Asset.province_id))


def _unit_names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())


def boxes_not_handed_over(province_id: int | None, holder_id: int | None = None) -> sa.Select:
    """Archive boxes in no handover at all (still 'Chưa bàn giao'), fonds by fonds."""
    query = sa.select(Asset).where(*archive_base(province_id), Asset.status == AssetStatus.REGISTERED)
    if holder_id is not None:
        query = query.where(Asset.holder_id == holder_id)
    return query.order_by(Asset.fonds_folded, sa.func.length(Asset.box_no), Asset.box_no, Asset.id)


def boxes_incompletely_described(province_id: int | None, holder_id: int | None = None) -> sa.Select:
    """Archive boxes with no time span or no retention period."""
    missing = sa.or_(sa.and_(Asset.span_start.is_(None), Asset.span_end.is_(None)), Asset.retention.is_(None))
    query = sa.select(Asset).where(*archive_base(province_id), missing)
    if holder_id is not None:
        query = query.where(Asset.holder_id == holder_id)
    return query.order_by(Asset.fonds_folded, sa.func.length(Asset.box_no), Asset.box_no, Asset.id)
