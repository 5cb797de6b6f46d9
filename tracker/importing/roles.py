"""A column whose values are conditions is the condition, whatever its header says. Pure.

Headers mislead: "Hiện trạng" holds Tốt / Hư hỏng / Cần sửa chữa in one district's list and "Đang
làm trụ sở UBND phường" in another's; a box list's "Tình trạng" holds "Đã chỉnh lý". Once the
header and the kind are known, the first data rows are read: a column whose filled values read,
as whole phrases, as the choices of a field (condition, arrangement, retention, inventory class)
takes that field, and the column the header gave it, if its values are not such choices, goes
back to free text. Columns an officer mapped by hand are never moved.
"""
from __future__ import annotations

from tracker.assets.choices import BY_FIELD, EXACT, PHRASE
from tracker.importing.headers import Header
from tracker.models import AssetKind

SAMPLE_ROWS = 300  # data rows read ahead to tell a column by its values
SHARE = 0.6  # of a column's filled values that must read as whole-phrase choices
FREE_TEXT = ("current_use", "notes", "intended_use", "documents")  # fields a choice column may have been given


def _filled(values: list) -> list:
    return [v for v in values if v is not None and str(v).strip() not in ("", "-")]


def choice_share(name: str, values: list) -> float:
    """The share of the filled values that read as whole-phrase choices of field ``name``."""
    filled = _filled(values)
    if not filled:
        return 0.0
    vocabulary = BY_FIELD[name]
    hits = sum(1 for v in filled if not isinstance(v, (int, float)) and vocabulary.read(v)[1] in (EXACT, PHRASE))
    return hits / len(filled)


def _enough(values: list, rows: int) -> bool:
    filled = _filled(values)
    return len(filled) >= min(3, rows) and len(filled) >= 0.3 * rows and len({str(v) for v in filled}) <= 40


def refine(header: Header, kind: AssetKind, sample: list[list], locked: set[int], allowed: set[str]) -> list[str]:
    """Give choice fields the columns whose values are their choices; Vietnamese notes of each move."""
    notes: list[str] = []
    rows = len(sample)
    if not rows:
        return notes
    width = max(len(r) for r in sample)
    column_values = {col: [r[col] if col < len(r) else None for r in sample] for col in range(width)}
    for name in BY_FIELD:
        if name not in allowed:
            continue
        current = header.column_of(name)
        if current is not None and (current in locked or not _enough(column_values.get(current, []), rows)
                                    or choice_share(name, column_values[current]) >= SHARE):
            continue  # the header's column holds this field's values (or too few values to tell)
        candidates = []
        for col, values in column_values.items():
            owner = header.columns.get(col)
            taken = owner is not None and owner not in FREE_TEXT and not (
                owner in BY_FIELD and choice_share(owner, values) < SHARE)  # a choice column whose values are not its
            if col in locked or col == current or taken:
                continue
            if _enough(values, rows) and (share := choice_share(name, values)) >= SHARE:
                candidates.append((share, -col, col))
        if not candidates:
            continue
        col = max(candidates)[2]
        written = header.texts.get(col, "")
        was = header.columns.get(col)
        header.columns[col] = name
        header.labels[name] = written
        if was:
            header.labels.pop(was, None)
        if current is not None:
            del header.columns[current]
            former = header.texts.get(current, "")
            if "current_use" not in header.columns.values() and "current_use" in allowed:
                header.columns[current] = "current_use"
                header.labels["current_use"] = former
            else:
                header.ignored.append(former)
        examples = ", ".join(f"«{v}»" for v in list(dict.fromkeys(map(str, _filled(column_values[col]))))[:3])
        notes.append(f"Cột «{written}» ghi {examples}… nên được hiểu là «{_label(name)}».")
    return notes


def _label(name: str) -> str:
    from tracker.importing.mapping import field_label

    return field_label(name)
