"""Writing the audit log. Services call ``log``; it flushes, never commits."""
from __future__ import annotations

from typing import Any

from flask import has_request_context, request

from tracker.extensions import db
from tracker.models import AuditEntry, User


def log(action: str, user: User | None = None, obj: Any = None, username: str = "", **detail: Any) -> AuditEntry:
    """Append one entry; the caller's transaction commits it with the change it describes."""
    entry = AuditEntry(
        action=action,
        user_id=user.id if user is not None else None,
        username=username or (user.username if user is not None else ""),
        object_type=type(obj).__tablename__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        detail=detail or None,
        ip=request.remote_addr if has_request_context() else None,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
