"""Derived identifiers: idempotency keys of records and stable ids of loaded rows.

A record's derived idempotency key is a hash of what the record says — its subject,
type, observation date and value — so the same observation submitted twice (a phone
that syncs again, a spreadsheet imported again) has the same key and is stored once.
Migration ``0002`` derives the keys of existing records the same way.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

__all__ = ["canonical_json", "record_key", "record_keys", "stable_id"]

_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode


def canonical_json(value: Mapping[str, Any]) -> str:
    """Return ``value`` as compact JSON with sorted keys (the form keys are derived from)."""
    return _ENCODE(value)


def _plain(text: str) -> bool:
    """Whether JSON writes ``text`` as itself between quotes (no escaping needed)."""
    return text.isascii() and text.isprintable() and '"' not in text and "\\" not in text


def record_key(
    subject_kind: str, subject_id: str, record_type: str, observed_on: date | str, value: Any
) -> str:
    """Return the derived idempotency key of a record: 40 hex digits.

    ``value`` is the validated value as JSON-ready data, or its canonical JSON text as
    :func:`canonical_json` writes it.

    Example:
        >>> a = record_key("resident", "r-1", "kesehatan.penimbangan", date(2025, 3, 1),
        ...                {"weight_kg": 9.5})
        >>> a == record_key("resident", "r-1", "kesehatan.penimbangan", "2025-03-01",
        ...                 canonical_json({"weight_kg": 9.5}))
        True
        >>> len(a)
        40
    """
    day = observed_on.isoformat() if isinstance(observed_on, date) else observed_on
    text = value if isinstance(value, str) else _ENCODE(value)
    if _plain(subject_id) and _plain(subject_kind) and _plain(record_type) and _plain(day):
        # The very bytes the encoder writes for the list, without building it.
        body = f'["{subject_kind}","{subject_id}","{record_type}","{day}",{text}]'
    else:
        body = _ENCODE([subject_kind, subject_id, record_type, day, json.loads(text)])
    return hashlib.sha256(body.encode()).hexdigest()[:40]


def record_keys(
    kinds: Sequence[str],
    subjects: Sequence[str],
    codes: Sequence[str],
    days: Sequence[str],
    texts: Sequence[str],
) -> list[str]:
    """Return :func:`record_key` of many records given by column (days as ISO text).

    The same keys, computed with one format and one hash per record: each distinct
    part is checked once for characters JSON would escape, and only a record with such
    a part takes the general path.

    Example:
        >>> record_keys(["resident"], ["r-1"], ["kesehatan.penimbangan"], ["2025-03-01"],
        ...             ['{"weight_kg":9.5}']) == [record_key(
        ...     "resident", "r-1", "kesehatan.penimbangan", "2025-03-01", {"weight_kg": 9.5})]
        True
    """
    sha = hashlib.sha256
    plain = {part for part in {*kinds, *subjects, *codes, *days} if _plain(part)}
    return [
        sha(f'["{k}","{s}","{c}","{d}",{t}]'.encode()).hexdigest()[:40]
        if k in plain and s in plain and c in plain and d in plain
        else record_key(k, s, c, d, t)
        for k, s, c, d, t in zip(kinds, subjects, codes, days, texts, strict=True)
    ]


def stable_id(*parts: str) -> str:
    """Return a UUID-shaped id that depends only on ``parts`` (re-running a load reuses it).

    Example:
        >>> stable_id("load-1", "resident", "3275014508900012") == stable_id(
        ...     "load-1", "resident", "3275014508900012")
        True
        >>> len(stable_id("x"))
        36
    """
    h = hashlib.blake2b("\x1f".join(parts).encode(), digest_size=16).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
