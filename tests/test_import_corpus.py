"""The corpus of hand-typed lists (tests/corpus/) goes in unchanged, through the page and the command.

Every list of ``tests/corpus/expected.json`` and every sample in ``imports/`` is imported as an
officer would: uploaded on the page (the officer's corrections, for the lists that need some,
made in the preview's form) or given to ``flask assets import`` (with ``--mapping``). Each
asset is then checked against what a person reading the list says: its name, unit, agency,
condition, money and the fields the list gives. The page and the command's dry run must show
the same plan (the same preview code), and a second file from the same source needs no
correction again.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa
from lxml import html as lxml_html

from tests.conftest import csrf_token
from tracker.importing.mapping import header_key, read_mapping_file, unit_key
from tracker.models import Arrangement, Asset, AssetKind, ImportBatch, ImportMapping, Retention, Role

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
ENTRIES = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
CHOICE_LABELS = {"arrangement": Arrangement, "retention": Retention}


@pytest.fixture
def officer(make_user, auth):
    user = make_user(Role.OFFICER)
    auth.login(user.username)
    return user


def upload(client, path: Path, unit_id="") -> str:
    token = csrf_token(client, "/imports/")
    response = client.post("/imports/", data={"file": (io.BytesIO(path.read_bytes()), path.name), "unit_id": str(unit_id),
                                              "csrf_token": token}, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return re.search(r"/imports/([A-Za-z0-9_-]{20,})", response.headers["Location"]).group(1)


def form_fields(tree, form_id: str) -> dict[str, str]:
    """What a browser would send for a form as it stands: inputs and each select's chosen option."""
    form = tree.get_element_by_id(form_id)
    values = {}
    for element in form.iter("input", "select"):
        name = element.get("name")
        if not name or element.get("type") in ("submit", "checkbox"):
            continue
        if element.tag == "select":
            chosen = element.xpath(".//option[@selected]") or element.xpath(".//option")
            values[name] = chosen[0].get("value") if chosen else ""
        else:
            values[name] = element.get("value") or ""
    return values


def correct_in_the_preview(client, token: str, mapping_file: Path, unit_by_name) -> None:
    """Make the mapping file's corrections by hand in the preview's form, as the officer does."""
    def find_unit(name):
        return (name, name)

    rules, errors = read_mapping_file(json.loads(mapping_file.read_text(encoding="utf-8")), find_unit)
    assert errors == []
    tree = lxml_html.fromstring(client.get(f"/imports/{token}").get_data(as_text=True))
    data = form_fields(tree, "mapping-form")
    sheets = tree.xpath("//form[@id='mapping-form']//section[starts-with(@id, 'sheet-')]")
    for index, section in enumerate(sheets):
        name = section.xpath(".//h3")[0].text_content().split("«", 1)[1].split("»", 1)[0]
        kind = rules.kind_for(name, "")
        if kind is not None:
            data[f"kind:{index}"] = kind.value
        header_rules = {k: v for group in rules.columns.values() for k, v in group.items()}
        for row in section.xpath(".//select[starts-with(@name, 'col:')]/ancestor::tr"):
            written = row.xpath("./td[2]")[0].text_content().strip("«» ")
            if header_key(written) in header_rules:
                data[row.xpath(".//select")[0].get("name")] = header_rules[header_key(written)]
        for row in section.xpath(".//select[starts-with(@name, 'value:')]/ancestor::tr"):
            select = row.xpath(".//select")[0]
            field = select.get("name").split(":")[2]
            written = row.xpath("./td[2]")[0].text_content().strip("«» ")
            if (value := rules.value_for(field, written)) is not None:
                data[select.get("name")] = value
    for hidden in tree.xpath("//input[starts-with(@name, 'holder:')]"):
        rule = rules.units.get(unit_key(hidden.get("value")))
        if rule:
            number = hidden.get("name").split(":")[1]
            data[f"holder-unit:{number}"] = str(unit_by_name(rule["unit_name"]).id)
            data[f"holder-agency:{number}"] = rule.get("agency", "")
    data["csrf_token"] = csrf_token(client, f"/imports/{token}")
    response = client.post(f"/imports/{token}/mapping", data=data)
    assert response.status_code == 302


