"""Expression nodes: composition, references, descriptions in both languages, serialisation."""

from __future__ import annotations

import itertools
import json
from datetime import date

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from spm_core.catalog import Catalog
from spm_core.definitions import (
    AgeBetween,
    And,
    AnyHouseholdMember,
    Compare,
    Everyone,
    Expr,
    ExternalTarget,
    HasRecord,
    LatestValue,
    Not,
    Op,
    Or,
    RecordCount,
    Reference,
    SexIs,
    Window,
    expr_to_dict,
)
from spm_core.domain import AgeUnit, Sex, Text
from spm_core.errors import InvalidValue

WEIGHED = "kesehatan.penimbangan"

EXAMPLES: list[Expr] = [
    Everyone(),
    AgeBetween(0, 59, AgeUnit.MONTHS),
    AgeBetween(60, None, AgeUnit.YEARS),
    SexIs(Sex.FEMALE),
    HasRecord("kesehatan.skrining", where=(Compare("package", Op.EQ, "usia-lanjut"),)),
    RecordCount(WEIGHED, at_least=8, window=Window.YEAR_TO_DATE),
    LatestValue("pupr.sanitasi", Compare("disposal", Op.IN, ("tangki-septik", "spald-t"))),
    AnyHouseholdMember(AgeBetween(0, 59, AgeUnit.MONTHS)),
    And((SexIs(Sex.MALE), Everyone())),
    Or((SexIs(Sex.MALE), SexIs(Sex.FEMALE))),
    Not(HasRecord(WEIGHED, window=Window.EVER)),
    ExternalTarget("kesehatan.hipertensi"),
]


@pytest.mark.parametrize("expr", EXAMPLES, ids=lambda e: e.node)
def test_every_node_describes_itself_in_both_languages(expr: Expr) -> None:
    text = expr.describe()
    assert isinstance(text, Text)
    assert text.id != text.en


def test_descriptions_use_each_language() -> None:
    text = (AgeBetween(60, None, AgeUnit.YEARS) & ~HasRecord(WEIGHED)).describe()
    assert text.id == (
        f"usia ≥ 60 tahun pada akhir periode dan bukan (ada catatan {WEIGHED} dalam periode)"
    )
    assert text.en == (
        f"age ≥ 60 years at the end of the period and not (has record {WEIGHED} in the period)"
    )


def test_or_brackets_an_and_item() -> None:
    expr = SexIs(Sex.MALE) | (SexIs(Sex.FEMALE) & AgeBetween(15, 49, AgeUnit.YEARS))
    assert expr.describe().en == (
        "(sex Male or (sex Female and age 15–49 years at the end of the period))"
    )


def test_operators_build_flat_trees() -> None:
    a, b, c = SexIs(Sex.MALE), Everyone(), HasRecord(WEIGHED)
    assert (a & b & c) == And((a, b, c))
    assert (a | b | c) == Or((a, b, c))
    assert ~a == Not(a)
    assert ((a & b) | c).items == (And((a, b)), c)


@pytest.mark.parametrize("expr", EXAMPLES, ids=lambda e: e.node)
def test_expr_to_dict_is_json(expr: Expr) -> None:
    data = expr_to_dict(expr)
    assert data["node"] == expr.node
    assert json.loads(json.dumps(data)) == data


def test_expr_to_dict_tree() -> None:
    expr = RecordCount(WEIGHED, at_least=2, where=(Compare("height_cm", Op.GT, 0),)) & LatestValue(
        "x.y", Compare("on", Op.LE, date(2025, 1, 1))
    )
    assert expr_to_dict(expr) == {
        "node": "and",
        "items": [
            {
                "node": "record_count",
                "record_type": WEIGHED,
                "at_least": 2,
                "window": "period",
                "where": [{"field": "height_cm", "op": "gt", "value": 0}],
                "distinct_months": False,
            },
            {
                "node": "latest_value",
                "record_type": "x.y",
                "compare": {"field": "on", "op": "le", "value": "2025-01-01"},
                "window": "ever",
            },
        ],
    }


def _nodes(tree: object) -> list[dict[str, object]]:
    """Return every expression node of a serialised tree, depth first."""
    if isinstance(tree, dict):
        found = [tree] if "node" in tree else []
        return found + [n for v in tree.values() for n in _nodes(v)]
    if isinstance(tree, list):
        return [n for v in tree for n in _nodes(v)]
    return []


def _exprs(expr: Expr) -> list[Expr]:
    """Return ``expr`` and every expression inside it, depth first."""
    out = [expr]
    for field in attrs.fields(type(expr)):
        value = getattr(expr, field.name)
        items = value if isinstance(value, tuple) else (value,)
        out += [e for item in items if isinstance(item, Expr) for e in _exprs(item)]
    return out


