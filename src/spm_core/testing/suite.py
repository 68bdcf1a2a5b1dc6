"""The compliance suite a region plugin runs with one line.

In the region plugin's ``tests/test_compliance.py``::

    from spm_core.testing.suite import *  # noqa: F403

pytest then runs every test below against the plugin declared in the nearest
``pyproject.toml`` (its one entry point in the ``spm`` group), through the
``spm_region`` fixture of spm-core's pytest plugin — the way SQLAlchemy's dialect
compliance suite runs against a third-party dialect. The tests check that:

* the plugin loads at kab/kota level, for a kab/kota of the Kepmendagri list;
* every need type routes to a concrete agency in every kelurahan/desa of its region,
  through :func:`spm_core.routing.route` (no generic agency, no kelurahan left out);
* its agencies are well formed: coded under the plugin's name, serving real areas
  inside its region, with a short name and a source for each;
* what it defines, replaces or adjusts changes its region only: a third region sees
  exactly what it sees without the plugin;
* every label it contributes exists in Bahasa Indonesia and English;
* its worked cases (``cases/*.yaml`` beside its module) pass: routing cases through
  :func:`spm_core.routing.route`, indicator cases through the reference evaluator.
"""

from __future__ import annotations

import importlib.metadata as md
from datetime import date

from spm_core.definitions import Agency
from spm_core.domain.wilayah import WilayahLevel, lookup
from spm_core.errors import SpmError
from spm_core.routing import RouteContext, check_routable, route, villages_of
from spm_core.testing.cases import case_files, reference_evaluator, run_case_file
from spm_core.testing.kit import make_registry
from spm_core.testing.region import RegionUnderTest

__all__ = [
    "test_agencies_are_well_formed",
    "test_changes_apply_in_its_region_only",
    "test_every_need_type_routes_to_a_concrete_agency_in_every_village",
    "test_labels_exist_in_both_languages",
    "test_plugin_coexists_with_every_installed_plugin",
    "test_plugin_loads_at_kabkota_level",
    "test_worked_cases_pass",
]


def _own(spm_region: RegionUnderTest) -> list[object]:
    return [
        d
        for d in spm_region.catalog.definitions()
        if d.provenance is not None and d.provenance.plugin == spm_region.name
    ]


def test_plugin_loads_at_kabkota_level(spm_region: RegionUnderTest) -> None:
    """The plugin is a kab/kota plugin of a real kab/kota, checked at load."""
    info = spm_region.info
    assert info.region is not None, f"{info.name} names no region"
    assert info.region.level == WilayahLevel.KABUPATEN_KOTA
    assert lookup(info.region) is not None, f"{info.region} is not in the Kepmendagri list"
    assert info.region in spm_region.catalog.regions
    assert _own(spm_region), f"{info.name} contributes no definition"


def test_plugin_coexists_with_every_installed_plugin(spm_region: RegionUnderTest) -> None:
    """One deployment serves this region beside every other installed region plugin."""
    installed = {ep.name for ep in md.entry_points(group="spm")}
    extra = () if spm_region.name in installed else (spm_region.plugin,)
    with make_registry(*extra) as registry:
        assert spm_region.name in {p.name for p in registry.catalog.plugins}
        assert spm_region.region in registry.catalog.regions


def test_every_need_type_routes_to_a_concrete_agency_in_every_village(
    spm_region: RegionUnderTest,
) -> None:
    """Each need type, in each kelurahan/desa, reaches an agency serving that village."""
    view = spm_region.view()
    region = spm_region.region
    needs = [n.code for n in view.need_types]
    assert needs, "no need type is defined"
    check_routable(view.routing_table, needs, region, allow_generic=False)
    villages = villages_of(region)
    assert all(v.level == WilayahLevel.DESA_KELURAHAN for v in villages), region
    problems: list[str] = []
    context = RouteContext(view.on or date.today())
    for village in villages:
        for need in needs:
            try:
                decision = route(view, need, village, context)
            except SpmError as exc:
                problems.append(str(exc))
                continue
            for target in decision.targets:
                agency = target.agency
                if agency is None:
                    problems.append(f"{need} in {village}: role {target.role} is generic")
                elif not agency.area.contains(village):
                    problems.append(f"{need} in {village}: {agency.code} serves {agency.area}")
                elif agency.scope is None or not agency.scope.contains(region):
                    problems.append(f"{need} in {village}: {agency.code} is not this region's")
    assert not problems, "\n".join(problems[:20])


