"""The register as SQL: filters, diacritic-free search, sorting, totals, pages.

``register_query`` is the one definition of "the assets this person asked for"; the register
page, exports and bulk selection for a handover all build on it, so they always agree.
No Flask here: callers pass the user and plain filter values.
"""
from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload
from sqlalchemy.sql import operators

from tracker.assets import search
from tracker.assets.search import plate_pattern  # noqa: F401 (the register's tests use it)
from tracker.assets.totals import Totals, of_scope as scope_totals
from tracker.assets.totals import of_query as totals
from tracker.auth.scope import asset_scope, unit_scope
from tracker.extensions import db
from tracker.models import Asset, AssetKind, AssetStatus, Condition, Unit, UnitKind, User

MAX_ID = 2**31 - 1  # ids are 32-bit on PostgreSQL, which refuses to compare a larger number with them (a 500)
MAX_QUERY_LENGTH = 200
SORTS = ("code", "name", "kind", "unit", "original_cost", "remaining_value", "status", "updated")
UNIT_FILTERS = ("unit_id", "district_id", "receiver_id", "holder_id")
ENUM_FILTERS = {"kind": AssetKind, "status": AssetStatus, "condition": Condition}


@dataclass
class RegisterFilters:
    """What the register is narrowed to and how it is ordered; None means "any"."""

    kind: AssetKind | None = None
    unit_id: int | None = None  # the dissolved unit the asset belonged to
    district_id: int | None = None  # an old district: itself and its communes
    receiver_id: int | None = None
    holder_id: int | None = None
    status: AssetStatus | None = None
    condition: Condition | None = None
    q: str = ""
    sort: str = "code"
    descending: bool = False

    def is_scope_only(self) -> bool:
        """True when nothing narrows the list below the person's scope (the order does not)."""
        return not self.q.strip() and all(getattr(self, name) is None for name in (
            "kind", "status", "condition", *UNIT_FILTERS))

    def as_args(self) -> dict[str, Any]:
        """The GET parameters that reproduce these filters (for links and pagers)."""
        args: dict[str, Any] = {}
        for name in ("kind", "status", "condition"):
            if getattr(self, name) is not None:
                args[name] = getattr(self, name).value
        for name in UNIT_FILTERS:
            if getattr(self, name) is not None:
                args[name] = getattr(self, name)
        if self.q:
            args["q"] = self.q
        if self.sort != "code" or self.descending:
            args["sort"] = self.sort
            args["dir"] = "desc" if self.descending else "asc"
        return args


@dataclass
class BadParam:
    """A GET parameter that could not be read; the page says so and ignores it."""

    name: str
    value: str


def read_ids(args: Mapping[str, str], names: tuple[str, ...], target: Any, bad: list[BadParam]) -> None:
    """Set each id parameter present in ``args`` on ``target``; unreadable ones go to ``bad``."""
    for name in names:
        raw = (args.get(name) or "").strip()
        if raw:
            if raw.isdigit() and len(raw) < 12 and int(raw) <= MAX_ID:
                setattr(target, name, int(raw))
            else:
                bad.append(BadParam(name, raw))


def parse_filters(args: Mapping[str, str]) -> tuple[RegisterFilters, list[BadParam]]:
    """Read filters from GET parameters; unreadable ones are ignored and reported, never a 500."""
    filters, bad = RegisterFilters(), []
    for name, enum_cls in ENUM_FILTERS.items():
        raw = (args.get(name) or "").strip()
        if raw:
            try:
                setattr(filters, name, enum_cls(raw))
            except ValueError:
                bad.append(BadParam(name, raw))
    read_ids(args, UNIT_FILTERS, filters, bad)
    filters.q = " ".join((args.get("q") or "").split())[:MAX_QUERY_LENGTH]
    sort = args.get("sort") or "code"
    if sort in SORTS:
        filters.sort = sort
    else:
        bad.append(BadParam("sort", sort))
    filters.descending = args.get("dir") == "desc"
    return filters, bad


def search_condition(q: str, use_index: bool | None = None) -> sa.ColumnElement[bool] | None:
    """The register's diacritic-free search (tracker/assets/search.py); ``use_index=False``: the old LIKE form."""
    return search.search_condition(q, use_index)


