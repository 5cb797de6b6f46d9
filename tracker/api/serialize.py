"""Plain JSON shapes of assets, units, handovers and history events for the API."""
from __future__ import annotations

import datetime as dt
from typing import Any

from tracker.history import plain, snapshot
from tracker.models import Asset, AssetEvent, Handover, HandoverItem, Unit


def when(value: dt.datetime | None) -> str | None:
    """ISO 8601 in UTC with its offset (SQLite hands back naive UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return value.astimezone(dt.timezone.utc).isoformat()


def asset_json(asset: Asset, names: dict[int, str]) -> dict[str, Any]:
    """Every tracked field (enum values, money in whole đồng, decimals as strings) and unit names."""
    data = {"id": asset.id, **snapshot(asset)}
    for key in ("unit", "holder", "receiver"):
        unit_id = data.get(f"{key}_id")
        data[f"{key}_name"] = names.get(unit_id) if unit_id is not None else None
    data["agency_name"] = asset.agency.name if asset.agency is not None else None
    data["updated_at"] = when(asset.updated_at)
    return data


def unit_json(unit: Unit) -> dict[str, Any]:
    return {"id": unit.id, "code": unit.code, "source_key": unit.source_key, "kind": unit.kind.value,
            "name": unit.name, "division_type": unit.division_type, "province_id": unit.province_id,
            "parent_id": unit.parent_id, "old_province_name": unit.old_province_name,
            "dissolved_on": plain(unit.dissolved_on), "address": unit.address}


def item_json(item: HandoverItem) -> dict[str, Any]:
    return {"asset_id": item.asset_id, "receipt_state": item.receipt_state.value, "receipt_note": item.receipt_note,
            "confirmed_at": when(item.confirmed_at), "is_open": item.is_open, "snapshot": item.snapshot}


def handover_json(handover: Handover, counts: dict[str, int] | None = None) -> dict[str, Any]:
    data = {
        "id": handover.id, "province_id": handover.province_id, "doc_type": handover.doc_type,
        "status": handover.status.value, "year": handover.year, "number": handover.number,
        "giver_id": handover.giver_id, "receiver_id": handover.receiver_id,
        "is_reallocation": handover.is_reallocation,
        "handover_date": plain(handover.handover_date), "place": handover.place,
        "legal_basis": handover.legal_basis or [], "immediate_use": handover.immediate_use,
        "decision_due_on": plain(handover.decision_due_on), "decision_ref": handover.decision_ref,
        "issued_at": when(handover.issued_at), "signed_at": when(handover.signed_at),
        "completed_at": when(handover.completed_at), "voided_at": when(handover.voided_at),
        "void_reason": handover.void_reason, "minutes_sha256": handover.minutes_sha256,
        "verification_code": handover.verification_code, "created_at": when(handover.created_at),
    }
    if counts is not None:
        data["item_counts"] = counts
    return data


def event_json(event: AssetEvent, username: str | None) -> dict[str, Any]:
    return {"id": event.id, "asset_id": event.asset_id, "at": when(event.at),
            "effective_on": plain(event.effective_on), "action": event.action, "user": username,
            "changes": event.changes or {}, "handover_id": event.handover_id, "import_id": event.import_id,
            "note": event.note}
