"""``expr_from_dict`` reads back exactly what ``expr_to_dict`` wrote, for every node."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spm_core.definitions import (
    AgeBetween,
    AliveAndDomiciled,
    Anchor,
    AnchorKind,
    And,
    AnyHouseholdMember,
    BornIn,
    Compare,
    DaysAfter,
    DaysOfAge,
    Everyone,
    ExternalTarget,
    HasRecord,
    InHousehold,
    LastMonths,
    LatestValue,
    Node,
    Not,
    Op,
    Or,
    RecordCount,
    SexIs,
    Window,
    expr_from_dict,
    expr_to_dict,
)
from spm_core.domain import AgeUnit, Sex
from spm_core.errors import InvalidValue

CODES = st.from_regex(r"[a-z]{2,8}\.[a-z0-9-]{1,10}", fullmatch=True)
SCALARS = st.one_of(
    st.integers(-1000, 1000),
    st.text(max_size=6),
    st.booleans(),
    st.dates().map(lambda d: d.isoformat()),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
)
COMPARES = st.one_of(
    st.builds(
        Compare,
        field=st.from_regex(r"[a-z_]{1,10}", fullmatch=True),
        op=st.sampled_from([op for op in Op if op is not Op.IN]),
        value=SCALARS,
    ),
    st.builds(
        Compare,
        field=st.just("status"),
        op=st.just(Op.IN),
        value=st.lists(st.text(max_size=4), max_size=3).map(tuple),
    ),
)
WHERE = st.lists(COMPARES, max_size=2).map(tuple)
ANCHORS = st.one_of(
    st.just(Anchor()),
    st.just(Anchor(AnchorKind.PERIOD_START)),
    st.builds(Anchor.fixed, st.integers(1, 12), st.integers(1, 28)),
)


@st.composite
def _span(draw: st.DrawFn) -> tuple[int, int]:
    low = draw(st.integers(0, 400))
    return low, draw(st.integers(low, 500))


WINDOWS = st.one_of(
    st.sampled_from(Window),
    st.builds(LastMonths, st.integers(1, 36)),
    _span().map(lambda s: DaysOfAge(*s)),
    st.tuples(CODES, _span(), WHERE).map(lambda t: DaysAfter(t[0], t[1][0], t[1][1], t[2])),
)


@st.composite
def _age(draw: st.DrawFn) -> AgeBetween:
    low = draw(st.integers(0, 120))
    high = draw(st.one_of(st.none(), st.integers(low, 130)))
    return AgeBetween(low, high, draw(st.sampled_from(AgeUnit)), draw(ANCHORS))


LEAVES: st.SearchStrategy[Node] = st.one_of(
    st.just(Everyone()),
    st.sampled_from(Sex).map(SexIs),
    _age(),
    st.builds(
        BornIn, st.one_of(st.sampled_from(Window), st.builds(LastMonths, st.integers(1, 24)))
    ),
    st.builds(AliveAndDomiciled, ANCHORS),
    st.builds(HasRecord, CODES, WINDOWS, WHERE),
    st.builds(RecordCount, CODES, st.integers(0, 12), WINDOWS, WHERE, st.booleans()),
    st.builds(LatestValue, CODES, COMPARES, WINDOWS),
)


def _extend(children: st.SearchStrategy[Node]) -> st.SearchStrategy[Node]:
    return st.one_of(
        st.lists(children, min_size=1, max_size=3).map(lambda xs: And(xs)),
        st.lists(children, min_size=1, max_size=3).map(lambda xs: Or(xs)),
        children.map(Not),
        st.builds(AnyHouseholdMember, children, st.booleans()),
        children.map(InHousehold),
    )


TREES = st.recursive(LEAVES, _extend, max_leaves=12) | st.builds(ExternalTarget, CODES)


@given(TREES)
def test_expr_round_trips_through_json(expr: Node) -> None:
    data = json.loads(json.dumps(expr_to_dict(expr)))
    back = expr_from_dict(data)
    assert back == expr
    assert expr_to_dict(back) == data


def test_defaults_may_be_left_out() -> None:
    assert expr_from_dict({"node": "has_record", "record_type": "a.b"}) == HasRecord("a.b")
    assert expr_from_dict(
        {"node": "age_between", "low": 0, "high": 59, "unit": "months"}
    ) == AgeBetween(0, 59, AgeUnit.MONTHS)


def test_dates_and_enums_are_kept_canonical() -> None:
    from datetime import date

    assert Compare("on", Op.LE, date(2025, 1, 31)).value == "2025-01-31"
    assert Compare("sex", Op.EQ, Sex.FEMALE).value == "P"


@pytest.mark.parametrize(
    "data",
    [
        {"node": "nope"},
        {"node": "sex_is", "sex": "X"},
        {"node": "has_record", "record_type": "a.b", "colour": 1},
        {"node": "has_record", "record_type": "a.b", "window": "fortnight"},
        {
            "node": "has_record",
            "record_type": "a.b",
            "window": {"window": "days_of_age", "low": 9, "high": 1},
        },
        {
            "node": "age_between",
            "low": 1,
            "high": 2,
            "unit": "years",
            "anchor": {"anchor": "fixed_day"},
        },
        {
            "node": "age_between",
            "low": 1,
            "high": 2,
            "unit": "years",
            "anchor": {"anchor": "fixed_day", "month": 2, "day": 29},
        },
        {
            "node": "latest_value",
            "record_type": "a.b",
            "compare": {"field": "x", "op": "in", "value": 1},
        },
        "not a mapping",
    ],
)
def test_malformed_trees_are_rejected(data: object) -> None:
    with pytest.raises(InvalidValue):
        expr_from_dict(data)  # type: ignore[arg-type]
