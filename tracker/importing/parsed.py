"""What parsing a file gives back: its sheets, their columns and rows, how choice values were read.

Plain data, pickled between an upload's preview and its commit (tracker/importing/uploads.py).
``tracker.importing.parse`` builds these and re-exports them.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import NamedTuple

from tracker.importing.context import TitleContext
from tracker.importing.mapping import Mapping
from tracker.importing.totals import TotalCheck
from tracker.models import AssetKind

# Where a holder's name was found, as the prefix of each entry of ParsedRow.holder, strongest first.
COLUMN, NAME, SECTION, UNIT_SECTION, FONDS = "c:", "n:", "s:", "u:", "f:"
EXPLICIT = (COLUMN, SECTION, UNIT_SECTION)  # a name there that matches no unit is refused, not passed over
FROM_LABELS = {COLUMN: "cột đơn vị", NAME: "tên tài sản", SECTION: "dòng mục", UNIT_SECTION: "dòng mục",
               FONDS: "tên phông"}


class ParsedRow(NamedTuple):
    """One data row: its number in the sheet, the holders named for it, its typed values and any errors."""

    number: int
    holder: tuple[str, ...]  # holder names, strongest first, each prefixed with where it was found (COLUMN…)
    receiver_label: str | None
    values: tuple  # in the order of ParsedSheet.value_names
    errors: list[tuple[str, str]] | None  # (field, message)


_new_row = partial(tuple.__new__, ParsedRow)  # builds 100,000 rows without a Python call each


@dataclass
class ValueReading:
    """How one written value of a choice column was read: to which choice, how, how many times."""

    written: str
    value: str | None  # the choice's stored value, None when nothing matched
    how: str | None  # exact, phrase, nearest, mapping (the officer's), None
    count: int = 0


@dataclass
class ParsedSheet:
    """One sheet understood: its kind, columns, data rows, skipped rows and sum checks."""

    name: str
    kind: AssetKind | None = None
    kind_reason: str = ""  # why this kind (Vietnamese), or why none could be told
    kind_mapped: bool = False  # the officer chose the kind
    header_row: int | None = None  # 1-based
    columns: list[tuple[str, str, str]] = field(default_factory=list)  # (letter, header as written, field label)
    column_fields: dict[str, str] = field(default_factory=dict)  # letter -> field name, recognised or mapped
    mapped_letters: set[str] = field(default_factory=set)  # columns the officer's mapping decided
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (letter, header) recognised as nothing
    column_labels: dict[str, str] = field(default_factory=dict)  # field name -> "«header» (cột H)"
    ignored: list[str] = field(default_factory=list)
    present: frozenset[str] = frozenset()  # fields the sheet gives (updates change only these)
    value_names: tuple[str, ...] = ()
    rows: list[ParsedRow] = field(default_factory=list)
    skipped: Counter = field(default_factory=Counter)
    sections: list[tuple[int, str, str]] = field(default_factory=list)  # (row, class label, text)
    totals: list[TotalCheck] = field(default_factory=list)
    context: TitleContext = field(default_factory=TitleContext)
    notes: list[str] = field(default_factory=list)  # what the importer inferred, for the officer to check
    money_scales: dict[str, int] = field(default_factory=dict)  # money field -> 1,000 or 1,000,000
    readings: dict[str, dict[str, ValueReading]] = field(default_factory=dict)  # field -> value key -> reading
    error: str | None = None  # the whole sheet refused (no kind, missing required column)
    note: str | None = None  # the sheet ignored (no header): a warning, not a refusal

    def __getstate__(self) -> dict:
        # Rows as plain tuples: pickle handles 100,000 of them in half the time of named tuples.
        return self.__dict__ | {"rows": list(map(tuple, self.rows))}

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state, rows=list(map(_new_row, state["rows"])))


@dataclass
class ParsedFile:
    """What a file says, before any database lookup."""

    filename: str
    sha256: str
    size: int
    format: str
    sheets: list[ParsedSheet]
    source_key: str = ""  # the letterhead, folded: the mapping is remembered per source
    source_label: str = ""
    mapping: Mapping = field(default_factory=Mapping)  # the rules applied (remembered, then this upload's)

    @property
    def data_sheets(self) -> list[ParsedSheet]:
        return [s for s in self.sheets if s.kind is not None and s.error is None]
