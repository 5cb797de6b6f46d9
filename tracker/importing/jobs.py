"""Keeping an upload between its preview and its commit: on disk, keyed by a random token.

``instance/imports/<token>/`` holds the uploaded file, ``meta.json`` (who, which file, state,
progress) and, once read, ``parsed.pickle`` (the validated rows). Nothing of it travels in the
cookie, and any worker process can answer for any token. Reading runs in a background thread
for files big enough to take a while, reporting progress in ``meta.json``; it is pure work (no
database), so the thread needs no application context. Matching against the database happens
in the request that shows the preview, and again at commit.
"""
from __future__ import annotations

import json
import logging
import os
import pickle
import re
import secrets
import shutil
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tracker.importing.bulk import collector_paused
from tracker.importing.mapping import MappingBook
from tracker.importing.parse import ParsedFile, parse_file
from tracker.importing.safety import FileRefused, Limits

log = logging.getLogger(__name__)
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
STALE_AFTER = 120  # seconds without progress: the worker that read the file has died
KEEP_FOR = 8 * 3600  # previews nobody committed or cancelled are removed after a working day
PENDING_PER_USER = 5  # previews one person may keep waiting; a sixth upload drops their oldest idle one
PENDING_TOTAL_BYTES = 2 * 1024 ** 3  # uploads of everyone waiting; past it new uploads wait for room


@dataclass
class Job:
    """One upload waiting for its preview or its commit."""

    token: str
    user_id: int | None
    filename: str
    unit_id: int | None
    size: int
    state: str = "reading"  # reading -> ready | failed; ready -> committing -> committed | ready (refused)
    stage: str = "read"  # read, rows, write
    done: int = 0
    total: int = 0
    message: str = ""
    batch_id: int | None = None
    mapping: dict = field(default_factory=dict)  # the rules this upload's preview added (Mapping.to_json())
    created: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)

    @property
    def busy(self) -> bool:
        return self.state in ("reading", "committing")

    @property
    def percent(self) -> int:
        if not self.busy:
            return 100
        if self.stage == "read" or not self.total:
            return 5
        return min(99, 10 + int(90 * self.done / self.total))


class JobStore:
    """Uploads under one folder (the app's ``instance/imports``)."""

    def __init__(self, root: str | Path, total_bytes: int = PENDING_TOTAL_BYTES):
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.total_bytes = total_bytes

    def _dir(self, token: str) -> Path:
        return self.root / token

    def create(self, user_id: int | None, filename: str, unit_id: int | None, data: bytes) -> Job:
        """Keep the uploaded bytes and start a job for them, within the bounds on what may wait
        (FileRefused, saying which, when they are reached)."""
        self.purge()
        self._make_room(user_id, len(data))
        job = Job(secrets.token_urlsafe(24), user_id, filename, unit_id, len(data))
        folder = self._dir(job.token)
        folder.mkdir()
        (folder / "upload").write_bytes(data)
        self.save(job)
        return job

    def save(self, job: Job) -> None:
        job.updated = time.time()
        folder = self._dir(job.token)
        if not folder.is_dir():
            return  # cancelled while it was being read
        temporary = folder / f"meta.{os.getpid()}.{threading.get_ident()}.tmp"
        temporary.write_text(json.dumps(asdict(job)))
        temporary.replace(folder / "meta.json")  # atomic: a poll never reads half a file

    def load(self, token: str) -> Job | None:
        """The job, or None if the token is unknown, malformed or expired."""
        if not _TOKEN.match(token or ""):
            return None
        try:
            job = Job(**json.loads((self._dir(token) / "meta.json").read_text()))
        except (OSError, ValueError, TypeError):
            return None
        if job.busy and time.time() - job.updated > STALE_AFTER:
            # The worker died; a commit that did not finish was rolled back by the database.
            job.state, job.message = "failed", ("Việc xử lý tệp bị gián đoạn (máy chủ khởi động lại?); không có gì được "
                                                "lưu. Hãy tải tệp lên lại.")
        return job

    def data(self, job: Job) -> bytes:
        return (self._dir(job.token) / "upload").read_bytes()

    def parsed(self, job: Job) -> ParsedFile:
        # Written by this application into its own instance folder; never from user-supplied bytes.
        with open(self._dir(job.token) / "parsed.pickle", "rb") as fh, collector_paused():
            return pickle.load(fh)

    def delete(self, job: Job) -> None:
        shutil.rmtree(self._dir(job.token), ignore_errors=True)

    def waiting(self) -> list[Job]:
        """Every upload not yet committed, oldest first."""
        jobs = (self.load(folder.name) for folder in self.root.iterdir() if folder.is_dir())
        return sorted((job for job in jobs if job is not None and job.state != "committed"), key=lambda j: j.created)

    def _make_room(self, user_id: int | None, size: int) -> None:
        waiting = self.waiting()
        mine = [job for job in waiting if job.user_id == user_id]
        for job in [job for job in mine if not job.busy][:max(0, len(mine) - PENDING_PER_USER + 1)]:
            self.delete(job)  # the person's oldest preview left idle: they moved on to another file
            waiting.remove(job)
            mine.remove(job)
        if len(mine) >= PENDING_PER_USER:
            raise FileRefused(f"Bạn đang có {len(mine)} tệp đang được đọc hoặc ghi; hãy chờ một tệp xong rồi tải "
                              f"tệp khác lên.")
        if sum(job.size for job in waiting) + size > self.total_bytes:
            raise FileRefused("Máy chủ đang giữ quá nhiều tệp chờ nhập; hãy thử lại sau ít phút hoặc báo quản trị "
                              "hệ thống. Không có gì được lưu.")

    def purge(self) -> None:
        """Remove previews nobody touched for ``KEEP_FOR``."""
        cutoff = time.time() - KEEP_FOR
        for folder in self.root.iterdir():
            try:
                if folder.is_dir() and folder.stat().st_mtime < cutoff:
                    shutil.rmtree(folder, ignore_errors=True)
            except OSError:
                continue

    def run(self, job: Job, limits: Limits | None = None, background: bool = False,
            book: MappingBook | None = None) -> None:
        """Read the file now, or in a thread that reports progress as it goes; ``book``: the rules to apply
        (loaded by the caller, so the thread needs no database)."""
        job.state, job.stage, job.done, job.total = "reading", "read", 0, 0
        self.save(job)
        if background:
            threading.Thread(target=self._read, args=(job, limits, book), name=f"import-{job.token[:8]}",
                             daemon=True).start()
        else:
            self._read(job, limits, book)

    def _read(self, job: Job, limits: Limits | None, book: MappingBook | None = None) -> None:
        last = [0.0]

        def progress(stage: str, done: int, total: int) -> None:
            if time.monotonic() - last[0] > 0.25:
                job.stage, job.done, job.total = stage, done, total
                self.save(job)
                last[0] = time.monotonic()

        try:
            parsed = parse_file(self.data(job), job.filename, limits=limits, progress=progress, mappings=book)
            with open(self._dir(job.token) / "parsed.pickle", "wb") as fh, collector_paused():
                pickle.dump(parsed, fh, protocol=pickle.HIGHEST_PROTOCOL)
            job.state = "ready"
        except FileRefused as exc:
            job.state, job.message = "failed", exc.message
        except Exception:  # noqa: BLE001 - a crash must end as a message, not a preview spinning forever
            log.exception("reading upload %s failed", job.filename)
            job.state, job.message = "failed", ("Không đọc được tệp do lỗi không lường trước. Dữ liệu chưa bị thay "
                                                "đổi; hãy kiểm tra tệp hoặc báo quản trị hệ thống.")
        self.save(job)
