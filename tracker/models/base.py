"""Shared column helpers."""
from __future__ import annotations

import datetime as dt
import enum

import sqlalchemy as sa


def utcnow() -> dt.datetime:
    """Timezone-aware now in UTC; stored times are UTC, shown in Vietnam time."""
    return dt.datetime.now(dt.timezone.utc)


def enum_column(enum_cls: type[enum.Enum], *, checked: bool = True, **kw) -> sa.Enum:
    """A VARCHAR + CHECK enum storing the member *values*, so SQL reads like the code.

    ``checked=False`` leaves the CHECK to the table's ``__table_args__`` (see ``one_of``).
    """
    return sa.Enum(
        enum_cls,
        values_callable=lambda e: [m.value for m in e],
        native_enum=False,
        create_constraint=checked,
        length=24,
        validate_strings=True,
        name=enum_cls.__name__.lower(),
        **kw,
    )


def one_of(column: str, enum_cls: type[enum.Enum]) -> sa.CheckConstraint:
    """An enum column's CHECK as OR-ed equalities, under the name ``enum_column``'s own CHECK has.

    SQLite tests ``x IN ('a', 'b', …)`` by probing a temporary index for every row written; the
    six enum columns of ``assets`` cost 0.3 s of CPU per 100,000 imported assets that way and
    nothing measurable as equalities (docs/DECISIONS.md). Same rule, same NULL handling.
    """
    return sa.CheckConstraint(" OR ".join(f"{column} = '{member.value}'" for member in enum_cls),
                              name=enum_cls.__name__.lower())


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
