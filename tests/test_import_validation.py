"""The importer's fast paths follow exactly the rules of the one-row code they replaced.

``validate_columns`` (many rows, each distinct value parsed once, whole columns at once when
every value is plainly valid), the table-driven ``fold``/``clean`` and the column-by-column
building of new assets' rows and events are checked against the straightforward
implementations they were derived from, kept here (or in the app) as the reference.
"""
from __future__ import annotations

import datetime as dt
import json
import random
import re
import unicodedata
from decimal import Decimal
from types import SimpleNamespace

from tracker.assets.equipment_types import type_from_name
from tracker.assets.fields import DEFAULT_UNIT_OF_MEASURE, NAME_FROM, fields_for
from tracker.assets.parsing import is_blank
from tracker.assets.services import search_text
from tracker.assets.validation import validate, validate_columns
from tracker.history import TRACKED, plain
from tracker.importing.creation import CreationRows
from tracker.importing.parse import ParsedRow, ParsedSheet
from tracker.models import AssetKind, AssetStatus, Condition, Ownership
from tracker.models.assets import BOXES_PER_METRE
from tracker.text import clean, fold

_SPACES = re.compile(r"\s+")


def reference_clean(value):
    return "" if value is None else _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def reference_fold(value):
    text = unicodedata.normalize("NFD", reference_clean(value).lower()).replace("đ", "d")
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def reference_validate(kind, raw):
    """validate() as first written: one row, field by field."""
    values, errors = {}, {}
    for field in fields_for(kind):
        value = raw.get(field.name)
        if is_blank(value):
            if field.required and field.name != "name":
                errors[field.name] = f"{field.label}: chưa nhập (bắt buộc)."
            values[field.name] = None
            continue
        try:
            values[field.name] = field.parse(value)
        except ValueError as exc:
            errors[field.name] = f"{field.label}: {exc}."
    values["quantity"] = values.get("quantity") or 1
    values["unit_of_measure"] = values.get("unit_of_measure") or DEFAULT_UNIT_OF_MEASURE[kind]
    values["original_cost"] = values.get("original_cost") or 0
    values["remaining_value"] = values.get("remaining_value") or 0
    values["condition"] = values.get("condition") or Condition.IN_USE
    values["ownership"] = values.get("ownership") or Ownership.OWN
    if kind == AssetKind.ARCHIVE_BOX:
        if values.get("linear_m") is None:
            values["linear_m"] = (Decimal(values["quantity"]) / BOXES_PER_METRE).quantize(Decimal("0.001"))
        values["fonds_folded"] = fold(values["fonds"]) if values.get("fonds") else None
    if kind == AssetKind.EQUIPMENT and not values.get("equipment_type") and "equipment_type" not in errors:
        values["equipment_type"] = type_from_name(values.get("name"))
    if values.get("name") is None and "name" not in errors:  # a list without a name column: the name is made of other fields
        made = {AssetKind.VEHICLE: ("plate", lambda v: " ".join(filter(None, ("Xe ô tô", v.get("make_model"),
                                                                               v["plate"])))),
                AssetKind.ARCHIVE_BOX: ("box_no", lambda v: f"{v['fonds']} — hộp {v['box_no']}"
                                        if v.get("fonds") else None),
                AssetKind.HEADQUARTERS: ("address", lambda v: f"Cơ sở nhà, đất tại {v['address']}"),
                AssetKind.EQUIPMENT: ("equipment_type", lambda v: v["equipment_type"])}[kind]
        values["name"] = made[1](values)[:300] if values.get(made[0]) and made[1](values) else None
        if values["name"] is None and not set(errors) & set(NAME_FROM[kind]):
            errors["name"] = "Tên tài sản: chưa nhập (bắt buộc)."
    cost, remaining = values.get("original_cost"), values.get("remaining_value")
    if "remaining_value" not in errors and cost is not None and remaining is not None and remaining > cost:
        errors["remaining_value"] = "Giá trị còn lại (đồng): không được lớn hơn nguyên giá."
    start, end = values.get("span_start"), values.get("span_end")
    if start and end and start > end and "span_end" not in errors:
        errors["span_end"] = "Thời gian tài liệu đến năm: phải từ năm bắt đầu trở đi."
    return values, errors


MESSY = [None, "", " ", "abc", "12.500.000", "12,500,000 đ", "-5", 0, 1, 1.0, 1.5, True, False, "2015", "05/07/2015",
         dt.date(2010, 1, 1), "2099", "Tốt", "hu hong", "chua chinh ly", "Đã chỉnh lý", "vĩnh viễn", "có", "x",
         "20A-123.45", "20a12345", "98A - 811.18", "abc-12", Decimal("12.5"), "1.234,5", 50_000_000, 60_000_000,
         "x" * 400, float("nan"), "Máy in", "1.200", 2020, 2010, "2010", unicodedata.normalize("NFD", "Thắng Lợi"),
         ["a list"]]


def test_many_rows_at_once_give_what_one_row_at_a_time_gives():
    rng = random.Random(7)
    for kind in AssetKind:
        names = [f.name for f in fields_for(kind)]
        rows = [{n: rng.choice(MESSY) for n in rng.sample(names, rng.randint(0, len(names)))} for _ in range(1500)]
        typed, errors = validate_columns(kind, {n: [r.get(n) for r in rows] for n in names}, len(rows))
        for index, raw in enumerate(rows):
            values, expected_errors = reference_validate(kind, raw)
            assert validate(kind, raw) == (values, expected_errors)
            assert list(validate(kind, raw)[1]) == list(expected_errors)  # messages in the same order
            assert errors.get(index, {}) == expected_errors
            for name, value in values.items():
                assert typed[name][index] == value or value != value


