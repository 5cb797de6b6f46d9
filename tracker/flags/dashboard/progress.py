"""The province dashboard: per unit and kind, how many assets stand at each handover status.

Both sides come from grouped queries (``tracker.flags.dashboard.receiving``): the dissolved unit
an asset came from, and the receiving unit it stands with at its status. ``assets_behind`` is the
list behind any number on the page, with the same definitions.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from tracker.assets.queries import Page, count_of
from tracker.extensions import db
from tracker.flags.dashboard.receiving import counts as receiving_counts
from tracker.flags.dashboard.receiving import receiving_condition
from tracker.models import Asset, AssetKind, AssetStatus, Unit, UnitKind

STATUSES = list(AssetStatus)
# Progress bar segments, in order, with their Bootstrap colour; 'registered' stays the empty track
# (drawn by tracker.flags.dashboard.html and static/flags.js).
SEGMENTS = (
    (AssetStatus.RECEIVED, "success"), (AssetStatus.SIGNED, "primary"), (AssetStatus.ISSUED, "info"),
    (AssetStatus.IN_HANDOVER, "secondary"), (AssetStatus.DAMAGED, "warning"), (AssetStatus.MISSING, "danger"),
    (AssetStatus.WRITTEN_OFF, "dark"),
)
SIDES = ("giver", "receiver")


@dataclass
class StatusCounts:
    """Counts per status for one unit (or a total), with the progress bar's segments."""

    by_status: dict[AssetStatus, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def total(self) -> int:
        return sum(self.by_status.values())

    def get(self, status: AssetStatus) -> int:
        return self.by_status.get(status, 0)

    def add(self, other: StatusCounts) -> None:
        for status, n in other.by_status.items():
            self.by_status[status] += n

    @property
    def received_pct(self) -> int:
        return round(100 * self.get(AssetStatus.RECEIVED) / self.total) if self.total else 0


@dataclass
class DashboardRow:
    """One unit's line on the dashboard."""

    unit_id: int
    name: str
    kind: UnitKind
    parent_name: str | None
    counts: StatusCounts


@dataclass
class Dashboard:
    receiving: list[DashboardRow]
    giving: list[DashboardRow]
    total: StatusCounts


DASHBOARD_PAGE = 100  # unit rows per table and page: Thanh Hóa alone has 741 units


@dataclass
class DashboardTable:
    """One side's rows as the page shows them: without the units that have no asset unless asked, paged."""

    rows: Page
    empty: int  # units of this side with no asset at all (hidden unless shown)


def dashboard_table(rows: list[DashboardRow], page: int, *, show_empty: bool,
                    size: int = DASHBOARD_PAGE) -> DashboardTable:
    kept = rows if show_empty else [r for r in rows if r.counts.total]
    empty = sum(1 for r in rows if not r.counts.total)
    paged = Page(page=1, size=size, total=len(kept))
    paged.page = min(max(1, page), paged.pages)
    start = (paged.page - 1) * size
    paged.items = kept[start:start + size]
    return DashboardTable(paged, empty)


def status_counts(province_id: int | None, kind: AssetKind | None = None
                  ) -> tuple[dict[int, StatusCounts], dict[int, StatusCounts]]:
    """(by giving unit, by receiving unit) status counts: grouped queries over the province."""
    giving, receiving = receiving_counts(province_id, kind)
    wrap = lambda table: {uid: StatusCounts(by) for uid, by in table.items()}  # noqa: E731
    return wrap(giving), wrap(receiving)


def side_condition(unit: Unit) -> sa.ColumnElement[bool]:
    """A unit's assets on the side it stands on: what it gave if dissolved, else what it receives."""
    return Asset.unit_id == unit.id if unit.is_dissolved else receiving_condition(unit.id)


def unit_status_counts(unit: Unit) -> dict[AssetKind, StatusCounts]:
    """One unit's counts per kind and status."""
    result: dict[AssetKind, StatusCounts] = {k: StatusCounts() for k in AssetKind}
    for kind, status, n in db.session.execute(sa.select(Asset.kind, Asset.status, sa.func.count())
                                              .where(side_condition(unit)).group_by(Asset.kind, Asset.status)):
        result[AssetKind(kind)].by_status[AssetStatus(status)] += n
    return result


def province_dashboard(province_id: int, kind: AssetKind | None = None) -> Dashboard:
    """Every new unit and provincial body, and every dissolved unit, with their counts."""
    giving, receiving = status_counts(province_id, kind)
    parent = aliased(Unit)
    units = db.session.execute(
        sa.select(Unit.id, Unit.name, Unit.kind, parent.name).outerjoin(parent, parent.id == Unit.parent_id)
        .where(Unit.province_id == province_id).order_by(Unit.kind, sa.func.coalesce(parent.name, Unit.name),
                                                         Unit.parent_id.is_not(None), Unit.name)).all()
    rows_in, rows_out, total = [], [], StatusCounts()
    for uid, name, ukind, parent_name in units:
        ukind = UnitKind(ukind)
        if ukind.dissolved:
            counts = giving.get(uid, StatusCounts())
            total.add(counts)
            rows_out.append(DashboardRow(uid, name, ukind, parent_name, counts))
        else:
            rows_in.append(DashboardRow(uid, name, ukind, None, receiving.get(uid, StatusCounts())))
    rows_in.sort(key=lambda r: (r.kind != UnitKind.NEW_COMMUNE, r.name))
    return Dashboard(rows_in, rows_out, total)


def assets_behind(province_id: int | None, *, side: str, unit_id: int | None,
                  kind: AssetKind | None, status: AssetStatus | None) -> sa.Select:
    """The assets behind one number of the dashboard (the caller adds the user's scope)."""
    query = sa.select(Asset)
    if province_id is not None:
        query = query.where(Asset.province_id == province_id)
    if unit_id is not None:
        query = query.where(Asset.unit_id == unit_id if side == "giver" else receiving_condition(unit_id))
    if kind is not None:
        query = query.where(Asset.kind == kind)
    if status is not None:
        query = query.where(Asset.status == status)
    return query.order_by(Asset.id)


@dataclass
class UnitOverview:
    """Everything the flags pages know about one unit, for its own page (and commune staff)."""

    unit: Unit
    counts: dict[AssetKind, StatusCounts]
    gaps: list | None  # list[gaps.Gap] for receiving units
    archives: object  # archives.ArchiveRow: unsorted boxes the unit holds
    flag_counts: dict[str, int]
    handover_flags: dict[str, list]  # 'stalled' / 'hq_decision' -> [flags.HandoverFlag]
    sites: list  # [flags.MultiSiteUnit] (this unit, if it works from several HQ addresses)


def unit_overview(unit: Unit, stall_after: int) -> UnitOverview:
    """Counts per kind and status, gaps against the norm, unsorted archives held, and flags."""
    from tracker.flags.alerts import archives, flags
    from tracker.flags.norms import gaps

    counts = unit_status_counts(unit)
    unit_gaps = None
    if not unit.is_dissolved:
        unit_gaps = gaps.province_gaps(unit.province_id, unit.id).gaps.get(unit.id, [])
    held_archives = archives.unsorted_summary(unit.province_id, holder_id=unit.id).total
    stalled = flags.stalled_handovers(unit.province_id, stall_after, unit_id=unit.id)
    overdue = flags.hq_decisions_overdue(unit.province_id, unit_id=unit.id)
    sites = flags.multi_site_units(unit.province_id, unit_id=unit.id)
    found = {
        "unhanded": count_of(flags.unhanded_assets(unit.province_id, unit.id)),
        "stalled": len(stalled), "hq_decision": len(overdue), "multi_hq": len(sites),
        "receipt": count_of(flags.receipt_assets(unit.province_id, unit_id=unit.id)),
    }
    return UnitOverview(unit, counts, unit_gaps, held_archives, found,
                        {"stalled": stalled, "hq_decision": overdue}, sites)
