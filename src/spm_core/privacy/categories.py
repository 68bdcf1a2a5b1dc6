"""Data categories: which data is *specific* (UU PDP 27/2022 Ps. 4) and which general.

The tags live with the store, which logs every read of specific data
(:mod:`spm_core.store.categories`); they are named here too for the privacy tools.
"""

from __future__ import annotations

from spm_core.store.categories import (
    COLUMN_CATEGORIES,
    SPECIFIC_CATEGORIES,
    column_category,
    field_category,
    record_category,
    record_type_category,
)

__all__ = [
    "COLUMN_CATEGORIES",
    "SPECIFIC_CATEGORIES",
    "column_category",
    "field_category",
    "record_category",
    "record_type_category",
]
