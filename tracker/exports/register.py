"""Exporting the register as it stands: CSV streamed from the driver's cursor, .xlsx per kind.

Both go through ``export_query`` (the register's own query plus province and dates), so an
export always holds exactly what the register page shows for the same filters.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import IO

import sqlalchemy as sa

from tracker.auth.scope import province_ids_in_scope
from tracker.exports.columns import (STT, all_columns, convert_all, converter, kind_columns, numbered, sql_columns,
                                     unit_names)
from tracker.exports.filters import ExportFilters, describe, export_query
from tracker.exports.rawrows import raw_batches
from tracker.exports.writers import EXCEL_MAX_ROWS, Table, csv_batches, csv_head, write_xlsx
from tracker.extensions import db
from tracker.formatting import datetime_vn
from tracker.models import Asset, AssetKind, User

XLSX_ROW_LIMIT = EXCEL_MAX_ROWS - 100  # room for the title, notes, header and totals


def exported_by(user: User, now: dt.datetime) -> str:
    """The line naming who exported and when, written on every sheet."""
    return f"Xuất lúc {datetime_vn(now)} bởi {user.full_name or user.username} ({user.role.label})"


def counts_by_kind(user: User, filters: ExportFilters) -> dict[AssetKind, int]:
    """How many assets of each kind the export will hold (to skip empty sheets and check limits)."""
    inner = export_query(user, filters).order_by(None).with_only_columns(
        sa.type_coerce(Asset.__table__.c.kind, sa.String).label("kind")).subquery()
    rows = db.session.execute(sa.select(inner.c.kind, sa.func.count()).group_by(inner.c.kind))
    return {AssetKind(kind): count for kind, count in rows}


def _csv_query(user: User, filters: ExportFilters, columns: list) -> sa.Select:
    query = export_query(user, filters).with_only_columns(*sql_columns(columns))
    if not filters.sort_chosen:
        # No order asked for: registration order, which streams at once instead of first
        # sorting a million rows by code.
        query = query.order_by(None).order_by(Asset.id)
    return query


def register_csv(user: User, filters: ExportFilters) -> Iterator[bytes]:
    """The filtered register as CSV chunks, every kind in one table, streamed as it is read
    (big ones by the queue's worker, tracker/exports/jobs.py; the bytes are the same)."""
    columns = all_columns()
    convert = converter(columns, unit_names(province_ids_in_scope(user)), for_xlsx=False)
    yield csv_head([c.label for c in columns])
    yield from csv_batches(map(convert, raw_batches(_csv_query(user, filters, columns))))


def too_big_for_excel(counts: dict[AssetKind, int]) -> AssetKind | None:
    """The first kind with more rows than a sheet holds, if any."""
    return next((kind for kind, n in counts.items() if n > XLSX_ROW_LIMIT), None)


def register_xlsx(user: User, filters: ExportFilters, target: str | IO[bytes], *,
                  now: dt.datetime | None = None) -> list[Table]:
    """The filtered register as an .xlsx, one sheet per asset kind that has rows."""
    now = now or dt.datetime.now(dt.timezone.utc)
    counts = counts_by_kind(user, filters)
    names = unit_names(province_ids_in_scope(user))
    notes = describe(filters, db.session, user) + [exported_by(user, now)]

    def tables() -> Iterator[Table]:
        for kind in AssetKind:
            if not counts.get(kind):
                continue
            columns = kind_columns(kind)
            convert = converter(columns, names, for_xlsx=True)
            query = export_query(user, filters).where(Asset.kind == kind).with_only_columns(*sql_columns(columns))
            rows = numbered(convert_all(convert, raw_batches(query)))
            yield Table(kind.label, f"DANH MỤC TÀI SẢN: {kind.label.upper()}", [STT, *columns], rows, notes)

    return write_xlsx(target, tables(), empty_message="Không có tài sản nào khớp bộ lọc.")
