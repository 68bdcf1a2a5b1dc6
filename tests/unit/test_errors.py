"""The error tree: stable codes, bilingual messages that render from their context."""

from __future__ import annotations

import re
import string
from typing import Any

import pytest

from spm_core import errors
from spm_core.errors import InputError, Issue, Notice, SpmError, all_error_classes

# The codes are part of the public API (applications match on them and the docs anchor
# them). Changing this set is a decision: record it in CHANGELOG.md.
EXPECTED_CODES = {
    "spm-error",
    "invalid-value",
    "purpose-required",
    "invalid-nik",
    "invalid-kk",
    "identifier-as-number",
    "invalid-region-code",
    "unknown-region",
    "invalid-period",
    "invalid-record-value",
    "input-error",
    "plugin-error",
    "plugin-load-error",
    "plugin-spec-error",
    "duplicate-definition",
    "conflicting-adjustment",
    "out-of-region",
    "catalog-error",
    "invalid-definition",
    "unresolved-reference",
    "unroutable",
    "unknown-code",
    "store-error",
    "not-authenticated",
    "request-too-large",
    "not-found",
    "access-denied",
    "concurrent-update",
    "migration-error",
    "referral-error",
    "illegal-transition",
    "idempotency-conflict",
    "store-busy",
    "connection-lost",
    "storage-full",
    "database-error",
    "audit-chain-broken",
    "batch-interrupted",
    "erasure-refused",
}

REASON = {"reason_id": "alasan uji", "reason_en": "test reason"}

# Representative context for each error, keyed by code: what the raising code passes.
CONTEXT: dict[str, dict[str, Any]] = {
    "spm-error": {},
    "invalid-value": {"value": "abc", **REASON},
    "invalid-nik": {"value": "12345", **REASON},
    "invalid-kk": {"value": "99", **REASON},
    "identifier-as-number": {
        "value": 3275010101900000.0,
        "field": "nik",
        "label_id": "NIK",
        "label_en": "NIK",
    },
    "invalid-region-code": {"value": "32.7", **REASON},
    "unknown-region": {"value": "32.99", "source": "Kepmendagri 300.2.2-2138/2025"},
    "invalid-period": {"value": "2025-13", **REASON},
    "plugin-error": {"plugin": "kota-contoh", **REASON},
    "plugin-load-error": {"plugin": "kota-contoh", **REASON},
    "plugin-spec-error": {"plugin": "kota-contoh", "value": "spm_feilds", **REASON},
    "invalid-record-value": dict(REASON),
    "duplicate-definition": {
        "kind": "indicator",
        "value": "kesehatan.balita",
        "scope_id": "nasional",
        "scope_en": "national",
        "first": "kesehatan",
        "first_validity": "2019-01-01..",
        "second": "kesehatan-lain",
        "second_validity": "..",
    },
    "conflicting-adjustment": {
        "kind": "need type",
        "value": "perkim.rtlh",
        "scope_id": "kab/kota 32.75",
        "scope_en": "regency/city 32.75",
        "first": "kota-bekasi",
        "first_action": "set_sla",
        "second": "kota-bekasi-lain",
        "second_action": "disable",
    },
    "out-of-region": {
        "plugin": "kota-bekasi",
        "region": "32.75",
        "kind": "agency",
        "value": "kabupaten-bekasi.dinsos",
        **REASON,
    },
    "catalog-error": dict(REASON),
    "invalid-definition": {
        "kind": "agency",
        "value": "kota-contoh.dinsos",
        "plugin": "kota-contoh",
        **REASON,
    },
    "unresolved-reference": {
        "kind": "indicator",
        "owner": "kesehatan.balita",
        "plugin": "kesehatan",
        "target_kind": "record type",
        "value": "kesehatan.timbang",
        "hint_id": " Mungkin maksudnya 'kesehatan.penimbangan'?",
        "hint_en": " Did you mean 'kesehatan.penimbangan'?",
    },
    "unroutable": {"value": "perkim.rtlh", "region": "32.75", **REASON},
    "unknown-code": {
        "kind": "indicator",
        "value": "kesehatan.balta",
        "hint_id": " Mungkin maksudnya 'kesehatan.balita'?",
        "hint_en": " Did you mean 'kesehatan.balita'?",
    },
    "store-error": dict(REASON),
    "not-authenticated": dict(REASON),
    "request-too-large": {"value": 2_000_000, "limit": 1_048_576},
    "not-found": {"entity": "posyandu", "value": "r-123"},
    "access-denied": {"role": "researcher", "action": "write"},
    "purpose-required": {"value": "list_residents", "known": "pelayanan, pelaporan"},
    "concurrent-update": {"entity": "posyandu", "value": "ref-9"},
    "migration-error": {"value": "0001_initial", **REASON},
    "referral-error": {"value": "ref-9", **REASON},
    "illegal-transition": {
        "value": "accept",
        "status": "resolved",
        "status_id": "Selesai ditangani",
        "status_en": "Resolved",
        "action_id": "terima",
        "action_en": "accept",
        "allowed": "-",
    },
    "idempotency-conflict": {"value": "hp-17/0001", "referral": "ref-9", "fields": "note"},
    "store-busy": {"entity": "posyandu"},
    "connection-lost": {"detail": "SQLSTATE 57P01"},
    "storage-full": {"detail": "SQLITE_FULL"},
    "database-error": {"entity": "posyandu", "detail": "SQLSTATE 23505, constraint uq_x"},
    "audit-chain-broken": {"value": 7, **REASON},
    "batch-interrupted": {"value": 1001, "stored_rows": 1000, **REASON},
    "erasure-refused": {"value": "r-1", "legal_basis": "UU 27/2022 Ps. 15 ayat (1)"},
}

