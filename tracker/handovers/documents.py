"""From a handover in the database to the plain data of its minutes, and stored files.

Each item's snapshot is frozen at issue: the minutes are built from the snapshots only, so the
record always says what was printed even if someone later looks at a changed asset.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from tracker.formatting import decimal_vn, group_thousands
from tracker.handovers import defaults
from tracker.handovers.minutes import ARCHIVES, ArchiveRow, AssetRow, MinutesData, Party
from tracker.handovers.minutes.verify import sha256_hex
from tracker.handovers.numbering import number_label, number_text
from tracker.models import Asset, AssetKind, Handover, StoredFile

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _area(value: Decimal | None) -> str:
    return decimal_vn(value) if value is not None else ""


def display_name(asset: Asset) -> str:
    """The name cell: kind-specific details on a second line (address and areas, model, serial)."""
    if asset.kind == AssetKind.HEADQUARTERS:
        details = [asset.address or ""]
        if asset.land_area is not None:
            details.append(f"DT đất {_area(asset.land_area)} m²")
        if asset.floor_area is not None:
            details.append(f"DT sàn {_area(asset.floor_area)} m²")
        return asset.name + "\n" + "; ".join(d for d in details if d)
    if asset.kind == AssetKind.VEHICLE:
        details = [asset.make_model or "", f"{asset.seats} chỗ" if asset.seats else "",
                   f"sản xuất năm {asset.year_made}" if asset.year_made else ""]
        joined = ", ".join(d for d in details if d)
        return f"{asset.name} ({joined})" if joined else asset.name
    if asset.kind == AssetKind.EQUIPMENT and asset.serial:
        return f"{asset.name} (số sê-ri {asset.serial})"
    return asset.name


def item_snapshot(asset: Asset) -> dict[str, Any]:
    """What the minutes print about an asset, JSON-safe; frozen on the item at issue."""
    name = display_name(asset)
    if asset.agency is not None:  # the body that held it, as the lists and the minutes name holders
        name += f"\nCơ quan quản lý: {asset.agency.name}"
    snap: dict[str, Any] = {
        "asset_id": asset.id, "kind": asset.kind.value, "name": name,
        "agency": asset.agency.name if asset.agency is not None else "",
        "code": asset.plate if asset.kind == AssetKind.VEHICLE else asset.code,
        "unit_of_measure": asset.unit_of_measure or "", "quantity": asset.quantity,
        "original_cost": int(asset.original_cost or 0), "remaining_value": int(asset.remaining_value or 0),
        "condition": asset.condition.label, "current_use": asset.current_use or "",
        "intended_use": asset.intended_use or "", "documents": asset.documents or "", "notes": asset.notes or "",
    }
    if asset.kind == AssetKind.HEADQUARTERS and asset.land_certificate_no and not snap["documents"]:
        snap["documents"] = f"GCN QSDĐ số {asset.land_certificate_no}"
    if asset.kind == AssetKind.ARCHIVE_BOX:
        snap.update(fonds=asset.fonds or "", box_no=asset.box_no or "", files_count=asset.files_count or 0,
                    span_start=asset.span_start, span_end=asset.span_end, time_span=asset.time_span,
                    linear_m=str(asset.linear_m) if asset.linear_m is not None else None,
                    retention=asset.retention.label if asset.retention else "",
                    arrangement=asset.arrangement.label if asset.arrangement else "", title=asset.name)
    return snap


def _asset_row(snap: dict[str, Any]) -> AssetRow:
    return AssetRow(kind=snap["kind"], name=snap["name"], code=snap["code"] or "",
                    unit_of_measure=snap["unit_of_measure"], quantity=snap["quantity"],
                    original_cost=snap["original_cost"], remaining_value=snap["remaining_value"],
                    condition=snap["condition"], current_use=snap["current_use"],
                    intended_use=snap["intended_use"], documents=snap["documents"], notes=snap["notes"])


def _archive_row(snap: dict[str, Any]) -> ArchiveRow:
    linear = Decimal(snap["linear_m"]) if snap.get("linear_m") else None
    return ArchiveRow(box_no=snap["box_no"], title=snap["title"], fonds=snap["fonds"], time_span=snap["time_span"],
                      files_count=snap["files_count"], linear_m=linear, retention=snap["retention"],
                      arrangement=snap["arrangement"], notes=snap["notes"])


def _archive_summary(snaps: list[dict[str, Any]]) -> tuple[str, str, str]:
    """(records block, time span, condition) of a set of boxes."""
    fonds = list(dict.fromkeys(s["fonds"] for s in snaps if s["fonds"]))
    starts = [s["span_start"] for s in snaps if s.get("span_start")]
    ends = [s["span_end"] or s["span_start"] for s in snaps if s.get("span_end") or s.get("span_start")]
    span = ""
    if starts and ends:
        span = str(min(starts)) if min(starts) == max(ends) else f"{min(starts)}–{max(ends)}"
    counts: dict[str, int] = {}
    for s in snaps:
        counts[s["arrangement"] or "Chưa xác định"] = counts.get(s["arrangement"] or "Chưa xác định", 0) + 1
    condition = "; ".join(f"{label}: {group_thousands(n)} hộp" for label, n in counts.items())
    return "; ".join(fonds), span, condition


def minutes_data(handover: Handover, snapshots: list[dict[str, Any]]) -> MinutesData:
    """The plain data of a handover's minutes, from its parties and the frozen item snapshots."""
    province = handover.province
    parent_body, issuing_body = defaults.header_bodies(province.name)
    parties = [Party(p.side, p.full_name, p.position, p.organisation) for p in handover.parties]
    data = MinutesData(
        doc_type=handover.doc_type, number_text=number_text(handover.number, handover.doc_type),
        parent_body=parent_body, issuing_body=issuing_body, locality=defaults.locality(handover.receiver),
        date=handover.handover_date or dt.date.today(), place=handover.place or "",
        giver_name=handover.giver.full_name, receiver_name=handover.receiver.name,
        legal_basis=list(handover.legal_basis or []), parties=parties, remarks=handover.remarks or "",
        copies=handover.copies, verification_code=handover.verification_code or "",
        immediate_use=handover.immediate_use, decision_due_on=handover.decision_due_on,
        reallocation=handover.is_reallocation)
    if handover.doc_type == ARCHIVES:
        data.boxes = [_archive_row(s) for s in snapshots]
        data.records_block, data.time_span, data.condition_summary = _archive_summary(snapshots)
    else:
        data.assets = [_asset_row(s) for s in snapshots]
    return data


def minutes_filename(handover: Handover) -> str:
    """'Bien-ban-07-BB-BG-2025.docx'."""
    label = number_label(handover.number, handover.doc_type).replace("/", "-")
    return f"Bien-ban-{label}-{handover.year}.docx"


def stored_file(filename: str, content_type: str, data: bytes) -> StoredFile:
    """A file kept in the database with its SHA-256 (added to the session by the caller)."""
    return StoredFile(filename=filename[:255], content_type=content_type, size=len(data), sha256=sha256_hex(data),
                      data=data)
