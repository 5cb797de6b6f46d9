"""Writing a plan in one transaction: the assets, one history event each, and the import record.

Bulk statements straight to the driver (``executemany``), because the ORM takes seconds per
ten thousand rows. New assets get their ids reserved first (the sequence on PostgreSQL; on
SQLite the rows after the highest id, safe because the import batch row written before them
holds the database's write lock), so their events can be written alongside. Each event is
what ``tracker.history.record`` would write: creation records every non-empty tracked field
against null, an update the fields it changes. Flushes, never commits: the caller commits once,
or rolls back and the database is exactly as before.
"""
from __future__ import annotations

import json
from operator import itemgetter

import sqlalchemy as sa

from tracker import audit
from tracker.assets.services import search_text
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.history import TRACKED, plain
from tracker.importing.bulk import collector_paused
from tracker.importing.plan import ImportPlan
from tracker.models import Asset, AssetEvent, AssetStatus, ImportBatch, Unit, User
from tracker.models.base import utcnow

CHUNK = 10_000
ASSET_COLUMNS = tuple(c.key for c in Asset.__table__.columns)
EVENT_COLUMNS = ("asset_id", "at", "user_id", "action", "changes", "import_id")
_SEARCH_FIELDS = ("name", "code", "plate", "equipment_type", "fonds", "serial", "address", "make_model")
_DECIMALS = {"land_area", "floor_area", "linear_m"}
# json.dumps builds its C encoder anew on every call; one built once writes the same text faster.
_ENCODE = json.encoder.c_make_encoder(None, None, json.encoder.encode_basestring_ascii, None, ": ", ", ", False,
                                      False, True) if json.encoder.c_make_encoder else None


def dumps(value: dict) -> str:
    """``json.dumps(value)``, as SQLAlchemy's JSON type writes it."""
    return "".join(_ENCODE(value, 0)) if _ENCODE else json.dumps(value)


class StalePlan(DomainError):
    """The database changed between the preview and the commit."""


def _reserve_ids(conn: sa.Connection, count: int) -> list[int]:
    if not count:
        return []
    if conn.dialect.name == "postgresql":
        return list(conn.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('assets', 'id')) FROM generate_series(1, %s)", (count,)).scalars())
    top = conn.exec_driver_sql("SELECT COALESCE(MAX(id), 0) FROM assets").scalar()
    return list(range(top + 1, top + count + 1))


def _bind(conn: sa.Connection, column: str, value):
    """A constant through the column type's own conversion (SQLite keeps datetimes as text)."""
    processor = Asset.__table__.c[column].type._cached_bind_processor(conn.dialect)
    return processor(value) if processor else value


class _SheetRows:
    """Turns one sheet's validated rows into INSERT tuples and creation events, fast.

    Only the columns the sheet's kind can fill are written (the others stay NULL), which
    spares binding some twenty empty parameters per row.
    """

    def __init__(self, conn: sa.Connection, sheet, actor_id, batch_id: int, now, now_bound):
        names = sheet.value_names
        self.sheet = sheet
        # Each INSERT tuple is picked from: the row's values + per-row extras + constants.
        extras = ("id", "code", "search_text", "province_id", "unit_id", "holder_id", "receiver_id")
        constants = {"kind": sheet.kind.value, "status": AssetStatus.REGISTERED.value, "created_at": now_bound,
                     "updated_at": now_bound, "version": 1}
        source = {n: i for i, n in enumerate(names) if n not in extras}
        offset = len(names)
        source.update({n: offset + i for i, n in enumerate(extras)})
        offset += len(extras)
        self.constants = tuple(constants.values())
        source.update({n: offset + i for i, n in enumerate(constants)})
        self.columns = tuple(c for c in ASSET_COLUMNS if c in source)
        self.pick = itemgetter(*(source[c] for c in self.columns))
        self.search_pick = itemgetter(*(names.index(f) if f in names else len(names) for f in _SEARCH_FIELDS))
        # Tracked columns this kind can fill, for the creation event.
        self.event_names = [c for c in TRACKED if c in source]
        self.event_pick = itemgetter(*(self.columns.index(c) for c in self.event_names))
        self.decimal_at = [self.columns.index(c) for c in _DECIMALS if c in self.columns]
        self.sqlite = conn.dialect.name == "sqlite"
        self.constant_event = (now, actor_id, "imported")
        self.batch_id = batch_id

    def rows(self, creates, ids, units: dict[int, int]):
        """(asset tuples, event tuples) for these creates."""
        sheet_rows = self.sheet.rows
        assets, events = [], []
        at, user_id, action = self.constant_event
        batch_id, names, pick, event_pick = self.batch_id, self.event_names, self.pick, self.event_pick
        for create, asset_id in zip(creates, ids):
            values = sheet_rows[create.index].values
            search = dict(zip(_SEARCH_FIELDS, self.search_pick(values + (None,))))
            search["code"] = create.code
            row = pick(values + (asset_id, create.code, search_text(search), units[create.unit_id], create.unit_id,
                                 create.unit_id, create.receiver_id) + self.constants)
            changes = {n: [None, v] for n, v in zip(names, event_pick(row)) if v is not None}
            if self.decimal_at:
                row = self._decimals(row, changes)
            events.append((asset_id, at, user_id, action, dumps(changes), batch_id))
            assets.append(row)
        return assets, events

    def _decimals(self, row: tuple, changes: dict) -> tuple:
        """Areas and metres: as history writes them in the event; as text for SQLite, which has no decimals."""
        row = list(row)
        for position in self.decimal_at:
            if row[position] is not None:
                changes[self.columns[position]] = [None, plain(row[position])]
                if self.sqlite:
                    row[position] = str(row[position])
        return tuple(row)


