"""The minutes document: plain data in, DOCX bytes out, and reading a document back to verify it.

No database and no Flask here, so the layout is tested and benchmarked on made-up data.
"""
from tracker.handovers.minutes.builder import build_minutes, format_code
from tracker.handovers.minutes.data import ARCHIVES, ASSETS, ArchiveRow, AssetRow, MinutesData, Party

__all__ = ["ARCHIVES", "ASSETS", "ArchiveRow", "AssetRow", "MinutesData", "Party", "build_minutes", "format_code"]
