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
from tracker.importing import describe, profiles
from tracker.importing.commit import commit_plan
from tracker.importing.holders import HOW_LABELS
from tracker.importing.mapping import Mapping
from tracker.importing.parse import parse_file
from tracker.importing.plan import ImportPlan, build_plan, scope_provinces
from tracker.importing.units import UnitResolver
from tracker.models import Unit, User

assets_cli = AppGroup("assets", help="Tài sản: nhập danh sách từ tệp.")
SHOWN = 50  # refused rows and changes printed; the rest are counted


def report(plan: ImportPlan) -> list[str]:
    """The preview as lines of Vietnamese text (the web page says the same, see ``describe``)."""
    counts = plan.counts()
    n = group_thousands
    parsed = plan.parsed
    lines = [f"Tệp «{parsed.filename}» ({parsed.format}, {n(parsed.size)} byte, SHA-256 {parsed.sha256})"]
    if parsed.source_label:
        lines.append(f"Nguồn (góc trái): {parsed.source_label}")
    for sheet in parsed.sheets:
        if sheet.note:
            lines.append(f"  {sheet.note}")
        elif sheet.kind:
            lines.append(f"  Trang «{sheet.name}»: {sheet.kind.label} ({sheet.kind_reason}), dòng tiêu đề "
                         f"{sheet.header_row}, {n(len(sheet.rows))} dòng dữ liệu; cột: "
                         + ", ".join(f"{letter}={meaning}" for letter, _w, meaning in sheet.columns))
        if sheet.unmatched:
            lines.append("    Cột chưa nhận ra: " + ", ".join(f"{letter} «{text}»" for letter, text in sheet.unmatched))
        for note in sheet.notes:
            lines.append(f"    {note}")
        for _name, label, written, meaning, how, count in describe.readings(sheet):
            lines.append(f"    {label}: «{written}» → {meaning} ({how}, {n(count)} dòng)")
    lines.append(f"Tạo mới: {n(counts['created'])} · Cập nhật: {n(counts['updated'])} · Chờ xác nhận: "
                 f"{n(counts['held'])} · Không đổi: {n(counts['unchanged'])} · Bỏ qua (không phải tài sản): "
                 f"{n(counts['skipped'])} · Từ chối: {n(counts['rejected'])}")
    lines.append(f"Mã bản xem trước: {plan.fingerprint()[:12]}")
    if plan.skipped_labels():
        lines.append("Bỏ qua: " + ", ".join(f"{text} ({n(count)})" for text, count in plan.skipped_labels()))
    for holder in plan.holders:
        holding = holder.holding
        if holding.problem:
            continue
        meaning = plan.unit_names.get(holding.unit_id, "?")
        if holding.agency_id is not None:
            meaning = f"{plan.agency_names.get(holding.agency_id)} — {meaning}"
        lines.append(f"  Đơn vị, cơ quan «{holder.label}» ({holder.where}) → {meaning} "
                     f"[{HOW_LABELS.get(holding.how, '')}], {n(holder.rows)} dòng")
    for agency in plan.new_agencies:
        lines.append(f"  + Cơ quan mới: {agency.name} (thuộc {plan.unit_names.get(agency.unit_id, '?')})")
    for sheet_name, check in plan.totals():
        lines.append(f"{'  ' if check.ok else '! '}{sheet_name} — {check.describe(field_label(check.field))}")
    groups = describe.problem_groups(plan)
    for group in groups[:SHOWN]:
        column = f", cột {group.column}" if group.column else ""
        lines.append(f"✗ «{group.sheet}» {group.where}{column}: {group.message}")
    if len(groups) > SHOWN:
        lines.append(f"… và {n(len(groups) - SHOWN)} lỗi khác.")
    for title, updates in (("~", plan.updates), ("?", plan.held)):
        for update in updates[:SHOWN]:
            what = "; ".join(f"{label}: {before} → {after}" for label, before, after in describe.changes(update, plan))
            why = f" [chờ xác nhận: {', '.join(update.held)}]" if update.held else ""
            lines.append(f"{title} {update.code} «{update.name}»: {what}{why}")
        if len(updates) > SHOWN:
            lines.append(f"… và {n(len(updates) - SHOWN)} tài sản khác.")
    if plan.held:
        lines.append(f"{n(len(plan.held))} tài sản sẽ đổi đơn vị hoặc đổi số tiền quá mức làm tròn: giữ nguyên như cũ, "
                     "trừ khi chạy với --confirm-changes.")
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
@click.option("--mapping", "mapping_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Tệp ánh xạ JSON: cột nào là trường nào, trang nào là loại gì, tên nào là đơn vị hay cơ quan nào, "
                   "giá trị nào là lựa chọn nào (docs/IMPORTING.md). Được nhớ cho các tệp sau cùng nguồn.")
@click.option("--confirm-changes", is_flag=True,
              help="Áp dụng cả các thay đổi chờ xác nhận (chuyển đơn vị, đổi số tiền quá mức làm tròn).")
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước, không ghi gì.")
def import_command(file: Path, unit_name: str | None, username: str | None, mapping_file: Path | None,
                   confirm_changes: bool, dry_run: bool):
    """Nhập danh sách tài sản từ tệp .xlsx, .xls hoặc .csv (tất cả hoặc không gì cả)."""
    started = time.perf_counter()
    actor = _actor(username)
    unit = _unit(unit_name, actor)
    edits = Mapping()
    if mapping_file is not None:
        edits, errors = profiles.read_file(mapping_file.read_bytes(), actor)
        if errors:
            raise click.ClickException(f"Tệp ánh xạ «{mapping_file.name}»: " + " ".join(errors))

    def progress(stage: str, done: int, total: int) -> None:
        if total > 20_000:
            click.echo(f"\r  {'Đang đọc tệp' if stage == 'read' else 'Đang kiểm tra'}: "
                       f"{group_thousands(done)}/{group_thousands(total)} dòng", nl=False, err=True)

    try:
        parsed = parse_file(file.read_bytes(), file.name, progress=progress,
                            mappings=profiles.mapping_book(actor.province_id if actor else None, edits))
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
    if confirm_changes:
        plan.confirm(u.asset_id for u in plan.held)
    if not plan.creates and not plan.updates and not (edits and plan.new_agencies):
        click.echo("Không có gì mới để ghi.")
        return
    try:
        batch = commit_plan(plan, actor, note={"command": "flask assets import"}, remember=edits or None)
        db.session.commit()
    except (DomainError, IntegrityError) as exc:
        db.session.rollback()
        message = exc.message if isinstance(exc, DomainError) else str(exc.orig)
        raise click.ClickException(f"Không ghi gì: {message}") from exc
    click.echo(f"Đã ghi lần nhập #{batch.id}: tạo mới {group_thousands(batch.created_count)}, cập nhật "
               f"{group_thousands(batch.updated_count)} "
               f"({time.perf_counter() - started:.1f} s).")
