"""A job's page for whoever started it: progress while it runs, then its file or why it failed.

Only the person who started a job sees it; anyone else gets the same 404 as for a job that does
not exist. The file streams from the database chunk by chunk, so any host sends any job's file.
"""
from __future__ import annotations

from flask import Blueprint, Response, abort, jsonify, render_template, stream_with_context
from flask_login import current_user

from tracker.auth.policy import EVERYONE, allow
from tracker.jobs import store
from tracker.models import BackgroundJob

bp = Blueprint("jobs", __name__, url_prefix="/jobs")
DOWNLOADS = ("export", "country_report")  # kinds whose outcome is a file to download


def _own(token: str) -> BackgroundJob:
    job = store.by_token(token)
    if job is None or job.kind not in DOWNLOADS or job.user_id != current_user.id:
        abort(404)
    return job


@bp.route("/<token>")
@allow(*EVERYONE)
def show(token: str):
    """Progress, then the download."""
    job = _own(token)
    return render_template("jobs/show.html", job=job, live=store.live(job))


@bp.route("/<token>/status")
@allow(*EVERYONE)
def status(token: str):
    """Progress for progress.js."""
    return jsonify(store.live(_own(token)).as_json())


@bp.route("/<token>/download")
@allow(*EVERYONE)
def download(token: str):
    """The job's file, streamed from the database."""
    job = _own(token)
    if job.state != "done":
        abort(404)
    job_id, size = job.id, job.result.get("size")
    headers = {"Content-Disposition": f'attachment; filename="{job.filename}"', "X-Content-Type-Options": "nosniff"}
    if size is not None:
        headers["Content-Length"] = str(size)
    return Response(stream_with_context(store.read_chunks(job_id, "export")),
                    mimetype=job.result.get("type", "application/octet-stream"), headers=headers)
