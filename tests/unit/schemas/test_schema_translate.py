"""Pydantic errors become bilingual issues naming row, field and value."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spm_core.errors import InputError
from spm_core.schemas import (
    HouseholdIn,
    MembershipIn,
    ResidentIn,
    issues_from,
    validate,
    validate_rows,
)


class Sample(pydantic.BaseModel):
    model_config = pydantic.ConfigDict(extra="forbid")

    count: int = pydantic.Field(gt=0, le=10)
    ratio: float = 0.5
    kind: str = "a"
    flag: bool = False
    items: list[int] = pydantic.Field(default_factory=list, max_length=2)

    @pydantic.field_validator("kind")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in {"a", "b"}:
            raise ValueError("kind must be a or b")
        return value


def issue_of(data: dict[str, Any]) -> Any:
    with pytest.raises(pydantic.ValidationError) as raised:
        Sample.model_validate(data)
    (issue,) = issues_from(raised.value)
    return issue


@pytest.mark.parametrize(
    ("data", "field", "code", "message_id", "message_en"),
    [
        ({}, "count", "required", "Wajib diisi.", "This field is required."),
        (
            {"count": 1, "x": 1},
            "x",
            "unknown-field",
            "Kolom ini tidak dikenal.",
            "This field is not recognised.",
        ),
        (
            {"count": "dua"},
            "count",
            "not-integer",
            "Harus bilangan bulat.",
            "Must be a whole number.",
        ),
        ({"count": 0}, "count", "out-of-range", "Harus lebih dari 0.", "Must be greater than 0."),
        ({"count": 11}, "count", "out-of-range", "Harus paling banyak 10.", "Must be at most 10."),
        (
            {"count": 1, "ratio": "x"},
            "ratio",
            "not-number",
            "Harus berupa angka.",
            "Must be a number.",
        ),
        ({"count": 1, "kind": 3}, "kind", "not-text", "Harus berupa teks.", "Must be text."),
        (
            {"count": 1, "flag": "mungkin"},
            "flag",
            "not-boolean",
            "Harus ya/tidak (true/false).",
            "Must be true or false.",
        ),
        (
            {"count": 1, "items": [1, 2, 3]},
            "items",
            "wrong-length",
            "Paling banyak 2 butir.",
            "At most 2 item(s).",
        ),
        (
            {"count": 1, "items": [1, "x"]},
            "items.1",
            "not-integer",
            "Harus bilangan bulat.",
            "Must be a whole number.",
        ),
        (
            {"count": 1, "kind": "c"},
            "kind",
            "invalid-value",
            "Nilai tidak valid: kind must be a or b",
            "kind must be a or b",
        ),
    ],
)
def test_common_error_types_are_translated(
    data: dict[str, Any], field: str, code: str, message_id: str, message_en: str
) -> None:
    issue = issue_of(data)
    assert (issue.field, issue.code, issue.message_id, issue.message_en) == (
        field,
        code,
        message_id,
        message_en,
    )


def test_prefix_row_and_value() -> None:
    with pytest.raises(pydantic.ValidationError) as raised:
        Sample.model_validate({"count": 99})
    (issue,) = issues_from(raised.value, prefix="value", row=7)
    assert (issue.field, issue.value, issue.row) == ("value.count", "99", 7)
    assert issue.describe("en").startswith("row 7, field 'value.count' = '99'")
    assert issue.describe("id").startswith("baris 7, kolom 'value.count' = '99'")


def test_literal_and_enum_name_the_choices_in_both_languages() -> None:
    with pytest.raises(InputError) as raised:
        validate(
            ResidentIn, {"name": "A", "sex": "X", "birth_date": "2000-01-01", "posyandu_id": "p"}
        )
    (issue,) = raised.value.issues
    assert issue.message_en == "Must be one of 'L' or 'P'."
    assert issue.message_id == "Harus salah satu dari 'L' atau 'P'."


def test_domain_errors_keep_their_bilingual_text() -> None:
    with pytest.raises(InputError) as raised:
        validate(
            ResidentIn,
            {
                "nik": "3.27E+15",
                "name": "A",
                "sex": "L",
                "birth_date": "2000-01-01",
                "posyandu_id": "p",
            },
        )
    (issue,) = raised.value.issues
    assert issue.code == "invalid-nik"
    assert "spreadsheet" in issue.message_id
    assert "spreadsheet" in issue.message_en
    assert issue.value == "3.27E+15"


def test_validate_passes_models_through() -> None:
    model = validate(
        MembershipIn,
        {"household_id": "h", "resident_id": "r", "relationship": 1, "start": "2020-01-01"},
    )
    assert validate(MembershipIn, model) is model


@given(st.lists(st.booleans(), max_size=30))
def test_validate_rows_keeps_every_valid_row_and_names_every_bad_one(pattern: list[bool]) -> None:
    rows: list[Any] = [
        {"posyandu_id": "p", "rt": "1", "rw": "2"}
        if ok
        else {"posyandu_id": "p", "rt": "0", "rw": "2"}
        for ok in pattern
    ]
    valid, found = validate_rows(HouseholdIn, rows)
    assert [n for n, _ in valid] == [i + 1 for i, ok in enumerate(pattern) if ok]
    assert [i.row for i in found] == [i + 1 for i, ok in enumerate(pattern) if not ok]
    assert all(i.field == "rt" for i in found)


def test_validate_rows_reports_rows_that_are_not_objects() -> None:
    valid, found = validate_rows(HouseholdIn, [{"posyandu_id": "p", "rt": "1", "rw": "1"}, "teks"])
    assert [n for n, _ in valid] == [1]
    assert [(i.row, i.code) for i in found] == [(2, "not-object")]
