"""Shared pieces of the security tests: people, two provinces of objects, the database's digest,
what a response shows, and URLs built from the URL map with chosen ids.

The route walk itself reuses ``tests/test_access.py`` (``_rules``, ``_declared``, ``Objects.path``):
only the ids put into the URLs differ here. Passwords are this module's own (a phrase the
password rules accept), so these tests do not depend on the suite's default password.
"""
from __future__ import annotations

import hashlib
import html
import io
import json
import re
import zipfile
from collections.abc import Iterable
from types import SimpleNamespace

import sqlalchemy as sa
from werkzeug.routing import Rule

from tests.conftest import Auth, csrf_token
from tests.handover_factory import HANDOVER_DATE
from tests.test_access import Objects, _declared, _rules  # noqa: F401  (re-exported)
from tracker.models import AssetKind, Role, Unit, UnitKind, UnitSuccession

PASSWORD = "gió mùa - đồi chè - 83 bậc thang"
# Every name of the other province carries this, so one search finds any of them in a response.
FOREIGN_MARK = "Hắc Sơn"
FOREIGN_CODES = ("HS-TS-00001", "HS-XE-00001", "HS-TB-00001", "HS-TB-00002", "HS-LT-00001")
FOREIGN_PLATE = "99H-987.65"
ROLES_IN_A_PROVINCE = (Role.OFFICER, Role.AUDITOR, Role.COMMUNE)  # admins see every province


def person(role: Role, username: str, *, province=None, unit=None, full_name: str | None = None):
    """A user through the real service, with this module's password; committed."""
    from tracker.admin.services import create_user
    from tracker.extensions import db

    user = create_user(username, PASSWORD, role, province=None if role == Role.ADMIN else province, unit=unit,
                       full_name=full_name or username)
    db.session.commit()
    return user


def signed_in(browser, user):
    """A separate browser signed in as ``user``."""
    client = browser()
    response = Auth(client).login(user.username, PASSWORD)
    assert response.status_code == 302, f"{user.username} could not sign in: {response.status_code}"
    return client


def token_of(client) -> str:
    """A CSRF token for this browser (the register page carries the layout's)."""
    return csrf_token(client, "/assets/")


# --- what the database holds ---------------------------------------------------------------------