def test_columns_of_one_type_parsed_at_once_give_what_one_row_at_a_time_gives():
    """Text, money and quantity columns all of strings or all of whole numbers take the column-at-once path."""
    rng = random.Random(11)
    texts = ["Máy in", " Máy  in ", "x" * 120, "x" * 121, "TB-1", unicodedata.normalize("NFD", "Thắng Lợi"), "\u00a0",
             "a\u2003b", None]
    numbers = [0, 1, 60, 1_000_000, 1_000_001, 10**15, 10**15 + 1, -1, 5_000_000, None]
    for kind in AssetKind:
        fields = fields_for(kind)
        for pool in (texts, [t for t in texts if t is not None and t.strip() and len(t) <= 20], numbers,
                     [n for n in numbers if n is not None and 1 <= n <= 60]):
            rows = [{f.name: rng.choice(pool) for f in fields} for _ in range(300)]
            typed, errors = validate_columns(kind, {f.name: [r[f.name] for r in rows] for f in fields}, len(rows))
            for index, raw in enumerate(rows):
                values, expected_errors = reference_validate(kind, raw)
                assert errors.get(index, {}) == expected_errors
                assert all(typed[name][index] == value for name, value in values.items())


def test_fast_fold_and_clean_agree_with_the_unicode_definitions():
    rng = random.Random(3)
    alphabet = [chr(c) for c in [*range(0x20, 0x7F), *range(0xC0, 0x250), *range(0x1E00, 0x1F00),
                                 *range(0x300, 0x370), 0xA0, 0x2003, 0x1C, 0x85, 0x3000, 0x130, 0x1E9E, 0x0410, 0x4E2D]]
    samples = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(30_000)]
    samples += [chr(c) for c in range(0x20, 0x3000) if not 0xD800 <= c <= 0xDFFF]
    for text in samples:
        assert fold(text) == reference_fold(text), repr(text)
        assert clean(text) == reference_clean(text), repr(text)
    assert fold("  Phường   THẮNG Lợi ") == "phuong thang loi" and fold(None) == "" and clean(12) == "12"


def test_new_assets_are_built_column_by_column_exactly_as_row_by_row_code_wrote_them():
    """The INSERT values, search text and creation-event JSON of every kind, blanks, decimals and yes/no included."""
    rng = random.Random(5)
    pools = {"plate": ["20A-123.45", "98a81118"],
             "land_area": ["120,5", 0, "1.234,56", None], "floor_area": [None, "80"], "linear_m": [None, "1,125"],
             "digitised": ["có", "không", None], "serial": [None, "SN-1", "Ṩ"], "fonds": ["Phông UBND xã A"],
             "box_no": ["1", "2", "3", "4", "5", "6"], "arrangement": ["Đã chỉnh lý"], "address": ["Số 1 đường B"],
             "equipment_type": ["Máy vi tính", "Điều hòa"], "original_cost": [5, 7, None], "code": [None, "C-1"]}
    for kind, odd_name in [(kind, odd) for kind in AssetKind for odd in (False, True)]:
        names = [f.name for f in fields_for(kind)]
        pools["name"] = ["Máy in", "Trụ sở «A»", "x\"y\\z", "Ôtô 7 chỗ"] + ["\u0301"] * odd_name  # folds to ''
        rows = []
        for number in range(40):
            raw = {n: rng.choice(pools.get(n, [None, "một", 3])) for n in names}
            values, _errors = validate(kind, {n: v for n, v in raw.items() if n not in errors_for(kind, raw)})
            rows.append(ParsedRow(number, None, None, tuple(values.values()), None))
        sheet = ParsedSheet(name="x", kind=kind, value_names=tuple(values), rows=rows)
        creates = [SimpleNamespace(index=i, unit_id=7 + i % 2, receiver_id=None if i % 3 else 9, code=f"K-{i}",
                                   agency_id=(None, 11, -1)[i % 3]) for i in range(len(rows))]
        ids = list(range(100, 100 + len(rows)))
        for sqlite in (True, False):
            builder = CreationRows(sheet, sqlite=sqlite, actor_id=3, batch_id=4, event_at="at", now_bound="now")
            assets, events = builder.build(creates, ids, {7: 1, 8: 2}, {-1: 12})  # -1: a new agency, made 12
            for create, asset_id, asset, event in zip(creates, ids, assets, events):
                expected = dict(zip(sheet.value_names, rows[create.index].values)) | {
                    "id": asset_id, "code": create.code, "unit_id": create.unit_id, "holder_id": create.unit_id,
                    "province_id": {7: 1, 8: 2}[create.unit_id], "receiver_id": create.receiver_id,
                    "agency_id": {-1: 12}.get(create.agency_id, create.agency_id),
                    "kind": kind.value, "status": AssetStatus.REGISTERED.value}
                expected["search_text"] = search_text(expected)
                row = dict(zip(builder.written, asset))
                given = [dict(zip(sheet.value_names, rows[c.index].values)) | {"agency_id": c.agency_id,
                                                                                 "receiver_id": c.receiver_id}
                         for c in creates]
                assert set(builder.columns) - set(builder.written) == {  # left out: exactly the columns no row fills
                    n for n in set(builder.columns) & set(given[0]) if all(g[n] is None for g in given)}
                for name, value in expected.items():
                    if name in row:
                        assert row[name] == (str(value) if sqlite and isinstance(value, Decimal) else value), name
                changes = {n: [None, plain(expected[n])] for n in TRACKED if expected.get(n) is not None}
                assert event == (asset_id, "at", 3, "imported", json.dumps(changes), 4)


def errors_for(kind, raw):
    """Fields whose raw value validation refuses (left out, so every row is valid)."""
    return set(validate(kind, raw)[1])
