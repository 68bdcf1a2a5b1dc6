"""Numbers in text a person reads follow the reader's language."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from spm_core.domain.text import format_number


def test_indonesian_groups_thousands_with_a_dot_and_marks_decimals_with_a_comma() -> None:
    assert format_number(20000, "id") == "20.000"
    assert format_number(77082, "id") == "77.082"
    assert format_number(69.25, "id", 1) == "69,2"  # round half to even, as Python does
    assert format_number(1234567.891, "id", 2) == "1.234.567,89"
    assert format_number(0, "id") == "0"


def test_english_the_other_way_round() -> None:
    assert format_number(20000, "en") == "20,000"
    assert format_number(1234567.891, "en", 2) == "1,234,567.89"
    assert format_number(20000, "id_ID") == "20.000"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 3))
def test_both_languages_write_the_same_digits(value: float, decimals: int) -> None:
    indonesian, english = format_number(value, "id", decimals), format_number(value, "en", decimals)
    assert indonesian.replace(".", "").replace(",", "") == english.replace(",", "").replace(".", "")
    assert float(indonesian.replace(".", "").replace(",", ".")) == float(english.replace(",", ""))
