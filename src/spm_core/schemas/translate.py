"""Turn pydantic validation errors into bilingual :class:`~spm_core.errors.Issue` values.

Pydantic reports in English with its own error types; people using spm-core read Bahasa
Indonesia first. :func:`issues_from` translates the common error types, keeps the
bilingual text of the domain's own errors, and names the dotted field and the offending
value. :func:`validate` checks one object; :func:`validate_rows` a batch, naming 1-based
row numbers and keeping every valid row.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

import pydantic
from pydantic_core import ErrorDetails

from spm_core.errors import MAX_MESSAGE, InputError, Issue, SpmError, shorten
from spm_core.schemas._normalise import ERROR_TYPE, as_text

__all__ = ["issues_from", "issues_from_details", "validate", "validate_rows"]

M = TypeVar("M", bound=pydantic.BaseModel)

# pydantic error type → (issue code, message in Bahasa Indonesia, message in English).
# Messages are str.format templates over the error's context.
_MESSAGES: dict[str, tuple[str, str, str]] = {
    "missing": ("required", "Wajib diisi.", "This field is required."),
    "extra_forbidden": (
        "unknown-field",
        "Kolom ini tidak dikenal.",
        "This field is not recognised.",
    ),
    "string_type": ("not-text", "Harus berupa teks.", "Must be text."),
    "string_too_short": (
        "too-short",
        "Terlalu pendek: paling sedikit {min_length} karakter.",
        "Too short: at least {min_length} character(s).",
    ),
    "string_too_long": (
        "too-long",
        "Terlalu panjang: paling banyak {max_length} karakter.",
        "Too long: at most {max_length} character(s).",
    ),
    "int_type": ("not-integer", "Harus bilangan bulat.", "Must be a whole number."),
    "int_parsing": ("not-integer", "Harus bilangan bulat.", "Must be a whole number."),
    "int_from_float": ("not-integer", "Harus bilangan bulat.", "Must be a whole number."),
    "float_type": ("not-number", "Harus berupa angka.", "Must be a number."),
    "float_parsing": ("not-number", "Harus berupa angka.", "Must be a number."),
    "decimal_type": ("not-number", "Harus berupa angka.", "Must be a number."),
    "decimal_parsing": ("not-number", "Harus berupa angka.", "Must be a number."),
    "decimal_max_digits": (
        "too-many-digits",
        "Paling banyak {max_digits} digit.",
        "At most {max_digits} digits.",
    ),
    "decimal_max_places": (
        "too-many-digits",
        "Paling banyak {decimal_places} angka di belakang koma.",
        "At most {decimal_places} decimal places.",
    ),
    "finite_number": ("not-number", "Harus angka terhingga.", "Must be a finite number."),
    "bool_type": ("not-boolean", "Harus ya/tidak (true/false).", "Must be true or false."),
    "bool_parsing": ("not-boolean", "Harus ya/tidak (true/false).", "Must be true or false."),
    "date_type": (
        "invalid-date",
        "Harus tanggal (YYYY-MM-DD).",
        "Must be a date (YYYY-MM-DD).",
    ),
    "date_parsing": (
        "invalid-date",
        "Bukan tanggal yang valid (YYYY-MM-DD).",
        "Not a valid date (YYYY-MM-DD).",
    ),
    "date_from_datetime_parsing": (
        "invalid-date",
        "Bukan tanggal yang valid (YYYY-MM-DD).",
        "Not a valid date (YYYY-MM-DD).",
    ),
    "date_from_datetime_inexact": (
        "invalid-date",
        "Harus tanggal saja, tanpa jam.",
        "Must be a date without a time of day.",
    ),
    "literal_error": (
        "not-allowed",
        "Harus salah satu dari {expected}.",
        "Must be one of {expected}.",
    ),
    "enum": ("not-allowed", "Harus salah satu dari {expected}.", "Must be one of {expected}."),
    "greater_than": ("out-of-range", "Harus lebih dari {gt}.", "Must be greater than {gt}."),
    "greater_than_equal": (
        "out-of-range",
        "Harus paling sedikit {ge}.",
        "Must be at least {ge}.",
    ),
    "less_than": ("out-of-range", "Harus kurang dari {lt}.", "Must be less than {lt}."),
    "less_than_equal": (
        "out-of-range",
        "Harus paling banyak {le}.",
        "Must be at most {le}.",
    ),
    "dict_type": ("not-object", "Harus berupa objek (kolom: nilai).", "Must be an object."),
    "model_type": ("not-object", "Harus berupa objek (kolom: nilai).", "Must be an object."),
    "model_attributes_type": (
        "not-object",
        "Harus berupa objek (kolom: nilai).",
        "Must be an object.",
    ),
    "list_type": ("not-list", "Harus berupa daftar.", "Must be a list."),
    "tuple_type": ("not-list", "Harus berupa daftar.", "Must be a list."),
    "too_short": (
        "wrong-length",
        "Paling sedikit {min_length} butir.",
        "At least {min_length} item(s).",
    ),
    "too_long": (
        "wrong-length",
        "Paling banyak {max_length} butir.",
        "At most {max_length} item(s).",
    ),
    "frozen_instance": ("read-only", "Tidak boleh diubah.", "Cannot be changed."),
}


class _Context(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _indonesian(context: Mapping[str, Any]) -> dict[str, Any]:
    """Return the error context with pydantic's English joining words in Indonesian."""
    out = dict(context)
    if isinstance(out.get("expected"), str):
        out["expected"] = out["expected"].replace(" or ", " atau ")
    return out


