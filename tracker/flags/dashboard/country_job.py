"""The country report as a background job: the admin asks on the dashboard, the worker writes an
.xlsx of every province (the rows of ``flask report country``), the job's page offers it.

Every grouped query of the report runs over the whole country's tables; at national scale that
is longer than a web request should hold a worker, so it runs on the queue (docs/DECISIONS.md 20).
"""
from __future__ import annotations

from decimal import Decimal

from tracker.exports.downloads import XLSX_TYPE, stamp
from tracker.exports.register import exported_by
from tracker.exports.writers import Column, Table, write_xlsx
from tracker.extensions import db
from tracker.flags.dashboard.country_report import COLUMNS, as_rows, country_report
from tracker.jobs import runner, store
from tracker.models import BackgroundJob, User
from tracker.models.base import utcnow

KIND = "country_report"
DECIMALS = ("unsorted_m",)


def start(user: User) -> BackgroundJob:
    """Queue the report for ``user``; the job's page follows it."""
    job = store.new(KIND, user.id, state="running", filename=f"bao-cao-toan-quoc_{stamp()}.xlsx")
    job.stage = "report"
    db.session.commit()
    runner.submit(job)
    return job


def _columns() -> list[Column]:
    first, *rest = COLUMNS
    return [Column(first[0], first[1], "text", width=28)] + [
        Column(key, label, "decimal" if key in DECIMALS else "plain" if key == "received_pct" else "int",
               total=key not in ("received_pct",), width=14) for key, label in rest]


@runner.task(KIND, "running")
def write_report(job: BackgroundJob) -> None:
    user = db.session.get(User, job.user_id)
    store.report(job.token, "report", 0, 2)
    rows = as_rows(country_report())[:-1]  # the sheet totals the provinces itself («Cộng»)
    store.report(job.token, "report", 1, 2)
    rows = [[float(v) if isinstance(v, Decimal) else v for v in row] for row in rows]
    table = Table("Toàn quốc", "BÁO CÁO TOÀN QUỐC: TIẾN ĐỘ BÀN GIAO, THIẾU HỤT, LƯU TRỮ", _columns(), rows,
                  [exported_by(user, utcnow())])
    job.total = len(rows)
    store.finish(job, store.write_through(job, "export", lambda handle: write_xlsx(handle, [table])), XLSX_TYPE)
