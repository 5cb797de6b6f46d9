"""Amounts in Vietnamese words, as minutes write them after the figure: 'Mười hai triệu đồng'."""
from __future__ import annotations

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
GROUPS = ["", " nghìn", " triệu", " tỷ"]


def _three(n: int, full: bool) -> str:
    """0–999; ``full`` when a higher group precedes, so 5 reads 'không trăm linh năm'."""
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    words: list[str] = []
    if full or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if ones and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if ones:
        if ones == 1 and tens >= 2:
            words.append("mốt")
        elif ones == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[ones])
    return " ".join(words)


def number_words(n: int) -> str:
    """Whole number in words: 12500000 -> 'mười hai triệu năm trăm nghìn'."""
    if n == 0:
        return "không"
    if n < 0:
        return "âm " + number_words(-n)
    if n >= 1_000_000_000:
        rest = n % 1_000_000_000
        head = number_words(n // 1_000_000_000) + " tỷ"
        return head if rest == 0 else f"{head} {_below_billion(rest, full=True)}"
    return _below_billion(n, full=False)


def _below_billion(n: int, full: bool) -> str:
    groups = [n // 1_000_000 % 1000, n // 1000 % 1000, n % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if group == 0:
            continue
        started = bool(words) or full
        words.append(_three(group, started) + GROUPS[2 - index])
    return " ".join(words)


def money_words(n: int) -> str:
    """'Mười hai triệu năm trăm nghìn đồng' (first letter capital, as written in minutes)."""
    text = number_words(n) + " đồng"
    return text[0].upper() + text[1:]
