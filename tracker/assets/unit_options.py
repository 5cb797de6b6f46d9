"""The unit select boxes of the register's filter bar, rendered once per set of units and reused.

The filter bar offers every unit of the person's scope four times (old district, giving unit,
receiver, holder): about 2,500 options for a large province, 28,000 for the whole country.
Loading those units as ORM objects and rendering each option through WTForms cost 0.1-0.3 s
a page for a province and seconds for an admin (docs/BENCHMARKS.md, "The whole country").
Units change only when the map is loaded, so the options' HTML is rendered once per scope,
language and version of the units, and a request only marks its selected value. The version is
the last time a province was loaded (the loader, the only writer of units, stamps it on every
run) and one aggregate over the scope's units read off their indexes (count, largest id, total
length of the folded names), so a unit added or renamed any other way shows too.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import get_locale
from markupsafe import Markup, escape
from wtforms.widgets import html_params

from tracker.auth.scope import unit_scope
from tracker.extensions import db
from tracker.models import Province, Role, Unit, UnitKind, User

FIELDS = ("district_id", "unit_id", "receiver_id", "holder_id")
_KEPT = 64  # sets of options kept (one per province, the country, commune staff's units)
_cache: OrderedDict[tuple, dict[str, Markup]] = OrderedDict()
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class UnitRow:
    """What an option needs of a unit (the attributes the option builders read of a Unit)."""

    id: int
    kind: UnitKind
    name: str
    parent_id: int | None
    old_province_name: str | None


def unit_rows(user: User) -> list[UnitRow]:
    """The units of the user's scope as plain rows, sorted by name as ``unit_choices`` sorts them."""
    query = sa.select(Unit.id, sa.type_coerce(Unit.kind, sa.String), Unit.name, Unit.parent_id,
                      Unit.old_province_name).where(unit_scope(user)).order_by(Unit.name, Unit.id)
    return [UnitRow(i, UnitKind(k), n, p, o) for i, k, n, p, o in db.session.execute(query)]


class CachedSelect:
    """A select widget whose options were rendered beforehand; only the selected value is marked."""

    def __init__(self, options: Markup):
        self.options = options

    def __call__(self, field, **kwargs) -> Markup:
        kwargs.setdefault("id", field.id)
        value = str(escape("" if field.data is None else str(field.data)))
        # str, not Markup: Markup.replace would escape the marked option.
        options = str(self.options).replace(f'<option value="{value}">', f'<option selected value="{value}">', 1)
        return Markup(f"<select {html_params(name=field.name, **kwargs)}>{options}</select>")


_NOTHING = object()  # a value no option has: the cached options are rendered with none selected


def _render(form, rows: list[UnitRow]) -> dict[str, Markup]:
    from tracker.assets.queries import group_units

    saved = {name: form[name].data for name in FIELDS}
    form.fill_units(group_units(rows))
    rendered = {}
    for name in FIELDS:
        field = form[name]
        field.data = _NOTHING
        html = str(field.widget(field))
        rendered[name] = Markup(html[html.index(">") + 1:-len("</select>")])
        field.data = saved[name]
    return rendered


def _version(user: User) -> tuple:
    """What changes whenever a unit of the user's scope is added, renamed, regrouped or reloaded."""
    loaded = sa.select(sa.func.max(Province.loaded_at)).scalar_subquery()
    # Read off indexes (ids, folded names), not the table: about 1 ms for the whole country.
    query = sa.select(sa.func.count(), sa.func.max(Unit.id), sa.func.sum(sa.func.length(Unit.name_folded)),
                      loaded).where(unit_scope(user))
    scope = ("commune", user.unit_id) if user.role == Role.COMMUNE else ("province", user.province_id)
    return (*scope, *db.session.execute(query).one())


def offer_units(form, user: User) -> None:
    """Give the filter form's four unit selects the options of the user's scope."""
    key = (str(get_locale()), *_version(user))
    with _lock:
        options = _cache.get(key)
        if options is not None:
            _cache.move_to_end(key)
    if options is None:
        options = _render(form, unit_rows(user))
        with _lock:
            _cache[key] = options
            while len(_cache) > _KEPT:
                _cache.popitem(last=False)
    for name in FIELDS:
        form[name].widget = CachedSelect(options[name])