def test_agencies_are_well_formed(spm_region: RegionUnderTest) -> None:
    """Agencies are coded under the plugin's name, serve real areas inside its region."""
    agencies = [d for d in _own(spm_region) if isinstance(d, Agency)]
    assert agencies, f"{spm_region.name} declares no agency"
    problems: list[str] = []
    titles: dict[str, str] = {}
    for agency in agencies:
        where = agency.code
        if not agency.code.startswith(f"{spm_region.name}."):
            problems.append(f"{where}: the code does not start with {spm_region.name}.")
        if not spm_region.region.contains(agency.area):
            problems.append(f"{where}: serves {agency.area}, outside {spm_region.region}")
        elif lookup(agency.area) is None:
            problems.append(f"{where}: {agency.area} is not in the Kepmendagri list")
        if not agency.short_name:
            problems.append(f"{where}: no short name")
        if not agency.legal_basis:
            problems.append(f"{where}: no source (legal_basis) for its name and task")
        if len(set(agency.roles)) != len(agency.roles):
            problems.append(f"{where}: a role is named twice")
        if agency.title.id in titles:
            problems.append(f"{where}: same name as {titles[agency.title.id]}")
        titles[agency.title.id] = where
    assert not problems, "\n".join(problems)


def test_changes_apply_in_its_region_only(spm_region: RegionUnderTest) -> None:
    """A third region, and the national view, see what they see without the plugin."""
    day = spm_region.view().on
    for region in (spm_region.third_region, None):
        with_plugin = spm_region.catalog.for_region(region, on=day).to_dict()
        without = spm_region.baseline.for_region(region, on=day).to_dict()
        assert with_plugin == without, f"the plugin changes the view of {region or 'the nation'}"
    for adjustment in spm_region.catalog.adjustments:
        if adjustment.plugin == spm_region.name:
            assert adjustment.scope == str(spm_region.region), adjustment
    for definition in _own(spm_region):
        scope = getattr(definition, "scope", None)
        assert scope == spm_region.region, definition


def test_labels_exist_in_both_languages(spm_region: RegionUnderTest) -> None:
    """Every title and description the plugin contributes has Indonesian and English text."""
    view = spm_region.view()
    labelled = list(_own(spm_region))
    labelled += [
        view.get(o.kind, o.code)
        for o in view.origins()
        if not o.disabled and any(a.plugin == spm_region.name for a in o.adjustments)
    ]
    problems: list[str] = []
    info = spm_region.info
    for text, owner in [(info.title, info.name)] + [
        (t, getattr(d, "code", "?"))
        for d in labelled
        for t in (getattr(d, "title", None), getattr(d, "description", None))
        if t is not None
    ]:
        if not text.id.strip() or not text.en.strip():
            problems.append(f"{owner}: {text!r}")
    assert not problems, "\n".join(problems)


def test_worked_cases_pass(spm_region: RegionUnderTest) -> None:
    """The plugin's worked cases (``cases/*.yaml``) pass; there is at least one."""
    folder = spm_region.cases_folder
    files = case_files(folder) if folder is not None else ()
    assert files, f"{spm_region.name} has no worked cases in {folder}"
    evaluate = reference_evaluator(spm_region.catalog)
    failed = [
        f"{o.file}::{o.name}: {'; '.join(o.problems)}"
        for path in files
        for o in run_case_file(path, spm_region.catalog, evaluate=evaluate)
        if o.passed is False
    ]
    assert not failed, "\n".join(failed)
