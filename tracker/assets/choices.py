"""How officials write the values of the choice fields, and which choice each way means. Pure.

A list writes a condition as "Tốt", "tot", "Còn tốt", "Xuống cấp" or "Hỏng không sửa được". Each
written value is read in one of three ways, and the importer's preview says which:

- ``exact``: the choice's own label or stored value ("Cần sửa chữa", "needs_repair");
- ``phrase``: a whole phrase officials use for it ("Còn sử dụng được", "Hư hỏng nhẹ");
- ``nearest``: a word inside the value points to it ("Đã cũ, xuống cấp" → Cần sửa chữa).

``phrase`` readings are safe enough to tell a column's meaning by its values ("a column whose
values are conditions is the condition"); ``nearest`` ones are only used for a column already
known to hold that field, and shown to the officer, who can map the value otherwise.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.models import Arrangement, Condition, Ownership, Retention
from tracker.text import fold

EXACT, PHRASE, NEAREST = "exact", "phrase", "nearest"
HOW_LABELS = {EXACT: "đúng tên", PHRASE: "cách ghi quen dùng", NEAREST: "gần nghĩa nhất"}
_PUNCTUATION = re.compile(r"[^0-9a-z%]+")


def value_key(value) -> str:
    """Folded, punctuation-free form of a written value: 'Hư hỏng (nhẹ).' -> 'hu hong nhe'."""
    return _PUNCTUATION.sub(" ", fold(str(value))).strip()


@dataclass(frozen=True)
class Vocabulary:
    """The ways one choice field is written: whole phrases, then ordered keyword rules."""

    enum: type
    phrases: dict[str, str] = field(default_factory=dict)  # value_key -> member value
    nearest: tuple[tuple[str, str], ...] = ()  # (regex on value_key, member value), first match wins

    def read(self, value):
        """(member, how) for a written value, or (None, None) when nothing points to a choice."""
        return _read(self, value_key(value))

    def __hash__(self) -> int:  # frozen with dict fields: hash by identity, one vocabulary per field
        return id(self)


@lru_cache(maxsize=4096)
def _read(vocabulary: Vocabulary, key: str):
    if not key:
        return None, None
    for member in vocabulary.enum:
        if key in (value_key(member.value), value_key(member.label)):
            return member, EXACT
    if key in vocabulary.phrases:
        return vocabulary.enum(vocabulary.phrases[key]), PHRASE
    for pattern, member_value in vocabulary.nearest:
        if re.search(pattern, key):
            return vocabulary.enum(member_value), NEAREST
    return None, None


def _phrases(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {value_key(text): member for member, texts in table.items() for text in texts}


CONDITION = Vocabulary(Condition, _phrases({
    "good": ("tốt", "còn tốt", "tốt 100%", "mới", "còn mới", "mới 100%", "bình thường", "hoạt động tốt",
             "sử dụng tốt", "đang sử dụng tốt", "còn tốt đang sử dụng", "tốt, đang sử dụng"),
    "in_use": ("đang sử dụng", "đang dùng", "còn sử dụng", "còn sử dụng được", "sử dụng được", "còn dùng được",
               "sử dụng bình thường", "hoạt động bình thường", "đang hoạt động", "còn hoạt động", "khá",
               "trung bình", "cũ", "đã cũ", "cũ còn sử dụng", "đang sd", "đsd"),
    "needs_repair": ("cần sửa chữa", "cần sửa", "hư hỏng nhẹ", "hỏng nhẹ", "hư nhẹ", "xuống cấp", "đã xuống cấp",
                     "cần bảo dưỡng", "cần bảo trì", "hư hỏng một phần", "cần thay thế", "thấm dột", "dột",
                     "cần sửa chữa lớn", "cần cải tạo", "csc"),
    "damaged": ("hư hỏng", "hỏng", "hư", "hư hỏng nặng", "hỏng nặng", "đã hỏng", "bị hỏng", "hh"),
    "unusable": ("không sử dụng được", "không sử dụng", "không dùng được", "không hoạt động", "hỏng không sửa được",
                 "hư hỏng không sửa được", "hỏng không sử dụng được", "không còn sử dụng được", "ksd", "kđsd"),
}), (
    (r"khong (the )?(su dung|dung|hoat dong)|khong con (su dung|dung)|het (han )?su dung|cho thanh ly|"
     r"de nghi thanh ly|khong (the )?sua|hong hoan toan|hu hong hoan toan", "unusable"),
    (r"xuong cap|sua|bao duong|bao tri|\bnhe\b|mot phan|tham|dot|nut|bong troc|cai tao|thay the", "needs_repair"),
    (r"\bhu\b|\bhong\b", "damaged"),
    (r"\btot\b|\bmoi\b|binh thuong|on dinh", "good"),
    (r"su dung|\bdung\b|hoat dong|\bkha\b|trung binh|\bcu\b", "in_use"),
))

ARRANGEMENT = Vocabulary(Arrangement, _phrases({
    "sorted": ("đã chỉnh lý", "đã chỉnh lý hoàn chỉnh", "chỉnh lý hoàn chỉnh", "đã", "xong", "rồi", "đã cl"),
    "preliminary": ("chỉnh lý sơ bộ", "sơ bộ", "đã chỉnh lý sơ bộ", "lập sơ bộ"),
    "unsorted": ("chưa chỉnh lý", "chưa", "chưa cl", "tài liệu rời lẻ", "rời lẻ", "bó gói", "tích đống"),
}), (
    (r"so bo", "preliminary"),
    (r"\bchua\b|roi le|bo goi|tich dong", "unsorted"),
    (r"\bda\b|xong|hoan chinh", "sorted"),
))

RETENTION = Vocabulary(Retention, _phrases({
    "permanent": ("vĩnh viễn", "vv", "lưu trữ vĩnh viễn", "bảo quản vĩnh viễn"),
    "limited": ("có thời hạn", "tạm thời", "lâu dài"),
}), (
    (r"vinh vien", "permanent"),
    (r"thoi han|\d+\s*nam|tam thoi|lau dai", "limited"),
))

OWNERSHIP = Vocabulary(Ownership, _phrases({
    "own": ("của đơn vị", "tài sản của đơn vị", "đơn vị", "chính", "đúng sổ sách", "có trên sổ sách"),
    "surplus": ("thừa", "thừa khi kiểm kê", "phát hiện thừa"),
    "missing": ("thiếu", "thiếu khi kiểm kê", "phát hiện thiếu", "mất"),
    "custody": ("giữ hộ", "mượn", "gửi", "nhận giữ hộ", "đi mượn", "giữ hộ, mượn"),
}), (
    (r"thua", "surplus"),
    (r"thieu|\bmat\b", "missing"),
    (r"giu ho|muon|\bgui\b", "custody"),
    (r"cua don vi|^don vi|^chinh|so sach", "own"),
))

BY_FIELD: dict[str, Vocabulary] = {"condition": CONDITION, "arrangement": ARRANGEMENT, "retention": RETENTION,
                                   "ownership": OWNERSHIP}
