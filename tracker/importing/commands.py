"""``flask --app app assets import FILE [--unit ...] [--user ...] [--dry-run]``.

Prints the same preview as the web page, then stores it in one transaction unless rows were
refused (exit code 1, nothing stored) or ``--dry-run`` was given.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click
import sqlalchemy as sa
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from tracker.assets.fields import label as field_label
from tracker.auth.policy import WRITERS
from tracker.errors import DomainError
from tracker.extensions import db
from tracker.formatting import group_thousands
from tracker.importing.commit import commit_plan
from tracker.importing.parse import parse_file
from tracker.importing.plan import ImportPlan, build_plan, scope_provinces
from tracker.importing.units import UnitResolver
from tracker.models import Unit, User

assets_cli = AppGroup("assets", help="Tài sản: nhập danh sách từ tệp.")
SHOWN = 50  # refused rows and changes printed; the rest are counted


def report(plan: ImportPlan) -> list[str]:
    """The preview as lines of Vietnamese text."""
    counts = plan.counts()
    n = group_thousands
    lines = [f"Tệp «{plan.parsed.filename}» ({plan.parsed.format}, {n(plan.parsed.size)} byte, SHA-256 {plan.parsed.sha256})"]
    for sheet in plan.parsed.sheets:
        if sheet.note:
            lines.append(f"  {sheet.note}")
        elif sheet.kind:
            lines.append(f"  Trang «{sheet.name}»: {sheet.kind.label}, dòng tiêu đề {sheet.header_row}, "
                         f"{n(len(sheet.rows))} dòng dữ liệu; cột: "
                         + ", ".join(f"{letter}={meaning}" for letter, _w, meaning in sheet.columns))
    lines.append(f"Tạo mới: {n(counts['created'])} · Cập nhật: {n(counts['updated'])} · Không đổi: "
                 f"{n(counts['unchanged'])} · Bỏ qua (không phải tài sản): {n(counts['skipped'])} · Từ chối: "
                 f"{n(counts['rejected'])}")
    if plan.skipped_labels():
        lines.append("Bỏ qua: " + ", ".join(f"{text} ({n(count)})" for text, count in plan.skipped_labels()))
    for sheet_name, check in plan.totals():
        lines.append(f"{'  ' if check.ok else '! '}{sheet_name} — {check.describe(field_label(check.field))}")
    for problem in plan.problems[:SHOWN]:
        where = f"dòng {problem.row}" if problem.row else "cả trang"
        column = f", cột {problem.column}" if problem.column else ""
        lines.append(f"✗ «{problem.sheet}» {where}{column}: {problem.message}")
    if len(plan.problems) > SHOWN:
        lines.append(f"… và {n(len(plan.problems) - SHOWN)} lỗi khác.")
    for update in plan.updates[:SHOWN]:
        changes = "; ".join(f"{field_label(n)}: {b} → {a}" for n, (b, a) in update.changes.items())
        lines.append(f"~ {update.code} «{update.name}»: {changes}")
    if len(plan.updates) > SHOWN:
        lines.append(f"… và {n(len(plan.updates) - SHOWN)} tài sản cập nhật khác.")
    return lines


def _actor(username: str | None) -> User | None:
    if not username:
        return None
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.active:
        raise click.ClickException(f"Không có người dùng «{username}» đang hoạt động.")
    if user.role not in WRITERS:
        raise click.ClickException(f"Người dùng «{username}» ({user.role.label}) không có quyền nhập tài sản.")
    return user


def _unit(name: str | None, actor: User | None) -> Unit | None:
    if not name:
        return None
    unit_id, problem = UnitResolver(scope_provinces(actor)).resolve(name)
    if problem:
        raise click.ClickException(f"--unit: {problem}")
    return db.session.get(Unit, unit_id)


@assets_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--unit", "unit_name", default=None,
              help="Đơn vị đã giải thể của các dòng không ghi đơn vị: tên (vd «Phường Thắng Lợi») hoặc mã.")
@click.option("--user", "username", default=None,
              help="Người nhập (cán bộ hoặc quản trị); ghi vào lịch sử và giới hạn theo tỉnh của người đó.")
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước, không ghi gì.")
def import_command(file: Path, unit_name: str | None, username: str | None, dry_run: bool):
    """Nhập danh sách tài sản từ tệp .xlsx, .xls hoặc .csv (tất cả hoặc không gì cả)."""
    started = time.perf_counter()
    actor = _actor(username)
    unit = _unit(unit_name, actor)

    def progress(stage: str, done: int, total: int) -> None:
        if total > 20_000:
            click.echo(f"\r  {'Đang đọc tệp' if stage == 'read' else 'Đang kiểm tra'}: "
                       f"{group_thousands(done)}/{group_thousands(total)} dòng", nl=False, err=True)

    try:
        parsed = parse_file(file.read_bytes(), file.name, progress=progress)
    except DomainError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo("", err=True)
    plan = build_plan(parsed, actor, unit)
    for line in report(plan):
        click.echo(line)
    if plan.problems:
        db.session.rollback()
        click.echo("Không ghi gì vì có dòng bị từ chối. Hãy sửa tệp rồi chạy lại.", err=True)
        sys.exit(1)
    if dry_run:
        db.session.rollback()
        click.echo(f"Chạy thử: không ghi gì ({time.perf_counter() - started:.1f} s).")
        return
    if not plan.can_commit:
        click.echo("Không có gì mới để ghi.")
        return
    try:
        batch = commit_plan(plan, actor, note={"command": "flask assets import"})
        db.session.commit()
    except (DomainError, IntegrityError) as exc:
        db.session.rollback()
        message = exc.message if isinstance(exc, DomainError) else str(exc.orig)
        raise click.ClickException(f"Không ghi gì: {message}") from exc
    click.echo(f"Đã ghi lần nhập #{batch.id}: tạo mới {group_thousands(batch.created_count)}, cập nhật "
               f"{group_thousands(batch.updated_count)} "
               f"({time.perf_counter() - started:.1f} s).")
