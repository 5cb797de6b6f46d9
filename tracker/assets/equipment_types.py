"""The type of an equipment item told from its name, for lists without a «Loại thiết bị» column. Pure.

Real lists name equipment "Máy vi tính để bàn Dell Optiplex", "Bộ bàn ghế họp 12 chỗ", "Điều hòa
Daikin 12000BTU": the type is the name's head words. The table maps those heads (folded, at the
start of the name, longest first) to the type as the register writes it; a name that starts with
none of them keeps no type (the field is optional; the norms still match on the name).
"""
from __future__ import annotations

import re
from functools import lru_cache

from tracker.text import fold

# (folded head words, alternatives separated by |) -> type shown in the register
TYPES: tuple[tuple[str, str], ...] = (
    ("may vi tinh xach tay|may tinh xach tay|laptop|notebook", "Máy tính xách tay"),
    ("may vi tinh|may tinh de ban|may tinh|bo may vi tinh|bo may tinh|cay may tinh|pc|may chu|server",
     "Máy vi tính"),
    ("man hinh may tinh|man hinh", "Màn hình"),
    ("may in|may in laser|may in mau", "Máy in"),
    ("may photocopy|may photo|may pho to", "Máy photocopy"),
    ("may chieu|may chieu da nang|projector", "Máy chiếu"),
    ("may scan|may quet", "Máy quét"),
    ("may fax", "Máy fax"),
    ("may huy tai lieu|may huy giay", "Máy hủy tài liệu"),
    ("may dieu hoa|dieu hoa|may lanh|dieu hoa nhiet do", "Điều hòa"),
    ("bo ban ghe|ban ghe", "Bàn ghế"),
    ("ban lam viec|ban hop|ban vi tinh|ban", "Bàn"),
    ("ghe", "Ghế"),
    ("tu tai lieu|tu dung tai lieu|tu sat|tu go|tu ho so|tu", "Tủ"),
    ("ke|gia de tai lieu|gia sat", "Kệ, giá"),
    ("ket sat|ket", "Két sắt"),
    ("dien thoai|may dien thoai", "Điện thoại"),
    ("ti vi|tivi|tv|man hinh tivi", "Ti vi"),
    ("loa|am ly|amply|micro|bo am thanh|tang am|he thong am thanh|dan am thanh", "Thiết bị âm thanh"),
    ("camera|dau ghi", "Camera"),
    ("may phat dien", "Máy phát điện"),
    ("may bom", "Máy bơm"),
    ("quat|quat dien|quat tran", "Quạt"),
    ("bo luu dien|ups", "Bộ lưu điện"),
    ("thiet bi mang|switch|router|bo phat wifi|modem", "Thiết bị mạng"),
    ("xe mo to|xe may", "Xe mô tô"),
    ("may anh|may quay", "Máy ảnh, máy quay"),
    ("binh nong lanh|binh nuoc nong", "Bình nóng lạnh"),
    ("tu lanh", "Tủ lạnh"),
)
_HEADS = sorted(((head, kind) for heads, kind in TYPES for head in heads.split("|")),
                key=lambda pair: -len(pair[0]))
_WORDS = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=8192)
def type_from_name(name: str | None) -> str | None:
    """'Máy vi tính để bàn Dell' -> 'Máy vi tính'; None when the name starts with no known type."""
    if not name:
        return None
    words = _WORDS.sub(" ", fold(name)).strip()
    for head, kind in _HEADS:
        if words == head or words.startswith(head + " "):
            return kind
    return None
