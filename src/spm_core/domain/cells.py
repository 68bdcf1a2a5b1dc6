"""Spreadsheet-safe cells: text a spreadsheet would run as a formula is written as text.

A name such as ``=HYPERLINK("http://…","klik")`` or ``@SUM(1+1)*cmd|' /C calc'!A0``
typed into a form is stored as it is (it is somebody's text), but a CSV or Excel file
that carries it must not hand it to a spreadsheet as a formula (OWASP ASVS 5.0
requirement 1.2.10, "CSV injection"). Every export of the library passes its cells —
its header too, which may come from a user's file — through :func:`neutralise`; every
reader takes the mark off again with :func:`restore`, so a value survives a round trip.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["FORMULA_TRIGGERS", "neutralise", "neutralise_mapping", "neutralise_row", "restore"]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet read a cell as a formula (or DDE command)."""


def neutralise(value: Any) -> Any:
    """Return ``value`` safe for a spreadsheet cell: text starting a formula gets a ``'``.

    Only text is changed; numbers, dates and blanks are returned as they are, so a
    negative count stays a number.

    Example:
        >>> neutralise("=SUM(A1:A9)"), neutralise("-5"), neutralise(-5), neutralise("Siti")
        ("'=SUM(A1:A9)", "'-5", -5, 'Siti')
    """
    if isinstance(value, str) and value[:1] in FORMULA_TRIGGERS:
        return "'" + value
    return value


def restore(value: Any) -> Any:
    """Undo :func:`neutralise`: drop the ``'`` in front of a formula character.

    Example:
        >>> restore("'=1+1"), restore("'Siti"), restore("Siti")
        ('=1+1', "'Siti", 'Siti')
    """
    if isinstance(value, str) and value[:1] == "'" and value[1:2] in FORMULA_TRIGGERS:
        return value[1:]
    return value


def neutralise_row(row: Iterable[Any]) -> list[Any]:
    """Return the cells of ``row`` neutralised, for ``csv.writer(...).writerow``.

    Example:
        >>> neutralise_row(["nama", "=1+1", 3])
        ['nama', "'=1+1", 3]
    """
    return [neutralise(value) for value in row]


def neutralise_mapping(row: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``row`` with every value neutralised, for ``csv.DictWriter(...).writerow``.

    Example:
        >>> neutralise_mapping({"nama": "+62 812", "umur": 3})
        {'nama': "'+62 812", 'umur': 3}
    """
    return {name: neutralise(value) for name, value in row.items()}