def test_catalog_expressions_serialise(spm_catalog: Catalog) -> None:
    exprs = [e for i in spm_catalog.indicators for e in (i.denominator, i.numerator)]
    exprs += [r.when for r in spm_catalog.routing_rules if r.when is not None]
    assert len(exprs) >= 2 * len(spm_catalog.indicators) > 0
    trees = [expr_to_dict(expr) for expr in exprs]
    for expr, tree in zip(exprs, trees, strict=True):
        # JSON-ready: a JSON round trip changes nothing (no tuples, dates or enums left).
        assert json.loads(json.dumps(tree)) == tree
        # Every node of the expression appears, with its own node name and fields.
        inner = _exprs(expr)
        nodes = _nodes(tree)
        assert [n["node"] for n in nodes] == [e.node for e in inner]
        for node, part in zip(nodes, inner, strict=True):
            assert set(node) == {"node"} | {f.name for f in attrs.fields(type(part))}
    # Different expressions never serialise alike; equal ones always do.
    for (a, ta), (b, tb) in itertools.combinations(zip(exprs, trees, strict=True), 2):
        assert (a == b) == (ta == tb), (ta, tb)


@pytest.mark.parametrize(
    "build",
    [
        lambda: Compare("status", Op.IN, "paud"),
        lambda: Compare("status", Op.EQ, ("paud", "sd")),
        lambda: AgeBetween(-1, 5, AgeUnit.YEARS),
        lambda: AgeBetween(10, 5, AgeUnit.YEARS),
        lambda: RecordCount(WEIGHED, at_least=-1),
    ],
    ids=[
        "in-without-tuple",
        "eq-with-tuple",
        "negative-age",
        "upper-below-lower",
        "negative-count",
    ],
)
def test_malformed_nodes_are_rejected(build: object) -> None:
    with pytest.raises(InvalidValue):
        build()  # type: ignore[operator]


def test_references_name_kinds() -> None:
    expr = HasRecord(WEIGHED) & AnyHouseholdMember(
        LatestValue("sosial.disabilitas", Compare("neglected", Op.EQ, True))
    )
    assert list(expr.references()) == [
        Reference("record_type", WEIGHED),
        Reference("record_type", "sosial.disabilitas"),
    ]
    assert list(ExternalTarget("kesehatan.hipertensi").references()) == [
        Reference("target", "kesehatan.hipertensi")
    ]


# ----------------------------------------------------------------------------- property

CODES = st.from_regex(r"[a-z]{2,10}\.[a-z0-9-]{1,12}", fullmatch=True)
COMPARES = st.builds(
    Compare,
    field=st.from_regex(r"[a-z_]{1,12}", fullmatch=True),
    op=st.sampled_from([op for op in Op if op is not Op.IN]),
    value=st.one_of(st.integers(), st.text(max_size=8), st.booleans(), st.dates()),
) | st.builds(
    Compare,
    field=st.just("status"),
    op=st.just(Op.IN),
    value=st.lists(st.text(max_size=5), max_size=4).map(tuple),
)
WINDOWS = st.sampled_from(Window)

Tree = tuple[Expr, frozenset[str]]
"""An expression and the record-type codes it was built with."""


@st.composite
def _age(draw: st.DrawFn) -> Tree:
    low = draw(st.integers(0, 120))
    high = draw(st.one_of(st.none(), st.integers(low, 130)))
    return AgeBetween(low, high, draw(st.sampled_from(AgeUnit))), frozenset()


@st.composite
def _record_node(draw: st.DrawFn) -> Tree:
    code = draw(CODES)
    node = draw(
        st.sampled_from(["has", "count", "latest"]),
    )
    where = tuple(draw(st.lists(COMPARES, max_size=2)))
    if node == "has":
        expr: Expr = HasRecord(code, window=draw(WINDOWS), where=where)
    elif node == "count":
        expr = RecordCount(
            code, at_least=draw(st.integers(0, 12)), window=draw(WINDOWS), where=where
        )
    else:
        expr = LatestValue(code, draw(COMPARES), window=draw(WINDOWS))
    return expr, frozenset({code})


LEAVES: st.SearchStrategy[Tree] = st.one_of(
    st.just((Everyone(), frozenset())),
    st.sampled_from(Sex).map(lambda s: (SexIs(s), frozenset())),
    _age(),
    _record_node(),
)


def _combine(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    def join(kind: type[And] | type[Or], items: list[Tree]) -> Tree:
        return kind(tuple(e for e, _ in items)), frozenset().union(*(c for _, c in items))

    return st.one_of(
        st.lists(children, min_size=1, max_size=4).map(lambda items: join(And, items)),
        st.lists(children, min_size=1, max_size=4).map(lambda items: join(Or, items)),
        children.map(lambda t: (Not(t[0]), t[1])),
        children.map(lambda t: (AnyHouseholdMember(t[0]), t[1])),
    )


TREES = st.recursive(LEAVES, _combine, max_leaves=25)


@given(TREES)
def test_references_cover_every_record_type_in_the_tree(tree: Tree) -> None:
    expr, codes = tree
    refs = list(expr.references())
    assert {r.code for r in refs} == codes
    assert all(r.kind == "record_type" for r in refs)


@given(TREES)
def test_random_trees_describe_and_serialise(tree: Tree) -> None:
    expr, codes = tree
    text = expr.describe()
    for code in codes:
        assert code in text.id
        assert code in text.en
    data = expr_to_dict(expr)
    assert json.loads(json.dumps(data))["node"] == expr.node
    copy = attrs.evolve(expr)  # type: ignore[misc]
    assert copy == expr
    assert hash(copy) == hash(expr)
