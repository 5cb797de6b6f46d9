"""Shared column helpers."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC; stored times are UTC, shown in Vietnam time."""
    return dt.datetime.now(dt.timezone.utc)


def enum_column(enum_cls: type[enum.Enum], **kw) -> sa.Enum:
    """A VARCHAR + CHECK enum storing the member *values*, so SQL reads like the code."""
    return sa.Enum(
        enum_cls,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        create_constraint=True,
        length=24,
        validate_strings=True,
        name=enum_cls.__name__.lower(),
        **kw,
    )


class Labelled(str, enum.Enum):
    """A str enum whose members carry a Vietnamese label for the interface."""

    def __new__(cls, value: str, label: str = ""):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label or value
        return obj

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """(value, label) pairs for select fields."""
        return [(m.value, m.label) for m in cls]
