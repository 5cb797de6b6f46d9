"""The preview in words: values as labels, unit names and Vietnamese numbers, problems said once. Pure.

Shared by the web page and ``flask assets import`` so both say the same thing. A problem that
many rows share (the same sheet, column and reason) is one line with the rows it covers ("dòng
5–199, 3 dòng khác"), and "mọi dòng" when it is every data row of the sheet.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from tracker.assets import display
from tracker.assets.choices import BY_FIELD, HOW_LABELS
from tracker.formatting import group_thousands
from tracker.importing.mapping import field_label

ENUMS = {name: vocabulary.enum for name, vocabulary in BY_FIELD.items()}
READING_HOW = {**HOW_LABELS, "mapping": "theo ánh xạ của cán bộ", None: "không nhận ra"}


def show(name: str, value, unit_names: dict[int, str], agency_names: dict[int, str]) -> str:
    """A stored value (as history keeps it) as the officer reads it, '—' for nothing (as the asset page shows it)."""
    return display.show(name, value, unit_names, agency_names) or "—"


def changes(update, plan) -> list[tuple[str, str, str]]:
    """(field label, before, after) of one update, in words."""
    return [(field_label(name) if name != "agency_id" else "Cơ quan đang quản lý",
             show(name, before, plan.unit_names, plan.agency_names), show(name, after, plan.unit_names, plan.agency_names))
            for name, (before, after) in update.changes.items() if name not in ("province_id", "holder_id")]


def rows_text(rows: list[int], all_rows: bool = False) -> str:
    """'dòng 5', 'dòng 5–9, 12 (6 dòng)', 'mọi dòng (195 dòng)'."""
    if not rows:
        return "cả trang"
    if all_rows and len(rows) > 1:
        return f"mọi dòng ({group_thousands(len(rows))} dòng)"
    runs: list[list[int]] = []
    for number in sorted(set(rows)):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    parts = [str(a) if a == b else f"{a}–{b}" for a, b in runs[:8]]
    more = f", và {len(runs) - 8} đoạn khác" if len(runs) > 8 else ""
    text = "dòng " + ", ".join(parts) + more
    return text if len(rows) == 1 else f"{text} ({group_thousands(len(set(rows)))} dòng)"


@dataclass
class ProblemGroup:
    """One reason shared by rows of one sheet and column."""

    sheet: str
    column: str
    message: str
    rows: list[int] = field(default_factory=list)
    all_rows: bool = False

    @property
    def where(self) -> str:
        return rows_text(self.rows, self.all_rows)


def problem_groups(plan) -> list[ProblemGroup]:
    """The plan's problems, one line per (sheet, column, reason), in the order first met."""
    groups: dict[tuple[str, str, str], ProblemGroup] = {}
    for problem in plan.problems:
        key = (problem.sheet, problem.column, problem.message)
        group = groups.get(key)
        if group is None:
            group = groups[key] = ProblemGroup(*key)
        if problem.row:
            group.rows.append(problem.row)
    sizes = {s.name: len(s.rows) for s in plan.parsed.sheets}
    for group in groups.values():
        group.all_rows = len(group.rows) > 1 and len(set(group.rows)) == sizes.get(group.sheet)
    return list(groups.values())


def readings(sheet, *, unusual_only: bool = True) -> list[tuple[str, str, str, str, str, int]]:
    """(field, field label, written, read as, how, rows) of a sheet's choice values; exact ones left out by default."""
    out = []
    for name, by_key in sheet.readings.items():
        enum = BY_FIELD[name].enum
        for reading in by_key.values():
            if unusual_only and reading.how == "exact":
                continue
            meaning = enum(reading.value).label if reading.value else "—"
            out.append((name, field_label(name), reading.written, meaning, READING_HOW.get(reading.how, ""),
                        reading.count))
    return out


def column_rows(sheet) -> list[tuple[str, str, str]]:
    """(letter, header as written, what it was taken for or '') of every headed column, in sheet order."""
    rows = list(sheet.columns) + [(letter, written, "") for letter, written in sheet.unmatched]
    return sorted(rows, key=lambda row: (len(row[0]), row[0]))
