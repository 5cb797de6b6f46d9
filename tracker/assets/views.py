"""Register pages: the list of assets, one asset with its history, creating and editing."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from tracker.assets import display
from tracker.assets.fields import label
from tracker.assets.forms import AssetFormBase, RegisterFilterForm, asset_form_class, initial_data
from tracker.assets.queries import page_number, parse_filters, register_page, unit_choices
from tracker.assets.services import create_asset, update_asset
from tracker.assets.unit_options import offer_units
from tracker.auth.policy import EVERYONE, WRITERS, allow
from tracker.auth.scope import asset_scope, province_ids_in_scope
from tracker.errors import StaleEditError, ValidationError
from tracker.extensions import db
from tracker.handovers import queries as handover_queries
from tracker.models import Asset, AssetKind, Unit

bp = Blueprint("assets", __name__, url_prefix="/assets")

FILTER_LABELS = {"sort": "Sắp xếp", "district_id": "Huyện cũ"}


@bp.route("/")
@allow(*EVERYONE)
def register():
    """The register: every asset in the person's scope, filtered, sorted, paged, with totals."""
    filters, bad = parse_filters(request.args)
    warnings = [_("Bộ lọc «%(name)s» có giá trị không hợp lệ («%(value)s») nên đã được bỏ qua.",
                  name=_(FILTER_LABELS.get(p.name) or label(p.name)), value=p.value[:40]) for p in bad]
    rows, sums = register_page(current_user, filters, page_number(request.args.get("page")),
                               current_app.config["PAGE_SIZE"])
    form = RegisterFilterForm(formdata=request.args)
    offer_units(form, current_user)
    return render_template("assets/register.html", form=form, filters=filters, args=filters.as_args(),
                           page=rows, totals=sums, warnings=warnings, kinds=list(AssetKind))


def _asset_or_404(asset_id: int) -> Asset:
    """The asset if this person may see it; a 404 otherwise, so ids cannot be probed."""
    asset = db.session.scalar(sa.select(Asset).where(Asset.id == asset_id, asset_scope(current_user)))
    if asset is None:
        abort(404)
    return asset


@bp.route("/<int:asset_id>")
@allow(*EVERYONE)
def detail(asset_id: int):
    """One asset: every field of its kind, its units, and its append-only history."""
    asset = _asset_or_404(asset_id)
    return render_template("assets/detail.html", asset=asset, rows=display.field_rows(asset),
                           events=display.history(asset), handovers=handover_queries.of_asset(current_user, asset.id))


def _form_for(kind: AssetKind, *, editing: bool, data: dict | None = None) -> AssetFormBase:
    """The kind's form offering the dissolved units and receivers of the person's province(s)."""
    form = asset_form_class(kind)(data=data)
    provinces = province_ids_in_scope(current_user)
    condition = sa.true() if provinces is None else Unit.province_id.in_(provinces)
    form.fill_units(unit_choices(current_user, condition), allow_empty_unit=not editing)
    return form


def _save(form: AssetFormBase, asset: Asset | None):
    """Validate and store; on refusal roll back and re-show the form with what was typed."""
    errors: dict[str, str] = {}
    stale = None
    form.validate()  # CSRF was checked before the view; this checks the unit selects
    for name in ("unit_id", "receiver_id"):
        if form[name].errors:
            errors[name] = form[name].errors[0]
    if not errors:
        unit = db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None
        receiver = db.session.get(Unit, form.receiver_id.data) if form.receiver_id.data else None
        try:
            if asset is None:
                asset = create_asset(form.kind, form.raw_values(), current_user, unit=unit, receiver=receiver)
            else:
                asset = update_asset(asset, form.raw_values(asset), current_user, unit=unit, receiver=receiver,
                                     expected_version=form.expected_version())
            db.session.commit()
        except ValidationError as exc:
            errors = exc.errors
        except StaleEditError as exc:
            stale = exc.message
        except StaleDataError:  # saved by someone else between our read and our write
            stale = _("Tài sản này vừa được người khác sửa. Hãy tải lại để xem thay đổi rồi sửa lại.")
        else:
            flash(_("Đã lưu tài sản «%(name)s».", name=asset.name), "success")
            return redirect(url_for("assets.detail", asset_id=asset.id))
    db.session.rollback()
    general = form.show_errors(errors)
    return render_template("assets/form.html", form=form, asset=asset, kind=form.kind, general=general,
                           stale=stale), 422


@bp.route("/new/<kind>", methods=["GET", "POST"])
@allow(*WRITERS)
def create(kind: str):
    """Register a new asset of a dissolved unit."""
    try:
        asset_kind = AssetKind(kind)
    except ValueError:
        abort(404)
    preset = request.args.get("unit_id", "")
    form = _form_for(asset_kind, editing=False, data={"unit_id": int(preset)} if preset.isdigit() else None)
    if request.method == "POST":
        return _save(form, None)
    return render_template("assets/form.html", form=form, asset=None, kind=asset_kind, general=[], stale=None)


@bp.route("/<int:asset_id>/edit", methods=["GET", "POST"])
@allow(*WRITERS)
def edit(asset_id: int):
    """Edit an asset; the version seen on opening guards against overwriting someone else's edit."""
    asset = _asset_or_404(asset_id)
    form = _form_for(asset.kind, editing=True, data=initial_data(asset))
    if request.method == "POST":
        return _save(form, asset)
    return render_template("assets/form.html", form=form, asset=asset, kind=asset.kind, general=[], stale=None)
