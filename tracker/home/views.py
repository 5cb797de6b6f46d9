"""The home page of whoever is signed in: tiles of what needs them, by role, and their unread notices."""
from __future__ import annotations

from dataclasses import dataclass

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from tracker.home import tiles
from tracker.models import HandoverStatus, Role
from tracker.notices import send, texts


@dataclass(frozen=True)
class Tile:
    label: str
    count: int
    link: str
    urgent: bool = False  # a figure that asks for action when it is not 0


def _handover_tiles(counts: dict[HandoverStatus, int], *statuses: HandoverStatus) -> list[Tile]:
    labels = {HandoverStatus.DRAFT: _("Bản nháp chưa phát hành"),
              HandoverStatus.ISSUED: _("Đã phát hành, chưa có bản ký"),
              HandoverStatus.SIGNED: _("Đã ký, chờ bên nhận xác nhận"),
              HandoverStatus.COMPLETED: _("Đã hoàn tất tiếp nhận")}
    return [Tile(labels[s], counts[s], url_for("handovers.index", status=s.value), s != HandoverStatus.COMPLETED)
            for s in statuses]


def _flag_tiles(province_id: int | None) -> list[Tile]:
    """The province's flags, each linking to its list; none for someone bound to no province."""
    if province_id is None:
        return []
    from tracker.flags.alerts.flags import FLAG_LABELS, flag_counts
    from tracker.flags.norms.services import stall_days

    counts = flag_counts(province_id, stall_days(province_id))
    return [Tile(_(FLAG_LABELS[name]), counts[name], url_for("flags.alert", name=name, province=province_id), True)
            for name in FLAG_LABELS]


def page():
    user = current_user
    context: dict = {"handover_tiles": [], "flag_tiles": [], "account_tiles": [], "awaiting": None,
                     "orphans": None}
    if user.role == Role.COMMUNE:
        context["awaiting"] = tiles.awaiting_confirmation(user)
        context["handover_tiles"] = _handover_tiles(tiles.handover_counts(user), HandoverStatus.COMPLETED)
    else:
        counts = tiles.handover_counts(user)
        if user.role == Role.AUDITOR:
            context["handover_tiles"] = _handover_tiles(counts, HandoverStatus.COMPLETED, HandoverStatus.SIGNED,
                                                        HandoverStatus.ISSUED)
        else:
            context["handover_tiles"] = _handover_tiles(counts, HandoverStatus.DRAFT, HandoverStatus.ISSUED,
                                                        HandoverStatus.SIGNED, HandoverStatus.COMPLETED)
        context["flag_tiles"] = _flag_tiles(user.province_id)
    if user.role == Role.ADMIN:
        accounts = tiles.accounts(user)
        link = url_for("admin.users")
        context["account_tiles"] = [Tile(_("Tài khoản đang bị khóa"), accounts["locked"], link, True),
                                    Tile(_("Tài khoản đã ngừng"), accounts["inactive"], link)]
        context["orphans"] = tiles.units_without_clerk(user)
    notices = texts.shown(send.latest_unread(user), user)
    return render_template("home/index.html", notices=notices, unread=send.unread_count(user), **context)
