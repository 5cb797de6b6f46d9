"""Minutes numbers: one sequence per province per year, given at issue ('Số: 07/BB-BG').

Two officers issuing at once must not get the same number. On PostgreSQL the province row is
locked (SELECT … FOR UPDATE) while the next number is read; the unique constraint
(province, year, number) backs that up everywhere, and a clash is retried.
"""
from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.models import Handover, Province

SUFFIX = {"assets": "BB-BG", "archives": "BB-GN"}  # bàn giao tài sản / giao nhận hồ sơ
ATTEMPTS = 5


def number_label(number: int | None, doc_type: str) -> str:
    """'07/BB-BG' (numbers under 10 take a leading zero); '' before issue."""
    if number is None:
        return ""
    return f"{number:02d}/{SUFFIX.get(doc_type, 'BB-BG')}"


def number_text(number: int | None, doc_type: str) -> str:
    """'Số: 07/BB-BG' as printed under the issuing body."""
    return f"Số: {number_label(number, doc_type)}"


def _next(province_id: int, year: int) -> int:
    highest = db.session.scalar(sa.select(sa.func.max(Handover.number)).where(
        Handover.province_id == province_id, Handover.year == year))
    return (highest or 0) + 1


def assign_number(handover: Handover, year: int) -> int:
    """Give the handover the next free number of its province and year; flushes."""
    db.session.execute(sa.select(Province.id).where(Province.id == handover.province_id).with_for_update())
    for _ in range(ATTEMPTS):
        number = _next(handover.province_id, year)
        try:
            with db.session.begin_nested():
                handover.year, handover.number = year, number
                db.session.flush()
            return number
        except IntegrityError as exc:
            if "uq_handovers_number" not in str(exc.orig) and "handovers.number" not in str(exc.orig):
                raise
    raise DomainError("Không cấp được số biên bản do nhiều người phát hành cùng lúc; hãy thử lại.")
