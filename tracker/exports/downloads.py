"""Sending exports: CSV streamed as it is written, .xlsx from a temporary file; each logged first.

A streamed body is generated after the view has returned and its database session has been
closed. So what streams is built by a factory called inside the stream with the user loaded
afresh: callers pass plain values (ids, filters, prepared SQL), never rows of the closed session.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any

from flask import Response, abort, request, send_file, stream_with_context
from flask_login import current_user

from tracker import audit
from tracker.exports.register import exported_by
from tracker.exports.writers import Column, Table, csv_stream, write_xlsx
from tracker.extensions import db
from tracker.models import User
from tracker.models.base import utcnow

FORMATS = ("csv", "xlsx")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def stamp() -> str:
    """Vietnam time for file names: 20250705-1430."""
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).strftime("%Y%m%d-%H%M")


def csv_download(chunks: Iterator[bytes], filename: str) -> Response:
    """Stream CSV chunks as a download."""
    return Response(stream_with_context(chunks), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Content-Type": "text/csv; charset=utf-8", "X-Content-Type-Options": "nosniff"})


def streamed_csv(make_chunks: Callable[[User], Iterator[bytes]], filename: str) -> Response:
    """Stream ``make_chunks(user)``, called inside the stream with the current user reloaded."""
    user_id = current_user.id

    def chunks() -> Iterator[bytes]:
        yield from make_chunks(db.session.get(User, user_id))

    return csv_download(chunks(), filename)


def xlsx_download(write: Callable[[IO[bytes]], object], filename: str) -> Response:
    """Write the workbook to an anonymous temporary file and send it."""
    handle = tempfile.TemporaryFile()
    write(handle)
    handle.seek(0)
    return send_file(handle, mimetype=XLSX_TYPE, as_attachment=True, download_name=filename)


def log_export(what: str, fmt: str, **detail: Any) -> None:
    """Note in the audit log who took which data away, before it streams."""
    # In a transaction of its own: on SQLite a write after this request's reads is refused at once
    # (not waited for) when another writer committed in between, seen as a 500 under 12 clients.
    db.session.commit()
    audit.log("export", current_user, what=what, format=fmt, args=request.args.to_dict(), **detail)
    db.session.commit()


def table_download(fmt: str, name: str, title: str, columns: Sequence[Column],
                   make_rows: Callable[[User], Iterable[Sequence[Any]]], notes: list[str]) -> Response:
    """One table as CSV (streamed) or as an .xlsx of one sheet with the notes and export time on top.

    ``make_rows(user)`` gives the rows; for CSV it runs inside the stream (see the module note).
    """
    if fmt not in FORMATS:
        abort(404)
    log_export(name, fmt)
    filename = f"{name}_{stamp()}.{fmt}"
    if fmt == "csv":
        return streamed_csv(lambda user: csv_stream([c.label for c in columns], make_rows(user)), filename)
    table = Table(title, title.upper(), columns, make_rows(current_user), [*notes, exported_by(current_user, utcnow())])
    return xlsx_download(lambda fh: write_xlsx(fh, [table]), filename)
