"""The public API is pinned: changing an ``__all__`` is a decision, not an accident."""

from __future__ import annotations

import importlib
import inspect
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

griffe = pytest.importorskip("griffe")

SRC = Path(__file__).resolve().parents[2] / "src"

PUBLIC_API: dict[str, list[str]] = {
    "spm_core": ["Registry", "__version__", "errors", "hookimpl"],
    "spm_core.errors": [
        "ENTITY_LABELS",
        "AccessDenied",
        "AuditChainBroken",
        "BatchInterrupted",
        "CatalogError",
        "ConcurrentUpdate",
        "ConflictingAdjustment",
        "ConnectionLost",
        "DatabaseError",
        "DuplicateDefinition",
        "ErasureRefused",
        "IdempotencyConflict",
        "IdentifierAsNumber",
        "IllegalTransition",
        "InputError",
        "InvalidDefinition",
        "InvalidKk",
        "InvalidNik",
        "InvalidPeriod",
        "InvalidRecordValue",
        "InvalidRegionCode",
        "InvalidValue",
        "Issue",
        "MigrationError",
        "NotAuthenticated",
        "NotFound",
        "Notice",
        "OutOfRegion",
        "PluginError",
        "PluginLoadError",
        "PluginSpecError",
        "PurposeRequired",
        "ReferralError",
        "RequestTooLarge",
        "SpmError",
        "StorageFull",
        "StoreBusy",
        "StoreError",
        "UnknownCode",
        "UnknownRegion",
        "UnresolvedReference",
        "Unroutable",
        "all_error_classes",
        "shorten",
    ],
    "spm_core.catalog": ["KINDS", "Catalog", "CatalogView", "Origin", "Override"],
    "spm_core.http": [
        "IDEMPOTENCY_HEADER",
        "MAX_BODY",
        "MAX_DEPTH",
        "PROBLEM_JSON",
        "Authenticator",
        "DevTokens",
        "actor_from_spec",
        "create_app",
        "problem_body",
        "status_of",
    ],
    "spm_core.routing": [
        "AgencyChoice",
        "Considered",
        "HasRoutingTable",
        "RouteContext",
        "RoutingDecision",
        "RoutingTable",
        "check_routable",
        "holds",
        "route",
        "unsupported_condition",
        "villages_of",
    ],
    "spm_core.definitions": [
        "ALWAYS",
        "AchievementRule",
        "Adjustment",
        "AgeBetween",
        "Agency",
        "AgencyRole",
        "Aggregation",
        "AliveAndDomiciled",
        "Anchor",
        "AnchorKind",
        "And",
        "AnyHouseholdMember",
        "BANDS",
        "Band",
        "BornIn",
        "CODE_PATTERN",
        "CatalogAdjuster",
        "Check",
        "Compare",
        "Counting",
        "DEFINITION_KINDS",
        "DaysAfter",
        "DaysOfAge",
        "DEFAULT_SHARED_FIELDS",
        "Definition",
        "Everyone",
        "Expr",
        "ExternalTarget",
        "FieldDefinition",
        "FieldKind",
        "HasRecord",
        "InHousehold",
        "Indicator",
        "LastMonths",
        "JointLeaveDay",
        "LatestValue",
        "LegalBasis",
        "NeedType",
        "Node",
        "Not",
        "Op",
        "Or",
        "PeriodAndAfter",
        "PluginInfo",
        "PluginLevel",
        "Provenance",
        "RecordCount",
        "RecordType",
        "RecordValue",
        "Reference",
        "RoutingRule",
        "SHAREABLE_FIELDS",
        "ServiceType",
        "SexIs",
        "TargetDefinition",
        "Validator",
        "Validity",
        "ValueField",
        "Window",
        "WindowSpec",
        "check_indicators",
        "definition_to_dict",
        "expr_from_dict",
        "expr_to_dict",
        "field_kind",
        "scope_label",
    ],
    "spm_core.plugin_api": [
        "ALWAYS",
        "AchievementRule",
        "Adjustment",
        "AgeBetween",
        "AgeRange",
        "AgeUnit",
        "Agency",
        "AgencyRole",
        "Aggregation",
        "AliveAndDomiciled",
        "Anchor",
        "And",
        "AnyHouseholdMember",
        "BANDS",
        "Band",
        "BornIn",
        "CODE_PATTERN",
        "CatalogAdjuster",
        "Check",
        "Compare",
        "Counting",
        "DEFINITION_KINDS",
        "DaysAfter",
        "DaysOfAge",
        "Definition",
        "Everyone",
        "Expr",
        "ExternalTarget",
        "Field",
        "FieldDefinition",
        "GovernmentLevel",
        "HasRecord",
        "InHousehold",
        "Indicator",
        "InvalidRecordValue",
        "JointLeaveDay",
        "KodeWilayah",
        "LastMonths",
        "LatestValue",
        "LegalBasis",
        "LifeStage",
        "NeedType",
        "Node",
        "Nik",
        "NomorKK",
        "Not",
        "Notice",
        "Op",
        "Or",
        "PeriodAndAfter",
        "Period",
        "PeriodKind",
        "PluginInfo",
        "PluginLevel",
        "Provenance",
        "REGION_LIST_SOURCE",
        "RecordCount",
        "RecordType",
        "RecordValue",
        "Reference",
        "Relationship",
        "RoutingRule",
        "ServiceType",
        "Sex",
        "SexIs",
        "SpmField",
        "Subject",
        "TargetDefinition",
        "Text",
        "Validator",
        "Validity",
        "VillageKind",
        "WilayahInfo",
        "WilayahLevel",
        "Window",
        "age_in",
        "children",
        "definition_to_dict",
        "hookimpl",
        "life_stages",
        "lookup",
        "model_validator",
    ],
}

