"""What officers told the importer, remembered per source of lists."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import db
from tracker.models.base import utcnow


class ImportMapping(db.Model):
    """The corrections made in an import's preview (columns, kinds, units and agencies, values),
    kept for the next file from the same source: the issuing body its letterhead names, or ''
    for every list of the province (tracker/importing/mapping.py holds the rules' shape).
    """

    __tablename__ = "import_mappings"
    __table_args__ = (sa.UniqueConstraint("province_id", "source_key", name="uq_import_mappings_source"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    province_id: Mapped[int | None] = mapped_column(sa.ForeignKey("provinces.id"))
    source_key: Mapped[str] = mapped_column(sa.String(300), default="")  # folded letterhead
    source_label: Mapped[str] = mapped_column(sa.String(300), default="")  # the letterhead as written
    rules: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
