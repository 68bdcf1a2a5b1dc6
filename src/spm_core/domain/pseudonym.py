"""Pseudonyms and coarsening for research extracts: keyed hashes, months, years.

A research project gets its own secret key; the NIK (or, for a resident without one,
the library's own id) is replaced by HMAC-SHA-256 under that key. The same person has
the same pseudonym throughout one project's extracts (rows can be linked) and an
unrelated one in another project's (projects cannot link their data without the
keys). The key never travels with the extract. Birth and observation dates are cut to
the month or the year. Pure: no I/O.

Example:
    >>> key = ResearchKey.parse("proyek-stunting-2026-kunci-rahasia")
    >>> p = pseudonym(key, "3275014501900001")
    >>> len(p), p == pseudonym(key, "3275014501900001")
    (64, True)
    >>> coarsen(date(1990, 1, 5), "month"), coarsen(date(1990, 1, 5), "year")
    ('1990-01', '1990')
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date
from typing import Literal

import attrs

from spm_core.errors import InvalidValue

__all__ = [
    "MIN_KEY_BYTES",
    "DatePrecision",
    "ResearchKey",
    "coarsen",
    "key_fingerprint",
    "pseudonym",
]

MIN_KEY_BYTES = 16
"""The shortest key accepted: 16 bytes (128 bits), as for any HMAC key."""

DatePrecision = Literal["month", "year"]
"""How far dates are cut: to ``YYYY-MM`` or to ``YYYY``."""


@attrs.frozen(repr=False)
class ResearchKey:
    """The secret key of one research project; its ``repr`` never shows the key."""

    secret: bytes

    @classmethod
    def parse(cls, value: str | bytes) -> ResearchKey:
        """Return the key ``value`` (text is UTF-8 encoded, surrounding space dropped).

        Raises:
            InvalidValue: the key is shorter than :data:`MIN_KEY_BYTES` bytes.
        """
        secret = value.strip().encode() if isinstance(value, str) else bytes(value).strip()
        if len(secret) < MIN_KEY_BYTES:
            raise InvalidValue(
                value=f"<{len(secret)} byte>",
                reason_id=f"kunci proyek penelitian minimal {MIN_KEY_BYTES} byte",
                reason_en=f"a research project key must be at least {MIN_KEY_BYTES} bytes",
            )
        return cls(secret)

    def __repr__(self) -> str:
        return "ResearchKey(<secret>)"


def pseudonym(key: ResearchKey, identifier: str) -> str:
    """Return the hex HMAC-SHA-256 of ``identifier`` under ``key``."""
    return hmac.new(key.secret, identifier.encode(), hashlib.sha256).hexdigest()


def key_fingerprint(key: ResearchKey) -> str:
    """Return 16 hex digits that name ``key`` in logs without revealing it."""
    return pseudonym(key, "spm-core research key fingerprint")[:16]


def coarsen(day: date | None, precision: DatePrecision) -> str | None:
    """Return ``day`` cut to ``YYYY-MM`` (``"month"``) or ``YYYY`` (``"year"``).

    Raises:
        InvalidValue: ``precision`` is neither ``"month"`` nor ``"year"``.
    """
    if precision not in ("month", "year"):
        raise InvalidValue(
            value=precision,
            reason_id="ketelitian tanggal harus 'month' atau 'year'",
            reason_en="the date precision must be 'month' or 'year'",
        )
    if day is None:
        return None
    return f"{day.year:04d}-{day.month:02d}" if precision == "month" else f"{day.year:04d}"
