"""Checking a list's own subtotal and total rows against the rows imported. Pure.

A "Cộng" row sums the rows since the previous one (or since its section began); a section row
carrying numbers gives its section's sum; "TỔNG CỘNG" sums the whole sheet, wherever it sits.
A mismatch is a warning in the preview: the officer decides whether the list or its sums are wrong.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from functools import partial

from tracker.assets.fields import fields_for
from tracker.assets.parsing import is_blank, scaled_money
from tracker.formatting import decimal_vn, group_thousands
from tracker.models import AssetKind

SUM_FIELDS = ("quantity", "original_cost", "remaining_value", "files_count", "linear_m", "land_area", "floor_area")
MONEY = {"original_cost", "remaining_value"}


@dataclass
class TotalCheck:
    """One figure of one sum row compared with what the imported rows add up to."""

    row: int  # 1-based row number of the sum row
    label: str  # its text: 'Cộng', 'TỔNG CỘNG', 'II. UBND phường Thắng Lợi'
    field: str
    written: int | Decimal | None
    computed: int | Decimal | None
    note: str = ""  # why it could not be compared

    @property
    def ok(self) -> bool:
        return not self.note and self.written == self.computed

    def describe(self, label: str) -> str:
        """Vietnamese sentence for the preview."""
        if self.note:
            return f"Dòng {self.row} «{self.label}», {label}: {self.note}"
        shown = (lambda v: f"{group_thousands(v)} đ") if self.field in MONEY else (
            group_thousands if self.field in ("quantity", "files_count") else decimal_vn)
        if self.ok:
            return f"Dòng {self.row} «{self.label}», {label}: khớp ({shown(self.written)})."
        gap = self.written - self.computed
        return (f"Dòng {self.row} «{self.label}», {label}: tệp ghi {shown(self.written)}, các dòng được nhập cộng "
                f"lại {shown(self.computed)} (lệch {shown(abs(gap))}).")


@dataclass(frozen=True)
class _Mark:
    """The running sums at one point; a group's sum is the difference between two marks."""

    values: dict
    broken: dict
    rows: int


@dataclass
class _Expected:
    row: int
    label: str
    figures: dict[str, object]


class TotalsChecker:
    """Records sum rows while the sheet is walked; ``replay`` then compares them with the validated rows.

    Data rows only add to running sums (this runs for every row of a 100,000-row file);
    sections and subtotals keep marks of those sums and compare differences.
    """

    def __init__(self, kind: AssetKind, columns: dict[int, str], value_names: tuple[str, ...],
                 scales: dict[str, int] | None = None):
        self.parsers = {f.name: f.parse for f in fields_for(kind) if f.name in SUM_FIELDS}
        for name, scale in (scales or {}).items():  # money written in thousands or millions
            self.parsers[name] = partial(scaled_money, scale=scale)
        self.cols = {c: n for c, n in columns.items() if n in self.parsers}
        self.names = tuple(dict.fromkeys(self.cols.values()))
        self.positions = tuple(value_names.index(n) for n in self.names)
        self.events: list[tuple[int, str, _Expected]] = []  # (data rows before it, what, the row)
        self.data_rows = 0

    def _figures(self, row: list) -> dict[str, object]:
        return {name: row[c] for c, name in self.cols.items() if c < len(row) and not is_blank(row[c])}

    def _event(self, what: str, number: int, label: str, row: list, data_rows: int) -> None:
        self.events.append((data_rows, what, _Expected(number, label, self._figures(row))))

    def section_row(self, number: int, label: str, row: list, data_rows: int) -> None:
        """A section begins; if its row carries numbers they are the section's sums."""
        self._event("section", number, label, row, data_rows)

    def subtotal_row(self, number: int, label: str, row: list, data_rows: int) -> None:
        """A 'Cộng' row: the rows since the previous one, or the whole section if none came between."""
        self._event("subtotal", number, label, row, data_rows)

    def total_row(self, number: int, label: str, row: list, data_rows: int) -> None:
        """'TỔNG CỘNG': all rows of the sheet (compared at the end if it sits above the data)."""
        self._event("total", number, label, row, data_rows)

    def replay(self, rows: list) -> list[TotalCheck]:
        """Walk the validated rows and the recorded sum rows in order; return every comparison."""
        if not self.events or not self.names:
            return []
        run = _Run(self)
        position = 0
        for before, what, expected in self.events:
            for row in rows[position:before]:
                run.add(row)
            position = max(position, before)
            getattr(run, what)(expected)
        for row in rows[position:]:
            run.add(row)
        return run.finish()


class _Run:
    def __init__(self, checker: TotalsChecker):
        self.checker = checker
        self.names = checker.names
        self.positions = checker.positions
        self.values: dict[str, int | Decimal] = {n: 0 for n in self.names}
        self.broken: dict[str, int] = {n: 0 for n in self.names}  # rows whose value was rejected
        self.rows = 0
        self.section_start = self.since = self._mark()
        self.section_expected: _Expected | None = None
        self.early_totals: list[_Expected] = []
        self.checks: list[TotalCheck] = []

    def add(self, row) -> None:
        self.rows += 1
        refused = {name for name, _m in row.errors} if row.errors else ()
        for name, position in zip(self.names, self.positions):
            if name in refused:
                self.broken[name] += 1
            elif (value := row.values[position]) is not None:
                self.values[name] += value

    def _mark(self) -> _Mark:
        return _Mark(dict(self.values), dict(self.broken), self.rows)

    def _compare(self, expected: _Expected, since: _Mark) -> None:
        for name, raw in expected.figures.items():
            try:
                written = self.checker.parsers[name](raw)
            except ValueError:
                self.checks.append(TotalCheck(expected.row, expected.label, name, None, None,
                                              f"không đọc được số «{str(raw)[:30]}»."))
                continue
            if self.broken[name] > since.broken[name]:
                self.checks.append(TotalCheck(expected.row, expected.label, name, written, None,
                                              "chưa so được vì có dòng bị từ chối ở cột này."))
                continue
            self.checks.append(TotalCheck(expected.row, expected.label, name, written,
                                          self.values[name] - since.values[name]))

    def section(self, expected: _Expected) -> None:
        self.close_section()
        self.section_expected = expected if expected.figures else None

    def close_section(self) -> None:
        if self.section_expected is not None:
            self._compare(self.section_expected, self.section_start)
        self.section_expected = None
        self.section_start = self.since = self._mark()

    def subtotal(self, expected: _Expected) -> None:
        since = self.since if self.rows > self.since.rows else self.section_start
        self._compare(expected, since)
        self.since = self._mark()

    def total(self, expected: _Expected) -> None:
        if self.rows == 0:
            self.early_totals.append(expected)
        else:
            self._compare(expected, self._zero())

    def _zero(self) -> _Mark:
        return _Mark({n: 0 for n in self.names}, {n: 0 for n in self.names}, 0)

    def finish(self) -> list[TotalCheck]:
        self.close_section()
        for expected in self.early_totals:
            self._compare(expected, self._zero())
        return self.checks
