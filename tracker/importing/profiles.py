"""Remembering what officers told the importer, per province and source, and reading mapping files.

A profile is one ``ImportMapping`` row: the province, the source (its letterhead folded; '' for
lists without one) and the rules. A parse gets every profile of the officer's province as a
``MappingBook``; a commit adds the rules its upload brought to its source's profile, in the
same transaction as the assets, so a refused commit remembers nothing.
"""
from __future__ import annotations

import json

import sqlalchemy as sa

from tracker.extensions import db
from tracker.importing.mapping import Mapping, MappingBook, read_mapping_file
from tracker.importing.units import UnitResolver
from tracker.models import ImportMapping, User


def _scope(province_id: int | None):
    return ImportMapping.province_id.is_(None) if province_id is None else ImportMapping.province_id == province_id


def mapping_book(province_id: int | None, edits: Mapping | None = None) -> MappingBook:
    """Every remembered rule of the province, and this upload's on top."""
    book = MappingBook(edits=edits or Mapping())
    for profile in db.session.scalars(sa.select(ImportMapping).where(_scope(province_id))):
        rules = Mapping.from_json(profile.rules)
        if profile.source_key:
            book.by_source[profile.source_key] = rules
        else:
            book.general = rules
    return book


def profile(province_id: int | None, source_key: str) -> ImportMapping | None:
    return db.session.scalar(sa.select(ImportMapping).where(_scope(province_id),
                                                            ImportMapping.source_key == source_key))


def remember(province_id: int | None, source_key: str, source_label: str, rules: Mapping, actor: User | None
             ) -> ImportMapping:
    """Add ``rules`` to the source's profile (creating it); flushes, the caller commits."""
    found = profile(province_id, source_key)
    if found is None:
        found = ImportMapping(province_id=province_id, source_key=source_key, source_label=source_label[:300], rules={})
        db.session.add(found)
    found.rules = Mapping.from_json(found.rules).merged(rules).to_json()
    found.source_label = source_label[:300] or found.source_label
    found.updated_by_id = actor.id if actor else None
    db.session.flush()
    return found


def unit_finder(actor: User | None):
    """A lookup for mapping files: a dissolved unit's name or code -> (source_key, name), or a reason."""
    from tracker.importing.plan import scope_provinces

    units = UnitResolver(scope_provinces(actor))

    def find(name: str):
        unit_id, problem = units.resolve(name)
        if unit_id is None:
            return problem
        unit = units.by_id[unit_id]
        return unit.source_key, unit.name
    return find


def read_file(data: bytes, actor: User | None) -> tuple[Mapping, list[str]]:
    """A mapping file (JSON, UTF-8) as an officer writes it -> (Mapping, Vietnamese errors)."""
    try:
        content = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        return Mapping(), [f"Tệp ánh xạ không phải JSON hợp lệ ({exc})."]
    return read_mapping_file(content, unit_finder(actor))
