"""Anyone signed in can check a document against the issued minutes; altered copies are caught."""
from __future__ import annotations

import io
import re
import zipfile

import docx
import pytest

from tests.conftest import csrf_token
from tests.handover_factory import equipment, issued, minimal_pdf, units
from tracker.formatting import group_thousands
from tracker.handovers import services, verification
from tracker.handovers.minutes.verify import normalize_code
from tracker.models import Role, StoredFile


@pytest.fixture
def minutes(db, make_user, make_asset, unit_by_name):
    giver, receiver = units(unit_by_name)
    officer = make_user(Role.OFFICER, username="canbo")
    assets = equipment(make_asset, giver, 5)
    handover = issued(db, officer, giver, receiver, assets)
    return handover, db.session.get(StoredFile, handover.minutes_file_id).data, assets, officer


def rezip(content: bytes, change) -> bytes:
    """Unzip a DOCX, let ``change`` edit document.xml, zip it again."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = change(data.decode()).encode()
            target.writestr(info, data)
    return out.getvalue()


def test_the_issued_docx_matches(db, minutes):
    handover, content, _assets, _officer = minutes
    verdict = verification.verify_document(content)
    assert verdict.matches and verdict.outcome == "match" and verdict.handover.id == handover.id


def test_a_docx_with_one_digit_changed_does_not_verify_and_the_changed_row_is_shown(db, minutes):
    handover, content, assets, _officer = minutes
    figure = group_thousands(assets[2].original_cost)
    assert content and figure.endswith("3")
    forged = figure[:-1] + "8"
    tampered = rezip(content, lambda xml: xml.replace(f">{figure}<", f">{forged}<", 1))
    assert tampered != content
    verdict = verification.verify_document(tampered)
    assert not verdict.matches and verdict.outcome == "tampered" and verdict.handover.id == handover.id
    before, after = verdict.differences[0]
    assert figure in before and forged in after and "TB-0003" in before


def test_a_resaved_copy_with_the_same_text_is_not_the_original(db, minutes):
    _handover, content, _assets, _officer = minutes
    out = io.BytesIO()
    docx.Document(io.BytesIO(content)).save(out)
    verdict = verification.verify_document(out.getvalue())
    assert not verdict.matches and verdict.outcome == "resaved" and verdict.differences == []


def test_a_forged_code_or_no_code_does_not_verify(db, minutes):
    handover, content, _assets, _officer = minutes
    code = handover.verification_code
    printed = f"{code[:4]}-{code[4:8]}-{code[8:]}"

    def swap_code(data: bytes) -> bytes:
        source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
        with zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                part = source.read(info.filename)
                if info.filename.startswith("word/footer"):
                    part = part.replace(printed.encode(), b"AAAA-BBBB-CC")
                target.writestr(info, part)
        return out.getvalue()

    assert verification.verify_document(swap_code(content)).outcome == "unknown_code"
    blank = io.BytesIO()
    docx.Document().save(blank)
    assert verification.verify_document(blank.getvalue()).outcome == "no_code"


def test_a_pdf_with_the_code_points_to_the_record_but_cannot_match_by_hash(db, minutes):
    handover, _content, _assets, _officer = minutes
    code = handover.verification_code
    verdict = verification.verify_document(minimal_pdf(f"Ma xac thuc: {code[:4]}-{code[4:8]}-{code[8:]}"))
    assert verdict.outcome == "pdf_code" and verdict.handover.id == handover.id and not verdict.matches


def test_a_scan_without_text_asks_for_the_code_and_the_code_finds_the_record(db, minutes):
    handover, _content, _assets, _officer = minutes
    assert verification.verify_document(minimal_pdf(None)).outcome == "scan"
    assert verification.verify_document(b"\x89PNG\r\n\x1a\nrest").outcome == "scan"
    code = handover.verification_code
    typed = f"{code[:4].lower()} {code[4:8]}-{code[8:]}".replace("O", "0")
    assert normalize_code(typed) == code
    verdict = verification.verify_code(typed)
    assert verdict.outcome == "code_found" and verdict.handover.id == handover.id
    assert verification.verify_code("ZZZZ-ZZZZ-ZZ").outcome == "unknown_code"


def test_the_uploaded_signed_scan_matches_its_record(db, minutes):
    handover, _content, _assets, officer = minutes
    scan = minimal_pdf(None)
    services.attach_signed_scan(handover, "ky.pdf", scan, officer)
    db.session.commit()
    verdict = verification.verify_document(scan)
    assert verdict.outcome == "match_scan" and verdict.handover.id == handover.id


def test_commune_staff_of_any_unit_can_check_a_document_on_the_verify_page(db, minutes, make_user, unit_by_name,
                                                                          browser):
    from tests.conftest import Auth

    handover, content, assets, _officer = minutes
    make_user(Role.COMMUNE, username="xa_khac", unit=unit_by_name("Phường Bá Xuyên"))
    client = browser()
    Auth(client).login("xa_khac")
    token = csrf_token(client, "/handovers/verify")
    good = client.post("/handovers/verify", data={"csrf_token": token, "up-submit": "1",
                                                  "up-document": (io.BytesIO(content), "bb.docx")},
                       content_type="multipart/form-data")
    page = good.get_data(as_text=True)
    assert good.status_code == 200 and "Khớp" in page and f"{handover.number:02d}/BB-BG" in page
    assert f"/handovers/{handover.id}\"" not in page  # not theirs to open
    figure = group_thousands(assets[0].original_cost)
    forged = rezip(content, lambda xml: xml.replace(f">{figure}<", f">{figure[:-1]}9<", 1))
    bad = client.post("/handovers/verify", data={"csrf_token": token, "up-submit": "1",
                                                 "up-document": (io.BytesIO(forged), "bb.docx")},
                      content_type="multipart/form-data").get_data(as_text=True)
    assert "KHÔNG khớp: tài liệu đã bị sửa." in bad and re.search(r"<del>[^<]*" + re.escape(figure), bad)
    typed = client.post("/handovers/verify", data={"csrf_token": token, "code-submit": "1",
                                                   "code-code": handover.verification_code.lower()})
    assert "Mã hợp lệ" in typed.get_data(as_text=True)


def test_an_upload_cannot_make_the_server_read_its_own_files(db, minutes, tmp_path):
    """A DOCX declaring an external entity gets no file contents into the differences shown back."""
    _handover, content, _assets, _officer = minutes
    secret = tmp_path / "secret.txt"
    secret.write_text("MATKHAU-BI-MAT")

    def inject(xml: str) -> str:
        declaration = f'<!DOCTYPE w:document [<!ENTITY leak SYSTEM "file://{secret}">]>'
        xml = xml.replace("?>", "?>" + declaration, 1)
        return xml.replace("Biên bản được lập thành", "&leak; Biên bản được lập thành", 1)

    verdict = verification.verify_document(rezip(content, inject))
    assert verdict.outcome in ("tampered", "resaved", "no_code")
    assert "MATKHAU-BI-MAT" not in repr(verdict.differences)
