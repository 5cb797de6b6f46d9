"""Big exports as background jobs: the worker writes the file into the database, any host sends it.

An export of more than ``EXPORT_JOB_ROWS`` rows is not streamed by the web request (which a
server's timeout, a restart or a slow line would cut): the request records who asked for what
(the audit log, as for every export) and queues a job; the job's page shows its progress and,
when done, the download (tracker/jobs/views.py). The file is the same bytes the request would
have sent: the same functions write it, over the request's filters as typed (``args``).
"""
from __future__ import annotations

from collections.abc import Iterator

from flask import current_app
from werkzeug.datastructures import MultiDict

from tracker.exports.asof import asof_csv, asof_xlsx
from tracker.exports.filters import parse_day, parse_export_filters
from tracker.exports.register import register_csv, register_xlsx
from tracker.extensions import db
from tracker.jobs import runner, store
from tracker.models import BackgroundJob, User

KIND = "export"
TYPES = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def is_big(rows: int) -> bool:
    """Whether an export of ``rows`` rows goes to the worker."""
    limit = current_app.config.get("EXPORT_JOB_ROWS", 0)
    return bool(limit) and rows > limit


def start(user: User, what: str, fmt: str, args: MultiDict, filename: str, rows: int) -> BackgroundJob:
    """Queue the export (the caller has logged it); the job's page follows it."""
    job = store.new(KIND, user.id, state="running", filename=filename,
                    params={"what": what, "fmt": fmt, "args": list(args.items(multi=True)), "rows": rows})
    job.stage, job.total = "export", rows
    db.session.commit()
    runner.submit(job)
    return job


def _counted(chunks: Iterator[bytes], job: BackgroundJob, total: int) -> Iterator[bytes]:
    """The chunks, reporting rows written (lines, near enough) as they pass."""
    report, done = store.Reporter(job.token, "export"), 0
    for chunk in chunks:
        done += chunk.count(b"\n")
        report(min(done, total), total)
        yield chunk


@runner.task(KIND, "running")
def write_export(job: BackgroundJob) -> None:
    user = db.session.get(User, job.user_id)
    params = job.params
    args = MultiDict(params["args"])
    filters, _bad = parse_export_filters(args)
    day = parse_day(args.get("as_of")) if params["what"] == "as_of" else None
    total = int(params.get("rows") or 0)
    if params["fmt"] == "csv":
        chunks = asof_csv(user, filters, day) if day else register_csv(user, filters)
        size = store.write_file(job, "export", _counted(chunks, job, total))
    else:
        store.report(job.token, "export", 0, total)
        size = store.write_through(job, "export", lambda handle: asof_xlsx(user, filters, day, handle) if day
                                   else register_xlsx(user, filters, handle))
    store.finish(job, size, TYPES[params["fmt"]])
