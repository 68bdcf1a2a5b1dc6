"""Normalisers for values as people type them: RT/RW, names, NIK, KK, dates, region codes.

Each function takes raw input and returns the canonical value, or raises
:class:`pydantic_core.PydanticCustomError` whose context carries the bilingual message,
so :mod:`spm_core.schemas.translate` can turn it into an
:class:`~spm_core.errors.Issue` without losing the domain's own wording.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, NoReturn

from pydantic_core import PydanticCustomError

from spm_core.domain.kk import NomorKK
from spm_core.domain.nik import Nik
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import Issue, SpmError, shorten

__all__ = [
    "ERROR_TYPE",
    "as_text",
    "fail",
    "normalise_date",
    "normalise_kk",
    "normalise_nik",
    "normalise_rt_rw",
    "normalise_text",
    "normalise_village",
    "normalise_wilayah",
    "not_before_1900",
    "not_in_future",
    "reject_control_characters",
    "split_rt_rw",
]

WIT = timezone(timedelta(hours=9), "WIT")

ERROR_TYPE = "spm_error"
"""The pydantic error type of every error raised here; its context holds both messages."""

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# C0 and C1 controls except tab, line feed and carriage return (which collapse to a
# space), DEL, the bidirectional overrides, embeddings, isolates and marks, and lone
# surrogates (a JSON "\ud800" escape: no UTF-8 text, so no database, can hold one).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
EARLIEST_BIRTH = date(1900, 1, 1)
"""Birth dates before this day are refused as typing errors (year 1, 1090 …)."""
_SPACES = re.compile(r"\s+")
_RT_RW_PAIR = re.compile(
    r"^\s*(?:RT\.?\s*)?([0-9]{1,3})\s*(?:/|-|,|\s)\s*(?:RW\.?\s*)?([0-9]{1,3})\s*$",
    re.IGNORECASE,
)
_RT_RW_ONE = re.compile(r"^\s*(?:R[TW]\.?\s*)?([0-9]{1,3})\s*$", re.IGNORECASE)
_DMY = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")


def fail(
    code: str,
    value: object,
    message_id: str,
    message_en: str,
    *,
    field: str | None = None,
) -> NoReturn:
    """Raise a pydantic error carrying ``code`` and the message in both languages.

    ``field`` names the field for checks that span a whole model (pydantic gives those
    no location of their own).
    """
    context = {"code": code, "message_id": message_id, "message_en": message_en, "value": value}
    if field is not None:
        context["field"] = field
    raise PydanticCustomError(ERROR_TYPE, "{message_en}", context)


def _from_domain(error: SpmError) -> NoReturn:
    fail(error.code, error.value, error.message_id, error.message_en)


def normalise_text(value: object) -> object:
    """Strip zero-width characters and collapse runs of spaces (NBSP included).

    Anything that is not text is returned unchanged for pydantic to reject.

    Example:
        >>> normalise_text("  Siti\u00a0\u00a0Aminah\u200b ")
        'Siti Aminah'
    """
    if not isinstance(value, str):
        return value
    return _SPACES.sub(" ", _INVISIBLE.sub("", value)).strip()


def _escaped(text: str) -> str:
    """Return ``text`` with every forbidden character written as a Python escape."""
    return _FORBIDDEN.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


def _first_forbidden(value: object, path: str = "") -> tuple[str, str, str] | None:
    """Return (path, offending text, character) of the first forbidden character."""
    if isinstance(value, str):
        found = _FORBIDDEN.search(value)
        return None if found is None else (path, value, found.group())
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            hit = _first_forbidden(key, where) or _first_forbidden(item, where)
            if hit:
                return hit
    if isinstance(value, list | tuple):
        for index, item in enumerate(value):
            hit = _first_forbidden(item, f"{path}.{index}" if path else str(index))
            if hit:
                return hit
    return None


def reject_control_characters(value: object) -> object:
    """Refuse text holding control characters, ANSI escapes or bidirectional overrides.

    A NUL byte, an escape sequence that repaints a terminal or a right-to-left override
    that makes ``3275…`` display as something else has no place in a name, an address
    or a record value; nested objects and lists are searched too. The offending text is
    shown with the characters escaped.

    Example:
        >>> reject_control_characters("Siti Aminah")
        'Siti Aminah'
    """
    hit = _first_forbidden(value)
    if hit is None:
        return value
    path, text, char = hit
    where_id = f" (di {path})" if path else ""
    where_en = f" (at {path})" if path else ""
    code = f"U+{ord(char):04X}"
    fail(
        "control-character",
        _escaped(text),
        f"Teks berisi karakter kendali {code}{where_id} yang tidak boleh disimpan "
        "(karakter kendali, urutan escape ANSI, atau penimpa arah teks); hapus karakter itu.",
        f"The text holds the control character {code}{where_en}, which cannot be stored "
        "(control characters, ANSI escape sequences and bidirectional overrides are "
        "refused); remove it.",
    )


def control_character_issue(name: str, value: object) -> Issue | None:
    r"""Return the issue of an argument holding a character no stored text may hold.

    The same rule as :func:`reject_control_characters`, for a plain argument of a
    library call (an id, a filter, a reason) rather than a field of a model: text, or a
    list, tuple or set of texts, is searched; anything else (a mapping or a row of a
    batch, which its schema checks field by field) passes. PostgreSQL cannot
    hold a NUL and neither database a lone surrogate, so without this check such an id
    was a database error on one and an empty answer on the other.

    Example:
        >>> control_character_issue("resident_id", "r-1") is None
        True
        >>> control_character_issue("resident_id", "r-1\x00").code
        'control-character'
    """
    searched: list[str]
    if isinstance(value, str):
        searched = [value]
    elif isinstance(value, list | tuple | set | frozenset):
        searched = sorted(item for item in value if isinstance(item, str))
    else:
        return None
    hit = next(filter(None, (_first_forbidden(item) for item in searched)), None)
    if hit is None:
        return None
    path, text, char = hit
    where = f"{name}.{path}" if path else name
    code = f"U+{ord(char):04X}"
    return Issue(
        "control-character",
        where,
        str(shorten(_escaped(text))),
        f"Teks berisi karakter kendali {code} yang tidak boleh disimpan; hapus karakter itu.",
        f"The text holds the control character {code}, which cannot be stored; remove it.",
    )


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not normalise_text(value))


def normalise_nik(value: object) -> str | None:
    """Return the 16 digits of a NIK, ``None`` for a blank cell, or raise.

    Numbers, scientific notation (``3.27E+15``) and float-damaged text
    (``3275010101900001.0``) are rejected with the domain's bilingual reason.

    Example:
        >>> normalise_nik("3275 0101 0190 0001")
        '3275010101900001'
    """
    if _blank(value):
        return None
    try:
        return str(Nik.parse(value))  # type: ignore[arg-type]  # Nik.parse rejects non-text
    except SpmError as error:
        _from_domain(error)


def normalise_kk(value: object) -> str | None:
    """Return the 16 digits of a Nomor KK, ``None`` for a blank cell, or raise."""
    if _blank(value):
        return None
    try:
        return str(NomorKK.parse(value))  # type: ignore[arg-type]  # parse rejects non-text
    except SpmError as error:
        _from_domain(error)


def normalise_wilayah(value: object) -> str:
    """Return a region code in dotted form (``32.75.01.1001``) or raise.

    Example:
        >>> normalise_wilayah("3275011001")
        '32.75.01.1001'
    """
    try:
        return str(KodeWilayah.parse(value))  # type: ignore[arg-type]  # parse rejects non-text
    except SpmError as error:
        _from_domain(error)


def normalise_village(value: object) -> str:
    """Return a desa/kelurahan code in dotted form, or raise if it names another level."""
    code = normalise_wilayah(value)
    level = KodeWilayah(code).level
    if level is not WilayahLevel.DESA_KELURAHAN:
        fail(
            "invalid-region-code",
            value,
            f"Kode wilayah {value!r} adalah {level.label.id}; yang diminta kode desa/kelurahan "
            "(PP.KK.CC.DDDD).",
            f"Region code {value!r} is a {level.label.en}; a village (desa/kelurahan) code "
            "(PP.KK.CC.DDDD) is required.",
        )
    return code


def _rt_rw_number(digits: str, value: object, label: str) -> str:
    number = int(digits)
    if number == 0:
        fail(
            "invalid-rt-rw",
            value,
            f"{label} 0 tidak ada; nomor {label} dimulai dari 1.",
            f"{label} 0 does not exist; {label} numbers start at 1.",
        )
    return f"{number:03d}"


def normalise_rt_rw(value: object, label: str) -> str | None:
    """Return an RT or RW number as three digits (``"001"``), ``None`` when blank.

    Accepts ``"1"``, ``"01"``, ``"001"``, ``"RT 01"``, ``"RT.1"``, ``"rw 2"`` and whole
    numbers; ``label`` (``"RT"`` or ``"RW"``) names the field in messages.

    Example:
        >>> normalise_rt_rw("RT.1", "RT"), normalise_rt_rw(12, "RW")
        ('001', '012')
    """
    if _blank(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        if not 1 <= value <= 999:
            fail(
                "invalid-rt-rw",
                value,
                f"Nomor {label} harus 1–999.",
                f"The {label} number must be 1–999.",
            )
        return f"{value:03d}"
    if isinstance(value, str):
        match = _RT_RW_ONE.match(value)
        if match:
            return _rt_rw_number(match.group(1), value, label)
    fail(
        "invalid-rt-rw",
        value,
        f"Nomor {label} tidak dikenali; tulis misalnya '001', '1' atau '{label} 01'.",
        f"The {label} number is not recognised; write e.g. '001', '1' or '{label} 01'.",
    )


def split_rt_rw(value: object) -> tuple[str, str] | None:
    """Return ``(rt, rw)`` when ``value`` holds both (``"RT 01/RW 02"``, ``"001/002"``).

    Example:
        >>> split_rt_rw("RT.1 RW.2"), split_rt_rw("001/002"), split_rt_rw("01")
        (('001', '002'), ('001', '002'), None)
    """
    if not isinstance(value, str):
        return None
    match = _RT_RW_PAIR.match(value)
    if match is None:
        return None
    return (
        _rt_rw_number(match.group(1), value, "RT"),
        _rt_rw_number(match.group(2), value, "RW"),
    )


def normalise_date(value: object) -> object:
    """Read ``DD-MM-YYYY`` and ``DD/MM/YYYY`` (the Indonesian order) as dates.

    ISO text and :class:`~datetime.date` pass through for pydantic to parse. A
    :class:`~datetime.datetime` at midnight becomes its date. Numbers are rejected: a
    spreadsheet serial (``45000``) or a timestamp is not a date anyone typed.

    Example:
        >>> normalise_date("17/08/1945")
        datetime.date(1945, 8, 17)
    """
    if isinstance(value, int | float):  # bool is an int too
        fail(
            "invalid-date",
            value,
            "Tanggal harus ditulis sebagai teks YYYY-MM-DD atau DD-MM-YYYY, bukan angka.",
            "A date must be written as text YYYY-MM-DD or DD-MM-YYYY, not as a number.",
        )
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        match = _DMY.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                fail(
                    "invalid-date",
                    value,
                    f"Tanggal {text} tidak ada.",
                    f"The date {text} does not exist.",
                )
        return text
    return value


def not_before_1900(value: date, label_id: str, label_en: str) -> date:
    """Return ``value`` unless it lies before 1900 (a typing error, not a person)."""
    if value < EARLIEST_BIRTH:
        fail(
            "date-too-early",
            value.isoformat(),
            f"{label_id} {value.isoformat()} sebelum tahun 1900; periksa tahunnya.",
            f"{label_en} {value.isoformat()} is before 1900; check the year.",
        )
    return value


def latest_today() -> date:
    """Return today's date in WIT (UTC+9), the latest calendar day anywhere in Indonesia.

    The boundary cannot know where a value comes from, so it refuses only what is in
    the future everywhere; the store then judges by the posyandu's own time zone.
    """
    return datetime.now(UTC).astimezone(WIT).date()


def not_in_future(value: date, label_id: str, label_en: str) -> date:
    """Return ``value`` unless it is after today in every Indonesian time zone."""
    if value > latest_today():
        fail(
            "date-in-future",
            value.isoformat(),
            f"{label_id} {value.isoformat()} ada di masa depan.",
            f"{label_en} {value.isoformat()} is in the future.",
        )
    return value


def as_text(value: Any) -> str | None:
    """Return ``value`` as text for an issue (``None`` stays ``None``; long text is cut)."""
    if value is None:
        return None
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= 200 else text[:197] + "..."
