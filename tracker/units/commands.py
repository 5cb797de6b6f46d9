"""``flask units load --province NAME | --all``."""
from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from tracker.errors import DomainError
from tracker.extensions import db
from tracker.units.loader import load_all, load_province

units_cli = AppGroup("units", help="Bản đồ đơn vị hành chính.")


@units_cli.command("load")
@click.option("--province", "province", default=None, help='Tên tỉnh mới, vd "Điện Biên".')
@click.option("--all", "load_everything", is_flag=True, help="Nạp cả 34 tỉnh, thành phố.")
def load_command(province: str | None, load_everything: bool):
    """Nạp đơn vị cũ và mới từ dữ liệu sắp xếp chính thức (chạy lại không tạo trùng)."""
    if not province and not load_everything:
        raise click.UsageError("Cần --province TÊN hoặc --all.")
    started = time.perf_counter()
    try:
        if load_everything:
            with click.progressbar(length=34, label="Đang nạp các tỉnh") as bar:
                def progress(keys):
                    for key in keys:
                        yield key
                        bar.update(1)
                result = load_all(progress)
        else:
            result = load_province(province)
    except DomainError as exc:
        db.session.rollback()
        raise click.ClickException(exc.message) from exc
    db.session.commit()
    click.echo(
        f"Đã nạp {len(result.provinces)} tỉnh: tạo mới {result.units_created} đơn vị, "
        f"cập nhật {result.units_updated}, {result.links_created} liên kết kế thừa "
        f"({time.perf_counter() - started:.1f} s)."
    )
