"""The register's totals: how many assets a list holds and what they are worth on the books.

A filtered list sums its own rows (``of_query``). A list narrowed only by the person's scope (a
province, or the whole country for an admin) reads ``asset_totals``, which triggers on ``assets``
keep in the same transaction as every write (migration 0013), so the register's first and deep
pages no longer read every index entry of the province or the country (docs/DECISIONS.md,
"Register totals"). Commune staff's scope is not a province: their lists always sum their rows.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tracker.extensions import db
from tracker.models import Asset, AssetTotals, Role, User


@dataclass
class Totals:
    """How many assets a filtered register holds and what they are worth on the books."""

    count: int = 0
    original_cost: int = 0
    remaining_value: int = 0


def of_query(select: sa.Select) -> Totals:
    """Count and money sums of a register query, computed in SQL over the whole filtered set."""
    inner = select.order_by(None).with_only_columns(
        Asset.id, Asset.original_cost, Asset.remaining_value).subquery()
    row = db.session.execute(sa.select(
        sa.func.count(), sa.func.coalesce(sa.func.sum(inner.c.original_cost), 0),
        sa.func.coalesce(sa.func.sum(inner.c.remaining_value), 0))).one()
    return Totals(int(row[0]), int(row[1]), int(row[2]))


def of_scope(user: User) -> Totals | None:
    """The kept totals of everything ``user`` may see, or None where the scope is not provinces."""
    if user.role == Role.COMMUNE:
        return None
    query = sa.select(sa.func.coalesce(sa.func.sum(AssetTotals.asset_count), 0),
                      sa.func.coalesce(sa.func.sum(AssetTotals.original_cost), 0),
                      sa.func.coalesce(sa.func.sum(AssetTotals.remaining_value), 0))
    if user.province_id is not None:
        query = query.where(AssetTotals.province_id == user.province_id)
    row = db.session.execute(query).one()
    return Totals(int(row[0]), int(row[1]), int(row[2]))


def compact(connection: sa.Connection) -> int:
    """Fold each province's rows into one (PostgreSQL's triggers add a row per statement).

    One statement: the rows it deletes are the rows it sums, so a statement adding a row meanwhile
    is neither lost nor counted twice, and two compactions at once each fold what they deleted.
    Returns how many rows went."""
    if connection.dialect.name != "postgresql":
        return 0
    gone = connection.execute(sa.text(
        "WITH gone AS (DELETE FROM asset_totals RETURNING province_id, asset_count, original_cost, remaining_value), "
        "folded AS (INSERT INTO asset_totals (province_id, asset_count, original_cost, remaining_value) "
        "SELECT province_id, sum(asset_count), sum(original_cost), sum(remaining_value) FROM gone "
        "GROUP BY province_id RETURNING 1) "
        "SELECT (SELECT count(*) FROM gone) - (SELECT count(*) FROM folded)")).scalar_one()
    return int(gone)


def rebuild(connection: sa.Connection) -> None:
    """Count the totals again from the assets (after rows were removed with the triggers off)."""
    connection.execute(sa.delete(AssetTotals))
    connection.execute(sa.insert(AssetTotals).from_select(
        ["province_id", "asset_count", "original_cost", "remaining_value"],
        sa.select(Asset.province_id, sa.func.count(), sa.func.coalesce(sa.func.sum(Asset.original_cost), 0),
                  sa.func.coalesce(sa.func.sum(Asset.remaining_value), 0)).group_by(Asset.province_id)))
