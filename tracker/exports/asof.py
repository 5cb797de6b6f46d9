"""The inventory as of a date, rebuilt from the append-only history.

An event counts on day D if ``coalesce(effective_on, the day it was recorded in Vietnam) <= D``.
Each asset's counted events are replayed in id order (every event holds field -> [before, after],
creation holds every field against null), so the result is where the asset was and in what
state that day. An asset whose creation does not count on D did not exist yet and is left out.

One SQL query streams the events of every asset in scope ordered by (asset_id, id); Python
replays one asset at a time, so memory stays flat however large the register is.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from itertools import chain, groupby
from operator import itemgetter
from typing import IO, Any

import sqlalchemy as sa

from tracker.auth.scope import province_ids_in_scope
from tracker.exports.columns import STT, all_columns, convert_all, converter, kind_columns, numbered, unit_names
from tracker.exports.filters import VIETNAM, ExportFilters, describe, export_query
from tracker.exports.rawrows import BATCH
from tracker.exports.register import exported_by
from tracker.exports.writers import Table, batched, csv_batches, csv_head, write_xlsx
from tracker.extensions import db
from tracker.formatting import date_vn
from tracker.models import Asset, AssetEvent, AssetKind, User

# Filters about where an asset stands are checked on the rebuilt state, not on today's row.
STATE_FILTERS = ("status", "condition", "holder_id", "receiver_id")


def event_day(at: dt.datetime, effective_on: dt.date | None) -> dt.date:
    """The day an event describes: its effective date, else the Vietnam day it was recorded."""
    if effective_on is not None:
        return effective_on
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=dt.timezone.utc)
    return at.astimezone(VIETNAM).date()


def replay(events: Iterable[tuple[dt.datetime, dt.date | None, dict[str, list[Any]]]],
           day: dt.date) -> dict[str, Any] | None:
    """One asset's fields as of ``day`` from its events in id order; None if it did not exist yet."""
    state: dict[str, Any] | None = None
    for at, effective_on, changes in events:
        counts = event_day(at, effective_on) <= day
        if state is None:
            if not counts:
                return None  # created after the day
            state = {}
        if counts:
            for name, (_before, after) in (changes or {}).items():
                state[name] = after
    return state


def _sql_filters(filters: ExportFilters) -> ExportFilters:
    """The filters SQL can apply (what does not change over time); dates do not apply here."""
    register = dataclasses.replace(filters.register, **{name: None for name in STATE_FILTERS})
    return dataclasses.replace(filters, register=register, date_from=None, date_to=None)


def _matches(state: dict[str, Any], filters: ExportFilters) -> bool:
    for name in STATE_FILTERS:
        wanted = getattr(filters.register, name)
        if wanted is not None and state.get(name) != getattr(wanted, "value", wanted):
            return False
    return True


def first_day(user: User, filters: ExportFilters) -> dt.date | None:
    """The first day on which some asset in scope matching the filters existed (its first event
    counts), or None when there is none: an inventory of an earlier day would be empty."""
    assets = export_query(user, _sql_filters(filters)).order_by(None).with_only_columns(Asset.id)
    firsts = sa.select(sa.func.min(AssetEvent.id)).where(AssetEvent.asset_id.in_(assets)).group_by(AssetEvent.asset_id)
    effective, recorded = db.session.execute(sa.select(
        sa.func.min(AssetEvent.effective_on),
        sa.func.min(AssetEvent.at).filter(AssetEvent.effective_on.is_(None))).where(AssetEvent.id.in_(firsts))).one()
    days = [d for d in (effective, event_day(recorded, None) if recorded is not None else None) if d is not None]
    return min(days) if days else None


def states_as_of(user: User, filters: ExportFilters, day: dt.date,
                 kind: AssetKind | None = None, after_id: int | None = None) -> Iterator[dict[str, Any]]:
    """Every asset in scope matching ``filters`` as it stood on ``day``, in asset id order.

    ``after_id`` starts after that asset (the API's cursor).
    """
    assets = export_query(user, _sql_filters(filters)).order_by(None).with_only_columns(Asset.id)
    if kind is not None:
        assets = assets.where(Asset.kind == kind)
    if after_id is not None:
        assets = assets.where(Asset.id > after_id)
    query = (sa.select(AssetEvent.asset_id, AssetEvent.at, AssetEvent.effective_on, AssetEvent.changes)
             .where(AssetEvent.asset_id.in_(assets))
             .order_by(AssetEvent.asset_id, AssetEvent.id))
    result = db.session.execute(query.execution_options(yield_per=BATCH))
    try:
        for asset_id, rows in groupby(result, key=itemgetter(0)):
            state = replay(((at, eff, changes) for _id, at, eff, changes in rows), day)
            if state is not None and _matches(state, filters):
                state["id"] = asset_id
                yield state
    finally:
        result.close()


def notes_for(filters: ExportFilters, day: dt.date, user: User, now: dt.datetime) -> list[str]:
    return [f"Tình trạng tại ngày {date_vn(day)}, dựng lại từ lịch sử thay đổi"] + \
        describe(filters, db.session, user) + [exported_by(user, now)]


def asof_csv(user: User, filters: ExportFilters, day: dt.date) -> Iterator[bytes]:
    """The inventory as of ``day`` as CSV chunks."""
    columns = all_columns()
    convert = converter(columns, unit_names(province_ids_in_scope(user)), for_xlsx=False)
    records = ([state.get(c.key) for c in columns] for state in states_as_of(user, filters, day))
    yield csv_head([c.label for c in columns])
    yield from csv_batches(map(convert, batched(records, BATCH)))


def asof_xlsx(user: User, filters: ExportFilters, day: dt.date, target: str | IO[bytes], *,
              now: dt.datetime | None = None) -> list[Table]:
    """The inventory as of ``day`` as .xlsx, one sheet per kind that had assets that day."""
    now = now or dt.datetime.now(dt.timezone.utc)
    names = unit_names(province_ids_in_scope(user))
    notes = notes_for(filters, day, user, now)
    kinds = [filters.register.kind] if filters.register.kind else list(AssetKind)

    def tables() -> Iterator[Table]:
        for kind in kinds:
            states = states_as_of(user, filters, day, kind)
            first = next(states, None)
            if first is None:
                continue
            columns = kind_columns(kind)
            convert = converter(columns, names, for_xlsx=True)
            records = ([state.get(c.key) for c in columns] for state in chain([first], states))
            yield Table(kind.label, f"KIỂM KÊ TÀI SẢN TẠI NGÀY {date_vn(day)}: {kind.label.upper()}",
                        [STT, *columns], numbered(convert_all(convert, batched(records, BATCH))), notes)

    return write_xlsx(target, tables(), empty_message=f"Không có tài sản nào tại ngày {date_vn(day)}.")

