"""The new assets of an import as INSERT rows and creation events, built column by column.

Building 100,000 rows one at a time (a dict, a search text, a ``json.dumps`` each) was a fifth
of an import's time. Here each column is handled once: values repeated down a column (types,
units of measure, conditions, the unit) are folded and JSON-encoded once, and rows are
assembled by ``zip``. The result is exactly what the per-row code gave: the search text of
``services.search_text`` and, for the event, the text ``json.dumps`` writes for the changes
``history.record`` records at creation (every non-empty tracked field against null).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from json.encoder import encode_basestring_ascii

from tracker.assets.services import SEARCH_FIELDS, search_text
from tracker.history import TRACKED, plain
from tracker.models import Asset, AssetStatus
from tracker.text import compact, fold_column

ASSET_COLUMNS = tuple(c.key for c in Asset.__table__.columns)
EVENT_COLUMNS = ("asset_id", "at", "user_id", "action", "changes", "import_id")
_DECIMALS = ("land_area", "floor_area", "linear_m")
# Filled from the plan rather than from the sheet's values.
_FROM_PLAN = ("id", "code", "search_text", "province_id", "unit_id", "holder_id", "receiver_id", "agency_id")
# json.dumps builds its C encoder anew on every call; one built once writes the same text faster.
_ENCODE = json.encoder.c_make_encoder(None, None, encode_basestring_ascii, None, ": ", ", ", False, False,
                                      True) if json.encoder.c_make_encoder else None


def encode_json(value) -> str:
    """``json.dumps(value)``, as SQLAlchemy's JSON type writes it."""
    return "".join(_ENCODE(value, 0)) if _ENCODE else json.dumps(value)


def search_texts(columns: dict[str, Sequence], count: int) -> list[str]:
    """``services.search_text`` of each row, given the rows' values as columns."""
    folded = [fold_column(columns[name]) for name in SEARCH_FIELDS if name in columns and any(columns[name])]
    if any("" in column for column in folded):  # a value that folds to nothing: keep search_text's spacing
        names = [name for name in SEARCH_FIELDS if name in columns]
        return [search_text(dict(zip(names, row))) for row in zip(*(columns[name] for name in names))]
    texts = [" ".join(filter(None, row)) for row in zip(*folded)] if folded else [""] * count
    if any(columns.get("plate") or ()):
        texts = [f"{text} {compact(plate)}" if plate else text for text, plate in zip(texts, columns["plate"])]
    return [text if len(text) <= 800 else text[:800] for text in texts]


def _encoder(values: Sequence):
    """What writes one column's values as ``json.dumps`` does: its string escaper for text, ``int``'s repr for
    whole numbers (neither wrapped in a Python call), json itself for anything else (yes/no, …)."""
    classes = {value.__class__ for value in values if value is not None}
    if all(issubclass(cls, str) for cls in classes):
        return encode_basestring_ascii
    if classes == {int}:
        return int.__repr__
    return encode_json


def json_fragments(name: str, values: Sequence) -> list[str | None]:
    """'"name": [null, <value as JSON>]' for each value; None where the value is None."""
    head = f"{encode_basestring_ascii(name)}: [null, "
    distinct = dict.fromkeys(values)
    # Each distinct value once, unless the column mixes types (True, 1 and 1.0 are one key of a dict).
    if len(distinct) * 4 <= len(values) and len({v.__class__ for v in distinct if v is not None}) <= 1:
        encode = _encoder(distinct)
        table = {v: None if v is None else f"{head}{encode(v)}]" for v in distinct}
        return list(map(table.__getitem__, values))
    encode = _encoder(values)
    return [None if v is None else f"{head}{encode(v)}]" for v in values]


def creation_events(names: Sequence[str], columns: dict[str, Sequence]) -> list[str]:
    """The JSON of each row's creation changes: ``json.dumps({name: [None, value], …})`` minus the Nones."""
    fragments = [json_fragments(name, columns[name]) for name in names]
    return ["{" + ", ".join(filter(None, row)) + "}" for row in zip(*fragments)]


class CreationRows:
    """INSERT rows for the new assets of one sheet and their creation events.

    Only the columns the sheet's kind can fill are written (the others stay NULL), which
    spares binding some twenty empty parameters per row.
    """

    def __init__(self, sheet, *, sqlite: bool, actor_id: int | None, batch_id: int, event_at, now_bound):
        self.sheet, self.sqlite = sheet, sqlite
        self.names = sheet.value_names
        self.constants = {"kind": sheet.kind.value, "status": AssetStatus.REGISTERED.value, "created_at": now_bound,
                          "updated_at": now_bound, "version": 1}
        filled = set(self.names) | set(_FROM_PLAN) | set(self.constants)
        self.columns = tuple(c for c in ASSET_COLUMNS if c in filled)
        self.written = self.columns  # of the last batch built: ``columns`` less those no row of it fills
        self.event_names = [c for c in TRACKED if c in filled]  # tracked columns this kind can fill
        self.event_constants = (event_at, actor_id, "imported", batch_id)

    def build(self, creates: Sequence, ids: Sequence[int], provinces: dict[int, int],
              agencies: dict[int, int] | None = None) -> tuple[list, list]:
        """(asset rows in the order of ``written``, event rows in the order of EVENT_COLUMNS).

        ``agencies`` turns the plan's temporary ids of new agencies (negative) into the created ones."""
        count = len(creates)
        rows = self.sheet.rows
        columns: dict[str, Sequence] = dict(zip(self.names, zip(*[rows[c.index].values for c in creates])))
        units = [c.unit_id for c in creates]
        columns.update(id=ids, code=[c.code for c in creates], unit_id=units, holder_id=units,
                       province_id=[provinces[u] for u in units], receiver_id=[c.receiver_id for c in creates],
                       agency_id=[(agencies or {}).get(c.agency_id, c.agency_id) for c in creates])
        columns["search_text"] = search_texts(columns, count)
        columns.update({name: [value] * count for name, value in self.constants.items()})
        event_columns = columns
        decimals = [name for name in _DECIMALS if name in columns and any(v is not None for v in columns[name])]
        if decimals:
            # The event holds plain() of a decimal (a string); SQLite, which has no decimals, gets text.
            event_columns = columns | {n: [None if v is None else plain(v) for v in columns[n]] for n in decimals}
            if self.sqlite:
                columns |= {n: [None if v is None else str(v) for v in columns[n]] for n in decimals}
        # A column no row of this batch fills is left out of the INSERT (it stays NULL): binding 100,000
        # NULLs for each of the kind's unused fields costs the write a tenth of a second each.
        self.written = tuple(name for name in self.columns if list(columns[name]).count(None) != count)
        assets = list(zip(*(columns[name] for name in self.written)))
        at, user_id, action, batch_id = self.event_constants
        changes = creation_events(self.event_names, event_columns)
        events = [(asset_id, at, user_id, action, text, batch_id) for asset_id, text in zip(ids, changes)]
        return assets, events

