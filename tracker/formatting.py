"""How numbers and dates look to Vietnamese officials: 12.500.000 đ, 05/07/2025."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal


def group_thousands(value: int | Decimal | float | None) -> str:
    """Whole number with '.' between thousands: 12500000 -> '12.500.000'."""
    if value is None:
        return ""
    return f"{int(value):,}".replace(",", ".")


def money(value: int | None) -> str:
    """Đồng amount as officials write it: '12.500.000 đ' (no minor unit)."""
    if value is None:
        return ""
    return f"{group_thousands(value)} đ"


def decimal_vn(value: Decimal | float | int | None, places: int = 2) -> str:
    """Decimal with ',' as separator and '.' between thousands: 1234.5 -> '1.234,5'."""
    if value is None:
        return ""
    text = f"{Decimal(value):,.{places}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    whole = whole.replace(",", ".")
    return f"{whole},{frac}" if frac else whole


def date_vn(value: dt.date | dt.datetime | None) -> str:
    """dd/mm/yyyy."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")


def datetime_vn(value: dt.datetime | None) -> str:
    """dd/mm/yyyy HH:MM in Vietnam time (stored times are UTC)."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    local = value.astimezone(dt.timezone(dt.timedelta(hours=7)))
    return local.strftime("%d/%m/%Y %H:%M")


def person(entry) -> str:
    """Who did it, as histories name people: the full name, else the username the entry kept (a
    failed sign-in's, or a removed account's); '' for the system (the command line, the worker),
    which templates write as «Hệ thống»."""
    user = getattr(entry, "user", None)
    if user is not None and user.full_name:
        return user.full_name
    return getattr(entry, "username", "") or (user.username if user is not None else "")
