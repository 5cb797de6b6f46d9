"""Table rows of the dashboard built in Python.

A province's dashboard has hundreds of rows of ten linked numbers and a progress bar; rendered
cell by cell in Jinja that alone takes longer than every query of the page. Here each row is one
string with only the unit names escaped (the rest are numbers and fixed words), and the progress
bar is one element whose segments ``static/flags.js`` draws from ``data-segments``.
"""
from __future__ import annotations

from flask import g
from markupsafe import Markup, escape

from tracker.flags.dashboard.progress import SEGMENTS, STATUSES, DashboardRow, StatusCounts
from tracker.formatting import group_thousands
from tracker.i18n import label_


def _status_labels() -> dict:
    """Status labels in the request's language, translated once per request, not once per row."""
    if "flags_status_labels" not in g:
        g.flags_status_labels = {s: label_(s) for s in STATUSES}
    return g.flags_status_labels


def segments(counts: StatusCounts) -> str:
    """'success:25.0:Đã tiếp nhận|primary:10.0:Đã ký…' for the progress bar (empty if no assets)."""
    total = counts.total
    if not total:
        return ""
    labels = _status_labels()
    return "|".join(f"{colour}:{round(100 * counts.get(s) / total, 1)}:{labels[s]}"
                    for s, colour in SEGMENTS if counts.get(s))


def progress(counts: StatusCounts) -> Markup:
    """The progress bar cell's content: bar (drawn by flags.js) and the share received."""
    if not counts.total:
        return Markup("")
    return Markup('<div class="progress-stacked flags-progress" data-segments="{}"></div>'
                  '<span class="small text-muted">{}%</span>').format(segments(counts), counts.received_pct)


def dashboard_row(row: DashboardRow, assets_base: str, unit_base: str) -> Markup:
    """One ``<tr>``: the unit, a linked number per status, the total, the progress bar.

    ``assets_base`` ends with 'unit=' (already HTML-escaped), ``unit_base`` with '/units/'.
    """
    uid = row.unit_id
    parent = f' <span class="text-muted small">({escape(row.parent_name)})</span>' if row.parent_name else ""
    cells = []
    for status in STATUSES:
        n = row.counts.get(status)
        value = (f'<a href="{assets_base}{uid}&amp;status={status.value}">{group_thousands(n)}</a>' if n
                 else '<span class="text-muted">0</span>')
        cells.append(f'<td class="num" data-status="{status.value}">{value}</td>')
    total = row.counts.total
    total_cell = (f'<a href="{assets_base}{uid}">{group_thousands(total)}</a>' if total
                  else '<span class="text-muted">0</span>')
    return Markup(f'<tr data-unit="{uid}"><td><a href="{unit_base}{uid}">{escape(row.name)}</a>{parent}</td>'
                  f'{"".join(cells)}<td class="num fw-semibold" data-status="total">{total_cell}</td>'
                  f'<td class="w-25">{progress(row.counts)}</td></tr>')
