"""Keyed pseudonyms and coarse dates for research extracts."""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spm_core.domain.pseudonym import ResearchKey, coarsen, key_fingerprint, pseudonym
from spm_core.errors import InvalidValue

KEY = ResearchKey.parse("proyek-gizi-buruk-kota-bekasi")


def test_the_pseudonym_is_hmac_sha256_of_the_nik() -> None:
    nik = "3275014507900001"
    expected = hmac.new(b"proyek-gizi-buruk-kota-bekasi", nik.encode(), hashlib.sha256)
    assert pseudonym(KEY, nik) == expected.hexdigest()


KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=16, max_size=48)


@given(st.text(min_size=1), KEYS, KEYS)
def test_two_projects_never_share_a_pseudonym(identifier: str, a: str, b: str) -> None:
    first, second = ResearchKey.parse(a), ResearchKey.parse(b)
    if first.secret == second.secret:
        return
    assert pseudonym(first, identifier) != pseudonym(second, identifier)
    assert pseudonym(first, identifier) == pseudonym(first, identifier)


def test_keys_are_long_enough_and_never_shown() -> None:
    with pytest.raises(InvalidValue):
        ResearchKey.parse("pendek")
    assert "gizi" not in repr(KEY)
    assert len(key_fingerprint(KEY)) == 16
    assert key_fingerprint(KEY) not in pseudonym(KEY, "3275014507900001")


def test_dates_are_cut_to_the_month_or_the_year() -> None:
    assert coarsen(date(2023, 2, 28), "month") == "2023-02"
    assert coarsen(date(2023, 2, 28), "year") == "2023"
    assert coarsen(None, "year") is None
    with pytest.raises(InvalidValue):
        coarsen(date(2023, 2, 28), "day")  # type: ignore[arg-type]
