"""Reports: every indicator for an area level and a period, and the achievement index.

:func:`compute_report` counts every indicator of the catalog view in force on the
period's last day (optionally of some fields only) with the SQL compiler, through the
store's aggregate path, rolled up to the level asked for: posyandu, kelurahan/desa,
kecamatan, kab/kota or provinsi, and optionally broken down by sex and age group. Each
row carries the numerator, the denominator (the people counted, or the target value for
an indicator whose denominator is a sasaran), the value in percent, the indicator
version (the start of the validity of the version used) and the plugin and its version.

The achievement index (capaian) is computed per service type, field and area from the
same counts and the quality inputs of the store (:mod:`spm_core.indicators.capaian`).

A :class:`Report` comes out as typed rows, JSON, CSV, or a pandas or polars DataFrame
(``pip install spm-core[dataframes]``).

With small-cell suppression (always for researchers) every output carries the same
withheld cells: a numerator or denominator from 1 to the threshold minus one is
``None``, and so is every count that would let one be worked out by adding and
subtracting the others — across the areas from the villages up to the reader's scope,
the sex and age-group breakdowns and their totals, and the counted but not served
(:mod:`spm_core.store.aggregate`). A row with a withheld count shows no value either
and names the reason in ``suppressed`` (:data:`SUPPRESSION_REASONS`). A report with
suppression is by region: not per posyandu, whose areas cut across villages.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from spm_core.access import Actor, PosyanduScope
from spm_core.catalog import Catalog, CatalogView
from spm_core.definitions import AchievementRule, Indicator, RecordType
from spm_core.domain.cells import neutralise_mapping, neutralise_row
from spm_core.domain.enums import SpmField, Subject
from spm_core.domain.period import Period
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, lookup
from spm_core.errors import InvalidValue, UnknownCode
from spm_core.indicators.ages import AGE_GROUPS
from spm_core.indicators.capaian import DEFAULT_RULE, band_of, capaian, roll_up
from spm_core.indicators.columnar import count_indicators_columnar
from spm_core.indicators.sql import IndicatorCounts, count_indicators
from spm_core.store import Store
from spm_core.store.aggregate import GROUP_KEYS, ReportLevel, threshold_for

__all__ = [
    "ENGINES",
    "SUPPRESSION_REASONS",
    "IndexRow",
    "Report",
    "ReportRow",
    "compute_report",
    "region_of",
]

ENGINES = ("sql", "columnar")
"""The interpreters a report can be computed with (see :func:`compute_report`)."""

SUPPRESSION_REASONS: Mapping[str, Text] = {
    "small_cell": Text(
        "disembunyikan: jumlah di bawah ambang sel kecil, atau jumlah yang dapat dipakai "
        "untuk menghitung jumlah seperti itu",
        "withheld: a count below the small-cell threshold, or a count from which such a "
        "count could be worked out",
    ),
}
"""Why a report row shows no value, by the code in :attr:`ReportRow.suppressed`.

