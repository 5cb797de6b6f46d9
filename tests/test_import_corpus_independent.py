"""A second corpus, typed and described by someone who never read the importer (tests/corpus/independent/).

Eighteen more hand-made lists (648 assets: a whole city's equipment by agency, cars of several
districts, old Bắc Kạn units, UTF-16 text, Windows-1258…), and in ``expected.toml`` what a person
reading each one says it holds, written without running or reading ``tracker/importing``. Each
goes in unchanged through ``flask assets import`` (with the officer's mapping file where it
needs one) and the totals, units, agencies, conditions and spot checks must agree exactly.
"""
from __future__ import annotations

import tomllib
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa

from tracker.models import Asset, AssetKind, Role

FOLDER = Path(__file__).resolve().parent / "corpus" / "independent"
FILES = tomllib.loads((FOLDER / "expected.toml").read_text(encoding="utf-8"))["file"]


def _find(db, key: str) -> list[Asset]:
    how, _sep, value = key.partition(":")
    if how == "box" or "|" in value and how not in ("name", "code", "plate"):
        fonds, box = value.rsplit("|", 1)
        return list(db.session.scalars(sa.select(Asset).where(Asset.fonds == fonds, Asset.box_no == box)))
    if how == "name":
        return list(db.session.scalars(sa.select(Asset).where(Asset.name == value)))
    if how == "code":
        return list(db.session.scalars(sa.select(Asset).where(Asset.code == value)))
    if "|" in key:  # "fonds|box" without a prefix
        fonds, box = key.rsplit("|", 1)
        return list(db.session.scalars(sa.select(Asset).where(Asset.fonds == fonds, Asset.box_no == box)))
    plate = value if how == "plate" else key
    found = list(db.session.scalars(sa.select(Asset).where(Asset.plate == plate)))
    return found or list(db.session.scalars(sa.select(Asset).where(Asset.code == key)))


@pytest.mark.parametrize("entry", FILES, ids=[f["path"].split("-", 1)[0] for f in FILES])
def test_an_independently_described_list_goes_in_as_its_reader_says(db, runner, make_user, entry):
    officer = make_user(Role.OFFICER)
    args = ["assets", "import", str(FOLDER / entry["path"]), "--user", officer.username]
    if entry["mapping"]:
        args += ["--mapping", str(FOLDER / entry["mapping"])]
    if entry["default_unit"]:
        args += ["--unit", entry["default_unit"]]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output[-3000:]
    expect = entry["expect"]
    assets = db.session.scalars(sa.select(Asset)).all()
    seen = {
        "created": len(assets),
        "by_kind": dict(Counter(a.kind.value for a in assets)),
        "original_cost": sum(a.original_cost for a in assets),
        "remaining_value": sum(a.remaining_value for a in assets),
        "quantity": sum(a.quantity for a in assets),
        "by_unit": dict(Counter(a.unit.name for a in assets)),
        "by_agency": dict(Counter(f"{a.unit.name} / {a.agency.name}" for a in assets if a.agency)),
        "by_condition": dict(Counter(a.condition.label for a in assets)),
        "by_arrangement": dict(Counter(a.arrangement.label for a in assets if a.kind == AssetKind.ARCHIVE_BOX)),
    }
    wanted = {key: expect.get(key, {}) for key in seen}
    assert seen == wanted, entry["path"]
    for spot in expect.get("assets", []):
        found = _find(db, spot["key"])
        assert len(found) == 1, (entry["path"], spot["key"], len(found))
        asset = found[0]
        actual = {"name": asset.name, "unit": asset.unit.name, "agency": asset.agency.name if asset.agency else "",
                  "condition": asset.condition.label}
        for field in spot:
            if field in ("key",) or field in actual:
                continue
            value = getattr(asset, field)
            actual[field] = value.label if hasattr(value, "label") else value
        assert actual == {k: v for k, v in spot.items() if k != "key"}, (entry["path"], spot["key"])
