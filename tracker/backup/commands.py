"""``flask backup [--output DIR|FILE]`` and ``flask restore FILE``."""
from __future__ import annotations

import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from tracker.backup import BackupError, create_backup, restore_backup
from tracker.backup.manifest import manifest_path
from tracker.formatting import group_thousands


def _database_url() -> str:
    return current_app.config["SQLALCHEMY_DATABASE_URI"]


def _shown(url: str) -> str:
    return sa.engine.make_url(url).render_as_string(hide_password=True)


def _head_revision() -> str | None:
    """The newest migration in the code, to tell whether a restored copy needs ``db upgrade``."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", current_app.extensions["migrate"].directory)
    return ScriptDirectory.from_config(config).get_current_head()


@click.command("backup")
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="Thư mục (tên tệp theo giờ UTC) hoặc tên tệp; mặc định instance/backups/.")
@with_appcontext
def backup_command(output: Path | None):
    """Sao lưu cơ sở dữ liệu (bản sao nhất quán, chạy được khi ứng dụng đang phục vụ)."""
    started = time.monotonic()
    try:
        path, manifest = create_backup(_database_url(), output or Path(current_app.instance_path) / "backups")
    except BackupError as exc:
        raise click.ClickException(exc.message) from exc
    n = group_thousands
    click.echo(f"Đã sao lưu vào {path} ({n(manifest.size)} byte, {time.monotonic() - started:.1f} giây).")
    click.echo(f"{len(manifest.tables)} bảng, {n(manifest.rows)} dòng; phiên bản lược đồ "
               f"{manifest.alembic_revision or '—'}; SHA-256 {manifest.sha256}.")
    click.echo(f"Tệp mô tả: {manifest_path(path)}")


@click.command("restore")
@click.argument("file", type=click.Path(path_type=Path))
@with_appcontext
def restore_command(file: Path):
    """Khôi phục bản sao lưu FILE vào cơ sở dữ liệu đang cấu hình, nếu nó còn TRỐNG."""
    url = _database_url()
    started = time.monotonic()
    try:
        manifest = restore_backup(url, file)
    except BackupError as exc:
        raise click.ClickException(exc.message) from exc
    n = group_thousands
    click.echo(f"Đã khôi phục «{manifest.file}» (sao lưu lúc {manifest.created_at}) vào {_shown(url)}: "
               f"{len(manifest.tables)} bảng, {n(manifest.rows)} dòng, {time.monotonic() - started:.1f} giây.")
    head = _head_revision()
    if manifest.alembic_revision != head:
        click.echo(f"Bản sao lưu ở phiên bản lược đồ {manifest.alembic_revision or '—'}, mã nguồn ở {head}: "
                   "chạy `flask --app app db upgrade` trước khi mở ứng dụng.")