def digest(connection) -> dict[str, tuple[int, str]]:
    """Every table: (row count, SHA-256 of all its rows sorted). Read on the test's connection."""
    result = {}
    for name in sorted(sa.inspect(connection).get_table_names()):
        rows = connection.execute(sa.text(f'SELECT * FROM "{name}"')).all()
        lines = sorted(repr(tuple(row)) for row in rows)
        result[name] = (len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    return result


def changed_tables(before: dict, after: dict) -> list[str]:
    return [name for name in sorted(set(before) | set(after)) if before.get(name) != after.get(name)]


def connection_of(db):
    """The connection every request of the test runs on (the conftest's rolled-back one)."""
    return db.session.get_bind()


# --- what a response shows -----------------------------------------------------------------------

def shown_text(response) -> str:
    """Everything a person could read in a response: HTML unescaped, JSON decoded (not \\u-escaped),
    every XML part of an .xlsx or .docx."""
    data = response.get_data()
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = [archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                     if n.endswith((".xml", ".rels"))]
        return html.unescape("\n".join(parts))
    text = data.decode("utf-8", "replace")
    if response.is_json:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return html.unescape(text)


def foreign_traces(text: str, world) -> list[str]:
    """The names and codes of the other province that appear in ``text``."""
    folded = text.casefold()
    return [m for m in world.markers if m.casefold() in folded]


_MESSAGE = re.compile(r'<div class="(?:alert alert-[a-z]+|invalid-feedback d-block)"[^>]*>(.*?)</div>', re.S)


def messages(response_text: str, ids: Iterable[int] = ()) -> list[str]:
    """The flashed messages and field errors of a page, with the given ids written as '<id>'."""
    found = [html.unescape(m).strip() for m in _MESSAGE.findall(response_text)]
    for value in sorted({str(i) for i in ids}, key=len, reverse=True):
        found = [re.sub(rf"\b{value}\b", "<id>", m) for m in found]
    return found


# --- the two provinces -----------------------------------------------------------------------------

def _unit(db, province, kind: UnitKind, name: str, key: str, parent=None):
    unit = Unit(source_key=f"test:hacson:{key}", code=f"HS{key[:6]}", kind=kind, name=name,
                name_folded=name.lower(), province=province, parent=parent,
                old_province_name="Tỉnh Hắc Sơn" if kind.dissolved else None,
                dissolved_on=HANDOVER_DATE if kind.dissolved else None)
    db.session.add(unit)
    return unit


def foreign_world(db):
    """Another province, Hắc Sơn, with units, assets of every kind, a signed handover, a draft, a
    user, an API token, a norm, a type rule and an import batch: every kind of object a URL names."""
    from tests.handover_factory import draft, signed
    from tracker.api.tokens import create_token
    from tracker.assets.services import create_asset
    from tracker.flags.norms import services as norms
    from tracker.handovers import services
    from tracker.models import Agency, ImportBatch, Province

    province = Province(code=97, name="Tỉnh Hắc Sơn", name_folded="tinh hac son")
    db.session.add(province)
    district = _unit(db, province, UnitKind.OLD_DISTRICT, "Huyện Hắc Sơn", "district")
    commune = _unit(db, province, UnitKind.OLD_COMMUNE, "Xã Hắc Sơn Cũ", "commune", parent=district)
    ward = _unit(db, province, UnitKind.NEW_COMMUNE, "Phường Hắc Sơn", "ward")
    db.session.flush()
    db.session.add(UnitSuccession(successor_id=ward.id, predecessor_id=commune.id))
    agency = Agency(unit_id=commune.id, name="Thành ủy Hắc Sơn", key="thanh uy hac son")
    db.session.add(agency)
    db.session.commit()
    officer = person(Role.OFFICER, "hacson_officer", province=province, full_name="Cán bộ Hắc Sơn")
    clerk = person(Role.COMMUNE, "hacson_clerk", unit=ward, full_name="Văn thư Hắc Sơn")

    def make(kind, code, name, **fields):
        asset = create_asset(kind, {"code": code, "name": name, **fields}, officer, unit=commune, receiver=ward)
        db.session.commit()
        return asset

    hq = make(AssetKind.HEADQUARTERS, "HS-TS-00001", "Trụ sở Thành ủy Hắc Sơn", address="Số 1 đường Hắc Sơn")
    hq.agency_id = agency.id
    car = make(AssetKind.VEHICLE, "HS-XE-00001", "Xe ô tô Hắc Sơn", plate=FOREIGN_PLATE)
    projector = make(AssetKind.EQUIPMENT, "HS-TB-00001", "Máy chiếu Hắc Sơn", equipment_type="Máy chiếu")
    printer = make(AssetKind.EQUIPMENT, "HS-TB-00002", "Máy in Hắc Sơn", equipment_type="Máy in")
    box = make(AssetKind.ARCHIVE_BOX, "HS-LT-00001", "Hộp hồ sơ Hắc Sơn", fonds="Phông UBND xã Hắc Sơn",
               box_no="77", arrangement="unsorted")
    parties = [services.PartyInput("giver", "Đinh Hắc Sơn", "Chủ tịch UBND xã Hắc Sơn Cũ"),
               services.PartyInput("receiver", "Lò Văn Hắc Sơn", "Chủ tịch UBND phường Hắc Sơn"),
               services.PartyInput("witness", "Vi Thị Hắc Sơn", "Phó Giám đốc", "Sở Tài chính tỉnh Hắc Sơn")]
    handover = signed(db, officer, commune, ward, [hq, car, projector], place="Trụ sở UBND phường Hắc Sơn",
                      parties=parties, remarks="Bàn giao tại Hắc Sơn")
    archive_draft = draft(db, officer, commune, ward, doc_type="archives", place="Kho lưu trữ Hắc Sơn",
                          parties=parties)
    services.add_assets(archive_draft, [box], officer)
    _row, raw_token = create_token(officer, "Khóa Hắc Sơn")
    token = _row
    norms.ensure_default_norms(province)
    rule = norms.save_rule(province, officer, pattern="Máy đo Hắc Sơn", item_type=norms.OTHER, priority="50")
    norm = norms.norms_of(province.id)[0]
    batch = ImportBatch(user_id=officer.id, province_id=province.id, filename="Danh sách Hắc Sơn.xlsx",
                        sha256="0" * 64, summary={"note": "Hắc Sơn"})
    db.session.add(batch)
    db.session.commit()
    items = list(handover.items) + list(archive_draft.items)
    world = SimpleNamespace(
        province=province, district=district, commune=commune, ward=ward, agency=agency, officer=officer,
        clerk=clerk, assets=[hq, car, projector, printer, box], free_asset=printer, handover=handover,
        draft=archive_draft, items=items, token=token, rule=rule, norm=norm, batch=batch,
        markers=[FOREIGN_MARK, "hac son", *FOREIGN_CODES, FOREIGN_PLATE, handover.verification_code])
    # Ids a URL or a form may name, by parameter; several where the kinds of object differ.
    world.path_ids = {
        "asset_id": [printer.id, projector.id], "unit_id": [commune.id, ward.id],
        "handover_id": [handover.id, archive_draft.id], "item_id": [items[0].id], "user_id": [clerk.id],
        "token_id": [token.id], "rule_id": [rule.id], "batch_id": [batch.id],
    }
    # GET parameters naming an object (filters of the register, exports, API, flags, audit log).
    world.query_ids = {
        "unit_id": commune.id, "district_id": district.id, "receiver_id": ward.id, "holder_id": commune.id,
        "province_id": province.id, "province": province.id, "unit": ward.id, "handover": handover.id,
        "object_id": handover.id,
    }
    return world


def home_world(db, unit_by_name):
    """Thái Nguyên: its officer, auditor and the staff of Phường Sông Công, with a draft of the
    officer's (so foreign ids can be posted to it), a signed handover to the ward and a free asset."""
    from tests.handover_factory import draft, equipment, signed, units

    giver, ward = units(unit_by_name)
    users = {Role.OFFICER: person(Role.OFFICER, "home_officer", province=_province(db)),
             Role.AUDITOR: person(Role.AUDITOR, "home_auditor", province=_province(db)),
             Role.COMMUNE: person(Role.COMMUNE, "home_clerk", unit=ward),
             Role.ADMIN: person(Role.ADMIN, "home_admin")}
    officer = users[Role.OFFICER]

    def make_asset(kind=AssetKind.EQUIPMENT, unit=None, receiver=None, actor=None, **fields):
        from tracker.assets.services import create_asset

        asset = create_asset(kind, fields, actor or officer, unit=unit or giver, receiver=receiver)
        db.session.commit()
        return asset

    delivered_assets = equipment(make_asset, giver, 2, start=901)
    free = equipment(make_asset, giver, 1, start=951)[0]
    handover = signed(db, officer, giver, ward, delivered_assets)
    open_draft = draft(db, officer, giver, ward)
    return SimpleNamespace(users=users, giver=giver, ward=ward, asset=free, handover=handover, draft=open_draft,
                           make_asset=make_asset)


def _province(db):
    from tracker.models import Province

    return db.session.scalar(sa.select(Province).where(Province.code == 19))


class Ids(Objects):
    """``test_access.Objects.path`` with ids of our choosing: parameter name -> id (None: none)."""

    def __init__(self, ids: dict[str, int | None]):  # noqa: D107 - no rows of its own
        self.ids = ids

    def id_for(self, name: str) -> int | None:
        found = self.ids.get(name, MISSING_ID)
        return MISSING_ID if found is None else found


def int_arguments(rule: Rule) -> list[str]:
    """The rule's '<int:...>' arguments."""
    from werkzeug.routing import IntegerConverter

    return sorted(name for name in rule.arguments - set(rule.defaults or {})
                  if isinstance(rule._converters.get(name), IntegerConverter))


# Ids no row has. Nine digits: some parsers ignore longer ids (``flags.access.int_arg``), which
# would compare a foreign id with no id at all rather than with a missing one.
MISSING_ID = 987_654_321


def missing_ids(count: int) -> list[int]:
    """Ids no row has, as many as asked (for 'a foreign id answers like a missing one')."""
    return [MISSING_ID - i for i in range(count)]
