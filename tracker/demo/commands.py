"""``flask demo``: prepare the database, load new Thái Nguyên, generate Sông Công, serve.

Safe to run again: migrations and the unit map are idempotent, demo users are created only if
absent, and the inventory is generated only once, so what people entered stays.
"""
from __future__ import annotations

import signal
import sys
import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from tracker.admin.services import create_user
from tracker.demo.generator import find_units, generate_song_cong, inventory_exists
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.models import Role, User
from tracker.units.loader import load_province

PROVINCE = "Thái Nguyên"
PASSWORD = "Nui-Coc-ban-giao-25"
# (username, role, full name, position); scope is filled in from the loaded units.
DEMO_USERS = (
    ("admin", Role.ADMIN, "Quản trị hệ thống", "Quản trị viên"),
    ("sotaichinh", Role.OFFICER, "Nguyễn Thị Thu Hà",
     "Chuyên viên Phòng Quản lý giá và công sản, Sở Tài chính Thái Nguyên"),
    ("songcong", Role.COMMUNE, "Trần Văn Minh", "Công chức Văn phòng HĐND và UBND phường Sông Công"),
    ("kiemtoan", Role.AUDITOR, "Lê Quang Huy", "Kiểm toán viên, Kiểm toán nhà nước khu vực X"),
)


def ensure_demo_users() -> list[tuple[User, bool]]:
    """The four demo users, created if absent; returns (user, created now)."""
    units = find_units()
    province = units.city.province
    scope = {Role.ADMIN: {}, Role.OFFICER: {"province": province}, Role.AUDITOR: {"province": province},
             Role.COMMUNE: {"unit": units.receivers["Phường Sông Công"]}}
    result = []
    for username, role, full_name, position in DEMO_USERS:
        user = db.session.scalar(sa.select(User).where(User.username == username))
        created = user is None
        if created:
            user = create_user(username, PASSWORD, role, full_name=full_name, position=position, **scope[role])
        result.append((user, created))
    return result


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ phục vụ.")
@click.option("--port", default=5000, show_default=True, type=int, help="Cổng phục vụ.")
@click.option("--no-serve", is_flag=True, help="Chỉ chuẩn bị dữ liệu, không chạy máy chủ.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool):
    """Chuẩn bị cơ sở dữ liệu, nạp tỉnh Thái Nguyên mới, tạo dữ liệu mẫu Sông Công rồi chạy ứng dụng."""
    from flask_migrate import upgrade

    started = time.perf_counter()
    click.echo("1/4 Cập nhật cấu trúc cơ sở dữ liệu…")
    current_app.config["QUIET_MIGRATIONS"] = True
    upgrade()
    try:
        click.echo(f"2/4 Nạp bản đồ đơn vị tỉnh {PROVINCE} mới…")
        loaded = load_province(PROVINCE)
        click.echo(f"    tạo mới {loaded.units_created} đơn vị, {loaded.links_created} liên kết kế thừa.")
        click.echo("3/4 Người dùng mẫu…")
        users = ensure_demo_users()
        click.echo("4/4 Dữ liệu kiểm kê mẫu của thành phố Sông Công (cũ)…")
        if inventory_exists():
            click.echo("    đã có từ lần chạy trước: giữ nguyên mọi thay đổi của người dùng.")
        else:
            counts = generate_song_cong(actor=users[1][0])
            click.echo("    đã tạo " + ", ".join(f"{n} {kind.label.lower()}" for kind, n in counts.items()) + ".")
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    url = f"http://{host}:{port}/"
    click.echo(f"\nSẵn sàng sau {time.perf_counter() - started:.1f} s. Mở {url}")
    click.echo("Đăng nhập:")
    for user, created in users:
        password = PASSWORD if created or user.check_password(PASSWORD) else "(đã được đổi)"
        click.echo(f"  {user.username:11} {password:14} {user.role.label} — {user.full_name}")
    if no_serve:
        return
    from werkzeug.serving import run_simple

    from tracker.jobs.commands import start_worker_process

    # The queue's worker beside the server (big uploads and exports), stopped with it.
    worker = start_worker_process(current_app._get_current_object())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stopped by a service manager: stop the worker too
    try:
        # app.run() is a no-op inside a flask CLI command, so serve the way `flask run` does.
        run_simple(host, port, current_app._get_current_object(), threaded=True)
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=10)
