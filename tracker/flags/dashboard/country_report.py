"""The country report: every province's progress, gaps, unsorted archives and flags at once.

The same grouped queries as the province pages, run once without a province filter (never one
per unit, nor one per province), then summed per province in Python.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from tracker.extensions import db
from tracker.flags.alerts import archives, flags
from tracker.flags.norms import gaps
from tracker.flags.norms import services as norms
from tracker.models import Asset, AssetStatus, Handover, Province, ProvinceSetting, Unit, UnitKind
from tracker.models.base import utcnow

COLUMNS = (
    ("province", "Tỉnh, thành phố"), ("new_units", "Đơn vị mới"), ("assets", "Tài sản"),
    ("received_pct", "Đã tiếp nhận (%)"), ("registered", "Chưa bàn giao"), ("open", "Đang bàn giao"),
    ("missing_damaged", "Thiếu, hỏng khi nhận"), ("no_officials", "Chưa khai báo số cán bộ"),
    ("short_computers", "Đơn vị thiếu máy tính"), ("computer_shortage", "Số máy tính thiếu"),
    ("no_car", "Xã chưa có xe"), ("unsorted_boxes", "Hộp chưa chỉnh lý"), ("unsorted_m", "Mét giá chưa chỉnh lý"),
    ("unhanded", "Chưa vào biên bản"), ("stalled", "Biên bản quá hạn"), ("hq_decision", "Trụ sở chưa có QĐ"),
    ("multi_hq", "Đơn vị nhiều trụ sở"),
)
OPEN = (AssetStatus.IN_HANDOVER, AssetStatus.ISSUED, AssetStatus.SIGNED)


@dataclass
class ProvinceLine:
    province: str
    values: dict[str, object] = field(default_factory=lambda: defaultdict(int))


def country_report(now: dt.datetime | None = None) -> list[ProvinceLine]:
    """One line per loaded province, plus a 'Toàn quốc' line last."""
    now = now or utcnow()
    provinces = list(db.session.scalars(sa.select(Province).where(Province.loaded_at.is_not(None))
                                        .order_by(Province.name)))
    for province in provinces:
        norms.ensure_default_norms(province)
    db.session.flush()
    lines = {p.id: ProvinceLine(p.name) for p in provinces}

    def add(key: str, rows) -> None:
        for pid, value in rows:
            if pid in lines:
                lines[pid].values[key] += value

    add("new_units", db.session.execute(sa.select(Unit.province_id, sa.func.count())
                                        .where(Unit.kind == UnitKind.NEW_COMMUNE).group_by(Unit.province_id)))
    received: dict[int, int] = defaultdict(int)
    for pid, status, n in db.session.execute(sa.select(Asset.province_id, Asset.status, sa.func.count())
                                             .group_by(Asset.province_id, Asset.status)):
        status = AssetStatus(status)
        add("assets", [(pid, n)])
        add("registered" if status == AssetStatus.REGISTERED else "open" if status in OPEN
            else "missing_damaged" if status in (AssetStatus.MISSING, AssetStatus.DAMAGED) else "", [(pid, n)])
        if status == AssetStatus.RECEIVED:
            received[pid] += n
    _gaps(lines)
    for pid, boxes, given, without in db.session.execute(archives.unsorted_by_province()):
        add("unsorted_boxes", [(pid, boxes)])
        add("unsorted_m", [(pid, archives.box_metres(given, int(without or 0)))])
    _flags(lines, now, add)

    total = ProvinceLine("Toàn quốc")
    for pid, line in lines.items():
        line.values.pop("", None)
        assets = line.values["assets"]
        line.values["received_pct"] = round(100 * received[pid] / assets) if assets else 0
        for key, value in line.values.items():
            if key != "received_pct":
                total.values[key] += value
    all_assets = total.values["assets"]
    total.values["received_pct"] = round(100 * sum(received.values()) / all_assets) if all_assets else 0
    return [*lines.values(), total]


def _gaps(lines: dict[int, ProvinceLine]) -> None:
    report = gaps.province_gaps(None)
    for unit in report.units:
        line = lines.get(unit.province_id)
        if line is None or unit.is_finance:
            continue
        by_item = {g.item_type: g for g in report.gaps.get(unit.id, [])}
        if unit.officials_count is None and unit.kind == UnitKind.NEW_COMMUNE:
            line.values["no_officials"] += 1
        computer = by_item.get("computer")
        if computer is not None and computer.shortage:
            line.values["short_computers"] += 1
            line.values["computer_shortage"] += int(computer.shortage)
        car = by_item.get("car")
        if car is not None and car.have == 0 and car.required:
            line.values["no_car"] += 1


def _flags(lines: dict[int, ProvinceLine], now: dt.datetime, add) -> None:
    add("unhanded", db.session.execute(
        sa.select(Asset.province_id, sa.func.count()).where(Asset.status == AssetStatus.REGISTERED,
                                                            Asset.holder_id == Asset.unit_id)
        .group_by(Asset.province_id)))
    settings = dict(db.session.execute(sa.select(ProvinceSetting.province_id, ProvinceSetting.value)
                                       .where(ProvinceSetting.key == norms.STALL_DAYS_KEY)).all())
    by_days: dict[int, list[int]] = defaultdict(list)
    for pid in lines:
        by_days[int(settings.get(pid, norms.DEFAULT_STALL_DAYS))].append(pid)
    for days, pids in by_days.items():  # one query per distinct N (usually one), never per unit
        add("stalled", db.session.execute(
            sa.select(Handover.province_id, sa.func.count()).where(
                flags.stalled_condition(days, now), Handover.province_id.in_(pids)).group_by(Handover.province_id)))
    add("hq_decision", db.session.execute(
        sa.select(Handover.province_id, sa.func.count()).where(flags.overdue_condition(now.date()))
        .group_by(Handover.province_id)))
    sites = flags.hq_sites(None, None)
    many = (sa.select(sites.c.unit_id).group_by(sites.c.unit_id)
            .having(sa.func.count(sa.distinct(sites.c.address)) >= 2).subquery())
    add("multi_hq", db.session.execute(sa.select(Unit.province_id, sa.func.count())
                                       .join(many, many.c.unit_id == Unit.id).group_by(Unit.province_id)))


def as_rows(lines: list[ProvinceLine]) -> list[list[object]]:
    """The report as rows of cells, in COLUMNS order."""
    rows = []
    for line in lines:
        row: list[object] = [line.province]
        for key, _label in COLUMNS[1:]:
            value = line.values.get(key, 0)
            row.append(value.quantize(Decimal("0.1")) if isinstance(value, Decimal) else value)
        rows.append(row)
    return rows