def preview(client, token: str):
    page = client.get(f"/imports/{token}").get_data(as_text=True)
    tree = lxml_html.fromstring(page)
    counts = {node.get("data-count"): int(node.text_content().replace(".", "")) for node in
              tree.xpath("//*[@data-count]")}
    code = tree.get_element_by_id("plan-code").text_content()
    return page, counts, code


def commit(client, token: str) -> None:
    page = client.get(f"/imports/{token}").get_data(as_text=True)
    fingerprint = re.search(r'name="fingerprint" type="hidden" value="([0-9a-f]+)"', page).group(1)
    client.post(f"/imports/{token}/commit", data={"csrf_token": csrf_token(client, f"/imports/{token}"),
                                                  "fingerprint": fingerprint})
    landing = client.get(f"/imports/{token}")
    assert landing.status_code == 302 and "/imports/batches/" in landing.headers["Location"], \
        landing.get_data(as_text=True)[:2000]


def command(entry: dict, officer) -> list[str]:
    """``flask assets import`` of a corpus list, as the officer types it."""
    args = ["assets", "import", str(CORPUS / entry["path"]), "--user", officer.username]
    if entry["mapping"]:
        args += ["--mapping", str(CORPUS / entry["mapping"])]
    if entry["default_unit"]:
        args += ["--unit", entry["default_unit"]]
    return args


def _find(db, kind: str, key: str) -> list[Asset]:
    how, _sep, value = key.partition(":")
    condition = {"code": Asset.code == value, "plate": Asset.plate == value, "name": Asset.name == value}.get(how)
    if how == "box":
        fonds, box = value.rsplit("|", 1)
        condition = sa.and_(Asset.fonds == fonds, Asset.box_no == box)
    return list(db.session.scalars(sa.select(Asset).where(Asset.kind == AssetKind(kind), condition)))


def check_assets(db, entry: dict) -> None:
    """Every asset as the list says, and nothing else."""
    assets = db.session.scalars(sa.select(Asset)).all()
    totals = entry["totals"]
    assert len(assets) == totals["created"], entry["path"]
    assert sum(a.original_cost for a in assets) == totals["original_cost"]
    assert sum(a.remaining_value for a in assets) == totals["remaining_value"]
    for expected in entry["assets"]:
        found = _find(db, expected["kind"], expected["key"])
        assert len(found) == 1, (entry["path"], expected["key"], len(found))
        asset = found[0]
        seen = {"name": asset.name, "unit": asset.unit.name, "agency": asset.agency.name if asset.agency else "",
                "condition": asset.condition.label, "original_cost": asset.original_cost,
                "remaining_value": asset.remaining_value, "quantity": asset.quantity}
        wanted = {k: expected[k] for k in seen}
        assert seen == wanted, (entry["path"], expected["key"])
        for name, value in expected["extra"].items():
            actual = getattr(asset, name)
            actual = actual.label if name in CHOICE_LABELS and actual is not None else actual
            assert actual == value, (entry["path"], expected["key"], name)


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["path"].split("-", 1)[0] for e in ENTRIES])
def test_a_hand_typed_list_goes_in_unchanged_through_the_page(db, client, runner, officer, unit_by_name, entry):
    path = CORPUS / entry["path"]
    default = unit_by_name(entry["default_unit"]).id if entry["default_unit"] else ""
    token = upload(client, path, default)
    if entry["mapping"]:
        _page, counts, _code = preview(client, token)
        assert counts["rejected"] > 0  # what the list cannot say by itself is refused until told
        correct_in_the_preview(client, token, CORPUS / entry["mapping"], unit_by_name)
    page, counts, code = preview(client, token)
    assert counts["rejected"] == 0, re.findall(r"<td>([^<]{0,300})</td></tr>", page)[:10]
    assert counts["created"] == entry["totals"]["created"]
    # The command's dry run of the same file shows the same plan.
    result = runner.invoke(args=command(entry, officer) + ["--dry-run"])
    assert result.exit_code == 0, result.output
    assert f"Mã bản xem trước: {code}" in result.output
    commit(client, token)
    check_assets(db, entry)
    batch = db.session.scalar(sa.select(ImportBatch).order_by(ImportBatch.id.desc()))
    assert batch.created_count == entry["totals"]["created"] and batch.user_id == officer.id
    if entry["mapping"]:
        assert batch.summary["mapping_added"]  # the record shows what the officer told the importer
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ImportMapping)) == 1
        # The next file from the same source needs no correction: it is remembered.
        _page, counts, _code = preview(client, upload(client, path, default))
        assert (counts["rejected"], counts["created"], counts["unchanged"]) == (0, 0, entry["totals"]["created"])


