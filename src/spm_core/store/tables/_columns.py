"""Column types shared by the tables: identifiers, region codes, RT/RW."""

from __future__ import annotations

from sqlalchemy import String

__all__ = ["CODE", "ID", "NUMBER16", "RT_RW", "WILAYAH"]

ID = String(36)
"""A row identifier: a UUID as text."""

WILAYAH = String(13).with_variant(String(13, collation="C"), "postgresql")
"""A dotted Kemendagri region code, at most ``PP.KK.CC.DDDD``.

On PostgreSQL the column collates bytewise (``COLLATE "C"``), so the range that scopes
a region (``code >= '32.75.' AND code < '32.75/'``) means what it says and uses the
index; SQLite compares text bytewise already.
"""

NUMBER16 = String(16)
"""A NIK or a Nomor KK: 16 digits, always text."""

RT_RW = String(3)
"""An RT or RW number as three digits."""

CODE = String(80)
"""A definition code from the catalog (record type, service type, target, item)."""
