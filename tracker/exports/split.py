"""A big CSV export written by two processes, so both cores of the server work on it.

One process cannot turn a million rows into CSV in under about 12 s on the 2-core servers the
provinces run (fetching the rows, making the cells and the csv module each take a third, all
holding Python's interpreter lock). So an export past ``EXPORT_SPLIT_ROWS`` rows is cut by asset
id: the web worker streams the first part to the browser itself while a second Python process
(``python -m tracker.exports.split``, started fresh, never forked from a threaded server) writes
the rest to a temporary file, which the worker sends on when its own part is done. Memory stays
flat in both processes; the file holds about 170 bytes a row until it is sent and removed.

Each process reads the database as committed when it starts (the halves are seconds apart), so
a change committed during a download may show in the second half only; the audit log records
when the export was taken. If the second process fails, the worker writes that part itself: the
file is slower, never short.
"""
from __future__ import annotations

import logging
import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from tracker.config import ROOT

log = logging.getLogger(__name__)

FIRST_SHARE = 0.55  # the worker's part: the second process first spends about a second starting
READ_CHUNK = 1 << 20


@dataclass(frozen=True)
class Job:
    """What the second process needs: where the data is, whose export, which rows, where to write."""

    database_uri: str
    instance_path: str
    user_id: int
    filters: object  # an ExportFilters; pickled as is
    first_id: int
    out_path: str


def split_point(query: sa.Select, id_column: sa.ColumnElement[int], min_rows: int, session) -> int | None:
    """The asset id where the second part starts, or None when ``query`` has under ``min_rows`` rows."""
    if min_rows <= 0:
        return None
    ids = query.order_by(None).with_only_columns(id_column)
    count = session.scalar(sa.select(sa.func.count()).select_from(ids.subquery()))
    if count < min_rows:
        return None
    return session.scalar(ids.order_by(id_column).offset(int(count * FIRST_SHARE)).limit(1))


class SecondPart:
    """The rows from ``job.first_id`` on, written by a second process into a temporary file."""

    def __init__(self, job: Job, write_here: Callable[[], Iterator[bytes]]) -> None:
        """``write_here`` makes the same chunks in this process, should the second one fail."""
        self.job, self.write_here = job, write_here
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        # The job and the errors go through files, not pipes: a process that dies at once cannot
        # break this one's write, and a chatty one never blocks on a full pipe.
        self.job_path = Path(job.out_path).with_suffix(".job")
        with os.fdopen(os.open(self.job_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as handle:
            handle.write(pickle.dumps(job))  # readable by this user only, like the CSV beside it
        self.errors = tempfile.TemporaryFile()
        self.process = subprocess.Popen([sys.executable, "-m", "tracker.exports.split", str(self.job_path)],
                                        stdin=subprocess.DEVNULL, stderr=self.errors, cwd=ROOT, env=env)

    def chunks(self) -> Iterator[bytes]:
        """The second part's bytes once the process is done (or this process's own, if it failed)."""
        if self.process.wait() != 0:
            self.errors.seek(0)
            log.error("second export process failed (exit %s): %s", self.process.returncode,
                      self.errors.read().decode("utf-8", "replace")[-2000:])
            yield from self.write_here()
            return
        with open(self.job.out_path, "rb") as handle:
            while chunk := handle.read(READ_CHUNK):
                yield chunk

    def close(self) -> None:
        """Stop the process if it still runs (the download was abandoned) and remove the file."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.errors.close()
        Path(self.job.out_path).unlink(missing_ok=True)
        self.job_path.unlink(missing_ok=True)


def start(database_uri: str, instance_path: str, user_id: int, filters: object, first_id: int,
          write_here: Callable[[], Iterator[bytes]]) -> SecondPart | None:
    """Start writing the rows from ``first_id`` on in a second process; None if it cannot start
    (the caller then writes every row itself), with nothing left behind."""
    handle, path = tempfile.mkstemp(prefix="tracker-export-", suffix=".csv")
    os.close(handle)
    try:
        return SecondPart(Job(database_uri, instance_path, user_id, filters, first_id, path), write_here)
    except OSError:
        log.exception("could not start the second export process")
        for leftover in (Path(path), Path(path).with_suffix(".job")):
            leftover.unlink(missing_ok=True)
        return None


def main() -> None:
    """The second process: read the job from the file named first, write its CSV rows (no header)."""
    job: Job = pickle.loads(Path(sys.argv[1]).read_bytes())
    os.environ["TRACKER_INSTANCE"] = job.instance_path
    from tracker import create_app
    from tracker.exports.register import register_csv_rows
    from tracker.extensions import db
    from tracker.models import User

    app = create_app({"SQLALCHEMY_DATABASE_URI": job.database_uri})
    with app.app_context(), open(job.out_path, "wb") as out:
        user = db.session.get(User, job.user_id)
        for chunk in register_csv_rows(user, job.filters, first_id=job.first_id):
            out.write(chunk)
        db.session.rollback()


if __name__ == "__main__":
    main()