def _field(loc: tuple[int | str, ...], context: Mapping[str, Any], prefix: str) -> str:
    parts = [str(part) for part in loc]
    if "field" in context:
        # A check across a whole model names its field; inside a list (a plan's
        # commitments) it follows the item's place.
        parts = [*parts, str(context["field"])]
    return ".".join([prefix, *parts] if prefix else parts)


def _issue(error: ErrorDetails, prefix: str, row: int | None) -> Issue:
    kind = error["type"]
    context: Mapping[str, Any] = error.get("ctx") or {}
    field = _field(error["loc"], context, prefix)
    value = None if kind == "missing" else as_text(error.get("input"))
    if kind == ERROR_TYPE:
        shown = context.get("value", error.get("input"))
        return Issue(
            code=str(context["code"]),
            field=field,
            value=as_text(shown),
            message_id=str(shorten(str(context["message_id"]), MAX_MESSAGE)),
            message_en=str(shorten(str(context["message_en"]), MAX_MESSAGE)),
            row=row,
        )
    cause = context.get("error")
    if isinstance(cause, SpmError):
        return Issue(cause.code, field, value, cause.message_id, cause.message_en, row)
    if kind in ("too_short", "too_long") and isinstance(error.get("input"), str):
        kind = "string_" + kind
    if kind == "string_too_short" and context.get("min_length") == 1:
        kind = "missing"
    if kind in _MESSAGES:
        code, message_id, message_en = _MESSAGES[kind]
        filled = _Context(context)
        message_id = message_id.format_map(_Context(_indonesian(context)))
        return Issue(code, field, value, message_id, message_en.format_map(filled), row)
    # A plugin's plain ValueError: "Bahasa Indonesia / English" is split into the two
    # languages; any other text is the plugin's own, shown as it wrote it. Plugins
    # raise InvalidRecordValue to give both languages explicitly.
    message = error["msg"].removeprefix("Value error, ")
    message_id, split, message_en = message.partition(" / ")
    if not split:
        message_id, message_en = f"Nilai tidak valid: {message}", message
    return Issue("invalid-value", field, value, message_id, message_en, row)


def issues_from(
    error: pydantic.ValidationError, *, prefix: str = "", row: int | None = None
) -> list[Issue]:
    """Return one bilingual :class:`Issue` per problem pydantic found.

    Args:
        error: the pydantic error.
        prefix: put before every field path (``"value"`` gives ``value.weight_kg``).
        row: the 1-based row of a batch, if any.
    """
    return issues_from_details(error.errors(include_url=False), prefix=prefix, row=row)


def issues_from_details(
    details: Iterable[ErrorDetails], *, prefix: str = "", row: int | None = None
) -> list[Issue]:
    """Return one bilingual :class:`Issue` per pydantic error detail (``error.errors()``).

    For frameworks that validate with pydantic and hand over the details only (an HTTP
    framework checking a request's parameters, say).

    Example:
        >>> [i.message_en for i in issues_from_details(
        ...     [{"type": "missing", "loc": ("limit",), "msg": "", "input": None}])]
        ['This field is required.']
    """
    return [_issue(e, prefix, row) for e in details]


def validate(model: type[M], data: object, *, prefix: str = "") -> M:
    """Return ``data`` validated as ``model``; an instance of ``model`` passes as is.

    Raises:
        InputError: every problem found, each naming its field and value in both
            languages.

    Example:
        >>> from spm_core.schemas import MembershipIn
        >>> try:
        ...     validate(MembershipIn, {"household_id": "h", "resident_id": "r",
        ...                             "relationship": 12, "start": "2025-01-01"})
        ... except InputError as err:
        ...     print(err.issues[0].field, err.issues[0].message_en)
        relationship Must be one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 or 11.
    """
    if isinstance(data, model):
        return data
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as error:
        raise InputError(issues_from(error, prefix=prefix)) from None


def validate_rows(
    model: type[M], rows: Iterable[object]
) -> tuple[list[tuple[int, M]], list[Issue]]:
    """Validate every row; return the valid ones with their 1-based row numbers and the issues.

    Nothing is dropped silently: a row that is not an object is an issue too.

    Example:
        >>> from spm_core.schemas import HouseholdIn
        >>> ok, issues = validate_rows(HouseholdIn, [
        ...     {"posyandu_id": "p", "rt": "RT 01/RW 02"},
        ...     {"posyandu_id": "p", "rt": "1", "rw": "2", "nomor_kk": 3216061203180007},
        ... ])
        >>> [(n, h.rt, h.rw) for n, h in ok], [(i.row, i.field, i.code) for i in issues]
        ([(1, '001', '002')], [(2, 'nomor_kk', 'invalid-kk')])
    """
    valid: list[tuple[int, M]] = []
    issues: list[Issue] = []
    for number, row in enumerate(rows, start=1):
        try:
            valid.append((number, model.model_validate(row)))
        except pydantic.ValidationError as error:
            issues.extend(issues_from(error, row=number))
    return valid, issues
