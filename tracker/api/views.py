"""API endpoints: GET only, readers only, everything inside the caller's scope, paged by cursor.

A list answers ``{"data": [...], "pagination": {"limit", "next_cursor", "next"}}``; pass
``cursor=<next_cursor>`` for the next page. Cursors are opaque (today: the last id seen).
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from flask import Blueprint, abort, jsonify, request, url_for
from flask_login import current_user

from tracker.api import auth
from tracker.api.openapi import document
from tracker.api.serialize import asset_json, event_json, handover_json, item_json, unit_json
from tracker.assets.queries import MAX_ID
from tracker.auth.policy import READERS, allow, public
from tracker.auth.scope import asset_scope, province_ids_in_scope, unit_scope
from tracker.exports.asof import states_as_of
from tracker.exports.columns import unit_names
from tracker.exports.lookups import asset_or_404, handover_or_404, handovers_seen_by
from tracker.exports.filters import export_query, parse_day, parse_export_filters
from tracker.exports.reconciliation import handover_counts
from tracker.extensions import csrf, db
from tracker.models import Asset, AssetEvent, Handover, HandoverItem, HandoverStatus, Unit, UnitKind, User

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # GET only and token-authenticated: there is no form to forge
bp.record_once(lambda state: auth.install(state.app))
for _code in (400, 401, 403, 404, 405):
    bp.register_error_handler(_code, auth.json_errors)

DEFAULT_LIMIT, MAX_LIMIT = 100, 1000


def _int_arg(name: str, *, minimum: int = 0, maximum: int = 10**12) -> int | None:
    raw = (request.args.get(name) or "").strip()
    if not raw:
        return None
    if not raw.isdigit() or not minimum <= int(raw) <= maximum:
        abort(400, description=f"Tham số «{name}» phải là số nguyên từ {minimum} đến {maximum}.")
    return int(raw)


def _paging() -> tuple[int, int]:
    """(limit, cursor) from the query string; 400 for values out of range."""
    limit = _int_arg("limit", minimum=1, maximum=MAX_LIMIT) or DEFAULT_LIMIT
    return limit, _int_arg("cursor", maximum=MAX_ID) or 0


def _page(rows: list[Any], limit: int, key, shape) -> Any:
    """The JSON page of ``rows`` (fetched with limit + 1) and the link to the next one."""
    more = len(rows) > limit
    rows = rows[:limit]
    cursor = str(key(rows[-1])) if more and rows else None
    args = {k: v for k, v in request.args.items() if k != "cursor"}
    nxt = url_for(request.endpoint, **(request.view_args or {}), **args, cursor=cursor, _external=True) \
        if cursor else None
    return jsonify({"data": [shape(r) for r in rows],
                    "pagination": {"limit": limit, "next_cursor": cursor, "next": nxt}})


def _enum_arg(name: str, enum_cls):
    """An enum from the query string, None if absent; 400 if it is not one of the values."""
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        return enum_cls(raw)
    except ValueError:
        abort(400, description=f"Tham số «{name}» không hợp lệ: «{raw[:40]}».")


def _names() -> dict[int, str]:
    return unit_names(province_ids_in_scope(current_user)).units


@bp.route("/openapi.json")
@public
def openapi():
    """The OpenAPI 3 description of this API (no token needed to read it)."""
    return jsonify(document(url_for("api.index", _external=True).rstrip("/")))


@bp.route("/")
@allow(*READERS)
def index():
    """Who the token belongs to, and where the lists are."""
    return jsonify({"user": {"username": current_user.username, "role": current_user.role.value,
                             "province_id": current_user.province_id},
                    "links": {name: url_for(f"api.{name}", _external=True)
                              for name in ("assets", "units", "handovers", "events", "inventory", "openapi")}})


@bp.route("/assets")
@allow(*READERS)
def assets():
    """Assets in scope, filtered like the register (kind, status, unit_id, holder_id, q…), by id."""
    limit, cursor = _paging()
    filters, bad = parse_export_filters(request.args)
    if bad:
        abort(400, description=f"Tham số «{bad[0].name}» không hợp lệ: «{bad[0].value[:40]}».")
    query = export_query(current_user, filters).order_by(None).where(Asset.id > cursor)
    rows = list(db.session.scalars(query.order_by(Asset.id).limit(limit + 1).options(selectinload(Asset.agency))))
    names = _names()
    return _page(rows, limit, lambda a: a.id, lambda a: asset_json(a, names))


@bp.route("/assets/<int:asset_id>")
@allow(*READERS)
def asset(asset_id: int):
    return jsonify(asset_json(asset_or_404(current_user, asset_id), _names()))


def _events_page(query: sa.Select):
    limit, cursor = _paging()
    rows = db.session.execute(query.add_columns(User.username).outerjoin(User, User.id == AssetEvent.user_id)
                              .where(AssetEvent.id > cursor).order_by(AssetEvent.id).limit(limit + 1)).all()
    return _page(rows, limit, lambda r: r[0].id, lambda r: event_json(r[0], r[1]))


@bp.route("/assets/<int:asset_id>/history")
@allow(*READERS)
def asset_history(asset_id: int):
    """The asset's events, oldest first: field -> [before, after]."""
    return _events_page(sa.select(AssetEvent).where(AssetEvent.asset_id == asset_or_404(current_user, asset_id).id))


