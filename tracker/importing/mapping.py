"""What an officer tells the importer about a source's lists: the mapping. Pure (no Flask, no database).

Four kinds of rule, each keyed by what the list writes, folded, so one rule serves the next file
from the same source whatever its row or column positions:

- ``columns``: a header as written -> the field it holds ("Giá mua ban đầu" is «Nguyên giá»), or
  ``IGNORE``; per kind (``"equipment"``…) or for every kind (``"*"``). A column with no header text is
  keyed by its letter, ``"#H"``, which holds for that layout only;
- ``kinds``: a sheet's name (``"sheet:xe"``) or its title line (``"title:danh sach xe"``) -> a kind;
- ``units``: a holder's name as written -> a unit of the map (by its stable ``source_key``) and,
  for an agency, the agency's name ("Thành ủy Sông Công" is an agency of Thành phố Sông Công);
- ``values``: a field -> a value as written -> the choice it means ("Xuống cấp" is Cần sửa chữa).

The page's form and the command's ``--mapping`` file produce the same ``Mapping``; the import
record keeps the one applied; ``tracker.importing.profiles`` remembers it per source.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tracker.assets.choices import BY_FIELD, value_key
from tracker.assets.fields import BY_KIND, COMMON, label
from tracker.importing.agencies import words
from tracker.importing.headers import IGNORE, SPECIAL_LABELS as HEADER_LABELS
from tracker.models import AssetKind
from tracker.text import clean

ANY_KIND = "*"
SPECIAL_LABELS = {**HEADER_LABELS, IGNORE: "Bỏ qua cột này"}


def header_key(text) -> str:
    """Folded, punctuation-free form of a header as written: 'NGUYÊN GIÁ (đồng)' -> 'nguyen gia dong'."""
    return words(str(text))


def unit_key(text) -> str:
    """How a holder's name is keyed: 'UBND P. Thắng Lợi' -> 'ubnd p thang loi'."""
    return words(clean(str(text)))


def kind_keys(sheet: str, title: str) -> list[str]:
    """The keys a kind rule may have for a sheet: its title first, then its name."""
    keys = [f"title:{header_key(title)[:200]}"] if title.strip() else []
    return keys + [f"sheet:{header_key(sheet)[:200]}"]


@dataclass
class Mapping:
    """Rules in their stored shape (JSON-safe; see the module docstring)."""

    columns: dict[str, dict[str, str]] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)

    # -- shape ---------------------------------------------------------------------------------
    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in ("columns", "kinds", "units", "values") if getattr(self, name)}

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> Mapping:
        """A mapping stored by this application (in a job, a profile or an import record)."""
        data = data or {}
        return cls(columns={k: dict(v) for k, v in (data.get("columns") or {}).items()},
                   kinds=dict(data.get("kinds") or {}), units={k: dict(v) for k, v in (data.get("units") or {}).items()},
                   values={k: dict(v) for k, v in (data.get("values") or {}).items()})

    def __bool__(self) -> bool:
        return bool(self.columns or self.kinds or self.units or self.values)

    def merged(self, other: Mapping | None) -> Mapping:
        """These rules with ``other``'s on top (``other`` wins where both speak)."""
        if not other:
            return Mapping.from_json(self.to_json())
        result = Mapping.from_json(self.to_json())
        for kind, rules in other.columns.items():
            result.columns.setdefault(kind, {}).update(rules)
        result.kinds.update(other.kinds)
        result.units.update(other.units)
        for name, rules in other.values.items():
            result.values.setdefault(name, {}).update(rules)
        return result

    # -- reading -------------------------------------------------------------------------------
    def header_rules(self, kind: AssetKind | None = None) -> dict[str, str]:
        """header key -> field for a kind (its own rules over the any-kind ones); every kind's when None."""
        rules = dict(self.columns.get(ANY_KIND, {}))
        if kind is None:
            for name, own in self.columns.items():
                if name != ANY_KIND:
                    rules.update(own)
        else:
            rules.update(self.columns.get(kind.value, {}))
        return rules

    def kind_for(self, sheet: str, title: str) -> AssetKind | None:
        for key in kind_keys(sheet, title):
            if key in self.kinds:
                return AssetKind(self.kinds[key])
        return None

    def unit_rule(self, label: str) -> dict[str, Any] | None:
        return self.units.get(unit_key(label))

    def value_for(self, name: str, raw) -> str | None:
        rules = self.values.get(name)
        return rules.get(value_key(raw)) if rules else None

    # -- telling ---------------------------------------------------------------------------------
    def describe(self) -> list[tuple[str, str, str]]:
        """(what, as written, what it means) in Vietnamese, for the import record and the preview."""
        lines = []
        for kind, rules in self.columns.items():
            where = "mọi loại" if kind == ANY_KIND else AssetKind(kind).label
            for written, name in rules.items():
                lines.append((f"Cột ({where})", written, field_label(name)))
        for key, kind in self.kinds.items():
            where, _sep, written = key.partition(":")
            lines.append(("Loại của trang" if where == "sheet" else "Loại theo tiêu đề", written, AssetKind(kind).label))
        for written, rule in self.units.items():
            meaning = rule.get("unit_name") or rule.get("unit") or ""
            if rule.get("agency"):
                meaning = f"{rule['agency']} (cơ quan của {meaning})"
            lines.append(("Đơn vị, cơ quan", written, meaning))
        for name, rules in self.values.items():
            enum = BY_FIELD[name].enum
            for written, value in rules.items():
                lines.append((f"Giá trị «{field_label(name)}»", written, enum(value).label))
        return lines


