"""In-app notices: something arrived for one person (a handover to confirm, a confirmation done,
a flag raised in their scope), read or not yet.

A notice stores what happened (``kind`` and the figures in ``params``), not a sentence: the text
is written when it is shown, in the reader's language (``tracker.notices.texts``). One notice per
person, kind and handover: a check run twice (the daily stall check) tells nobody twice.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.extensions import db
from tracker.models.base import utcnow
from tracker.models.handovers import Handover


class Notice(db.Model):
    __tablename__ = "notices"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "kind", "handover_id", name="uq_notices_once"),
        sa.Index("ix_notices_unread", "user_id", "read_at", "id"),  # the bell's count, the list newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(sa.String(30))
    handover_id: Mapped[int | None] = mapped_column(sa.ForeignKey("handovers.id", ondelete="CASCADE"), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(sa.DateTime(timezone=True), default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime(timezone=True))

    handover: Mapped[Handover | None] = relationship()
