"""What the load run needs besides the demo province: accounts for every simulated person, and
handovers already signed, so that commune staff have something to confirm from the first second.

Run by ``benchmarks/load_run.py`` in a process of its own with the run's ``DATABASE_URL`` and
``TRACKER_INSTANCE``:

    .venv/bin/python benchmarks/load_seed.py --demo --per-role 50 --plan benchmarks/out/load/plan.json

``--demo`` first runs ``flask db upgrade`` and ``flask demo --no-serve``: the same commands, through
Flask's CLI runner in this process, so the app is imported once instead of three times (seconds
each on a busy 2-core machine, and the short load run is part of the test suite).

Writes the plan the locustfile reads: the accounts by role, the password, the units an officer
prepares handovers for (a dissolved unit and where its things go), the words officers search for
and the filters auditors use. Every handover goes through the real services (tests/handover_factory.py).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PASSWORD = "Cay-bang-ven-song-42"  # the test password of docs/HELPERS.md (passes the zxcvbn rule)
RECEIVING_WARDS = ("Phường Sông Công", "Phường Bá Xuyên", "Phường Bách Quang")
SIGNED_PER_WARD = 2  # handovers signed in advance for each ward, from two of its old communes
ITEMS_PER_SIGNED = 25
# What officers type in the register's search box and auditors narrow the register to.
SEARCH_TERMS = ("may tinh", "dieu hoa", "may in", "o to", "ban ghe", "tu tai lieu", "thang loi", "van ban chi dao")
AUDIT_FILTERS = ({"kind": "equipment", "condition": "needs_repair"}, {"kind": "equipment", "condition": "damaged"},
                 {"kind": "archive_box"}, {"kind": "vehicle"}, {"kind": "headquarters"}, {"status": "signed"},
                 {"status": "issued"}, {"status": "received"})


def _accounts(per_role: int, song_cong) -> dict[str, list[dict]]:
    """``per_role`` officers, auditors and commune staff (spread over the receiving wards), one
    password hash shared by all: hashing 150 passwords one by one would cost the seed 15 s."""
    from werkzeug.security import generate_password_hash

    from tracker.extensions import db
    from tracker.models import Role, User

    province = song_cong.city.province
    wards = [song_cong.receivers[name] for name in RECEIVING_WARDS]
    password_hash = generate_password_hash(PASSWORD)
    plan: dict[str, list[dict]] = {"officer": [], "commune": [], "auditor": []}
    for number in range(1, per_role + 1):
        for role, key in ((Role.OFFICER, "officer"), (Role.COMMUNE, "commune"), (Role.AUDITOR, "auditor")):
            unit = wards[(number - 1) % len(wards)] if role == Role.COMMUNE else None
            username = f"load-{key}-{number:03d}"
            user = User(username=username, role=role, full_name=f"Người dùng thử tải {key} {number}",
                        position="Thử tải", province=province, unit=unit)
            user.password_hash = password_hash
            db.session.add(user)
            plan[key].append({"username": username, "unit_id": unit.id if unit else None})
    db.session.flush()
    return plan


def _signed_handovers(officer, song_cong) -> list[dict]:
    """For each receiving ward, handovers from two of its old communes, signed and waiting for receipt."""
    from tests.handover_factory import signed
    from tracker.extensions import db
    from tracker.handovers import services
    from tracker.models import Asset, AssetKind, Handover, HandoverStatus

    made = []
    for ward_name in RECEIVING_WARDS:
        ward = song_cong.receivers[ward_name]
        givers = sorted((u for u in ward.predecessors if u.is_dissolved), key=lambda u: u.name)[:SIGNED_PER_WARD]
        for giver in givers:
            probe = Handover(giver_id=giver.id, doc_type="assets")
            assets = db.session.scalars(sa.select(Asset).where(services.handable(probe), Asset.kind == AssetKind.EQUIPMENT)
                                        .order_by(Asset.id).limit(ITEMS_PER_SIGNED)).all()
            if not assets:
                continue
            handover = signed(db, officer, giver, ward, assets, place=f"Trụ sở UBND {ward_name.lower()}")
            assert handover.status == HandoverStatus.SIGNED
            made.append({"id": handover.id, "receiver_id": ward.id, "giver": giver.name, "items": len(assets)})
    return made


def _givers(song_cong) -> list[dict]:
    """The dissolved units whose inventory officers hand over, each with the unit that takes it and
    how many assets and archive boxes it holds (an officer prepares archives only where there are boxes)."""
    from tracker.extensions import db
    from tracker.models import Asset, AssetKind

    city = song_cong.city
    pairs = [(city, song_cong.receivers["Phường Sông Công"])]
    pairs += [(c, c.successors[0]) for c in sorted(song_cong.communes.values(), key=lambda u: u.name) if c.successors]
    boxes = Asset.kind == AssetKind.ARCHIVE_BOX
    counts = dict(db.session.execute(sa.select(Asset.holder_id, sa.func.count().filter(~boxes))
                                     .group_by(Asset.holder_id)).tuples().all())
    box_counts = dict(db.session.execute(sa.select(Asset.holder_id, sa.func.count().filter(boxes))
                                         .group_by(Asset.holder_id)).tuples().all())
    return [{"id": giver.id, "name": giver.name, "receiver_id": receiver.id, "assets": counts.get(giver.id, 0),
             "archive_boxes": box_counts.get(giver.id, 0)} for giver, receiver in pairs
            if counts.get(giver.id, 0) or box_counts.get(giver.id, 0)]


def seed(per_role: int) -> dict:
    """Create the accounts and the signed handovers; return the plan (committed)."""
    from tracker.demo.generator import find_units
    from tracker.extensions import db
    from tracker.models import Role, User

    song_cong = find_units()
    accounts = _accounts(per_role, song_cong)
    db.session.commit()
    officer = db.session.scalar(sa.select(User).where(User.role == Role.OFFICER, User.username == "load-officer-001"))
    signed = _signed_handovers(officer, song_cong)
    db.session.commit()
    return {"password": PASSWORD, "accounts": accounts, "signed_handovers": signed, "givers": _givers(song_cong),
            "search_terms": list(SEARCH_TERMS), "audit_filters": list(AUDIT_FILTERS),
            "province_id": song_cong.city.province_id}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-role", type=int, default=50, help="accounts of each role")
    parser.add_argument("--plan", type=Path, required=True, help="where to write the plan (JSON)")
    parser.add_argument("--demo", action="store_true", help="run `flask db upgrade` and `flask demo --no-serve` first")
    args = parser.parse_args(argv)
    from tracker import create_app

    app = create_app()
    if args.demo:
        for command in (["db", "upgrade"], ["demo", "--no-serve"]):
            done = app.test_cli_runner().invoke(args=command)
            print(done.output, end="")
            if done.exit_code != 0:
                raise SystemExit(f"flask {' '.join(command)} failed ({done.exit_code}): {done.exception!r}")
    with app.app_context():
        plan = seed(args.per_role)
    args.plan.parent.mkdir(parents=True, exist_ok=True)
    args.plan.write_text(json.dumps(plan, ensure_ascii=False, indent=1))
    print(f"seeded {sum(len(v) for v in plan['accounts'].values())} accounts, "
          f"{len(plan['signed_handovers'])} signed handovers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
