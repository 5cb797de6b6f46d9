"""An upload between its preview and its commit, as a background job every host sees.

The uploaded bytes, and once read the validated rows (pickled), are the job's files in the
database (tracker/jobs/store.py); the job's row says where it is: ``reading`` -> ``ready`` |
``failed``; ``ready`` -> ``committing`` -> ``committed`` | ``ready`` (refused, with the reason in
``message``). Reading and committing run on the queue's worker for big files and in the request
for small ones: the same functions either way (``read_upload``, ``commit_upload``).

The commit plans again on the worker against the database as it is then, and writes only if that
plan is the one the officer saw (its fingerprint); the batch and the job's ``committed`` state
commit in one transaction, so a commit that dies leaves nothing half-written and the upload ready.
"""
from __future__ import annotations

import logging
import pickle

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import IntegrityError

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.importing import profiles
from tracker.importing.bulk import collector_paused
from tracker.importing.commit import commit_plan
from tracker.importing.mapping import Mapping
from tracker.importing.parse import ParsedFile, parse_file
from tracker.importing.plan import ImportPlan, build_plan
from tracker.importing.safety import FileRefused, Limits
from tracker.jobs import runner, store
from tracker.models import BackgroundJob, Unit, User

log = logging.getLogger(__name__)
KIND = "import"
PENDING_PER_USER = 5  # previews one person may keep waiting; a sixth upload drops their oldest idle one
RACE = "Một tài sản trong tệp vừa được người khác đăng ký; không có gì được lưu. Hãy tải tệp lên lại."
MOVED = "Dữ liệu đã thay đổi từ lúc xem trước; đây là bản xem trước mới. Hãy kiểm tra rồi ghi lại."
READ_FAILED = ("Không đọc được tệp do lỗi không lường trước. Dữ liệu chưa bị thay đổi; hãy kiểm tra tệp hoặc báo "
               "quản trị hệ thống.")
WRITE_FAILED = "Ghi dữ liệu thất bại do lỗi không lường trước; không có gì được lưu."


def waiting(user_id: int | None = None) -> list[BackgroundJob]:
    """Uploads not yet committed (one person's, or everyone's), oldest first."""
    query = sa.select(BackgroundJob).where(BackgroundJob.kind == KIND, BackgroundJob.state != "committed")
    if user_id is not None:
        query = query.where(BackgroundJob.user_id == user_id)
    return list(db.session.scalars(query.order_by(BackgroundJob.id)))


def create(user: User, filename: str, unit_id: int | None, data: bytes) -> BackgroundJob:
    """Keep the uploaded bytes as a new upload, within the bounds on what may wait (FileRefused,
    saying which, when they are reached). The caller commits, then starts the reading."""
    store.purge(runner.KEEP_FOR, kinds=[KIND])  # also done by the worker's periodic task
    _make_room(user.id, len(data))
    job = store.new(KIND, user.id, state="reading", unit_id=unit_id, filename=filename, size=len(data),
                    params={"mapping": {}})
    store.write_file(job, "upload", data)
    return job


def _make_room(user_id: int, size: int) -> None:
    mine = waiting(user_id)
    for job in [job for job in mine if job.state not in store.BUSY][:max(0, len(mine) - PENDING_PER_USER + 1)]:
        store.delete(job)  # the person's oldest preview left idle: they moved on to another file
        mine.remove(job)
    if len(mine) >= PENDING_PER_USER:
        raise FileRefused(f"Bạn đang có {len(mine)} tệp đang được đọc hoặc ghi; hãy chờ một tệp xong rồi tải "
                          f"tệp khác lên.")
    pending = db.session.scalar(sa.select(sa.func.coalesce(sa.func.sum(BackgroundJob.size), 0)).where(
        BackgroundJob.kind == KIND, BackgroundJob.state != "committed"))
    if pending + size > current_app.config["IMPORT_PENDING_TOTAL_MB"] * 1024 ** 2:
        raise FileRefused("Máy chủ đang giữ quá nhiều tệp chờ nhập; hãy thử lại sau ít phút hoặc báo quản trị "
                          "hệ thống. Không có gì được lưu.")


