"""What the irreversible handover buttons ask before they act (tracker/main/ask_first.py), with counts.

Each question is asked twice with the same words: on the button (``data-ask``, shown by the dialog)
and by the view when a form arrives without ``confirmed=1`` (the page that asks). A page that has
already counted the items passes its figures; the action's view lets the question count them."""
from __future__ import annotations

from flask_babel import gettext as _

from tracker.formatting import group_thousands, money
from tracker.handovers import queries
from tracker.handovers.queries import ItemTotals
from tracker.handovers.drafts import describe
from tracker.models import Handover


def issue(handover: Handover, totals: ItemTotals | None = None) -> str:
    totals = totals or queries.item_totals(handover.id)
    return _("Phát hành %(h)s với %(n)s tài sản (nguyên giá %(cost)s)? Biên bản sẽ được cấp số, các tài sản "
             "bị khóa trong biên bản và bản nháp không sửa được nữa.", h=describe(handover),
             n=group_thousands(totals.count), cost=money(totals.original_cost))


def remove_all(handover: Handover, totals: ItemTotals | None = None) -> str:
    totals = totals or queries.item_totals(handover.id)
    return _("Bỏ tất cả %(n)s tài sản khỏi %(h)s? Bản nháp sẽ không còn tài sản nào.",
             n=group_thousands(totals.count), h=describe(handover))


def add_all(handover: Handover, count: int) -> str:
    return _("Thêm tất cả %(n)s tài sản khớp bộ lọc vào %(h)s?", n=group_thousands(count), h=describe(handover))


def on_draft(handover: Handover, totals: ItemTotals) -> dict[str, str]:
    """The questions of a draft's page: issuing it, removing all its items."""
    return {"issue": issue(handover, totals), "remove_all": remove_all(handover, totals)}


def confirm_rest(handover: Handover, counts: dict[str, int] | None = None) -> str:
    pending = (counts if counts is not None else queries.receipt_counts(handover.id)).get("pending", 0)
    return _("Xác nhận đã nhận đủ %(n)s tài sản còn lại chưa xác nhận của %(h)s? Những tài sản đã đánh dấu "
             "thiếu hoặc hư hỏng giữ nguyên.", n=group_thousands(pending), h=describe(handover))


def complete(handover: Handover, counts: dict[str, int] | None = None) -> str:
    counts = counts if counts is not None else queries.receipt_counts(handover.id)
    return _("Hoàn tất tiếp nhận %(h)s: %(received)s tài sản đã nhận, %(damaged)s hư hỏng, %(missing)s thiếu? "
             "Tài sản đã nhận và hư hỏng sẽ thuộc đơn vị bạn; sau đó không sửa xác nhận được nữa.",
             h=describe(handover), received=group_thousands(counts.get("received", 0)),
             damaged=group_thousands(counts.get("damaged", 0)), missing=group_thousands(counts.get("missing", 0)))


def on_receipt(handover: Handover, counts: dict[str, int]) -> dict[str, str]:
    """The questions of the receipt page: all the rest received, complete."""
    return {"rest": confirm_rest(handover, counts), "complete": complete(handover, counts)}