def _sort_key(sort: str, old_unit: type[Unit]) -> sa.ColumnElement[Any]:
    if sort == "kind":
        return sa.case({m.value: i for i, m in enumerate(AssetKind)}, value=Asset.kind)
    if sort == "status":
        return sa.case({m.value: i for i, m in enumerate(AssetStatus)}, value=Asset.status)
    if sort == "unit":
        return old_unit.name
    return {"code": Asset.code, "name": Asset.name, "original_cost": Asset.original_cost,
            "remaining_value": Asset.remaining_value, "updated": Asset.updated_at}[sort]


def _backwards(term: sa.ColumnElement[Any]) -> sa.ColumnElement[Any]:
    """An ORDER BY term the other way round (terms without a direction are ascending)."""
    if getattr(term, "modifier", None) is operators.desc_op:
        return term.element.asc()
    return (term.element if getattr(term, "modifier", None) is operators.asc_op else term).desc()


def register_query(user: User, filters: RegisterFilters, *, backwards: bool = False) -> sa.Select:
    """Assets in the user's scope matching ``filters``, ordered, with id as the tie-break.

    ``backwards``: the same order reversed (no term can be NULL, so it is the exact reverse), for
    reading the last pages of a long list from its end."""
    query = sa.select(Asset).where(search.searched_scope(user, filters.q, asset_scope(user)))
    for name in ("kind", "status", "condition", "unit_id", "receiver_id", "holder_id"):
        value = getattr(filters, name)
        if value is not None:
            query = query.where(getattr(Asset, name) == value)
    if filters.district_id is not None:
        in_district = sa.select(Unit.id).where(
            sa.or_(Unit.id == filters.district_id, Unit.parent_id == filters.district_id))
        query = query.where(Asset.unit_id.in_(in_district))
    order: list[sa.ColumnElement[Any]] = []
    if (condition := search.search_condition(filters.q, province_id=search.scope_province(user))) is not None:
        query = query.where(condition)
        order += search.ranking(filters.q)  # the plate typed in full, then whole words, before the sort
    old_unit = aliased(Unit)
    if filters.sort == "unit":
        query = query.join(old_unit, old_unit.id == Asset.unit_id)
    key = _sort_key(filters.sort, old_unit)
    order += [key.desc() if filters.descending else key.asc(), Asset.id.asc()]
    return query.order_by(*(map(_backwards, order) if backwards else order))


@dataclass
class Page:
    """One page of a list; ``page`` is already clamped to the pages that exist."""

    page: int
    size: int
    total: int
    items: list[Any] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        """1-based position of the first row on this page (for the STT column)."""
        return (self.page - 1) * self.size + 1


def page_number(raw: str | None) -> int:
    """?page=N as a positive int; anything else is page 1."""
    raw = (raw or "").strip()
    return int(raw) if raw.isdigit() and len(raw) < 9 and int(raw) > 0 else 1


