"""Boundary models: what they accept, how they normalise, what they reject."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spm_core.domain import Relationship, Sex, SpmField
from spm_core.errors import InputError
from spm_core.schemas import (
    HouseholdIn,
    MembershipIn,
    PosyanduIn,
    QualityInputIn,
    RecordIn,
    ResidentIn,
    ResidentUpdate,
    TargetIn,
    validate,
)
from spm_core.schemas._normalise import latest_today, normalise_rt_rw, split_rt_rw

NIK = "3275014101900001"


def resident(**data: Any) -> dict[str, Any]:
    return {"name": "Siti", "sex": "P", "birth_date": "1990-01-01", "posyandu_id": "p-1", **data}


def issues(model: type, data: Any) -> dict[str, str]:
    with pytest.raises(InputError) as raised:
        validate(model, data)
    return {issue.field: issue.code for issue in raised.value.issues}


@pytest.mark.parametrize(
    ("given_rt", "given_rw", "rt", "rw"),
    [
        ("RT 01/RW 02", None, "001", "002"),
        ("001/002", None, "001", "002"),
        ("RT.1 RW.2", None, "001", "002"),
        ("rt 3 rw 14", "", "003", "014"),
        ("1", "2", "001", "002"),
        ("RT 01", "RW 002", "001", "002"),
        (7, 12, "007", "012"),
        (None, None, None, None),
        ("", " ", None, None),
    ],
)
def test_rt_rw_variants(given_rt: Any, given_rw: Any, rt: str | None, rw: str | None) -> None:
    parsed = validate(ResidentIn, resident(rt=given_rt, rw=given_rw))
    assert (parsed.rt, parsed.rw) == (rt, rw)


@pytest.mark.parametrize("bad", ["RT", "0", "1000", "RT 1/RW 2/3", "satu", 1.5, True])
def test_rt_rw_rejects_what_is_not_a_number(bad: Any) -> None:
    assert issues(ResidentIn, resident(rt=bad, rw="1"))["rt"] in {"invalid-rt-rw"}


@given(
    st.integers(min_value=1, max_value=999), st.sampled_from(["{}", "RT {}", "rt.{:02d}", "{:03d}"])
)
def test_rt_rw_normalising_is_idempotent(number: int, form: str) -> None:
    once = normalise_rt_rw(form.format(number), "RT")
    assert once == f"{number:03d}"
    assert normalise_rt_rw(once, "RT") == once
    pair = split_rt_rw(f"{form.format(number)}/{number:03d}")
    assert pair is None or pair == (once, once)


@given(st.integers(min_value=10**15, max_value=10**16 - 1))
def test_a_nik_typed_as_a_number_is_always_rejected(number: int) -> None:
    found = issues(ResidentIn, resident(nik=number))
    assert found == {"nik": "invalid-nik"}


@pytest.mark.parametrize(
    ("nik", "expected"),
    [
        (NIK, NIK),
        ("3275 0141 0190 0001", NIK),
        ("\u200b3275.0141.0190.0001\u00a0", NIK),
        ("", None),
        (None, None),
    ],
)
def test_nik_as_text(nik: Any, expected: str | None) -> None:
    assert validate(ResidentIn, resident(nik=nik)).nik == expected


@pytest.mark.parametrize("nik", ["3.27E+15", "3,27501E+15", "3275014101900001.0", "32750141019000"])
def test_damaged_nik(nik: str) -> None:
    assert issues(ResidentIn, resident(nik=nik)) == {"nik": "invalid-nik"}


def test_names_are_taken_as_written() -> None:
    for name in ("Sukarno", "Tjipto Mangoenkoesoemo", "Oei Hui Lan", "Ni Luh Putu Ayu Kadek"):
        assert validate(ResidentIn, resident(name=name)).name == name
    assert validate(ResidentIn, resident(name="  Siti \u00a0 Aminah ")).name == "Siti Aminah"
    assert issues(ResidentIn, resident(name=" \u200b ")) == {"name": "required"}


def test_sex_and_dates() -> None:
    assert validate(ResidentIn, resident(sex="laki-laki")).sex is Sex.MALE
    assert validate(ResidentIn, resident(sex="p")).sex is Sex.FEMALE
    assert validate(ResidentIn, resident(birth_date="17-08-1945")).birth_date == date(1945, 8, 17)
    midnight = datetime(2001, 2, 3)
    assert validate(ResidentIn, resident(birth_date=midnight)).birth_date == date(2001, 2, 3)
    # "tomorrow" in WIT (UTC+9), Indonesia's latest day: the machine's own date plus one
    # is already today in Papua from 15:00 UTC on, and is rightly accepted then.
    tomorrow = latest_today() + timedelta(days=1)
    assert issues(ResidentIn, resident(birth_date=tomorrow)) == {"birth_date": "date-in-future"}
    assert issues(ResidentIn, resident(birth_date=45000)) == {"birth_date": "invalid-date"}
    assert issues(ResidentIn, resident(birth_date="30-02-2000")) == {"birth_date": "invalid-date"}
    assert issues(ResidentIn, resident(birth_date="2000-13-01")) == {"birth_date": "invalid-date"}


def test_resident_rejects_unknown_and_missing_fields() -> None:
    found = issues(ResidentIn, {"name": "A", "umur": 3})
    assert found == {
        "umur": "unknown-field",
        "sex": "required",
        "birth_date": "required",
        "posyandu_id": "required",
    }


def test_resident_update_knows_what_was_given() -> None:
    update = validate(ResidentUpdate, {"nik": None, "rt": "RT 01/RW 03", "restricted": True})
    assert update.changes() == {"nik": None, "restricted": True, "rt": "001", "rw": "003"}
    assert issues(ResidentUpdate, {"sex": None}) == {"sex": "required"}


def test_household() -> None:
    household = validate(
        HouseholdIn, {"posyandu_id": "p", "rt": "001/002", "nomor_kk": "3216-0612-0318-0007"}
    )
    assert (household.nomor_kk, household.rt, household.rw) == ("3216061203180007", "001", "002")
    assert issues(HouseholdIn, {"posyandu_id": "p", "rt": "1"}) == {"rw": "required"}
    assert issues(HouseholdIn, {"posyandu_id": "p", "rt": "1", "rw": "1", "nomor_kk": 3.2e15}) == {
        "nomor_kk": "invalid-kk"
    }


def test_membership() -> None:
    base = {"household_id": "h", "resident_id": "r", "start": "2020-01-01"}
    for given_value, expected in ((1, 1), ("4", 4), ("kepala keluarga", 1), ("Anak", 4)):
        parsed = validate(MembershipIn, {**base, "relationship": given_value})
        assert parsed.relationship is Relationship(expected)
    assert issues(MembershipIn, {**base, "relationship": 0}) == {"relationship": "not-allowed"}
    assert issues(MembershipIn, {**base, "relationship": 3, "end": "2019-12-31"}) == {
        "end": "end-before-start"
    }
    same_day = validate(MembershipIn, {**base, "relationship": 3, "end": "2020-01-01"})
    assert same_day.end == same_day.start


def test_record_needs_exactly_one_subject() -> None:
    base = {"record_type": "uji.timbang", "observed_on": "2025-01-01", "value": {}}
    assert validate(RecordIn, {**base, "place": "3275011001"}).place == "32.75.01.1001"
    assert issues(RecordIn, base) == {"resident_id": "one-subject"}
    assert issues(RecordIn, {**base, "resident_id": "r", "place": "32.75"}) == {
        "place": "one-subject"
    }
    assert issues(RecordIn, {**base, "resident_id": "r", "value": [1]}) == {"value": "not-object"}
    assert issues(RecordIn, {**base, "resident_id": "r", "record_type": "Timbang"}) == {
        "record_type": "invalid-code"
    }


def test_posyandu() -> None:
    posyandu = validate(
        PosyanduIn,
        {
            "name": "Mawar",
            "wilayah_code": "3216012001",
            "registration_number": "3216012001001",
            "fields": [{"field": "kesehatan", "since": "2025-01-01"}],
        },
    )
    assert posyandu.wilayah_code == "32.16.01.2001"
    assert posyandu.fields[0].field is SpmField.KESEHATAN
    assert issues(PosyanduIn, {"name": "M", "wilayah_code": "32.16"}) == {
        "wilayah_code": "invalid-region-code"
    }
    assert issues(PosyanduIn, {"name": "M", "wilayah_code": "32.16.01.9001"}) == {
        "wilayah_code": "invalid-region-code"
    }
    assert issues(
        PosyanduIn,
        {
            "name": "M",
            "wilayah_code": "32.16.01.2001",
            "fields": [{"field": "olahraga", "since": "2025-01-01"}],
        },
    ) == {"fields.0.field": "not-allowed"}


def test_target_and_quality_input() -> None:
    target = validate(
        TargetIn,
        {"code": "k.h", "wilayah_code": "3275", "year": 2025, "value": "1.25", "source": "x"},
    )
    assert (target.wilayah_code, target.value) == ("32.75", Decimal("1.25"))
    found = issues(
        TargetIn,
        {"code": "k.h", "wilayah_code": "32.75", "year": "dua", "value": "x", "source": ""},
    )
    assert found == {"year": "not-integer", "value": "not-number", "source": "required"}
    item = {
        "service_type": "s",
        "wilayah_code": "32.75",
        "year": 2025,
        "item": "i",
        "category": "sdm",
        "required": 3,
        "met": 3,
    }
    assert validate(QualityInputIn, item).met == 3
    assert issues(QualityInputIn, {**item, "required": -1, "met": 0}) == {
        "required": "out-of-range"
    }


def test_a_blank_address_may_be_given_as_null() -> None:
    from spm_core.schemas import ResidentIn

    data = {"name": "Siti Aminah", "sex": "P", "birth_date": "1990-01-01", "posyandu_id": "p"}
    assert ResidentIn.model_validate({**data, "address": None}).address is None
