"""Who is told what. No Flask here: the handover services call these inside their transaction."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tracker.extensions import db
from tracker.models import Handover, HandoverStatus, Notice, Province, Role, User
from tracker.models.base import utcnow

ISSUED, COMPLETED, RECEIPT_FLAG = "issued", "completed", "receipt_flag"
STALLED = {HandoverStatus.ISSUED: "stalled_issued", HandoverStatus.SIGNED: "stalled_signed"}


def _facts(handover: Handover) -> dict[str, Any]:
    """What every notice of a handover says about it; names as they were when it happened."""
    return {"number": handover.number, "doc_type": handover.doc_type, "giver": handover.giver.name,
            "receiver": handover.receiver.name}


def _add(user_ids: Iterable[int], kind: str, handover: Handover | None, params: dict[str, Any]) -> int:
    """One notice per person; one already there for (person, kind, handover) is left as it is."""
    rows = [{"user_id": uid, "kind": kind, "handover_id": handover.id if handover else None, "params": params,
             "created_at": utcnow()} for uid in sorted(set(user_ids))]
    if not rows:
        return 0
    dialect = db.session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notice).on_conflict_do_nothing()
    return len(db.session.scalars(insert.returning(Notice.id), rows).all())  # the ones written, not the skipped


def _people(*conditions: sa.ColumnElement[bool]) -> list[int]:
    return list(db.session.scalars(sa.select(User.id).where(User.active.is_(True), *conditions)))


def _officers_of(province_id: int, *roles: Role) -> list[int]:
    """Officers (or other roles) bound to this province; people of every province are not told of each."""
    return _people(User.role.in_(roles or (Role.OFFICER,)), User.province_id == province_id)


def _who_follows(handover: Handover) -> list[int]:
    """The officer who drafted the handover, or, when gone, the province's officers."""
    if handover.created_by_id is not None and (mine := _people(User.id == handover.created_by_id)):
        return mine
    return _officers_of(handover.province_id)


def handover_issued(handover: Handover, items: int) -> int:
    """The receiving unit's staff: minutes issued to them, waiting for their confirmation."""
    people = _people(User.role == Role.COMMUNE, User.unit_id == handover.receiver_id)
    return _add(people, ISSUED, handover, {**_facts(handover), "items": items})


def receipt_completed(handover: Handover, counts: dict[str, int]) -> int:
    """The officer who follows the handover learns the outcome; when something is missing or
    damaged, the flag is raised for the province's other officers and its auditors too."""
    facts = {**_facts(handover), **counts}
    followers = _who_follows(handover)
    sent = _add(followers, COMPLETED, handover, facts)
    if counts.get("missing", 0) + counts.get("damaged", 0):
        others = set(_officers_of(handover.province_id, Role.OFFICER, Role.AUDITOR)) - set(followers)
        sent += _add(others, RECEIPT_FLAG, handover, facts)
    return sent


def stalled(now: dt.datetime | None = None) -> int:
    """The daily check: each handover stalled past its province's days, told once per stage."""
    from tracker.flags.alerts.flags import stalled_handovers
    from tracker.flags.norms.services import stall_days

    sent = 0
    for province_id in db.session.scalars(sa.select(Province.id)):
        days = stall_days(province_id)
        for flag in stalled_handovers(province_id, days, now=now):
            sent += _add(_who_follows(flag.handover), STALLED[flag.handover.status], flag.handover,
                         {**_facts(flag.handover), "days": flag.days})
    return sent


def unread_count(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Notice).where(
        Notice.user_id == user.id, Notice.read_at.is_(None))) or 0


def mine(user: User) -> sa.Select:
    """A person's notices, newest first."""
    return sa.select(Notice).where(Notice.user_id == user.id).order_by(Notice.id.desc())


def latest_unread(user: User, limit: int = 5) -> list[Notice]:
    return list(db.session.scalars(mine(user).where(Notice.read_at.is_(None)).limit(limit)))


def mark_all_read(user: User) -> int:
    return db.session.execute(sa.update(Notice).where(Notice.user_id == user.id, Notice.read_at.is_(None))
                              .values(read_at=utcnow())).rowcount or 0