ISSUES = (
    Issue(
        code="invalid-nik",
        field="nik",
        value="32750145079",
        message_id="NIK harus 16 digit.",
        message_en="A NIK must have 16 digits.",
        row=3,
    ),
    Issue(
        code="required",
        field="birth_date",
        value=None,
        message_id="Tanggal lahir wajib diisi.",
        message_en="The birth date is required.",
        row=7,
    ),
)

UNFILLED = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(![rsa])?(:[^}]*)?\}")


def library_errors() -> list[type[SpmError]]:
    """Return the library's own error classes (tests may define more subclasses)."""
    return [cls for cls in all_error_classes() if cls.__module__.startswith("spm_core")]


def make(cls: type[SpmError]) -> SpmError:
    if issubclass(cls, InputError):
        return cls(ISSUES)
    return cls(**CONTEXT[cls.code])


def template_fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def facts(template: str) -> set[str]:
    """Return the template's fields with language suffixes dropped (reason_id -> reason)."""
    return {re.sub(r"_(id|en)$", "", name) for name in template_fields(template)}


def test_codes_are_the_pinned_set() -> None:
    assert {cls.code for cls in library_errors()} == EXPECTED_CODES


def test_codes_are_unique_and_kebab_case() -> None:
    codes = [cls.code for cls in library_errors()]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code), code


@pytest.mark.parametrize("cls", library_errors(), ids=lambda c: c.code)
def test_each_class_declares_its_own_code_and_templates(cls: type[SpmError]) -> None:
    for attribute in ("code", "template_id", "template_en"):
        assert attribute in vars(cls), f"{cls.__name__} inherits {attribute}"
    assert cls.template_id.strip()
    assert cls.template_en.strip()
    assert cls.template_id != cls.template_en
    assert (cls.__doc__ or "").strip(), f"{cls.__name__} has no docstring"


@pytest.mark.parametrize("cls", library_errors(), ids=lambda c: c.code)
def test_every_error_lives_in_errors_module_and_is_exported(cls: type[SpmError]) -> None:
    assert cls.__module__ == "spm_core.errors"
    assert cls.__name__ in errors.__all__


@pytest.mark.parametrize("cls", library_errors(), ids=lambda c: c.code)
def test_context_table_covers_every_template_field(cls: type[SpmError]) -> None:
    if issubclass(cls, InputError):
        return
    used = template_fields(cls.template_id) | template_fields(cls.template_en)
    assert used <= set(CONTEXT[cls.code]), used - set(CONTEXT[cls.code])
    # Both languages name the same facts, each in its own language.
    assert facts(cls.template_id) == facts(cls.template_en)
    assert not any(name.endswith("_en") for name in template_fields(cls.template_id))
    assert not any(name.endswith("_id") for name in template_fields(cls.template_en))