def own(token: str, user: User) -> BackgroundJob | None:
    """The user's upload of that token, or None (someone else's answers the same as none)."""
    job = store.by_token(token)
    return job if job is not None and job.kind == KIND and job.user_id == user.id else None


def parsed(job: BackgroundJob) -> ParsedFile:
    # Written by this application (read_upload) into its own table; never from user-supplied bytes.
    data = store.read_file(job, "parsed")
    with collector_paused():
        return pickle.loads(data)


def plan_of(job: BackgroundJob, actor: User | None) -> ImportPlan:
    unit = db.session.get(Unit, job.unit_id) if job.unit_id else None
    return build_plan(parsed(job), actor, unit)


def _start(job: BackgroundJob, state: str, here: bool) -> None:
    job.state, job.stage, job.done, job.total, job.message = state, "read" if state == "reading" else "write", 0, 0, ""
    store.touch(job)
    db.session.commit()
    if here:
        runner.run_here(job)
    else:
        runner.submit(job)


def start_reading(job: BackgroundJob, *, here: bool) -> None:
    """Read (again) the upload with its rules: in this request (``here``) or on the worker."""
    _start(job, "reading", here)


def start_commit(job: BackgroundJob, fingerprint: str, confirm: list[int] | None, *, here: bool) -> None:
    """Commit the preview the officer saw (``fingerprint``) with the held changes they ticked
    (``confirm``: asset ids, or None for all of them)."""
    job.params = {**job.params, "commit": {"fingerprint": fingerprint, "confirm": confirm}}
    _start(job, "committing", here)


@runner.task(KIND, "reading")
def read_upload(job: BackgroundJob) -> None:
    owner = db.session.get(User, job.user_id) if job.user_id else None
    book = profiles.mapping_book(owner.province_id if owner else None, Mapping.from_json(job.params.get("mapping")))
    limits = Limits(max_unzipped=current_app.config["IMPORT_MAX_UNZIPPED_MB"] * 1024 * 1024)
    try:
        result = parse_file(store.read_file(job, "upload"), job.filename, limits=limits,
                            progress=store.Reporter(job.token, "read"), mappings=book)
        with collector_paused():
            data = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
        store.write_file(job, "parsed", data)
        job.state, job.total = "ready", sum(len(sheet.rows) for sheet in result.sheets)
    except FileRefused as exc:
        db.session.rollback()
        job.state, job.message = "failed", exc.message
    except Exception:  # noqa: BLE001 - a crash must end as a message, not a preview spinning forever
        db.session.rollback()
        log.exception("reading upload %s failed", job.filename)
        job.state, job.message = "failed", READ_FAILED
    store.touch(job)
    db.session.commit()


@runner.task(KIND, "committing")
def commit_upload(job: BackgroundJob) -> None:
    """Plan again, and write the plan if it is the one previewed; the outcome goes in the job's row."""
    actor = db.session.get(User, job.user_id) if job.user_id else None
    asked = job.params.get("commit") or {}
    try:
        plan = plan_of(job, actor)
        if plan.fingerprint() != asked.get("fingerprint"):
            job.state, job.message = "ready", MOVED
        else:
            confirm = asked.get("confirm")
            plan.confirm(u.asset_id for u in plan.held) if confirm is None else plan.confirm(confirm)
            remember = Mapping.from_json(job.params.get("mapping")) or None
            batch = commit_plan(plan, actor, note={"unit_id": job.unit_id}, remember=remember,
                                progress=store.Reporter(job.token, "write"))
            job.state, job.batch_id, job.message = "committed", batch.id, ""
            store.delete_file(job, "upload")  # the batch keeps the file's name and SHA-256; the bytes go
            store.delete_file(job, "parsed")
    except (DomainError, IntegrityError) as exc:
        db.session.rollback()
        job.state, job.message = "ready", exc.message if isinstance(exc, DomainError) else RACE
    except Exception:  # noqa: BLE001 - the page must learn the outcome; the database rolled back
        db.session.rollback()
        log.exception("import commit of %s failed", job.filename)
        job.state, job.message = "ready", WRITE_FAILED
    store.touch(job)
    db.session.commit()  # the batch and the job's "committed" together