@bp.route("/events")
@allow(*READERS)
def events():
    """Every asset event in scope, oldest first: follow ``next`` to stay in sync."""
    in_scope = sa.select(Asset.id).where(asset_scope(current_user))
    return _events_page(sa.select(AssetEvent).where(AssetEvent.asset_id.in_(in_scope)))


@bp.route("/inventory")
@allow(*READERS)
def inventory():
    """Assets as they stood on ``as_of`` (YYYY-MM-DD), rebuilt from the history, by asset id."""
    try:
        day = parse_day(request.args.get("as_of"))
    except ValueError:
        day = None
    if day is None:
        abort(400, description="Tham số «as_of» (ngày, dạng YYYY-MM-DD) là bắt buộc.")
    limit, cursor = _paging()
    filters, bad = parse_export_filters(request.args)
    if bad:
        abort(400, description=f"Tham số «{bad[0].name}» không hợp lệ: «{bad[0].value[:40]}».")
    states = states_as_of(current_user, filters, day, after_id=cursor)
    rows = [state for _, state in zip(range(limit + 1), states)]
    states.close()
    return _page(rows, limit, lambda s: s["id"], lambda s: s)


@bp.route("/units")
@allow(*READERS)
def units():
    """Units in scope (filter ``kind``: old_district, old_commune, new_commune, provincial_body)."""
    limit, cursor = _paging()
    query = sa.select(Unit).where(unit_scope(current_user), Unit.id > cursor)
    if (kind := _enum_arg("kind", UnitKind)) is not None:
        query = query.where(Unit.kind == kind)
    rows = list(db.session.scalars(query.order_by(Unit.id).limit(limit + 1)))
    return _page(rows, limit, lambda u: u.id, unit_json)


@bp.route("/units/<int:unit_id>")
@allow(*READERS)
def unit(unit_id: int):
    found = db.session.scalar(sa.select(Unit).where(Unit.id == unit_id, unit_scope(current_user))) or abort(404)
    data = unit_json(found)
    data["successor_ids"] = [u.id for u in found.successors]
    data["predecessor_ids"] = [u.id for u in found.predecessors]
    return jsonify(data)


@bp.route("/handovers")
@allow(*READERS)
def handovers():
    """Handovers whose giving or receiving unit is in scope (filter ``status``), with item counts."""
    limit, cursor = _paging()
    query = handovers_seen_by(current_user).where(Handover.id > cursor)
    if (status := _enum_arg("status", HandoverStatus)) is not None:
        query = query.where(Handover.status == status)
    rows = list(db.session.scalars(query.options(selectinload(Handover.giver))  # for is_reallocation
                                   .order_by(Handover.id).limit(limit + 1)))
    counts = handover_counts([h.id for h in rows])
    return _page(rows, limit, lambda h: h.id,
                 lambda h: handover_json(h, {s.value: n for s, n in counts.get(h.id, {}).items()}))


@bp.route("/handovers/<int:handover_id>")
@allow(*READERS)
def handover(handover_id: int):
    """One handover with its parties and every item as issued, with what the receiver found."""
    found = handover_or_404(current_user, handover_id)
    data = handover_json(found, {s.value: n for s, n in handover_counts([found.id])[found.id].items()})
    data["parties"] = [{"side": p.side, "full_name": p.full_name, "position": p.position,
                        "organisation": p.organisation} for p in found.parties]
    items = db.session.scalars(sa.select(HandoverItem).where(HandoverItem.handover_id == found.id)
                               .order_by(HandoverItem.id))
    data["items"] = [item_json(i) for i in items]
    return jsonify(data)


@bp.route("/handovers/<int:handover_id>/history")
@allow(*READERS)
def handover_history(handover_id: int):
    """The asset events recorded by this handover (issue, receipt, void…), oldest first."""
    found = handover_or_404(current_user, handover_id)
    return _events_page(sa.select(AssetEvent).where(AssetEvent.handover_id == found.id))
