"""Reports: rows with counts, values, versions and provenance; the achievement index; exports."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

import pytest
from engine_helpers import (
    OPERATOR,
    add_posyandu,
    elderly_screened,
    piped_water,
    write_population,
)

from spm_core.access import Actor, AreaScope, Purpose, Role
from spm_core.catalog import Catalog
from spm_core.definitions import AchievementRule, Aggregation, Definition, PluginInfo, PluginLevel
from spm_core.domain import KodeWilayah, Period, Sex, Text
from spm_core.errors import InvalidValue
from spm_core.hookspecs import hookimpl
from spm_core.indicators.capaian import band_of, capaian
from spm_core.indicators.population import (
    Household,
    Membership,
    Population,
    Record,
    Resident,
    Stay,
)
from spm_core.indicators.report import compute_report
from spm_core.plugins import make_plugin_manager
from spm_core.store import Store

YEAR = Period.whole_year(2025)


def _seed(store: Store) -> tuple[str, str]:
    (posyandu, village), *_ = add_posyandu(store).items()
    people = [
        Resident(
            f"r{i}",
            date(1950 + i, 1, 1),
            Sex.FEMALE if i % 2 else Sex.MALE,
            (Stay(date(1950, 1, 1), None, posyandu, village),),
        )
        for i in range(4)
    ]
    screened = elderly_screened(f"r{i}" for i in range(3))
    home = Household("h1", posyandu, village)
    members = [Membership("h1", f"r{i}", date(2000, 1, 1), relationship=i + 1) for i in range(2)]
    water = piped_water("h1", "w1")
    write_population(store, Population.of(people, [home], members, [*screened, water]))
    for item, category, required, met in (
        ("tensimeter", "barang_jasa", 2, 2),
        ("kader", "sdm", 4, 2),
    ):
        store.set_quality_input(
            OPERATOR,
            {
                "service_type": "kesehatan.usia-lanjut",
                "wilayah_code": village,
                "year": 2025,
                "item": item,
                "category": category,
                "required": required,
                "met": met,
            },
            Purpose.PELAPORAN,
        )
    return posyandu, village


def test_a_report_carries_counts_values_versions_and_the_index(
    store: Store, spm_catalog: Catalog
) -> None:
    _, village = _seed(store)
    report = compute_report(store, spm_catalog, OPERATOR, "2025", "kelurahan")
    rows = {r.indicator: r for r in report.rows}
    elderly = rows["kesehatan.usia-lanjut"]
    assert (elderly.area, elderly.area_name) == (village, "Bekasijaya")
    assert (elderly.numerator, elderly.denominator, elderly.value) == (3, 4.0, 75.0)
    assert elderly.plugin == "kesehatan"
    assert elderly.indicator_version != ""
    assert elderly.denominator_source == "population"
    water = rows["pupr.air-minum"]
    assert (water.numerator, water.denominator) == (2, 2.0)  # persons of the household
    index = {(r.field, r.service_type): r for r in report.index if r.area == village}
    jpd = index[("kesehatan", "kesehatan.usia-lanjut")]
    assert (jpd.served_share, jpd.quality_share) == (75.0, 66.666667)
    assert jpd.index == pytest.approx(0.8 * 75 + 0.2 * 66.666667)
    assert jpd.band_id == "Tuntas Pratama"
    no_quality = index[("pupr", "pupr.air-minum")]
    assert no_quality.quality_share is None
    assert no_quality.index is None
    field = index[("kesehatan", None)]
    assert field.index == jpd.index  # the only kesehatan service type with an index
    assert index[(None, None)].index == jpd.index
    version = report.plugins["kesehatan"]
    assert version is not None
    assert version[0].isdigit()
    assert elderly.plugin_version == version


def test_every_installed_indicator_is_in_the_report(store: Store, spm_catalog: Catalog) -> None:
    _, village = _seed(store)
    report = compute_report(store, spm_catalog, OPERATOR, "2025", "kelurahan")
    view = spm_catalog.for_period(KodeWilayah("32.75"), YEAR)
    assert {r.indicator for r in report.rows} == {i.code for i in view.indicators}
    assert {r.area for r in report.rows} == {village}


@pytest.mark.parametrize("disaggregate", [(), ("sex", "age_group")], ids=["plain", "groups"])
def test_the_columnar_engine_gives_the_same_report(
    store: Store, spm_catalog: Catalog, disaggregate: tuple[str, ...]
) -> None:
    _seed(store)
    by_sql = compute_report(
        store, spm_catalog, OPERATOR, YEAR, "posyandu", disaggregate=disaggregate
    )
    by_columns = compute_report(
        store, spm_catalog, OPERATOR, YEAR, "posyandu", disaggregate=disaggregate, engine="columnar"
    )
    assert by_columns == by_sql
    elderly = [r for r in by_columns.rows if r.indicator == "kesehatan.usia-lanjut"]
    assert sum(r.numerator or 0 for r in elderly) == 3


def test_the_columnar_engine_streams_the_tables_a_batch_at_a_time(
    store: Store, spm_catalog: Catalog
) -> None:
    # Without streaming, PostgreSQL's client held a whole table before the first row was
    # handed over: over 18 GB at 2.6 M residents. Every table read must stream, and on
    # PostgreSQL go through a server-side (named) cursor.
    from sqlalchemy import event

    _seed(store)
    engine = store._db._read_engine
    reads: list[tuple[str, bool, bool]] = []

    def seen(
        _conn: Any, cursor: Any, statement: str, _params: Any, context: Any, _many: bool
    ) -> None:
        table = next(
            (
                t
                for t in ("record", "membership", "domicile", "resident")
                if f"FROM {t}" in statement
            ),
            None,
        )
        if table is not None and statement.lstrip().startswith("SELECT"):
            streamed = bool(context.execution_options.get("stream_results"))
            named = getattr(cursor, "name", None) is not None
            reads.append((table, streamed, named))

    event.listen(engine, "before_cursor_execute", seen)
    try:
        compute_report(store, spm_catalog, OPERATOR, YEAR, "kelurahan", engine="columnar")
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert {table for table, _, _ in reads} == {"record", "membership", "domicile", "resident"}
    assert all(streamed for _, streamed, _ in reads), reads
    if store._db.engine.dialect.name == "postgresql":
        assert all(named for _, _, named in reads), reads


def test_an_unknown_engine_is_refused(store: Store, spm_catalog: Catalog) -> None:
    with pytest.raises(InvalidValue) as caught:
        compute_report(store, spm_catalog, OPERATOR, YEAR, "kelurahan", engine="duckdb")
    assert caught.value.value == "duckdb"


def test_a_report_exports_as_json_csv_and_dataframes(store: Store, spm_catalog: Catalog) -> None:
    _seed(store)
    report = compute_report(store, spm_catalog, OPERATOR, YEAR, "kecamatan", fields=["kesehatan"])
    assert {r.field for r in report.rows} == {"kesehatan"}
    data = json.loads(report.to_json())
    assert data["level"] == "kecamatan"
    assert data["rows"][0]["area"] == "32.75.01"
    parsed = list(csv.DictReader(io.StringIO(report.to_csv())))
    assert len(parsed) == len(report.rows)
    assert parsed[0]["indicator"] == report.rows[0].indicator
    frame = report.to_pandas()
    assert list(frame["numerator"]) == [r.numerator for r in report.rows]
    assert report.to_polars().height == len(report.rows)


def test_a_report_breaks_down_by_sex_and_age_group(store: Store, spm_catalog: Catalog) -> None:
    _seed(store)
    report = compute_report(
        store, spm_catalog, OPERATOR, YEAR, "kelurahan", disaggregate=["sex", "age_group"]
    )
    elderly = [r for r in report.rows if r.indicator == "kesehatan.usia-lanjut"]
    by_sex = {(r.sex, r.age_group): (r.numerator, r.denominator) for r in elderly}
    assert by_sex == {("L", "60+"): (2, 2.0), ("P", "60+"): (1, 2.0)}
    assert report.index == ()


def test_a_target_is_the_denominator_of_an_estimated_service(
    store: Store, spm_catalog: Catalog
) -> None:
    _, village = _seed(store)
    store.set_target(
        OPERATOR,
        {
            "code": "kesehatan.penderita-hipertensi",
            "wilayah_code": village,
            "year": 2025,
            "value": "12.5",
            "source": "Riskesdas prevalence × population",
        },
        Purpose.PELAPORAN,
    )
    from test_differential import CATALOG  # the catalog with the test indicators

    report = compute_report(store, CATALOG, OPERATOR, YEAR, "kecamatan")
    (row,) = [r for r in report.rows if r.indicator == "uji.target"]
    assert row.denominator_source == "target"
    assert row.denominator == 12.5
    assert row.numerator == 4  # everyone alive: RecordCount(..., 0) holds for all
    assert row.value == 32.0


def test_researchers_get_suppressed_reports(store: Store, spm_catalog: Catalog) -> None:
    _seed(store)
    researcher = Actor("peneliti", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
    report = compute_report(store, spm_catalog, researcher, YEAR, "kelurahan")
    assert report.suppressed_below == 5
    elderly = next(r for r in report.rows if r.indicator == "kesehatan.usia-lanjut")
    assert (elderly.numerator, elderly.denominator, elderly.value) == (None, None, None)


class _Bekasi:
    @hookimpl
    def spm_plugin_info(self) -> PluginInfo:
        return PluginInfo(
            name="kota-bekasi-capaian",
            title=Text("Capaian Kota Bekasi", "Kota Bekasi achievement"),
            level=PluginLevel.REGION,
            region=KodeWilayah("32.75"),
        )

    @hookimpl
    def spm_definitions(self) -> Iterable[Definition]:
        return [
            AchievementRule(
                code="capaian",
                title=Text("Capaian tertimbang", "Weighted achievement"),
                served_weight=1.0,
                quality_weight=0.0,
                aggregation=Aggregation.WEIGHTED,
            )
        ]


def test_a_region_plugin_replaces_the_achievement_rule(store: Store) -> None:
    _seed(store)
    catalog = Catalog.build(make_plugin_manager(extra={"kota-bekasi-capaian": _Bekasi()}))
    report = compute_report(store, catalog, OPERATOR, YEAR, "kelurahan")
    jpd = next(r for r in report.index if r.service_type == "kesehatan.usia-lanjut")
    assert jpd.index == 75.0
    assert report.rule == "capaian"


def test_the_index_formula_and_bands() -> None:
    assert capaian(100.0, 100.0) == 100.0
    assert capaian(90.0, None) is None
    assert [band_of(v).en for v in (100, 90, 80, 70, 60, 0)] == [  # type: ignore[union-attr]
        "Fully complete (paripurna)",
        "Complete, main (utama)",
        "Complete, middle (madya)",
        "Complete, first (pratama)",
        "Complete, young (muda)",
        "Not complete",
    ]


def test_a_csv_report_writes_a_formula_like_area_name_as_text(
    store: Store, spm_catalog: Catalog
) -> None:
    import attrs

    _seed(store)
    report = compute_report(store, spm_catalog, OPERATOR, YEAR, "kecamatan", fields=["kesehatan"])
    # A posyandu name is typed by an operator: "@SUM(...)" or "=HYPERLINK(...)" is text.
    hostile = "@SUM(1+1)*cmd|' /C calc'!A0"
    named = attrs.evolve(
        report, rows=tuple(attrs.evolve(r, area_name=hostile) for r in report.rows)
    )
    parsed = list(csv.DictReader(io.StringIO(named.to_csv())))
    assert {row["area_name"] for row in parsed} == {"'" + hostile}
    assert [row["numerator"] for row in parsed] == [
        "" if r.numerator is None else str(r.numerator) for r in report.rows
    ]


def _seed_elderly(store: Store) -> None:
    """Elderly screened in two villages of one kecamatan (born 1950: one age group).

    ===============  ===================  ===================
    screened/to do   32.75.01.1001        32.75.01.1002
    ===============  ===================  ===================
    men              3 of 9               10 of 12
    women            9 of 10              8 of 9
    ===============  ===================  ===================
    """
    villages = {v: p for p, v in add_posyandu(store).items()}
    people: list[Resident] = []
    records: list[Record] = []
    table = {
        ("32.75.01.1001", Sex.MALE): (3, 9),
        ("32.75.01.1001", Sex.FEMALE): (9, 10),
        ("32.75.01.1002", Sex.MALE): (10, 12),
        ("32.75.01.1002", Sex.FEMALE): (8, 9),
    }
    for (village, sex), (screened, counted) in table.items():
        for i in range(counted):
            rid = f"e-{village[-4:]}-{sex.value}-{i}"
            stay = Stay(date(1950, 1, 1), None, villages[village], village)
            people.append(Resident(rid, date(1950, 1, 1), sex, (stay,)))
            if i < screened:
                records += elderly_screened([rid])
    write_population(store, Population.of(people, [], [], records))


@pytest.mark.parametrize("engine", ["sql", "columnar"])
def test_a_researcher_cannot_subtract_a_withheld_count_back(
    store: Store, spm_catalog: Catalog, engine: str
) -> None:
    _seed_elderly(store)
    researcher = Actor("peneliti", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))

    def elderly(level: str, by: tuple[str, ...] = ()) -> dict[tuple[str, ...], tuple[Any, ...]]:
        report = compute_report(
            store, spm_catalog, researcher, YEAR, level, disaggregate=by, engine=engine
        )
        return {
            (r.area, *(v for v in (r.sex, r.age_group) if v and "sex" in by)): (
                r.numerator,
                r.denominator,
                r.value,
                r.suppressed,
            )
            for r in report.rows
            if r.indicator == "kesehatan.usia-lanjut"
        }

    # The 3 men screened in 1001, its 1 woman and 1002's 1 woman not screened, and the
    # kecamatan's 2 women not screened are small. Primary suppression alone would show
    # 1002's 10 men and the kecamatan's 13: 13 - 10 = 3.
    small = "small_cell"
    assert elderly("kelurahan", ("sex",)) == {
        ("32.75.01.1001", "L"): (None, 9.0, None, small),
        ("32.75.01.1001", "P"): (None, 10.0, None, small),
        ("32.75.01.1002", "L"): (None, 12.0, None, small),
        ("32.75.01.1002", "P"): (None, 9.0, None, small),
    }
    assert elderly("kecamatan", ("sex",)) == {
        ("32.75.01", "L"): (None, 21.0, None, small),
        ("32.75.01", "P"): (None, 19.0, None, small),
    }
    # Over both sexes 1002 leaves 3 unscreened: its count goes, and 1001's with it.
    assert elderly("kelurahan") == {
        ("32.75.01.1001",): (None, 19.0, None, small),
        ("32.75.01.1002",): (None, 21.0, None, small),
    }
    assert elderly("kecamatan") == {("32.75.01",): (30, 40.0, 75.0, None)}
    # The operator, with no suppression, sees every count.
    exact = compute_report(store, spm_catalog, OPERATOR, YEAR, "kelurahan", disaggregate=["sex"])
    row = next(
        r
        for r in exact.rows
        if r.indicator == "kesehatan.usia-lanjut" and (r.area, r.sex) == ("32.75.01.1001", "L")
    )
    assert (row.numerator, row.denominator, row.suppressed) == (3, 9.0, None)


def test_every_output_of_a_suppressed_report_withholds_the_same_cells(
    store: Store, spm_catalog: Catalog
) -> None:
    _seed_elderly(store)
    researcher = Actor("peneliti", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
    report = compute_report(store, spm_catalog, researcher, YEAR, "kelurahan", disaggregate=["sex"])
    wanted = [r for r in report.rows if r.indicator == "kesehatan.usia-lanjut"]
    as_json = [
        r for r in json.loads(report.to_json())["rows"] if r["indicator"] == "kesehatan.usia-lanjut"
    ]
    as_csv = [
        r
        for r in csv.DictReader(io.StringIO(report.to_csv()))
        if r["indicator"] == wanted[0].indicator
    ]
    frame = report.to_pandas()
    frame = frame[frame["indicator"] == "kesehatan.usia-lanjut"]
    assert [r["numerator"] for r in as_json] == [None] * 4
    assert [r["numerator"] for r in as_csv] == [""] * 4
    assert [r["suppressed"] for r in as_csv] == ["small_cell"] * 4
    assert frame["numerator"].isna().all()
    assert [r.suppressed for r in wanted] == ["small_cell"] * 4


def test_a_suppressed_report_is_by_region_not_by_posyandu(
    store: Store, spm_catalog: Catalog
) -> None:
    researcher = Actor("peneliti", Role.RESEARCHER, AreaScope(KodeWilayah("32.75")))
    with pytest.raises(InvalidValue) as raised:
        compute_report(store, spm_catalog, researcher, YEAR, "posyandu")
    assert "posyandu" in str(raised.value)