@pytest.mark.parametrize("entry", ENTRIES, ids=[e["path"].split("-", 1)[0] for e in ENTRIES])
def test_a_hand_typed_list_goes_in_unchanged_through_the_command(db, runner, make_user, entry):
    officer = make_user(Role.OFFICER)
    args = command(entry, officer)
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    check_assets(db, entry)
    again = runner.invoke(args=args)
    assert "Không có gì mới để ghi." in again.output, again.output  # the same list twice adds nothing


def test_a_list_needing_a_correction_is_refused_by_the_command_without_its_mapping(db, runner, make_user):
    officer = make_user(Role.OFFICER)
    result = runner.invoke(args=["assets", "import", str(CORPUS / "17-thiet-bi-thu-hoi-can-anh-xa.xlsx"),
                                 "--user", officer.username])
    assert result.exit_code == 1
    assert "Không tìm thấy đơn vị «Tổ công tác 389 thành phố»" in result.output
    assert "«Thanh lý» không hợp lệ" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Asset)) == 0


def test_a_mapping_file_with_mistakes_is_refused_naming_each(db, runner, make_user, tmp_path):
    officer = make_user(Role.OFFICER)
    bad = tmp_path / "sai.json"
    bad.write_text(json.dumps({"columns": {"Giá mua": "Giá không có"}, "units": {"X": {"unit": "Huyện Không Có"}}}),
                   encoding="utf-8")
    result = runner.invoke(args=["assets", "import", str(CORPUS / "17-thiet-bi-thu-hoi-can-anh-xa.xlsx"),
                                 "--user", officer.username, "--mapping", str(bad)])
    assert result.exit_code == 1 and "«Giá mua» → «Giá không có»" in result.output and "Huyện Không Có" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Asset)) == 0


def test_the_samples_shipped_in_imports_are_lists_of_the_corpus_and_so_go_in_the_same_way():
    """Each sample in imports/vi-du-tu-lap is byte for byte a corpus list, imported above by page and command."""
    corpus = {path.read_bytes(): path.name for path in CORPUS.iterdir() if path.is_file()}
    samples = sorted((ROOT / "imports" / "vi-du-tu-lap").iterdir())
    assert len(samples) >= 6
    listed = {entry["path"] for entry in ENTRIES} | {entry["mapping"] for entry in ENTRIES}
    for sample in samples:
        assert corpus.get(sample.read_bytes()) == sample.name and sample.name in listed, sample.name


@pytest.mark.parametrize("kind", list(AssetKind))
def test_a_blank_template_says_it_has_no_rows_to_import(kind):
    from tracker.importing import templates_xlsx
    from tracker.importing.parse import parse_file
    from tracker.importing.safety import FileRefused

    path = ROOT / "imports" / templates_xlsx.FILENAMES[kind]
    with pytest.raises(FileRefused, match="không có dòng tài sản nào"):
        parse_file(path.read_bytes(), path.name)  # its one row is the template's «Ví dụ», not an asset


def test_the_agency_a_list_names_is_printed_in_the_handover_minutes(db, runner, make_user, unit_by_name):
    from docx import Document

    from tests.handover_factory import issued
    from tracker.models import StoredFile, UnitKind

    officer = make_user(Role.OFFICER)
    entry = next(e for e in ENTRIES if e["path"].startswith("02-"))
    assert runner.invoke(args=command(entry, officer)).exit_code == 0
    car = _find(db, "vehicle", "plate:20A-649.55")[0]
    assert car.agency.name == "Thành ủy Sông Công" and car.agency.unit.name == "Thành phố Sông Công"
    handover = issued(db, officer, car.unit, unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE), [car])
    document = Document(io.BytesIO(db.session.get(StoredFile, handover.minutes_file_id).data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert any("Xe ô tô Toyota Fortuner 20A-649.55" in c and "Cơ quan quản lý: Thành ủy Sông Công" in c for c in cells)
