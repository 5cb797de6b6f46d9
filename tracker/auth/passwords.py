"""The password rule: long enough, not too long to type into the sign-in form, not guessable.

Guessability is zxcvbn's estimate (Dropbox's estimator: dictionaries of common passwords, names,
keyboard walks, dates, repeats). Its dictionaries are English, so the Vietnamese words officials
reach for first ("matkhau", "bangiao", a province's name) are given to it as words it must know.
"""
from __future__ import annotations

from zxcvbn import zxcvbn

from tracker.text import fold

PASSWORD_MIN = 8
PASSWORD_MAX = 128  # the sign-in form takes exactly this many characters
MIN_SCORE = 3  # zxcvbn 0–4; 3 is "safely unguessable" against an online attack and a slow hash
ESTIMATE_CHARS = 72  # zxcvbn refuses longer inputs

# Words a Vietnamese official might build a password on, as zxcvbn should treat them: guessable.
LOCAL_WORDS = (
    "matkhau", "mat khau", "password", "admin", "quantri", "quan tri", "canbo", "can bo", "bangiao", "ban giao",
    "giaonhan", "giao nhan", "taisan", "tai san", "taichinh", "tai chinh", "sotaichinh", "ubnd", "hdnd", "xaphuong",
    "phuong", "xa", "tinh", "huyen", "thanhpho", "vietnam", "hanoi", "saigon", "hochiminh", "thainguyen",
    "songcong", "dienbien", "bienban", "kiemtoan", "thanhtra", "tracker", "handover", "demo", "congan", "doan",
)


def password_problem(password: str, *, username: str = "", full_name: str = "") -> str | None:
    """Why this password is refused, in Vietnamese, or None if it is acceptable."""
    if len(password) < PASSWORD_MIN:
        return f"Mật khẩu cần ít nhất {PASSWORD_MIN} ký tự."
    if len(password) > PASSWORD_MAX:
        return f"Mật khẩu dài tối đa {PASSWORD_MAX} ký tự (ô đăng nhập không nhận dài hơn)."
    folded = fold(password).replace(" ", "")
    if username and len(username) >= 3 and fold(username) in folded:
        return "Mật khẩu không được chứa tên đăng nhập."
    personal = [username, full_name, *fold(full_name).split()] if full_name else [username]
    # Judged without diacritics (zxcvbn would count "à" as a rare symbol) and, since zxcvbn slows down on
    # long inputs (and refuses past 72), on the first 72 characters, which decide a long password anyway.
    result = zxcvbn(fold(password)[:ESTIMATE_CHARS], user_inputs=[w for w in (*personal, *LOCAL_WORDS) if w])
    if result["score"] < MIN_SCORE:
        return ("Mật khẩu quá dễ đoán (một mật khẩu phổ biến, một từ quen kèm số, một dãy phím hay tên người dùng). "
                "Hãy dùng một cụm ba, bốn từ không liền nghĩa hoặc dài hơn, ví dụ «cây bàng - sông Công - 47 ngõ».")
    return None