@pytest.mark.parametrize("cls", library_errors(), ids=lambda c: c.code)
def test_messages_render_with_their_context(cls: type[SpmError]) -> None:
    error = make(cls)
    for message in (error.message_id, error.message_en):
        assert message.strip()
        assert not UNFILLED.search(message), message
    for key, value in CONTEXT.get(cls.code, {}).items():
        if key in template_fields(cls.template_id):
            assert str(value) in error.message_id, (key, error.message_id)
        if key in template_fields(cls.template_en):
            assert str(value) in error.message_en, (key, error.message_en)
    assert error.message("id") == error.message_id
    assert error.message("id_ID") == error.message_id
    assert error.message("en") == error.message_en


@pytest.mark.parametrize("cls", library_errors(), ids=lambda c: c.code)
def test_str_holds_code_and_both_languages(cls: type[SpmError]) -> None:
    error = make(cls)
    text = str(error)
    assert f"[{cls.code}]" in text
    assert error.message_id in text
    assert error.message_en in text


@pytest.mark.parametrize("cls", library_errors(), ids=lambda c: c.code)
def test_to_dict_is_json_ready(cls: type[SpmError]) -> None:
    data = make(cls).to_dict()
    assert data["code"] == cls.code
    assert data["message_id"]
    assert data["message_en"]
    assert data["value"] is None or isinstance(data["value"], str)


def test_errors_are_exceptions_caught_by_the_base() -> None:
    with pytest.raises(SpmError) as caught:
        raise errors.InvalidNik(value="1", reason_id="terlalu pendek", reason_en="too short")
    assert caught.value.code == "invalid-nik"
    assert isinstance(caught.value, errors.InvalidValue)
    assert caught.value.value == "1"


def test_unknown_code_is_also_a_lookup_error() -> None:
    assert issubclass(errors.UnknownCode, LookupError)


def test_input_error_lists_every_issue_with_row_field_and_value() -> None:
    error = InputError(ISSUES)
    assert error.issues == ISSUES
    assert error.context["count"] == 2
    assert "baris 3" in error.message_id
    assert "'nik'" in error.message_id
    assert "'32750145079'" in error.message_id
    assert "NIK harus 16 digit." in error.message_id
    assert "row 7" in error.message_en
    assert "'birth_date'" in error.message_en
    assert "The birth date is required." in error.message_en
    assert error.value == "32750145079"
    data = error.to_dict()
    assert [i["row"] for i in data["issues"]] == [3, 7]
    assert {i["field"] for i in data["issues"]} == {"nik", "birth_date"}


def test_issue_describes_itself_in_both_languages() -> None:
    issue = ISSUES[0]
    assert issue.describe("id") == "baris 3, kolom 'nik' = '32750145079': NIK harus 16 digit."
    assert issue.describe("en") == "row 3, field 'nik' = '32750145079': A NIK must have 16 digits."
    single = Issue("required", "name", None, "Nama wajib diisi.", "The name is required.")
    assert single.describe("en") == "field 'name' = None: The name is required."


def test_input_error_summary_is_bounded_but_keeps_every_issue() -> None:
    many = [
        Issue("required", f"f{i}", None, f"Kolom {i} wajib.", f"Field {i} required.", row=i)
        for i in range(1, 9)
    ]
    error = InputError(many)
    assert len(error.issues) == 8
    assert "Field 5 required." in error.message_en
    assert "Field 6 required." not in error.message_en
    assert error.context["count"] == 8


def test_notice_is_bilingual() -> None:
    notice = Notice(
        code="nik-birth-date-mismatch",
        message_id="Tanggal lahir pada NIK berbeda.",
        message_en="The birth date in the NIK differs.",
        field="nik",
        value="3275014507900001",
    )
    assert notice.message("id") == "Tanggal lahir pada NIK berbeda."
    assert notice.message("en") == "The birth date in the NIK differs."
    assert notice.message_id != notice.message_en
