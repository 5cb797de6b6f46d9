"""Asset changes and history for handover steps, for thousands of assets at once.

A handover step sets the same values (status, holder) on every asset it touches. Doing that
through the ORM costs one UPDATE round trip per asset (5,000 for a big issue); here the rows are
locked (``SELECT … FOR UPDATE`` on PostgreSQL), re-read, checked, changed with one UPDATE per
chunk, and each gets the event ``tracker.history.record`` would write (field -> [before, after]
in the same JSON-safe form), all inserted in one flush.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.history import plain
from tracker.models import Asset, AssetEvent, AssetStatus, Handover, User
from tracker.models.base import utcnow

CHUNK = 1000  # ids per statement: well under SQLite's and PostgreSQL's parameter limits


def _lock_and_refresh(ids: list[int]) -> dict[int, Asset]:
    """The assets re-read from the database, their rows locked until the transaction ends."""
    found: dict[int, Asset] = {}
    for start in range(0, len(ids), CHUNK):
        query = (sa.select(Asset).where(Asset.id.in_(ids[start:start + CHUNK])).with_for_update()
                 .execution_options(populate_existing=True))
        found.update((asset.id, asset) for asset in db.session.scalars(query))
    return found


def record_all(asset_ids: Sequence[int], action: str, actor: User | None, handover: Handover, *,
               note: str | None = None, effective_on: dt.date | None = None, force: bool = False,
               expect: Iterable[AssetStatus] | None = None, **values: Any) -> int:
    """Set ``values`` on the assets and append one event each for what changed; returns events written.

    Takes ids, so callers need not load thousands of assets first; the assets are loaded here in
    chunks (and left in the session, up to date).

    ``expect``: statuses the assets must still be in once locked; otherwise nothing changes and
    DomainError names the first asset someone else moved meanwhile.
    """
    if not asset_ids:
        return 0
    db.session.flush()
    ids = list(dict.fromkeys(asset_ids))
    fresh = _lock_and_refresh(ids)
    allowed = set(expect) if expect is not None else None
    if allowed is not None:
        moved = [a for a in fresh.values() if a.status not in allowed]
        if moved or len(fresh) != len(ids):
            name = moved[0].name if moved else "?"
            raise DomainError(f"Tài sản «{name}» vừa được người khác thay đổi; hãy tải lại trang rồi làm lại.")
    befores = {i: {name: plain(getattr(fresh[i], name)) for name in values} for i in ids}
    now = utcnow()
    for start in range(0, len(ids), CHUNK):
        db.session.execute(
            sa.update(Asset).where(Asset.id.in_(ids[start:start + CHUNK]))
            .values(**values, version=Asset.version + 1, updated_at=now)
            .execution_options(synchronize_session=False))
    events: list[dict[str, Any]] = []
    user_id = actor.id if actor else None
    for asset_id in ids:
        asset = fresh[asset_id]
        for name, value in values.items():
            set_committed_value(asset, name, value)
        set_committed_value(asset, "version", asset.version + 1)
        set_committed_value(asset, "updated_at", now)
        after = {name: plain(getattr(asset, name)) for name in values}
        changes = {k: [befores[asset_id][k], v] for k, v in after.items() if befores[asset_id][k] != v}
        if changes or force:
            events.append({"asset_id": asset_id, "at": now, "action": action, "user_id": user_id,
                           "changes": changes, "handover_id": handover.id, "note": note,
                           "effective_on": effective_on})
    if events:  # a bulk insert: no per-row id round trip, events are never read back here
        db.session.execute(sa.insert(AssetEvent), events)
    return len(events)