def count_of(query: sa.Select) -> int:
    """How many rows a list query returns, without fetching them."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery())) or 0


def fetch_page(select: sa.Select, page: int, size: int, total: int, *options: Any,
               scalars: bool = True) -> Page:
    """Rows of one page; a page past the end shows the last one instead of an error."""
    result = Page(page=1, size=size, total=total)
    result.page = min(max(1, page), result.pages)
    paged = select.options(*options).limit(size).offset((result.page - 1) * size)
    rows = db.session.scalars(paged) if scalars else db.session.execute(paged)
    result.items = list(rows)
    return result


def register_page(user: User, filters: RegisterFilters, page: int, size: int) -> tuple[Page, Totals]:
    """The register page: its rows with their units loaded in bulk, and the totals of the whole set."""
    query = register_query(user, filters)
    if filters.q.strip():
        searched = _searched_page(query, page, size)
        if searched is not None:
            return _with_rows(*searched)
    sums = (scope_totals(user) if filters.is_scope_only() else None) or totals(query)
    rows = Page(page=1, size=size, total=sums.count)
    rows.page = min(max(1, page), rows.pages)
    # The page's ids first, then its rows: the ids come from the index that holds the order
    # (ix_assets_province_code, ix_assets_code), so a deep page's OFFSET skips index entries
    # instead of reading every skipped row of the table; a page in the second half is read from
    # the end, so no page skips more than half the list.
    start = (rows.page - 1) * size
    if start > sums.count // 2:
        skip = max(0, sums.count - start - size)
        backwards = register_query(user, filters, backwards=True).with_only_columns(Asset.id)
        ids = db.session.scalars(backwards.limit(min(size, sums.count - start)).offset(skip)).all()[::-1]
    else:
        ids = db.session.scalars(query.with_only_columns(Asset.id).limit(size).offset(start)).all()
    return _with_rows(rows, sums, ids)


def _searched_page(query: sa.Select, page: int, size: int) -> tuple[Page, Totals, list[int]] | None:
    """A search's page and its totals in one query (count and sums as window aggregates).

    The search is the costly part of such a list (its index read for every match): read once
    instead of once for the totals and once for the page (PostgreSQL, "may tinh" in Thanh Hóa:
    200 -> 116 ms of SQL). None for a page past the end, which has no row to carry the totals."""
    windowed = query.with_only_columns(
        Asset.id, sa.func.count().over(), sa.func.coalesce(sa.func.sum(Asset.original_cost).over(), 0),
        sa.func.coalesce(sa.func.sum(Asset.remaining_value).over(), 0))
    page = max(1, page)
    found = db.session.execute(windowed.limit(size).offset((page - 1) * size)).all()
    if not found:
        return None if page > 1 else (Page(page=1, size=size, total=0), Totals(), [])
    sums = Totals(int(found[0][1]), int(found[0][2]), int(found[0][3]))
    return Page(page=page, size=size, total=sums.count), sums, [row[0] for row in found]


def _with_rows(rows: Page, sums: Totals, ids: list[int]) -> tuple[Page, Totals]:
    """The page with its assets loaded, in the order of ``ids``, units in bulk."""
    if ids:
        loaded = {a.id: a for a in db.session.scalars(sa.select(Asset).where(Asset.id.in_(ids)).options(
            selectinload(Asset.unit).selectinload(Unit.parent), selectinload(Asset.holder),
            selectinload(Asset.receiver)))}
        rows.items = [loaded[i] for i in ids]
    return rows, sums


@dataclass
class UnitChoices:
    """Units a person may pick in filters and forms, grouped for select boxes."""

    districts: list[Unit] = field(default_factory=list)
    communes_by_district: dict[int, list[Unit]] = field(default_factory=dict)
    receivers: list[Unit] = field(default_factory=list)
    by_id: dict[int, Unit] = field(default_factory=dict)

    def old_units(self) -> list[tuple[str, list[Unit]]]:
        """(district name, [district, its communes…]) for an optgroup per old district."""
        groups = []
        for district in self.districts:
            groups.append((district.name, [district, *self.communes_by_district.get(district.id, [])]))
        orphans = self.communes_by_district.get(0, [])
        if orphans:
            groups.append(("", orphans))
        return groups


def unit_choices(user: User, condition: sa.ColumnElement[bool] | None = None) -> UnitChoices:
    """Units of the user's scope (or of ``condition``), loaded in one query, sorted by name."""
    query = sa.select(Unit).where(unit_scope(user) if condition is None else condition).order_by(Unit.name, Unit.id)
    return group_units(db.session.scalars(query))


def group_units(units: Iterable[Any]) -> UnitChoices:
    """Units (or rows with their id, kind, name, parent_id, old_province_name), sorted by name,
    grouped for select boxes."""
    choices = UnitChoices()
    for unit in units:
        choices.by_id[unit.id] = unit
        if unit.kind == UnitKind.OLD_DISTRICT:
            choices.districts.append(unit)
        elif unit.kind == UnitKind.OLD_COMMUNE:
            choices.communes_by_district.setdefault(unit.parent_id or 0, []).append(unit)
        else:
            choices.receivers.append(unit)
    # Commune staff may see a commune whose district is outside their scope: keep it selectable.
    known = {d.id for d in choices.districts}
    for parent_id in [p for p in choices.communes_by_district if p and p not in known]:
        choices.communes_by_district.setdefault(0, []).extend(choices.communes_by_district.pop(parent_id))
    return choices
