"""Norms (tiêu chuẩn, định mức) officers edit, the rules mapping free-text equipment names to
norm items, and per-province settings. Norms are data, not code: they differ by province and change.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import Labelled, enum_column, utcnow
from tracker.models.units import Province


class NormBasis(Labelled):
    PER_OFFICIAL = ("per_official", "Theo số cán bộ, công chức")
    PER_ROOM = ("per_room", "Theo số phòng làm việc")
    PER_UNIT = ("per_unit", "Theo đơn vị")


class Norm(db.Model):
    """How many of an item a kind of receiving unit is entitled to (or at most may have)."""

    __tablename__ = "norms"
    __table_args__ = (
        sa.UniqueConstraint("province_id", "unit_type", "item_type", name="uq_norms_province_unit_item"),
        sa.CheckConstraint("quantity >= 0", name="quantity_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(sa.ForeignKey("provinces.id"))
    unit_type: Mapped[str] = mapped_column(sa.String(30))  # xã, phường, đặc khu, provincial_body
    item_type: Mapped[str] = mapped_column(sa.String(40))  # computer, desk_set, printer, car, hq_floor_area…
    label: Mapped[str] = mapped_column(sa.String(120))
    basis: Mapped[NormBasis] = mapped_column(enum_column(NormBasis))
    quantity: Mapped[Decimal] = mapped_column(sa.Numeric(10, 2))
    is_maximum: Mapped[bool] = mapped_column(default=False)  # cars: at most 2 per commune
    is_default: Mapped[bool] = mapped_column(default=True)  # seeded figure not yet reviewed by an officer
    legal_ref: Mapped[str | None] = mapped_column(sa.String(200))
    note: Mapped[str | None] = mapped_column(sa.Text)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    province: Mapped[Province] = relationship()


class EquipmentTypeRule(db.Model):
    """'Máy vi tính để bàn Dell…' -> computer: a folded substring of the equipment type or name."""

    __tablename__ = "equipment_type_rules"
    __table_args__ = (sa.UniqueConstraint("province_id", "pattern", name="uq_equipment_type_rules_pattern"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(sa.ForeignKey("provinces.id"))
    pattern: Mapped[str] = mapped_column(sa.String(120))  # folded text, matched as a substring
    item_type: Mapped[str] = mapped_column(sa.String(40))
    priority: Mapped[int] = mapped_column(default=100)  # lower wins: 'may tinh xach tay' before 'may tinh'


class ProvinceSetting(db.Model):
    """A setting an officer edits per province, e.g. days before an unsigned handover is flagged."""

    __tablename__ = "province_settings"

    province_id: Mapped[int] = mapped_column(sa.ForeignKey("provinces.id"), primary_key=True)
    key: Mapped[str] = mapped_column(sa.String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