One code for both kinds of withheld count: telling a small count from its protection
would say the small one is from 1 to the threshold minus one."""


@attrs.frozen
class ReportRow:
    """One indicator in one area (and group): counts, value, version and provenance."""

    indicator: str
    title_id: str
    title_en: str
    field: str
    service_type: str | None
    """The service (JPD) counted; ``None`` for a monitoring indicator (no index reads it)."""
    area: str
    area_name: str
    sex: str | None
    age_group: str | None
    numerator: int | None
    denominator: float | None
    denominator_source: str
    value: float | None
    indicator_version: str
    plugin: str
    plugin_version: str | None
    suppressed: str | None = None
    """Why counts of the row are withheld (a key of :data:`SUPPRESSION_REASONS`), else ``None``."""

    def to_dict(self) -> dict[str, Any]:
        """Return the row as JSON-ready data."""
        return attrs.asdict(self)


@attrs.frozen
class IndexRow:
    """The achievement index of a service type, a field (``service_type`` None) or all."""

    area: str
    area_name: str
    field: str | None
    service_type: str | None
    served_share: float | None
    quality_share: float | None
    recipients: float
    index: float | None
    band_id: str | None
    band_en: str | None

    def to_dict(self) -> dict[str, Any]:
        """Return the row as JSON-ready data."""
        return attrs.asdict(self)


@attrs.frozen
class Report:
    """A computed report: its rows, the achievement index and what produced them."""

    period: Period
    level: ReportLevel
    rows: tuple[ReportRow, ...]
    index: tuple[IndexRow, ...]
    plugins: Mapping[str, str | None]
    rule: str
    suppressed_below: int | None

    def to_dict(self) -> dict[str, Any]:
        """Return the whole report as JSON-ready data."""
        return {
            "period": str(self.period),
            "level": self.level.value,
            "rule": self.rule,
            "suppressed_below": self.suppressed_below,
            "plugins": dict(self.plugins),
            "rows": [r.to_dict() for r in self.rows],
            "index": [r.to_dict() for r in self.index],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """Return the report as JSON text."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    def to_csv(self) -> str:
        """Return the indicator rows as CSV text (a header, then one line per row).

        Text a spreadsheet would run as a formula (a posyandu named ``=…``) is written
        with a leading ``'`` (:func:`~spm_core.domain.cells.neutralise`).
        """
        out = io.StringIO()
        names = [f.name for f in attrs.fields(ReportRow)]
        writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n")
        writer.writerow(dict(zip(names, neutralise_row(names), strict=True)))
        for row in self.rows:
            writer.writerow(neutralise_mapping(row.to_dict()))
        return out.getvalue()

    def to_pandas(self) -> Any:
        """Return the indicator rows as a pandas DataFrame (needs the ``dataframes`` extra)."""
        return _module("pandas").DataFrame([r.to_dict() for r in self.rows])

    def to_polars(self) -> Any:
        """Return the indicator rows as a polars DataFrame (needs polars installed)."""
        return _module("polars").DataFrame([r.to_dict() for r in self.rows])


def _module(package: str) -> Any:
    try:
        return importlib.import_module(package)
    except ImportError as error:
        raise InvalidValue(
            value=package,
            reason_id=f"paket {package} belum terpasang; pasang spm-core[dataframes]",
            reason_en=f"the {package} package is not installed; install spm-core[dataframes]",
        ) from error


def region_of(store: Store, actor: Actor) -> KodeWilayah | None:
    """Return the region whose catalog view the actor's reports use (a kader: its village)."""
    scope = actor.scope
    if isinstance(scope, PosyanduScope):
        return store.get_posyandu(actor, scope.posyandu_id).wilayah_code
    return actor.area


def _names(store: Store, actor: Actor, level: ReportLevel) -> dict[str, str]:
    if level is ReportLevel.POSYANDU:
        return {p.id: p.name for p in store.list_posyandu(actor)}
    return {}


def _name(names: Mapping[str, str], area: str) -> str:
    if area in names:
        return names[area]
    found = lookup(area)
    return found.name if found is not None else area


def _share(part: float | None, whole: float | None) -> float | None:
    if part is None or whole is None or whole == 0:
        return None
    return round(100 * part / whole, 6)


def _inside(code: str, area: str) -> bool:
    return code == area or code.startswith(area + ".")


def _area_value(values: Mapping[str, float], area: str, level: ReportLevel) -> float | None:
    """The value given for ``area`` itself, else the sum of those given for its villages."""
    if level is ReportLevel.POSYANDU:
        return None
    if area in values:
        return values[area]
    villages = [v for code, v in values.items() if len(code) == 13 and _inside(code, area)]
    return sum(villages) if villages else None


def _rule(view: CatalogView) -> AchievementRule:
    try:
        found = view.get("achievement_rule", "capaian")
    except UnknownCode:
        return DEFAULT_RULE
    assert isinstance(found, AchievementRule)
    return found


