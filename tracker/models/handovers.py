"""Handovers (bàn giao, tiếp nhận): the minutes, their parties and the items with receipt state."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.assets import Asset, AssetStatus
from tracker.models.base import Labelled, enum_column, utcnow
from tracker.models.units import Province, Unit


class HandoverStatus(Labelled):
    DRAFT = ("draft", "Đang lập")
    ISSUED = ("issued", "Đã phát hành")
    SIGNED = ("signed", "Đã ký")
    COMPLETED = ("completed", "Đã tiếp nhận xong")
    VOIDED = ("voided", "Đã hủy")


class ReceiptState(Labelled):
    PENDING = ("pending", "Chờ xác nhận")
    RECEIVED = ("received", "Đã nhận")
    MISSING = ("missing", "Thiếu")
    DAMAGED = ("damaged", "Hư hỏng")


class Handover(db.Model):
    """One set of minutes from a giving unit to a receiving unit.

    The giver is a dissolved unit (bàn giao, tiếp nhận in the rearrangement) or, for a
    reallocation (điều chuyển tài sản công), a unit that holds the assets: a new commune or a
    provincial body such as Sở Tài chính. Which one follows from the giver's kind
    (``is_reallocation``), so the record cannot contradict its parties.
    """

    __tablename__ = "handovers"
    __table_args__ = (
        sa.UniqueConstraint("province_id", "year", "number", name="uq_handovers_number"),
        sa.CheckConstraint("giver_id <> receiver_id", name="different_parties"),
        sa.Index("ix_handovers_province_status", "province_id", "status"),  # flags: stalled, open, due
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int] = mapped_column(sa.ForeignKey("provinces.id"))
    doc_type: Mapped[str] = mapped_column(sa.String(20), default="assets")  # 'assets' or 'archives'
    giver_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    receiver_id: Mapped[int] = mapped_column(sa.ForeignKey("units.id"), index=True)
    status: Mapped[HandoverStatus] = mapped_column(enum_column(HandoverStatus), default=HandoverStatus.DRAFT)
    year: Mapped[int | None]
    number: Mapped[int | None]  # given at issue: 'Số: 07/BB-BG'
    handover_date: Mapped[dt.date | None]
    place: Mapped[str | None] = mapped_column(sa.String(200))
    legal_basis: Mapped[list[str] | None] = mapped_column(sa.JSON)  # the 'Căn cứ …' lines
    remarks: Mapped[str | None] = mapped_column(sa.Text)
    copies: Mapped[int] = mapped_column(default=4)
    immediate_use: Mapped[bool] = mapped_column(default=False)
    decision_due_on: Mapped[dt.date | None]  # formal transfer decision within 30 days
    decision_ref: Mapped[str | None] = mapped_column(sa.String(120))
    issued_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    minutes_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    minutes_sha256: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    verification_code: Mapped[str | None] = mapped_column(sa.String(16), unique=True)
    signed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    signed_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id"))
    completed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    voided_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))
    void_reason: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": version}

    province: Mapped[Province] = relationship()
    giver: Mapped[Unit] = relationship(foreign_keys=[giver_id])
    receiver: Mapped[Unit] = relationship(foreign_keys=[receiver_id])
    parties: Mapped[list[HandoverParty]] = relationship(
        back_populates="handover", cascade="all, delete-orphan", order_by="HandoverParty.position_order"
    )
    items: Mapped[list[HandoverItem]] = relationship(
        back_populates="handover", cascade="all, delete-orphan", order_by="HandoverItem.id"
    )

    @property
    def is_reallocation(self) -> bool:
        """A reallocation (điều chuyển): the giver is a unit still working, not a dissolved one."""
        return not self.giver.is_dissolved


class HandoverParty(db.Model):
    """A representative of the giving side, the receiving side, or a witness."""

    __tablename__ = "handover_parties"
    __table_args__ = (
        sa.CheckConstraint("side IN ('giver', 'receiver', 'witness')", name="side_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(sa.ForeignKey("handovers.id", ondelete="CASCADE"), index=True)
    side: Mapped[str] = mapped_column(sa.String(10))
    full_name: Mapped[str] = mapped_column(sa.String(120))
    position: Mapped[str] = mapped_column(sa.String(160), default="")  # chức vụ
    organisation: Mapped[str] = mapped_column(sa.String(200), default="")
    position_order: Mapped[int] = mapped_column(default=0)

    handover: Mapped[Handover] = relationship(back_populates="parties")


class HandoverItem(db.Model):
    """One asset in one handover, frozen as issued, with what the receiver found.

    ``is_open`` is true while the handover is draft, issued or signed; a partial unique index
    on (asset_id) WHERE is_open lets the database refuse a second open handover of an asset.
    ``prior_status`` and ``prior_receiver_id`` keep what the asset was when put on the draft
    (registered; or received, for a reallocation), put back if it leaves the handover before
    completion (removed from the draft, or the handover voided).
    """

    __tablename__ = "handover_items"
    __table_args__ = (
        sa.UniqueConstraint("handover_id", "asset_id", name="uq_handover_items_handover_asset"),
        sa.Index(
            "uq_handover_items_open_asset",
            "asset_id",
            unique=True,
            sqlite_where=sa.text("is_open"),
            postgresql_where=sa.text("is_open"),
        ),
        # Flags: open items counted per handover and receipt state without reading the table.
        sa.Index("ix_handover_items_open", "handover_id", "is_open", "receipt_state", "asset_id"),
        sa.Index("ix_handover_items_asset_open", "asset_id", "is_open", "handover_id", "receipt_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(sa.ForeignKey("handovers.id", ondelete="CASCADE"), index=True)
    asset_id: Mapped[int] = mapped_column(sa.ForeignKey("assets.id"), index=True)
    is_open: Mapped[bool] = mapped_column(default=True)
    snapshot: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON)  # the asset as printed at issue
    prior_status: Mapped[AssetStatus | None] = mapped_column(enum_column(AssetStatus))
    prior_receiver_id: Mapped[int | None] = mapped_column(sa.ForeignKey("units.id"))
    receipt_state: Mapped[ReceiptState] = mapped_column(
        enum_column(ReceiptState), default=ReceiptState.PENDING
    )
    receipt_note: Mapped[str | None] = mapped_column(sa.Text)
    confirmed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    confirmed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    handover: Mapped[Handover] = relationship(back_populates="items")
    asset: Mapped[Asset] = relationship()
