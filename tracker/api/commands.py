"""``flask api token create USERNAME | revoke ID | list``."""
from __future__ import annotations

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from tracker.api.tokens import create_token, is_usable, revoke_token
from tracker.errors import ValidationError
from tracker.extensions import db
from tracker.formatting import datetime_vn
from tracker.models import ApiToken, User

api_cli = AppGroup("api", help="API chỉ đọc cho công cụ của kiểm toán.")
token_cli = AppGroup("token", help="Khóa API (chỉ lưu SHA-256).")
api_cli.add_command(token_cli)


def _user(username: str) -> User:
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"Không có người dùng «{username}».")
    return user


@token_cli.command("create")
@click.argument("username")
@click.option("--name", default="Dòng lệnh", show_default=True, help="Tên khóa, để nhận ra sau này.")
@click.option("--days", type=int, default=90, show_default=True, help="Số ngày hiệu lực (0: không hết hạn).")
def create_command(username: str, name: str, days: int):
    """Tạo khóa API cho USERNAME và in ra một lần duy nhất."""
    user = _user(username)
    try:
        token, raw = create_token(user, name, days=days or None)
    except ValidationError as exc:
        raise click.ClickException("; ".join(exc.errors.values())) from exc
    db.session.commit()
    click.echo(f"Khóa #{token.id} của {user.username} (chỉ hiện một lần, hãy lưu lại):")
    click.echo(raw)


@token_cli.command("revoke")
@click.argument("token_id", type=int)
def revoke_command(token_id: int):
    """Thu hồi khóa số TOKEN_ID."""
    token = db.session.get(ApiToken, token_id)
    if token is None:
        raise click.ClickException(f"Không có khóa #{token_id}.")
    revoke_token(token, None)
    db.session.commit()
    click.echo(f"Đã thu hồi khóa #{token.id} ({token.name}) của {token.user.username}.")


@token_cli.command("list")
@click.argument("username", required=False)
def list_command(username: str | None):
    """Liệt kê khóa (không bao giờ in lại khóa, chỉ tên và trạng thái)."""
    query = sa.select(ApiToken).order_by(ApiToken.id)
    if username:
        query = query.where(ApiToken.user_id == _user(username).id)
    for token in db.session.scalars(query):
        state = "còn hiệu lực" if is_usable(token) else "đã thu hồi/hết hạn"
        click.echo(f"#{token.id:<5} {token.user.username:20} {token.name[:30]:30} {state:18} "
                   f"dùng lần cuối: {datetime_vn(token.last_used_at) or '-'}")
