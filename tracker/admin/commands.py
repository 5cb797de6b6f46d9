"""``flask users create|list``."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from tracker.admin.services import create_user
from tracker.errors import ValidationError
from tracker.extensions import db
from tracker.models import Province, Role, Unit, User
from tracker.text import fold

users_cli = AppGroup("users", help="Quản lý người dùng.")


def find_province(name: str) -> Province | None:
    """Province by name without diacritics or prefix: 'thai nguyen', 'Tỉnh Thái Nguyên'."""
    key = fold(name).removeprefix("tinh ").removeprefix("thanh pho ").strip()
    for province in db.session.scalars(sa.select(Province)):
        if province.name_folded.removeprefix("tinh ").removeprefix("thanh pho ") == key:
            return province
    return None


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--name", "full_name", default="")
@click.option("--province", default=None, help="Tên tỉnh (cán bộ Sở, kiểm toán).")
@click.option("--unit", "unit_code", default=None, help="Mã đơn vị mới (cán bộ xã), vd 5518.")
def create_command(username, role, password, full_name, province, unit_code):
    """Tạo người dùng."""
    prov = None
    if province:
        prov = find_province(province)
        if prov is None:
            raise click.ClickException(f"Không tìm thấy tỉnh «{province}» (đã nạp bản đồ đơn vị chưa?).")
    unit = None
    if unit_code:
        unit = db.session.scalar(sa.select(Unit).where(Unit.source_key == f"new:{unit_code}"))
        if unit is None:
            raise click.ClickException(f"Không tìm thấy đơn vị mã «{unit_code}».")
    try:
        user = create_user(username, password, Role(role), full_name=full_name, province=prov, unit=unit)
    except ValidationError as exc:
        raise click.ClickException("; ".join(exc.errors.values())) from exc
    db.session.commit()
    click.echo(f"Đã tạo người dùng {user.username} ({user.role.label}).")


@users_cli.command("list")
def list_command():
    """Liệt kê người dùng."""
    for user in db.session.scalars(sa.select(User).order_by(User.username)):
        scope = user.unit.name if user.unit else (user.province.name if user.province else "toàn quốc")
        click.echo(f"{user.username:20} {user.role.label:28} {scope}")
