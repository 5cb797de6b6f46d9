"""The administrative map: new provinces, old and new units, and who succeeded whom."""
from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import Labelled, enum_column, utcnow


class UnitKind(Labelled):
    """What a unit is in the reorganisation."""

    OLD_DISTRICT = ("old_district", "Cấp huyện cũ (đã giải thể)")
    OLD_COMMUNE = ("old_commune", "Cấp xã cũ (đã sáp nhập)")
    NEW_COMMUNE = ("new_commune", "Xã, phường, đặc khu mới")
    PROVINCIAL_BODY = ("provincial_body", "Cơ quan cấp tỉnh")

    @property
    def dissolved(self) -> bool:
        return self in (UnitKind.OLD_DISTRICT, UnitKind.OLD_COMMUNE)


class Province(db.Model):
    """One of the 34 provinces after 1 July 2025 (official code from vietnam-provinces)."""

    __tablename__ = "provinces"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[int] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    name_folded: Mapped[str] = mapped_column(sa.String(120), index=True)
    loaded_at: Mapped[dt.datetime | None]

    units: Mapped[list[Unit]] = relationship(back_populates="province")

    def __repr__(self) -> str:
        return f"<Province {self.code} {self.name}>"


class Unit(db.Model):
    """An administrative unit: a dissolved old district or commune, a new commune, a provincial body."""

    __tablename__ = "units"
    __table_args__ = (
        sa.CheckConstraint("officials_count IS NULL OR officials_count >= 0", name="officials_non_negative"),
        sa.CheckConstraint("rooms_count IS NULL OR rooms_count >= 0", name="rooms_non_negative"),
        sa.Index("ix_units_province_kind", "province_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Natural key that makes loading idempotent: 'new:5518', 'old:65:577:262721', 'body:19:finance'.
    source_key: Mapped[str] = mapped_column(sa.String(60), unique=True)
    code: Mapped[str] = mapped_column(sa.String(20))  # official code where there is one
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind))
    name: Mapped[str] = mapped_column(sa.String(200))
    name_folded: Mapped[str] = mapped_column(sa.String(200), index=True)
    division_type: Mapped[str] = mapped_column(sa.String(40), default="")  # xã, phường, huyện, thị xã…
    province_id: Mapped[int] = mapped_column(sa.ForeignKey("provinces.id"))
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"), index=True)  # old commune -> old district
    old_province_name: Mapped[str | None] = mapped_column(sa.String(120))  # e.g. 'Tỉnh Bắc Kạn' for old units
    dissolved_on: Mapped[dt.date | None]
    address: Mapped[str | None] = mapped_column(sa.String(300))
    officials_count: Mapped[int | None]  # số cán bộ, công chức (for equipment norms)
    rooms_count: Mapped[int | None]  # số phòng làm việc

    province: Mapped[Province] = relationship(back_populates="units")
    parent: Mapped[Unit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Unit]] = relationship(back_populates="parent")
    successors: Mapped[list[Unit]] = relationship(
        secondary="unit_successions",
        primaryjoin="Unit.id == UnitSuccession.predecessor_id",
        secondaryjoin="Unit.id == UnitSuccession.successor_id",
        back_populates="predecessors",
        order_by="Unit.name",
    )
    predecessors: Mapped[list[Unit]] = relationship(
        secondary="unit_successions",
        primaryjoin="Unit.id == UnitSuccession.successor_id",
        secondaryjoin="Unit.id == UnitSuccession.predecessor_id",
        back_populates="successors",
        order_by="Unit.name",
    )

    @property
    def is_dissolved(self) -> bool:
        return self.kind.dissolved

    @property
    def full_name(self) -> str:
        """Name with its old district, to tell apart same-named communes."""
        if self.parent is not None:
            return f"{self.name} ({self.parent.name})"
        return self.name

    def __repr__(self) -> str:
        return f"<Unit {self.source_key} {self.name}>"


class Agency(db.Model):
    """A body of a unit that holds assets: the city Party committee, a department, a centre.

    Lists name holders such as "Thành ủy Sông Công" or "Phòng Tài chính - Kế hoạch" as often as
    the unit itself. An agency belongs to exactly one unit of the map; an asset's unit stays the
    unit, and its agency (if any) is recorded beside it, shown and printed in the minutes.
    """

    __tablename__ = "agencies"
    __table_args__ = (sa.UniqueConstraint("unit_id", "key", name="uq_agencies_unit_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))
    name: Mapped[str] = mapped_column(sa.String(200))  # as the first list that named it wrote it
    # What tells two spellings of one agency apart from another agency: folded, the unit's own
    # name and division words dropped ('thanh uy', 'van phong hdnd ubnd'); importing.agencies.agency_key.
    key: Mapped[str] = mapped_column(sa.String(200))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    unit: Mapped[Unit] = relationship()

    def __repr__(self) -> str:
        return f"<Agency {self.unit_id} {self.name}>"


class UnitSuccession(db.Model):
    """Old unit -> new unit. An old commune split between several new ones has several rows."""

    __tablename__ = "unit_successions"

    predecessor_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    successor_id: Mapped[int] = mapped_column(
        sa.ForeignKey("units.id", ondelete="CASCADE"), primary_key=True, index=True
    )