@dataclass
class MappingBook:
    """The rules a parse may apply: the province's for every source, per source, then this upload's."""

    general: Mapping = field(default_factory=Mapping)
    by_source: dict[str, Mapping] = field(default_factory=dict)
    edits: Mapping = field(default_factory=Mapping)

    def for_source(self, source_key: str) -> Mapping:
        """What holds for a file from ``source_key`` (its letterhead, folded)."""
        return self.general.merged(self.by_source.get(source_key)).merged(self.edits)


def field_label(name: str) -> str:
    """The label of a field the importer can fill (asset fields and its own columns)."""
    if name in SPECIAL_LABELS:
        return SPECIAL_LABELS[name]
    return label(name)


def _field_names() -> dict[str, str]:
    """Every way a field may be named in a mapping file: its name, its label folded, its label's start."""
    names: dict[str, str] = {}
    for f in COMMON + tuple(f for fs in BY_KIND.values() for f in fs):
        names.setdefault(f.name, f.name)
        names.setdefault(header_key(f.label), f.name)
        names.setdefault(header_key(f.label.split("(")[0]), f.name)
    for name, text in SPECIAL_LABELS.items():
        names[name] = name
        names[header_key(text)] = name
    names.update({"bo qua": IGNORE, "": IGNORE, "don vi": "_unit", "co quan": "_unit", "don vi quan ly": "_unit"})
    return names


def _kind_of(text: str) -> AssetKind | None:
    key = header_key(text)
    for kind in AssetKind:
        if key in (kind.value.replace("_", " "), header_key(kind.label), kind.value):
            return kind
    aliases = {"xe": AssetKind.VEHICLE, "o to": AssetKind.VEHICLE, "tru so": AssetKind.HEADQUARTERS,
               "thiet bi": AssetKind.EQUIPMENT, "may moc": AssetKind.EQUIPMENT, "hop": AssetKind.ARCHIVE_BOX,
               "luu tru": AssetKind.ARCHIVE_BOX, "ho so": AssetKind.ARCHIVE_BOX}
    return aliases.get(key)


UnitLookup = Callable[[str], tuple[str, str] | str]  # a unit's name -> (source_key, name) or a reason