def compute_report(
    store: Store,
    catalog: Catalog,
    actor: Actor,
    period: Period | str,
    level: ReportLevel | str,
    *,
    fields: Iterable[SpmField | str] | None = None,
    disaggregate: Sequence[str] = (),
    suppress_below: int | None = None,
    engine: str = "sql",
) -> Report:
    """Compute every indicator and the achievement index for ``actor``'s scope.

    Args:
        store: where the people and records are.
        catalog: the definitions; the view of the actor's region in force on the
            period's last day is used.
        actor: who asks; only its scope is counted.
        period: a :class:`~spm_core.domain.Period` or its text (``"2025"``,
            ``"2025-Q2"``).
        level: ``posyandu``, ``kelurahan``/``desa``, ``kecamatan``, ``kabupaten_kota`` or
            ``provinsi``.
        fields: only the indicators of these fields (all by default).
        disaggregate: break resident indicators down by ``"sex"`` and/or
            ``"age_group"``; the index is then not computed.
        suppress_below: withhold counts from 1 to this minus one and every count that
            would let one be worked out (on by default for researchers, threshold 5).
        engine: ``"sql"`` (the default: the database counts, memory stays flat) or
            ``"columnar"`` (the tables are read once into polars columns and counted
            there, :mod:`spm_core.indicators.columnar`: faster on a whole city, memory
            grows with it; needs ``spm-core[polars]``). Both give the same report.

    Raises:
        InvalidValue: an unknown level, field, breakdown or engine, or a posyandu-level
            report with small-cell suppression.
    """
    the_period = period if isinstance(period, Period) else Period.parse(period)
    the_level = ReportLevel.parse(level)
    if the_level is ReportLevel.POSYANDU and threshold_for(actor.role, suppress_below) is not None:
        raise InvalidValue(
            value=the_level.value,
            reason_id="laporan dengan sel kecil disembunyikan hanya per wilayah "
            "(kelurahan/desa ke atas), tidak per posyandu",
            reason_en="a report with small cells withheld is by region (village and up), "
            "not by posyandu",
        )
    unknown = [k for k in disaggregate if k not in GROUP_KEYS]
    if unknown:
        raise InvalidValue(
            value=unknown[0],
            reason_id="rincian hanya menurut sex atau age_group",
            reason_en="a breakdown is by sex or age_group only",
        )
    if engine not in ENGINES:
        raise InvalidValue(
            value=engine,
            reason_id=f"mesin hitung harus salah satu dari {', '.join(ENGINES)}",
            reason_en=f"the engine must be one of {', '.join(ENGINES)}",
        )
    wanted = None if fields is None else {SpmField.parse(str(f)) for f in fields}
    view = catalog.for_period(region_of(store, actor), the_period)
    indicators = [
        i
        for i in view.indicators
        if i.subject is not Subject.PLACE and (wanted is None or i.field in wanted)
    ]
    record_types: dict[str, RecordType] = {r.code: r for r in view.record_types}
    count = count_indicators_columnar if engine == "columnar" else count_indicators
    counts = count(
        store,
        actor,
        indicators,
        the_period,
        record_types,
        level=the_level,
        keys=tuple(disaggregate),
        suppress_below=suppress_below,
    )
    by_code = {i.code: i for i in indicators}
    targets = _targets(store, actor, indicators, the_period.year)
    known = _names(store, actor, the_level)
    names = {area: _name(known, area) for area in {c.area for c in counts}}
    rows = tuple(
        _row(c, by_code[c.indicator], targets, names, the_level, tuple(disaggregate))
        for c in sorted(counts, key=lambda c: (c.area, c.indicator, _order(disaggregate, c.keys)))
    )
    rule = _rule(view)
    index: tuple[IndexRow, ...] = ()
    if not disaggregate:
        quality = _quality(store, actor, the_period.year)
        index = _index(rows, quality, names, the_level, rule)
    plugins: dict[str, str | None] = {p.name: None for p in catalog.plugins}
    for indicator in indicators:
        if indicator.provenance is not None:
            plugins[indicator.provenance.plugin] = indicator.provenance.version
    suppressed = threshold_for(actor.role, suppress_below)
    return Report(the_period, the_level, rows, index, plugins, rule.code, suppressed)


def _targets(
    store: Store, actor: Actor, indicators: Sequence[Indicator], year: int
) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for indicator in indicators:
        code = indicator.target
        if code is None or code in out:
            continue
        out[code] = {
            str(t.wilayah_code): float(Decimal(t.value))
            for t in store.list_targets(actor, code=code, year=year)
        }
    return out


def _quality(store: Store, actor: Actor, year: int) -> dict[str, dict[str, tuple[int, int]]]:
    """Return service type → area → (met, required), summed over items and categories."""
    out: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for q in store.list_quality_inputs(actor, year=year):
        cell = out[q.service_type][str(q.wilayah_code)]
        cell[0] += q.met
        cell[1] += q.required
    return {st: {a: (m, r) for a, (m, r) in areas.items()} for st, areas in out.items()}


_AGE_RANK = {group.code: rank for rank, group in enumerate(AGE_GROUPS)}