def _bulk_insert(driver, dialect: str, table: str, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Many rows straight to the driver: COPY on PostgreSQL; on SQLite, INSERTs of several hundred rows each.

    One multi-row INSERT per few hundred rows costs SQLite half the time of ``executemany``,
    which steps and resets a one-row statement per row.
    """
    cursor = driver.cursor()
    if dialect == "postgresql":
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    import sqlite3

    per_statement = max(1, min(500, driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns)))
    one = f"({', '.join('?' * len(columns))})"
    head = f"INSERT INTO {table} ({', '.join(columns)}) VALUES "
    for start in range(0, len(rows), per_statement):
        part = rows[start:start + per_statement]
        cursor.execute(head + ", ".join([one] * len(part)), [value for row in part for value in row])


def _insert_creates(conn, plan: ImportPlan, actor_id, batch_id: int, now, progress=None) -> None:
    ids = _reserve_ids(conn, len(plan.creates))
    unit_ids = sorted({c.unit_id for c in plan.creates})
    units = dict(db.session.execute(sa.select(Unit.id, Unit.province_id).where(Unit.id.in_(unit_ids))).all())
    now_bound = _bind(conn, "created_at", now)
    event_at = AssetEvent.__table__.c.at.type._cached_bind_processor(conn.dialect)
    at = event_at(now) if event_at else now
    builders: dict[int, _SheetRows] = {}
    driver, dialect = conn.connection.driver_connection, conn.dialect.name
    for start in range(0, len(plan.creates), CHUNK):
        chunk, chunk_ids = plan.creates[start:start + CHUNK], ids[start:start + CHUNK]
        by_sheet: dict[int, list] = {}
        for create, asset_id in zip(chunk, chunk_ids):
            by_sheet.setdefault(create.sheet, []).append((create, asset_id))
        for sheet_index, pairs in by_sheet.items():
            builder = builders.get(sheet_index)
            if builder is None:
                builder = builders[sheet_index] = _SheetRows(conn, plan.parsed.sheets[sheet_index], actor_id,
                                                             batch_id, at, now_bound)
            creates, asset_ids = zip(*pairs)
            assets, events = builder.rows(creates, asset_ids, units)
            _bulk_insert(driver, dialect, "assets", builder.columns, assets)
            _bulk_insert(driver, dialect, "asset_events", EVENT_COLUMNS, events)
        if progress:
            progress(min(start + CHUNK, len(plan.creates)), len(plan.creates) + len(plan.updates))


def _apply_updates(conn, plan: ImportPlan, actor_id, batch_id: int, now) -> None:
    if not plan.updates:
        return
    table = Asset.__table__
    groups: dict[tuple[str, ...], list] = {}
    for update in plan.updates:
        groups.setdefault(tuple(sorted(update.values)), []).append(update)
    for columns, updates in groups.items():
        statement = (sa.update(table).where(table.c.id == sa.bindparam("_id"), table.c.version == sa.bindparam("_v"))
                     .values({c: sa.bindparam(c) for c in columns} | {"version": table.c.version + 1,
                                                                     "updated_at": now}))
        params = [{**u.values, "_id": u.asset_id, "_v": u.version} for u in updates]
        result = conn.execute(statement, params)
        if result.rowcount != len(updates):
            raise StalePlan("Một số tài sản vừa được người khác sửa sau khi xem trước; không có gì được lưu. "
                            "Hãy tải tệp lên lại để xem trước theo dữ liệu mới.")
    events = [{"asset_id": u.asset_id, "at": now, "user_id": actor_id, "action": "imported", "changes": u.changes,
               "import_id": batch_id} for u in plan.updates]
    conn.execute(sa.insert(AssetEvent.__table__), events)


def commit_plan(plan: ImportPlan, actor: User | None, *, note: dict | None = None, progress=None) -> ImportBatch:
    """Write the plan: refuses a plan with refused rows; raises on any database error (caller rolls back).

    ``progress(done, total)`` is told after each chunk of rows.
    """
    if plan.problems:
        raise DomainError(f"Tệp có {plan.rejected_rows} dòng bị từ chối nên không nhập gì; hãy sửa tệp rồi tải lại.")
    if not plan.creates and not plan.updates:
        raise DomainError("Tệp không có gì mới: mọi tài sản đã có và không thay đổi.")
    parsed, counts = plan.parsed, plan.counts()
    now = utcnow()
    batch = ImportBatch(
        user_id=actor.id if actor else None, province_id=actor.province_id if actor else None,
        filename=parsed.filename[:255], sha256=parsed.sha256, created_at=now,
        created_count=counts["created"], updated_count=counts["updated"], unchanged_count=counts["unchanged"],
        skipped_count=counts["skipped"], rejected_count=0,
        summary={"size": parsed.size, "format": parsed.format, **(note or {}),
                 "sheets": [{"name": s.name, "kind": s.kind.value if s.kind else None, "rows": len(s.rows)}
                            for s in parsed.sheets],
                 "sum_mismatches": sum(1 for _s, check in plan.totals() if not check.ok)})
    db.session.add(batch)
    db.session.flush()  # the first write: from here the transaction holds the database's write lock
    conn = db.session.connection()
    actor_id = actor.id if actor else None
    with collector_paused():
        _insert_creates(conn, plan, actor_id, batch.id, now, progress)
        _apply_updates(conn, plan, actor_id, batch.id, now)
    audit.log("import", actor, batch, filename=parsed.filename, sha256=parsed.sha256, **counts)
    return batch
