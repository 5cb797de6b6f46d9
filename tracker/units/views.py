"""Unit pages: the units of the province with their asset counts, and one unit with its assets."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from tracker.assets.queries import page_number
from tracker.auth.policy import EVERYONE, allow
from tracker.models import AssetKind, UnitKind
from tracker.units import queries

bp = Blueprint("units", __name__, url_prefix="/units")


@bp.route("/")
@allow(*EVERYONE)
def index():
    """Units in the person's scope, by kind, searchable without diacritics, with asset counts."""
    raw_kind = (request.args.get("kind") or "").strip()
    kind = UnitKind(raw_kind) if raw_kind in {k.value for k in UnitKind} else None
    warning = _("Loại đơn vị «%(value)s» không hợp lệ nên đã được bỏ qua.", value=raw_kind[:40]) \
        if raw_kind and kind is None else None
    q = " ".join((request.args.get("q") or "").split())[:200]
    page = queries.unit_list(current_user, kind=kind, q=q, page=page_number(request.args.get("page")),
                             size=current_app.config["PAGE_SIZE"])
    counts = queries.asset_counts(current_user, [u.id for u in page.items])
    args = {k: v for k, v in (("kind", kind.value if kind else None), ("q", q)) if v}
    return render_template("units/index.html", page=page, counts=counts, kind=kind, q=q, args=args,
                           kinds=list(UnitKind), warning=warning)


@bp.route("/<int:unit_id>")
@allow(*EVERYONE)
def detail(unit_id: int):
    """One unit: what it is, who succeeded whom, its communes, and its assets per kind."""
    unit = queries.unit_in_scope(current_user, unit_id)
    if unit is None:
        abort(404)
    if unit.kind == UnitKind.NEW_COMMUNE:
        related = queries.predecessors(unit)
    elif unit.is_dissolved:
        related = queries.successors(unit)
    else:
        related = []
    communes = queries.children(unit) if unit.kind == UnitKind.OLD_DISTRICT else []
    return render_template(
        "units/detail.html", unit=unit, related=related, communes=communes,
        commune_counts=queries.asset_counts(current_user, [c.id for c in communes]),
        linkable=queries.visible_ids(current_user, related + communes + ([unit.parent] if unit.parent else [])),
        summaries=queries.summaries_for(current_user, unit), asset_kinds=list(AssetKind))
