"""The register: every headquarters, vehicle, equipment item and archive box, in one table.

One table rather than one per kind keeps the register, its filters and its indexes simple at
millions of rows; kind-specific columns are NULL for other kinds and CHECK constraints keep
each kind's required fields present.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import Labelled, enum_column, one_of, utcnow
from tracker.models.units import Agency, Province, Unit


class AssetKind(Labelled):
    HEADQUARTERS = ("headquarters", "Trụ sở làm việc")
    VEHICLE = ("vehicle", "Xe ô tô")
    EQUIPMENT = ("equipment", "Máy móc, thiết bị")
    ARCHIVE_BOX = ("archive_box", "Hộp tài liệu lưu trữ")


class AssetStatus(Labelled):
    """Where the asset stands in the handover; changed only by the handover services."""

    REGISTERED = ("registered", "Chưa bàn giao")
    IN_HANDOVER = ("in_handover", "Đang lập biên bản")
    ISSUED = ("issued", "Đã phát hành biên bản")
    SIGNED = ("signed", "Đã ký biên bản")
    RECEIVED = ("received", "Đã tiếp nhận")
    MISSING = ("missing", "Thiếu khi tiếp nhận")
    DAMAGED = ("damaged", "Hư hỏng khi tiếp nhận")
    WRITTEN_OFF = ("written_off", "Đã ghi giảm")


class Condition(Labelled):
    GOOD = ("good", "Tốt")
    IN_USE = ("in_use", "Đang sử dụng")
    NEEDS_REPAIR = ("needs_repair", "Cần sửa chữa")
    DAMAGED = ("damaged", "Hư hỏng")
    UNUSABLE = ("unusable", "Không sử dụng được")


class Ownership(Labelled):
    """How the inventory sorts the asset."""

    OWN = ("own", "Tài sản của đơn vị")
    SURPLUS = ("surplus", "Thừa khi kiểm kê")
    MISSING = ("missing", "Thiếu khi kiểm kê")
    CUSTODY = ("custody", "Giữ hộ, mượn (phải trả lại)")


class Arrangement(Labelled):
    SORTED = ("sorted", "Đã chỉnh lý")
    PRELIMINARY = ("preliminary", "Chỉnh lý sơ bộ")
    UNSORTED = ("unsorted", "Chưa chỉnh lý")


class Retention(Labelled):
    PERMANENT = ("permanent", "Vĩnh viễn")
    LIMITED = ("limited", "Có thời hạn")


BOXES_PER_METRE = 8  # a metre of shelf holds about 8 standard boxes


class Asset(db.Model):
    """One asset of a dissolved unit, with its current holder and handover status."""

    __tablename__ = "assets"
    __table_args__ = (
        sa.UniqueConstraint("unit_id", "kind", "code", name="uq_assets_unit_kind_code"),
        sa.UniqueConstraint("plate", name="uq_assets_plate"),
        sa.UniqueConstraint("fonds_folded", "box_no", name="uq_assets_fonds_box"),
        sa.CheckConstraint("quantity > 0", name="quantity_positive"),
        sa.CheckConstraint("original_cost >= 0", name="original_cost_non_negative"),
        sa.CheckConstraint("remaining_value >= 0", name="remaining_value_non_negative"),
        sa.CheckConstraint("land_area IS NULL OR land_area >= 0", name="land_area_non_negative"),
        sa.CheckConstraint("floor_area IS NULL OR floor_area >= 0", name="floor_area_non_negative"),
        sa.CheckConstraint("seats IS NULL OR seats > 0", name="seats_positive"),
        sa.CheckConstraint("odometer_km IS NULL OR odometer_km >= 0", name="odometer_non_negative"),
        sa.CheckConstraint("files_count IS NULL OR files_count >= 0", name="files_non_negative"),
        sa.CheckConstraint("linear_m IS NULL OR linear_m >= 0", name="linear_m_non_negative"),
        sa.CheckConstraint("year_built IS NULL OR year_built BETWEEN 1800 AND 2100", name="year_built_range"),
        sa.CheckConstraint("year_made IS NULL OR year_made BETWEEN 1900 AND 2100", name="year_made_range"),
        sa.CheckConstraint("year_in_use IS NULL OR year_in_use BETWEEN 1900 AND 2100", name="year_in_use_range"),
        sa.CheckConstraint(
            "span_start IS NULL OR span_end IS NULL OR span_start <= span_end", name="span_ordered"
        ),
        sa.CheckConstraint("kind <> 'vehicle' OR plate IS NOT NULL", name="vehicle_has_plate"),
        sa.CheckConstraint(
            "kind <> 'archive_box' OR (fonds IS NOT NULL AND box_no IS NOT NULL AND arrangement IS NOT NULL)",
            name="archive_box_has_fonds",
        ),
        sa.CheckConstraint("kind <> 'headquarters' OR address IS NOT NULL", name="headquarters_has_address"),
        # The enum columns' CHECKs, as equalities: far cheaper than IN (…) for SQLite (models/base.py).
        one_of("kind", AssetKind), one_of("status", AssetStatus), one_of("condition", Condition),
        one_of("ownership", Ownership), one_of("arrangement", Arrangement), one_of("retention", Retention),
        # (unit_id, kind) lookups use the unique index on (unit_id, kind, code).
        sa.Index("ix_assets_province_kind", "province_id", "kind", "id"),
        sa.Index("ix_assets_receiver", "receiver_id"),
        # The register's default order (code, id) within a province and across the country, with the
        # money columns so its totals and a page's ids come from the index alone (migration 0012).
        sa.Index("ix_assets_province_code", "province_id", "code", "id", "original_cost", "remaining_value"),
        sa.Index("ix_assets_code", "code", "id", "original_cost", "remaining_value"),
        # Covering indexes of the flags pages (docs/BENCHMARKS.md): each grouped count reads one
        # index and never the table, in the index's own order so SQLite needs no sort.
        sa.Index("ix_assets_progress", "province_id", "unit_id", "status", "receiver_id", "holder_id", "kind"),
        sa.Index("ix_assets_stock", "province_id", "status", "kind", "holder_id", "unit_id", "equipment_type",
                 "quantity", "condition", "receiver_id", "floor_area", "id"),
        sa.Index("ix_assets_held", "holder_id", "kind", "equipment_type", "condition", "status", "quantity",
                 "floor_area", "unit_id", "receiver_id"),
        sa.Index("ix_assets_archive", "province_id", "fonds_folded", "fonds", "unit_id", "holder_id", "arrangement",
                 "status", "files_count", "linear_m", "span_start", "span_end", "retention", "kind",
                 sqlite_where=sa.text("kind = 'archive_box'"), postgresql_where=sa.text("kind = 'archive_box'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[AssetKind] = mapped_column(enum_column(AssetKind, checked=False))
    code: Mapped[str] = mapped_column(sa.String(60))  # mã tài sản, unique within unit and kind
    name: Mapped[str] = mapped_column(sa.String(300))
    # Folded name, code, plate and fonds for diacritic-free search ('thang loi' finds 'Thắng Lợi').
    search_text: Mapped[str] = mapped_column(sa.String(800), default="")
    province_id: Mapped[int] = mapped_column(sa.ForeignKey("provinces.id"))
    unit_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))  # the dissolved unit it belonged to
    holder_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"))  # who holds it now
    receiver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))  # intended receiver
    # The body of the unit that holds it (cơ quan đang quản lý), when the list names one.
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agencies.id"))
    status: Mapped[AssetStatus] = mapped_column(enum_column(AssetStatus, checked=False),
                                                default=AssetStatus.REGISTERED)
    condition: Mapped[Condition] = mapped_column(enum_column(Condition, checked=False), default=Condition.IN_USE)
    ownership: Mapped[Ownership] = mapped_column(enum_column(Ownership, checked=False), default=Ownership.OWN)
    quantity: Mapped[int] = mapped_column(default=1)
    unit_of_measure: Mapped[str] = mapped_column(sa.String(20), default="cái")  # đơn vị tính
    original_cost: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # nguyên giá, đồng
    remaining_value: Mapped[int] = mapped_column(sa.BigInteger, default=0)  # giá trị còn lại, đồng
    current_use: Mapped[str | None] = mapped_column(sa.String(300))  # hiện trạng sử dụng
    intended_use: Mapped[str | None] = mapped_column(sa.String(300))  # phương án sử dụng
    documents: Mapped[str | None] = mapped_column(sa.String(500))  # hồ sơ kèm theo (đăng ký xe, GCN QSDĐ)
    notes: Mapped[str | None] = mapped_column(sa.Text)
    year_in_use: Mapped[int | None]  # năm đưa vào sử dụng (equipment, vehicles)

    # Headquarters (trụ sở)
    address: Mapped[str | None] = mapped_column(sa.String(300))
    land_area: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))  # m²
    floor_area: Mapped[Decimal | None] = mapped_column(sa.Numeric(12, 2))  # m²
    year_built: Mapped[int | None]
    land_certificate_no: Mapped[str | None] = mapped_column(sa.String(60))

    # Vehicle (xe ô tô)
    plate: Mapped[str | None] = mapped_column(sa.String(20))  # canonical '98A-811.18'
    make_model: Mapped[str | None] = mapped_column(sa.String(120))
    seats: Mapped[int | None]
    year_made: Mapped[int | None]
    odometer_km: Mapped[int | None]

    # Equipment (máy móc, thiết bị)
    equipment_type: Mapped[str | None] = mapped_column(sa.String(120))
    serial: Mapped[str | None] = mapped_column(sa.String(120))

    # Archive box (hộp tài liệu)
    fonds: Mapped[str | None] = mapped_column(sa.String(200))  # phông lưu trữ
    fonds_folded: Mapped[str | None] = mapped_column(sa.String(200))
    box_no: Mapped[str | None] = mapped_column(sa.String(20))
    files_count: Mapped[int | None]  # hồ sơ / đơn vị bảo quản
    span_start: Mapped[int | None]
    span_end: Mapped[int | None]
    linear_m: Mapped[Decimal | None] = mapped_column(sa.Numeric(8, 3))  # mét giá
    arrangement: Mapped[Arrangement | None] = mapped_column(enum_column(Arrangement, checked=False))
    retention: Mapped[Retention | None] = mapped_column(enum_column(Retention, checked=False))
    digitised: Mapped[bool | None]

    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    # Optimistic locking: an edit made on a stale page is detected, not silently overwritten.
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    province: Mapped[Province] = relationship()
    unit: Mapped[Unit] = relationship(foreign_keys=[unit_id])
    holder: Mapped[Unit] = relationship(foreign_keys=[holder_id])
    receiver: Mapped[Unit | None] = relationship(foreign_keys=[receiver_id])
    agency: Mapped[Agency | None] = relationship()

    @property
    def time_span(self) -> str:
        if self.span_start and self.span_end and self.span_start != self.span_end:
            return f"{self.span_start}–{self.span_end}"
        return str(self.span_start or self.span_end or "")

    def __repr__(self) -> str:
        return f"<Asset {self.kind.value} {self.code}>"


class AssetTotals(db.Model):
    """The register's unfiltered totals of a province, kept by triggers on assets (migration 0013).

    One row per province on SQLite; on PostgreSQL several rows a province (one per writing
    statement) until ``tracker.assets.totals.compact`` folds them: read them as sums."""

    __tablename__ = "asset_totals"
    __table_args__ = (sa.Index("ix_asset_totals_province", "province_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(sa.ForeignKey("provinces.id", ondelete="CASCADE"))
    asset_count: Mapped[int] = mapped_column(sa.BigInteger)
    original_cost: Mapped[int] = mapped_column(sa.BigInteger)
    remaining_value: Mapped[int] = mapped_column(sa.BigInteger)
