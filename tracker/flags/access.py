"""Who sees which province and unit on the flags pages, CSV answers, the loading of asset lists,
and links to other features: what the four parts' pages share.

Officers and auditors work in their province; admins in any (chosen with ?province=); commune
staff only in their own unit: any other unit id answers 403.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask import Response, abort, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from tracker.exports.writers import csv_stream, neutralise
from tracker.extensions import db
from tracker.models import Asset, Province, Role, Unit

# The units an asset list shows beside each asset (its unit, holder, receiver), loaded with the
# page's rows rather than one query per row.
ASSET_LOADS = (selectinload(Asset.unit), selectinload(Asset.holder), selectinload(Asset.receiver))


def is_commune() -> bool:
    return current_user.role == Role.COMMUNE


def current_province(raw_id: str | None = None) -> Province:
    """The province the page is about: the user's own, or for an admin the one asked for."""
    if is_commune():
        return current_user.unit.province
    if current_user.province_id is not None:
        return current_user.province
    if raw_id and str(raw_id).isdigit():
        province = db.session.get(Province, int(raw_id))
        if province is not None:
            return province
    province = db.session.scalar(sa.select(Province).where(Province.loaded_at.is_not(None)).order_by(Province.name))
    if province is None:
        abort(404)
    return province


def provinces_to_choose() -> list[Province]:
    """Provinces an admin may switch between; nobody else switches."""
    if is_commune() or current_user.province_id is not None:
        return []
    return list(db.session.scalars(sa.select(Province).where(Province.loaded_at.is_not(None)).order_by(Province.name)))


def unit_or_abort(unit_id: int | None) -> Unit | None:
    """A unit the user may see figures of: commune staff their own only (403), others in province (404)."""
    if unit_id is None:
        return None
    unit = db.session.get(Unit, unit_id)
    if is_commune():
        if unit is None or unit.id != current_user.unit_id:
            abort(403)
        return unit
    if unit is None or (current_user.province_id is not None and unit.province_id != current_user.province_id):
        abort(404)
    return unit


def int_arg(raw: str | None) -> int | None:
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 10 else None


def first_url(endpoints: Iterable[tuple[str, str]], value: int) -> str | None:
    """The first of (endpoint, argument name) that exists in the app, or None (a feature not built yet)."""
    for endpoint, arg in endpoints:
        try:
            return url_for(endpoint, **{arg: value})
        except BuildError:
            continue
    return None


def handover_url(handover_id: int) -> str | None:
    """Link to a handover's page, if the handovers feature has one."""
    return first_url((("handovers.detail", "handover_id"), ("handovers.view", "handover_id"),
                      ("handovers.show", "handover_id")), handover_id)


def cell(value: Any) -> Any:
    """A CSV cell: decimals as plain numbers with a dot, text neutralised against formulas."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # 4.500 -> 4.5, 10.00 -> 10
    return neutralise(value)


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Response:
    """A UTF-8 CSV with a byte-order mark (Excel reads Vietnamese), streamed."""
    body = csv_stream(header, ([cell(v) for v in row] for row in rows))
    return Response(b"".join(body), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
