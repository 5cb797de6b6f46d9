"""A notice's sentence and link, written when it is shown, in the reader's language."""
from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from flask_babel import gettext as _

from tracker.formatting import group_thousands
from tracker.handovers.numbering import number_label
from tracker.models import Notice, Role, User


@dataclass(frozen=True)
class Shown:
    notice: Notice
    text: str
    link: str


def minutes_name(number: int | None, doc_type: str, handover_id: int | None) -> str:
    """'07/BB-BG', or 'Draft #12' before issue: the one way the app writes a minutes number."""
    if number is not None:
        return number_label(number, doc_type)
    return _("Nháp #%(id)s", id=handover_id)


def minutes_number(handover) -> str:
    """``{{ minutes_number(h) }}`` in templates."""
    return minutes_name(handover.number, handover.doc_type, handover.id)


def handover_title(handover) -> str:
    """'Minutes no. 07/BB-BG' or 'Draft #12', in the reader's language: page titles and breadcrumbs."""
    if handover.number is not None:
        return _("Biên bản số %(n)s", n=number_label(handover.number, handover.doc_type))
    return _("Bản nháp #%(id)s", id=handover.id)


def _text(notice: Notice) -> str:
    p = notice.params or {}
    facts = {"number": minutes_name(p.get("number"), p.get("doc_type", "assets"), notice.handover_id),
             "giver": p.get("giver", ""), "receiver": p.get("receiver", "")}
    if notice.kind == "issued":
        return _("Biên bản %(number)s của %(giver)s giao %(items)s tài sản cho đơn vị của bạn: mời xác nhận tiếp nhận.",
                 items=group_thousands(p.get("items", 0)), **facts)
    if notice.kind in ("completed", "receipt_flag"):
        counts = {key: group_thousands(p.get(key, 0)) for key in ("received", "missing", "damaged")}
        if notice.kind == "completed":
            return _("%(receiver)s đã hoàn tất tiếp nhận biên bản %(number)s: %(received)s đã nhận, "
                     "%(missing)s thiếu, %(damaged)s hư hỏng.", **facts, **counts)
        return _("Cảnh báo: tiếp nhận biên bản %(number)s (%(giver)s → %(receiver)s) có %(missing)s tài sản thiếu, "
                 "%(damaged)s hư hỏng.", **facts, **counts)
    if notice.kind == "stalled_issued":
        return _("Biên bản %(number)s (%(giver)s → %(receiver)s) đã phát hành %(days)s ngày mà chưa có bản ký.",
                 days=group_thousands(p.get("days", 0)), **facts)
    if notice.kind == "stalled_signed":
        return _("Biên bản %(number)s (%(giver)s → %(receiver)s) đã ký %(days)s ngày mà bên nhận chưa xác nhận.",
                 days=group_thousands(p.get("days", 0)), **facts)
    return _("Thông báo về biên bản %(number)s.", **facts)


def _link(notice: Notice, reader: User) -> str:
    if notice.handover_id is None:
        return url_for("notices.index")
    if notice.kind == "issued" and reader.role == Role.COMMUNE:
        return url_for("handovers.confirm", handover_id=notice.handover_id)
    return url_for("handovers.detail", handover_id=notice.handover_id)


def shown(notices: list[Notice], reader: User) -> list[Shown]:
    return [Shown(n, _text(n), _link(n, reader)) for n in notices]
