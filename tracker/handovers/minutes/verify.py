"""Reading a document back to check it against an issued record. Pure: bytes in, facts out.

A match is by SHA-256 of the exact bytes. When the bytes differ, the verification code printed
in every footer ('Mã xác thực: ABCD-EFGH-JK') still names the record the document claims to be,
so the page can say "this was altered" and show which lines differ.
"""
from __future__ import annotations

import base64
import difflib
import hashlib
import hmac
import io
import re
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CODE_LENGTH = 10
# Grouped as printed; base32 has no 0, 1, 8 or 9, so the pattern does not catch numbers or dates.
CODE_PATTERN = re.compile(r"\b([A-Z2-7]{4})-([A-Z2-7]{4})-([A-Z2-7]{2})\b")
# Digits people type for look-alike letters when copying a code from paper.
LOOKALIKES = str.maketrans({"0": "O", "1": "I", "8": "B", "9": "G"})
MAX_XML_BYTES = 200 * 1024 * 1024  # a zip bomb is refused, not unpacked
# Uploads are hostile until proven otherwise: no entity expansion (an external entity would read
# server files into the differences shown back), no network, no huge trees.
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def verification_code(handover_id: int, secret: str) -> str:
    """10 base32 characters from an HMAC of the record id: unguessable without the server secret."""
    digest = hmac.new(secret.encode(), f"handover:{handover_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode()[:CODE_LENGTH]


def normalize_code(text: str) -> str:
    """What a person typed ('abcd efgh-jk', 'ABCD-EFGH-JK') as stored: 'ABCDEFGHJK'."""
    return re.sub(r"[^A-Z2-7]", "", (text or "").upper().translate(LOOKALIKES))


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sniff(data: bytes) -> str:
    """'docx', 'pdf', 'image' or 'unknown', from the content rather than the file name."""
    if data.startswith(b"%PDF"):
        return "pdf"
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff")):
        return "image"
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "docx"
        except zipfile.BadZipFile:
            return "unknown"
    return "unknown"


def _parts(data: bytes, prefix: str) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith(prefix) and n.endswith(".xml"))
        if sum(archive.getinfo(n).file_size for n in names) > MAX_XML_BYTES:
            raise ValueError("document too large")
        return [archive.read(n) for n in names]


def _paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


def find_code(text: str) -> str | None:
    """The first verification code in a text, normalised; None if there is none."""
    match = CODE_PATTERN.search(text or "")
    return "".join(match.groups()) if match else None


def docx_code(data: bytes) -> str | None:
    """The code printed in a DOCX's footers (or, failing that, anywhere in its text)."""
    try:
        footers = _parts(data, "word/footer")
        for part in footers:
            root = etree.fromstring(part, SAFE_PARSER)
            code = find_code(" ".join(_paragraph_text(p) for p in root.iter(f"{W}p")))
            if code:
                return code
        return find_code("\n".join(docx_lines(data)))
    except (zipfile.BadZipFile, etree.XMLSyntaxError, KeyError, ValueError):
        return None


def docx_lines(data: bytes) -> list[str]:
    """The body as lines: a paragraph per line, a table row as its cells joined by ' | '."""
    root = etree.fromstring(_parts(data, "word/document.xml")[0], SAFE_PARSER)
    body = root.find(f"{W}body")
    lines: list[str] = []
    for child in body:
        if child.tag == f"{W}p":
            lines.append(_paragraph_text(child))
        elif child.tag == f"{W}tbl":
            for row in child.iter(f"{W}tr"):
                cells = [" / ".join(_paragraph_text(p) for p in tc.iter(f"{W}p")) for tc in row.iter(f"{W}tc")]
                lines.append(" | ".join(cells))
    return [line for line in lines if line.strip()]


def pdf_text(data: bytes) -> str | None:
    """Text of a PDF ('' for a scan without a text layer); None if it cannot be read at all."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError:  # pragma: no cover - pypdf is in requirements
        return None
    try:
        reader = PdfReader(io.BytesIO(data))
        return "\n".join((page.extract_text() or "") for page in reader.pages[:200])
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return None


def differences(original: list[str], candidate: list[str], limit: int = 10) -> list[tuple[str, str]]:
    """Lines that differ, as (in the issued document, in the uploaded one); at most ``limit``."""
    changes: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=original, b=candidate, autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        before, after = original[a1:a2], candidate[b1:b2]
        for i in range(max(len(before), len(after))):
            changes.append((before[i] if i < len(before) else "", after[i] if i < len(after) else ""))
            if len(changes) >= limit:
                return changes
    return changes