MODULES = sorted(PUBLIC_API)


@cache
def _griffe_package() -> Any:
    return griffe.load("spm_core", search_paths=[str(SRC)], resolve_aliases=False)


def _attribute_docstring(module: str, name: str) -> str:
    """Return the docstring written under a module-level assignment (``X = ...``)."""
    node = _griffe_package()[module.removeprefix("spm_core.")] if module != "spm_core" else None
    member = (node or _griffe_package())[name]
    while getattr(member, "is_alias", False):
        member = _griffe_package()[member.target_path.removeprefix("spm_core.")]
    return member.docstring.value if member.docstring else ""


def _documented(module: ModuleType, name: str, obj: object) -> bool:
    if inspect.ismodule(obj) or inspect.isclass(obj) or inspect.isroutine(obj):
        return bool((inspect.getdoc(obj) or "").strip())
    if _attribute_docstring(module.__name__, name).strip():
        return True
    # A callable instance (a pluggy marker) documents itself through its class.
    return callable(obj) and bool((inspect.getdoc(obj) or "").strip())


@pytest.mark.parametrize("name", MODULES)
def test_all_is_pinned(name: str) -> None:
    module = importlib.import_module(name)
    assert sorted(module.__all__) == sorted(PUBLIC_API[name])


@pytest.mark.parametrize("name", MODULES)
def test_all_has_no_duplicates(name: str) -> None:
    exported = importlib.import_module(name).__all__
    assert len(exported) == len(set(exported))


@pytest.mark.parametrize("name", MODULES)
def test_every_exported_name_exists(name: str) -> None:
    module = importlib.import_module(name)
    missing = [n for n in module.__all__ if not hasattr(module, n)]
    assert not missing


@pytest.mark.parametrize("name", MODULES)
def test_every_exported_name_has_a_docstring(name: str) -> None:
    module = importlib.import_module(name)
    assert (module.__doc__ or "").strip()
    undocumented = [
        n
        for n in module.__all__
        if not n.startswith("__") and not _documented(module, n, getattr(module, n))
    ]
    assert not undocumented


@pytest.mark.parametrize("name", MODULES)
def test_public_methods_of_exported_classes_have_docstrings(name: str) -> None:
    module = importlib.import_module(name)
    undocumented = []
    for export in module.__all__:
        cls = getattr(module, export)
        if not inspect.isclass(cls) or not cls.__module__.startswith("spm_core"):
            continue
        for attr, value in vars(cls).items():
            if attr.startswith("_"):
                continue
            func = value.fget if isinstance(value, property) else value
            func = getattr(func, "__func__", func)
            if inspect.isfunction(func) and not (func.__doc__ or "").strip():
                undocumented.append(f"{cls.__name__}.{attr}")
    assert not undocumented


def test_plugin_api_reexports_the_same_objects() -> None:
    plugin_api = importlib.import_module("spm_core.plugin_api")
    definitions = importlib.import_module("spm_core.definitions")
    domain = importlib.import_module("spm_core.domain")
    for name in plugin_api.__all__:
        for source in (definitions, domain):
            if name in source.__all__:
                assert getattr(plugin_api, name) is getattr(source, name), name


def test_hookimpl_is_the_one_from_hookspecs() -> None:
    import spm_core
    from spm_core import hookspecs, plugin_api

    assert spm_core.hookimpl is hookspecs.hookimpl is plugin_api.hookimpl
    assert spm_core.hookimpl.project_name == hookspecs.PROJECT_NAME == "spm"


def test_version_is_the_distribution_version() -> None:
    from importlib.metadata import version

    import spm_core

    assert spm_core.__version__ == version("spm-core")
