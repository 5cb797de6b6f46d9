"""The preview's correction form -> the rules it adds to this upload's mapping.

The page shows, per sheet, its kind and every column with what it was taken for; every holder
name with the unit (and agency) it was taken for; every choice value with the choice it was
read as. Each is a control holding the current reading. Only what the officer changed becomes a
rule, keyed by what the list writes (``importing.mapping``), so the same words in the next file
from the same source are read the same way.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping as FormData

from tracker.assets.choices import BY_FIELD, value_key
from tracker.importing.headers import IGNORE, allowed_fields
from tracker.importing.mapping import ANY_KIND, Mapping, header_key, kind_keys, unit_key
from tracker.importing.plan import ImportPlan
from tracker.models import AssetKind

UnitLookup = Callable[[int], tuple[str, str] | None]  # a unit id -> (source_key, name) if the officer may use it


def column_choices(kind: AssetKind | None) -> list[str]:
    """The fields a column of a sheet of ``kind`` may be mapped to (all kinds' when the kind is not known)."""
    kinds = [kind] if kind else list(AssetKind)
    names: list[str] = []
    for each in kinds:
        for name in sorted(allowed_fields(each), key=_order):
            if name not in names:
                names.append(name)
    return names


def _order(name: str) -> tuple[int, str]:
    from tracker.assets.fields import COMMON

    common = [f.name for f in COMMON]
    return (0, f"{common.index(name):02d}") if name in common else (1 if not name.startswith("_") else 2, name)


def read(form: FormData, plan: ImportPlan, find_unit: UnitLookup) -> tuple[Mapping, list[str]]:
    """The rules the posted form adds, and Vietnamese messages for choices that cannot be taken."""
    edits, errors = Mapping(), []
    sheets = plan.parsed.sheets
    for index, sheet in enumerate(sheets):
        chosen = form.get(f"kind:{index}", "")
        current = sheet.kind.value if sheet.kind else ""
        kind = sheet.kind
        if chosen and chosen != current:
            try:
                kind = AssetKind(chosen)
            except ValueError:
                errors.append(f"Trang «{sheet.name}»: loại «{chosen}» không có.")
                continue
            for key in kind_keys(sheet.name, sheet.context.title)[:1]:
                edits.kinds[key] = kind.value
        headers = {letter: written for letter, written, _label in sheet.columns} | dict(sheet.unmatched)
        allowed = set(column_choices(kind)) | {IGNORE}
        for letter, written in headers.items():
            chosen = form.get(f"col:{index}:{letter}")
            if chosen is None or chosen == sheet.column_fields.get(letter, ""):
                continue
            if chosen == "":
                continue  # "as recognised": nothing to add
            if chosen not in allowed:
                errors.append(f"Trang «{sheet.name}», cột {letter}: trường «{chosen}» không dùng được cho loại này.")
                continue
            key = header_key(written) if header_key(written) else f"#{letter}"
            edits.columns.setdefault(kind.value if kind else ANY_KIND, {})[key] = chosen
    for number, report in enumerate(plan.holders):
        unit_raw = form.get(f"holder-unit:{number}")
        agency = " ".join((form.get(f"holder-agency:{number}") or "").split())[:200]
        if unit_raw is None or form.get(f"holder:{number}") != report.label:
            continue
        holding = report.holding
        current_agency = plan.agency_names.get(holding.agency_id, "") if holding.agency_id is not None else ""
        if unit_raw == str(holding.unit_id or "") and agency == current_agency:
            continue
        if not unit_raw:
            errors.append(f"«{report.label}»: hãy chọn đơn vị.")
            continue
        found = find_unit(int(unit_raw)) if unit_raw.isdigit() else None
        if found is None:
            errors.append(f"«{report.label}»: đơn vị đã chọn không thuộc các đơn vị đã giải thể bạn được nhập.")
            continue
        rule = {"unit": found[0], "unit_name": found[1]}
        if agency:
            rule["agency"] = agency
        edits.units[unit_key(report.label)] = rule
    for index, sheet in enumerate(sheets):
        for name, readings in sheet.readings.items():
            vocabulary = BY_FIELD[name]
            for number, (key, reading) in enumerate(readings.items()):
                chosen = form.get(f"value:{index}:{name}:{number}")
                if chosen is None or chosen == (reading.value or "") or not chosen:
                    continue
                try:
                    member = vocabulary.enum(chosen)
                except ValueError:
                    errors.append(f"«{reading.written}»: lựa chọn «{chosen}» không có.")
                    continue
                edits.values.setdefault(name, {})[value_key(reading.written) or key] = member.value
    return edits, errors

