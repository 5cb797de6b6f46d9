"""Creating and changing users; the admin page and the CLI both call these."""
from __future__ import annotations

import sqlalchemy as sa

from tracker import audit
from tracker.auth.passwords import password_problem
from tracker.errors import ValidationError
from tracker.extensions import db
from tracker.models import Province, Role, Unit, UnitKind, User

def _check(username: str, password: str | None, role: Role, province: Province | None, unit: Unit | None,
           existing: User | None = None, full_name: str = "") -> dict[str, str]:
    errors: dict[str, str] = {}
    if not username or len(username) > 60 or not username.replace(".", "").replace("_", "").replace("-", "").isalnum():
        errors["username"] = "Tên đăng nhập chỉ gồm chữ, số, dấu chấm, gạch dưới, gạch ngang (tối đa 60 ký tự)."
    else:
        clash = db.session.scalar(sa.select(User).where(User.username == username))
        if clash is not None and clash is not existing:
            errors["username"] = f"Tên đăng nhập «{username}» đã có người dùng."
    problem = password_problem(password, username=username, full_name=full_name) if password is not None else None
    if problem:
        errors["password"] = problem
    if role == Role.COMMUNE:
        if unit is None:
            errors["unit"] = "Cán bộ xã, phường phải gắn với một đơn vị."
        elif unit.kind not in (UnitKind.NEW_COMMUNE, UnitKind.PROVINCIAL_BODY):
            errors["unit"] = "Cán bộ xã, phường chỉ gắn với đơn vị mới hoặc cơ quan cấp tỉnh đang hoạt động."
    if unit is not None and province is not None and unit.province_id != province.id:
        errors["unit"] = "Đơn vị không thuộc tỉnh đã chọn."
    return errors


def create_user(username: str, password: str, role: Role, *, full_name: str = "", position: str = "",
                province: Province | None = None, unit: Unit | None = None, actor: User | None = None) -> User:
    """Create a user with a hashed password; raises ValidationError naming the field."""
    username = (username or "").strip()
    if role == Role.COMMUNE and unit is not None:
        province = unit.province
    errors = _check(username, password, role, province, unit, full_name=full_name)
    if errors:
        raise ValidationError(errors)
    user = User(username=username, role=role, full_name=full_name.strip(), position=position.strip(),
                province=province, unit=unit)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    audit.log("user_created", actor, user, role=role.value, username_created=username)
    return user


def update_user(user: User, *, role: Role, full_name: str, position: str, province: Province | None,
                unit: Unit | None, active: bool, password: str | None = None, actor: User | None = None) -> User:
    """Change a user's role, scope, activity or password."""
    if role == Role.COMMUNE and unit is not None:
        province = unit.province
    errors = _check(user.username, password or None, role, province, unit, existing=user, full_name=full_name)
    if errors:
        raise ValidationError(errors)
    before = {"role": user.role.value, "province_id": user.province_id, "unit_id": user.unit_id, "active": user.active}
    user.role, user.full_name, user.position = role, full_name.strip(), position.strip()
    user.province, user.unit, user.active = province, (unit if role == Role.COMMUNE else None), active
    if password:
        user.set_password(password)  # ends every session of theirs
    if before["active"] and not active:
        user.end_sessions()
    db.session.flush()
    after = {"role": user.role.value, "province_id": user.province_id, "unit_id": user.unit_id, "active": user.active}
    audit.log("user_updated", actor, user, before=before, after=after, password_changed=bool(password))
    return user