def read_mapping_file(data: Any, find_unit: UnitLookup) -> tuple[Mapping, list[str]]:
    """A mapping as an officer writes it (labels, names and values as written) -> (Mapping, errors).

    ``{"columns": {"Giá mua ban đầu": "Nguyên giá"}, "kinds": {"Sheet2": "Xe ô tô"},
    "units": {"Thành ủy Sông Công": {"unit": "Thành phố Sông Công", "agency": "Thành ủy Sông Công"}},
    "values": {"Tình trạng": {"Xuống cấp": "Cần sửa chữa"}}}``; the stored shape is read as well.
    """
    errors: list[str] = []
    mapping = Mapping()
    if not isinstance(data, dict):
        return mapping, ["Tệp ánh xạ phải là một đối tượng JSON {…} với các mục columns, kinds, units, values."]
    unknown = set(data) - {"columns", "kinds", "units", "values"}
    if unknown:
        errors.append("Tệp ánh xạ có mục không biết: " + ", ".join(sorted(map(str, unknown)))
                      + " (chỉ có columns, kinds, units, values).")
    fields = _field_names()
    columns = data.get("columns") or {}
    if not isinstance(columns, dict):
        errors.append("«columns» phải là {tiêu đề cột: trường}.")
        columns = {}
    for written, target in columns.items():
        kind = _kind_of(written) if isinstance(target, dict) else None
        groups = target.items() if isinstance(target, dict) else [(written, target)]
        if isinstance(target, dict) and kind is None and written != ANY_KIND:
            errors.append(f"«columns»: «{written}» không phải loại tài sản.")
            continue
        for header, name in groups:
            resolved = (fields.get(name) or fields.get(header_key(name))) if isinstance(name, str) else None
            if resolved is None:
                errors.append(f"«columns»: cột «{header}» → «{name}»: không có trường nào tên như vậy.")
                continue
            key = header.strip() if str(header).strip().startswith("#") else header_key(header)
            mapping.columns.setdefault(kind.value if kind else ANY_KIND, {})[key] = resolved
    for written, target in (data.get("kinds") or {}).items():
        kind = _kind_of(str(target))
        if kind is None:
            errors.append(f"«kinds»: «{written}» → «{target}»: không phải loại tài sản (Trụ sở làm việc, Xe ô tô, "
                          "Máy móc, thiết bị, Hộp tài liệu lưu trữ).")
            continue
        where, sep, rest = str(written).partition(":")
        key = f"{where}:{header_key(rest)}" if sep and where in ("sheet", "title") else f"sheet:{header_key(written)}"
        mapping.kinds[key] = kind.value
    for written, target in (data.get("units") or {}).items():
        target = {"unit": target} if isinstance(target, str) else target
        if not isinstance(target, dict) or not target.get("unit"):
            errors.append(f"«units»: «{written}»: cần ghi «unit» (tên đơn vị trên bản đồ đơn vị).")
            continue
        found = find_unit(str(target["unit"]))
        if isinstance(found, str):
            errors.append(f"«units»: «{written}»: {found}")
            continue
        rule = {"unit": found[0], "unit_name": found[1]}
        if target.get("agency"):
            rule["agency"] = clean(str(target["agency"]))[:200]
        mapping.units[unit_key(written)] = rule
    for name, rules in (data.get("values") or {}).items():
        resolved = fields.get(name) or fields.get(header_key(name))
        if resolved not in BY_FIELD or not isinstance(rules, dict):
            errors.append(f"«values»: «{name}» không phải trường có danh sách lựa chọn (Tình trạng, Phân loại kiểm kê, "
                          "Tình trạng chỉnh lý, Thời hạn bảo quản).")
            continue
        vocabulary = BY_FIELD[resolved]
        for written, meaning in rules.items():
            member, how = vocabulary.read(meaning)
            if member is None or how != "exact":
                options = ", ".join(m.label for m in vocabulary.enum)
                errors.append(f"«values»: «{written}» → «{meaning}»: chọn một trong {options}.")
                continue
            mapping.values.setdefault(resolved, {})[value_key(written)] = member.value
    return mapping, errors

