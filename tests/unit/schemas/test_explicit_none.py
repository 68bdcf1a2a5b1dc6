"""An optional text field given as an explicit ``None`` is "not given", never a crash."""

from __future__ import annotations

import pytest

from spm_core.errors import InputError
from spm_core.schemas import HouseholdIn, PosyanduIn, validate


def test_explicit_none_for_optional_text_fields() -> None:
    household = validate(HouseholdIn, {"posyandu_id": "p", "rt": "1", "rw": "2", "address": None})
    assert household.address is None
    posyandu = validate(
        PosyanduIn, {"name": "Mawar", "wilayah_code": "32.75.01.1001", "registration_number": None}
    )
    assert posyandu.registration_number is None


def test_their_length_limits_still_hold() -> None:
    with pytest.raises(InputError) as caught:
        validate(HouseholdIn, {"posyandu_id": "p", "rt": "1", "rw": "2", "address": "x" * 501})
    assert [(i.field, i.code) for i in caught.value.issues] == [("address", "too-long")]
    with pytest.raises(InputError) as caught:
        validate(
            PosyanduIn,
            {"name": "Mawar", "wilayah_code": "32.75.01.1001", "registration_number": "9" * 41},
        )
    assert [(i.field, i.code) for i in caught.value.issues] == [("registration_number", "too-long")]
