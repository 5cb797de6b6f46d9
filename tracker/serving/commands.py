"""``flask --app app serve``: the production server (gunicorn with the checked-in settings).

It migrates nothing (``flask --app app db upgrade`` is a step of its own, run once per release,
not by every host that starts), prints where it serves in one line, then becomes gunicorn (the
same process id), so systemd's stop and reload signals reach gunicorn's arbiter directly.
"""
from __future__ import annotations

import os
import sys

import click
from flask.cli import ScriptInfo

CONFIG = "python:tracker.serving.gunicorn_conf"


def wsgi_target(app_import_path: str | None) -> str:
    """gunicorn's ``module:variable`` for what ``flask --app`` was given (default: ``app:app``)."""
    path = (app_import_path or "app").strip()
    if ":" in path:
        return path  # already module:name or module:factory()
    if path.endswith(".py"):
        path = path[:-3].replace(os.sep, ".")
    return f"{path}:app"


def gunicorn_argv(target: str) -> list[str]:
    """The command ``serve`` becomes."""
    return [sys.executable, "-m", "gunicorn", "-c", CONFIG, target]


@click.command("serve")
@click.option("--bind", default=None, help="Địa chỉ:cổng (mặc định TRACKER_BIND hoặc 127.0.0.1:8000).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Số tiến trình (mặc định TRACKER_WORKERS hoặc 2 × số lõi + 1).")
@click.pass_context
def serve_command(ctx: click.Context, bind: str | None, workers: int | None):
    """Phục vụ ứng dụng bằng gunicorn (không tự nâng cấp cơ sở dữ liệu: chạy `db upgrade` trước)."""
    if bind:
        os.environ["TRACKER_BIND"] = bind
    if workers:
        os.environ["TRACKER_WORKERS"] = str(workers)
    from tracker.serving import gunicorn_conf

    address = os.environ.get("TRACKER_BIND", "").strip() or "127.0.0.1:8000"
    url = address if address.startswith("unix:") else f"http://{address}/"
    info = ctx.ensure_object(ScriptInfo)
    click.echo(f"Phục vụ tại {url} (gunicorn, {gunicorn_conf.default_workers()} tiến trình × "
               f"{gunicorn_conf.threads} luồng)")
    sys.stdout.flush()
    argv = gunicorn_argv(wsgi_target(info.app_import_path))
    os.execv(argv[0], argv)