def _order(keys: Sequence[str], values: tuple[str | None, ...]) -> tuple[tuple[int, str], ...]:
    """Sort key of a breakdown: age groups youngest first (not "16-18" before "5-6")."""
    return tuple(
        (_AGE_RANK.get(value or "", len(_AGE_RANK)) if key == "age_group" else 0, value or "")
        for key, value in zip(keys, values, strict=True)
    )


def _row(
    c: IndicatorCounts,
    indicator: Indicator,
    targets: Mapping[str, Mapping[str, float]],
    names: Mapping[str, str],
    level: ReportLevel,
    keys: tuple[str, ...],
) -> ReportRow:
    group = dict(zip(keys, c.keys, strict=True))
    if indicator.target is not None:
        denominator = _area_value(targets.get(indicator.target, {}), c.area, level)
        source = "target"
    else:
        denominator = None if c.denominator is None else float(c.denominator)
        source = "population"
    prov = indicator.provenance
    start = indicator.validity.start
    withheld = c.served is None or (source == "population" and c.denominator is None)
    return ReportRow(
        indicator=indicator.code,
        title_id=indicator.title.id,
        title_en=indicator.title.en,
        field=indicator.field.value,
        service_type=indicator.service_type,
        area=c.area,
        area_name=_name(names, c.area),
        sex=group.get("sex"),
        age_group=group.get("age_group"),
        numerator=c.served,
        denominator=denominator,
        denominator_source=source,
        value=_share(c.served, denominator),
        indicator_version="-" if start is None else start.isoformat(),
        plugin="-" if prov is None else prov.plugin,
        plugin_version=None if prov is None else prov.version,
        suppressed="small_cell" if withheld else None,
    )


def _quality_share(
    quality: Mapping[str, Mapping[str, tuple[int, int]]], service_type: str, area: str
) -> float | None:
    areas = quality.get(service_type, {})
    if area in areas:
        met, required = areas[area]
    else:
        inside = [v for code, v in areas.items() if _inside(code, area)]
        if not inside:
            return None
        met, required = sum(m for m, _ in inside), sum(r for _, r in inside)
    return _share(met, required)


def _index(
    rows: Sequence[ReportRow],
    quality: Mapping[str, Mapping[str, tuple[int, int]]],
    names: Mapping[str, str],
    level: ReportLevel,
    rule: AchievementRule,
) -> tuple[IndexRow, ...]:
    served: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    unknown: set[tuple[str, str, str]] = set()
    for row in rows:
        if row.service_type is None:  # a monitoring indicator is no part of any index
            continue
        key = (row.area, row.field, row.service_type)
        if row.numerator is None or row.denominator is None:
            unknown.add(key)
            continue
        served[key][0] += row.numerator
        served[key][1] += row.denominator
    out: list[IndexRow] = []
    per_field: dict[tuple[str, str], list[tuple[float | None, float]]] = defaultdict(list)
    per_area: dict[str, list[tuple[float | None, float]]] = defaultdict(list)
    for key in sorted(set(served) | unknown):
        area, field, service_type = key
        part, whole = served[key] if key not in unknown else (0.0, 0.0)
        a = None if key in unknown else _share(part, whole)
        b = None if level is ReportLevel.POSYANDU else _quality_share(quality, service_type, area)
        value = capaian(a, b, rule)
        out.append(_index_row(area, names, field, service_type, a, b, whole, value, rule))
        per_field[(area, field)].append((value, whole))
        per_area[area].append((value, whole))
    for (area, field), items in sorted(per_field.items()):
        value = roll_up(items, rule)
        total = sum(w for _, w in items)
        out.append(_index_row(area, names, field, None, None, None, total, value, rule))
    for area, items in sorted(per_area.items()):
        value = roll_up(items, rule)
        total = sum(w for _, w in items)
        out.append(_index_row(area, names, None, None, None, None, total, value, rule))
    return tuple(out)


def _index_row(
    area: str,
    names: Mapping[str, str],
    field: str | None,
    service_type: str | None,
    a: float | None,
    b: float | None,
    recipients: float,
    value: float | None,
    rule: AchievementRule,
) -> IndexRow:
    band = band_of(value, rule)
    return IndexRow(
        area=area,
        area_name=_name(names, area),
        field=field,
        service_type=service_type,
        served_share=a,
        quality_share=b,
        recipients=recipients,
        index=value,
        band_id=None if band is None else band.id,
        band_en=None if band is None else band.en,
    )
