"""Checking an uploaded document or a typed code against the issued minutes.

1. SHA-256 of the upload equals an issued record's (or its signed scan's): it matches.
2. Otherwise a DOCX names its record by the footer code: same code, other bytes = altered; the
   lines that differ from the issued document are shown.
3. A PDF made from the minutes carries the code as text but can never match by hash; a scan
   has no text at all: both are checked by the code printed on the page, typed by a person.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import undefer

from tracker.extensions import db
from tracker.handovers.minutes.verify import (differences, docx_code, docx_lines, find_code, normalize_code,
                                              pdf_text, sha256_hex, sniff)
from tracker.models import Handover, HandoverStatus, StoredFile

MATCH, MATCH_SCAN = "match", "match_scan"
TAMPERED, RESAVED = "tampered", "resaved"
PDF_CODE, SCAN, NO_CODE, UNKNOWN_CODE, UNSUPPORTED, CODE_FOUND = (
    "pdf_code", "scan", "no_code", "unknown_code", "unsupported", "code_found")


@dataclass
class Verdict:
    """What the check found; ``matches`` only for an exact match of an issued record."""

    outcome: str
    handover: Handover | None = None
    sha256: str = ""
    code: str = ""
    differences: list[tuple[str, str]] = field(default_factory=list)

    @property
    def matches(self) -> bool:
        return self.outcome in (MATCH, MATCH_SCAN)


def _issued(condition: sa.ColumnElement[bool]) -> Handover | None:
    return db.session.scalar(sa.select(Handover).where(condition, Handover.status != HandoverStatus.DRAFT,
                                                       Handover.minutes_sha256.is_not(None)).limit(1))


def by_code(code: str) -> Handover | None:
    """The issued handover a verification code names (typed loosely), if any."""
    code = normalize_code(code)
    return _issued(Handover.verification_code == code) if code else None


def _original_lines(handover: Handover) -> list[str]:
    file = db.session.scalar(sa.select(StoredFile).where(StoredFile.id == handover.minutes_file_id)
                             .options(undefer(StoredFile.data)))
    return docx_lines(file.data) if file is not None else []


def verify_document(data: bytes) -> Verdict:
    """Check uploaded bytes; never raises on a malformed file."""
    digest = sha256_hex(data)
    if (handover := _issued(Handover.minutes_sha256 == digest)) is not None:
        return Verdict(MATCH, handover, digest, handover.verification_code or "")
    scan = db.session.scalar(sa.select(Handover).join(StoredFile, StoredFile.id == Handover.signed_file_id)
                             .where(StoredFile.sha256 == digest).limit(1))
    if scan is not None:
        return Verdict(MATCH_SCAN, scan, digest, scan.verification_code or "")
    kind = sniff(data)
    if kind == "docx":
        code = docx_code(data)
        if not code:
            return Verdict(NO_CODE, sha256=digest)
        handover = by_code(code)
        if handover is None:
            return Verdict(UNKNOWN_CODE, sha256=digest, code=code)
        try:
            changed = differences(_original_lines(handover), docx_lines(data))
        except Exception:  # noqa: BLE001 - a broken upload still gets its verdict
            changed = []
        return Verdict(TAMPERED if changed else RESAVED, handover, digest, code, changed)
    if kind == "pdf":
        text = pdf_text(data)
        code = find_code(text or "")
        if code:
            handover = by_code(code)
            return Verdict(PDF_CODE if handover else UNKNOWN_CODE, handover, digest, code)
        return Verdict(SCAN, sha256=digest)
    if kind == "image":
        return Verdict(SCAN, sha256=digest)
    return Verdict(UNSUPPORTED, sha256=digest)


def verify_code(text: str) -> Verdict:
    """Look up a code typed from paper."""
    code = normalize_code(text)
    handover = by_code(code)
    return Verdict(CODE_FOUND if handover else UNKNOWN_CODE, handover, code=code)
