"""Recording each asset's history; every change to an asset goes through ``record``.

Events hold field -> [before, after] in JSON-safe form. Creation records every field against
null, so replaying events in order rebuilds an asset as of any date.
"""
from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import Any

from tracker.extensions import db
from tracker.models import Asset, AssetEvent, User

# Everything an as-of-date inventory needs to know about an asset; bookkeeping columns excluded.
UNTRACKED = {"id", "search_text", "fonds_folded", "created_at", "updated_at", "version"}
TRACKED = tuple(c.key for c in Asset.__table__.columns if c.key not in UNTRACKED)


def plain(value: Any) -> Any:
    """JSON-safe form of a column value (enums by value, decimals as strings, dates ISO)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        # format(…, "f"): str(Decimal('2340').normalize()) is '2.34E+3'
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def snapshot(asset: Asset) -> dict[str, Any]:
    """The tracked fields of an asset, JSON-safe."""
    return {name: plain(getattr(asset, name)) for name in TRACKED}


def diff(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, list[Any]]:
    """field -> [before, after] for fields that changed (all non-null fields when before is None)."""
    if before is None:
        return {k: [None, v] for k, v in after.items() if v is not None}
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(asset: Asset, action: str, actor: User | None, before: dict[str, Any] | None, *,
           import_id: int | None = None, handover_id: int | None = None, note: str | None = None,
           effective_on: dt.date | None = None, force: bool = False) -> AssetEvent | None:
    """Append an event for what changed since ``before``; nothing if nothing changed (unless forced)."""
    db.session.flush()
    changes = diff(before, snapshot(asset))
    if not changes and not force:
        return None
    event = AssetEvent(asset_id=asset.id, action=action, user_id=actor.id if actor else None, changes=changes,
                       import_id=import_id, handover_id=handover_id, note=note, effective_on=effective_on)
    db.session.add(event)
    return event
