"""The rows of each flag's CSV export: plain data from the flag lists, headers in Vietnamese."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _

from tracker.i18n import label_
from tracker.models import AssetKind


def _handover_rows(entries) -> tuple[list[str], Iterable[list[Any]]]:
    header = [_("Mã biên bản"), _("Số"), _("Năm"), _("Bên giao"), _("Bên nhận"), _("Trạng thái"), _("Số tài sản"),
              _("Từ ngày"), _("Số ngày"), _("Lý do")]
    return header, ([f.handover.id, f.handover.number or "", f.handover.year or "", f.handover.giver.name,
                     f.handover.receiver.name, label_(f.handover.status), f.items,
                     f.since.strftime("%d/%m/%Y") if f.since else "", f.days, f.reason] for f in entries)


def alert_rows(name: str, entries: list) -> tuple[list[str], Iterable[list[Any]]]:
    """(header, rows) of one flag's export."""
    if name == "unhanded":
        kinds = list(AssetKind)
        return ([_("Đơn vị đã giải thể"), *[label_(k) for k in kinds], _("Tổng")],
                ([n, *[per_kind.get(k, 0) for k in kinds], total] for _uid, n, per_kind, total in entries))
    if name in ("stalled", "hq_decision"):
        return _handover_rows(entries)
    if name == "multi_hq":
        return ([_("Đơn vị"), _("Số địa điểm"), _("Các địa chỉ trụ sở")],
                ([u.name, len(u.addresses), " | ".join(u.addresses)] for u in entries))
    return ([_("Mã"), _("Tên tài sản"), _("Loại"), _("Tình trạng bàn giao"), _("Đơn vị giao"), _("Đơn vị nhận"),
             _("Ghi chú khi tiếp nhận"), _("Biên bản")],
            ([a.code, a.name, label_(a.kind), label_(a.status), a.unit.name, a.receiver.name if a.receiver else "",
              note or "", handover_id or ""] for a, note, handover_id in entries))
