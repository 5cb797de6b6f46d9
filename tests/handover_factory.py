"""Building handovers for the handover tests through the real services."""
from __future__ import annotations

import datetime as dt

from tracker.handovers import services
from tracker.models import AssetKind, UnitKind

HANDOVER_DATE = dt.date(2025, 7, 5)


def minimal_pdf(text: str | None) -> bytes:
    """A one-page PDF with ``text`` as real text, or no text at all (like a scan)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def scan_pdf() -> bytes:
    """The scan of the signed paper: a real one-page PDF with no text, as a scanner makes."""
    return minimal_pdf(None)


def units(unit_by_name):
    """(Phường Phố Cò, old commune; Phường Sông Công, new ward) of Thái Nguyên."""
    return (unit_by_name("Phường Phố Cò", UnitKind.OLD_COMMUNE), unit_by_name("Phường Sông Công", UnitKind.NEW_COMMUNE))


def draft(db, officer, giver, receiver, doc_type="assets", immediate_use=False, **kw):
    """A draft with representatives of both sides and a witness."""
    values = services.DraftInput(
        giver=giver, receiver=receiver, doc_type=doc_type, handover_date=kw.pop("handover_date", HANDOVER_DATE),
        place=kw.pop("place", "Trụ sở UBND phường Sông Công"),
        legal_basis=kw.pop("legal_basis", ["Căn cứ Nghị quyết số 1683/NQ-UBTVQH15 ngày 16/6/2025;",
                                           "Căn cứ Nghị định số 151/2017/NĐ-CP;"]),
        copies=kw.pop("copies", 4), immediate_use=immediate_use,
        parties=kw.pop("parties", [
            services.PartyInput("giver", "Nguyễn Văn An", "Chủ tịch UBND phường Phố Cò"),
            services.PartyInput("receiver", "Trần Thị Bình", "Chủ tịch UBND phường Sông Công"),
            services.PartyInput("witness", "Lê Văn Cường", "Phó Giám đốc", "Sở Tài chính tỉnh Thái Nguyên"),
        ]), **kw)
    handover = services.prepare_handover(values, officer)
    db.session.commit()
    return handover


def equipment(make_asset, giver, count, start=1, **fields):
    """``count`` equipment items of the giver with distinct costs (so every row is recognisable)."""
    return [make_asset(AssetKind.EQUIPMENT, unit=giver, code=f"TB-{start + i:04d}", name=f"Máy vi tính số {start + i}",
                       original_cost=str(12_500_000 + (start + i) * 1_001), remaining_value=str(3_000_000 + start + i),
                       **fields) for i in range(count)]


def issued(db, officer, giver, receiver, assets, **kw):
    """A handover with these assets, issued."""
    handover = draft(db, officer, giver, receiver, **kw)
    services.add_assets(handover, assets, officer)
    services.issue_handover(handover, officer)
    db.session.commit()
    return handover


def signed(db, officer, giver, receiver, assets, **kw):
    handover = issued(db, officer, giver, receiver, assets, **kw)
    services.attach_signed_scan(handover, "ban-ky.pdf", scan_pdf(), officer)
    db.session.commit()
    return handover


def delivered(db, officer, giver, receiver, assets, clerk, receipt=None, **kw):
    """A handover through every step: issued, signed, confirmed by ``clerk`` of the receiver, completed.

    ``receipt`` maps an asset to (ReceiptState, note); the others are received.
    """
    from tracker.models import ReceiptState

    handover = signed(db, officer, giver, receiver, assets, **kw)
    answers = {asset.id: answer for asset, answer in (receipt or {}).items()}
    services.confirm_items(handover, {item.id: answers.get(item.asset_id, (ReceiptState.RECEIVED, ""))
                                      for item in handover.items}, clerk)
    services.complete_handover(handover, clerk)
    db.session.commit()
    return handover


def filled(line: str) -> str:
    """A default 'Căn cứ …' line as the officer completes it: the decision's number and date typed in."""
    for blank, typed in (("…/QĐ-UBND", "120/QĐ-UBND"), ("…/KH-UBND", "15/KH-UBND"), ("…/…/2025", "20/6/2025")):
        line = line.replace(blank, typed)
    return line.replace("…", "01")


def ready(db, officer, handover, handover_date=HANDOVER_DATE):
    """Fill in what a draft made in one step lacks before issue: date, place, representatives, the
    numbers and dates its default legal basis leaves blank."""
    values = services.DraftInput(
        giver=handover.giver, receiver=handover.receiver, doc_type=handover.doc_type, handover_date=handover_date,
        place=f"Trụ sở {handover.receiver.name}", legal_basis=[filled(line) for line in handover.legal_basis or []],
        remarks=handover.remarks or "", parties=[
            services.PartyInput("giver", "Phạm Văn Dũng", f"Đại diện {handover.giver.name}"),
            services.PartyInput("receiver", "Trần Thị Bình", f"Chủ tịch UBND {handover.receiver.name}")])
    services.update_draft(handover, values, officer)
    db.session.commit()
    return handover
