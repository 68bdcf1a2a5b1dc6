"""MkDocs hook: write the catalog of the six field plugins into two pages at build time.

``catalog/id.md`` (Bahasa Indonesia) and ``catalog/en.md`` (English) each hold a marker;
this hook builds the catalog from the installed field plugins and replaces the marker
with, per field: every service type (recipients, level, legal basis and validity of each
dated version), every indicator (its formula in words from the expressions'
``describe()``, legal basis and validity of each version), every need type (trigger in
words, default route to its agency roles) and the agency roles. Nothing is copied by
hand, so the pages cannot fall behind the plugins.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from datetime import date
from typing import Any, Literal

from spm_core.catalog import Catalog
from spm_core.definitions import (
    AgencyRole,
    Definition,
    FieldDefinition,
    Indicator,
    LegalBasis,
    NeedType,
    RoutingRule,
    ServiceType,
    Validity,
)
from spm_core.domain import SpmField, Text
from spm_core.plugins import make_plugin_manager

MARKER = "<!-- spm-core:catalog -->"
"""Where in each catalog page the generated sections go."""

PAGES: dict[str, Literal["id", "en"]] = {"catalog/id.md": "id", "catalog/en.md": "en"}
"""The pages (relative to the docs directory) and their language."""

Lang = Literal["id", "en"]

_WORDS: dict[str, tuple[str, str]] = {
    "services": ("Jenis pelayanan dasar", "Services"),
    "indicators": ("Indikator", "Indicators"),
    "needs": ("Jenis kebutuhan dan rujukan bawaan", "Need types and default routes"),
    "roles": ("Peran perangkat daerah", "Agency roles"),
    "recipients": ("Penerima", "Recipients"),
    "level": ("Tingkat", "Level"),
    "standard": ("Standar", "Standard"),
    "legal": ("Dasar hukum", "Legal basis"),
    "valid": ("Berlaku", "In force"),
    "always": ("tanpa batas waktu", "without time limit"),
    "from": ("sejak", "from"),
    "until": ("sampai", "until"),
    "subject": ("Subjek", "Subject"),
    "counts": ("Dihitung", "Counted"),
    "persons": ("per anggota rumah tangga (penduduk)", "per household member (persons)"),
    "once": ("sekali per subjek", "once per subject"),
    "denominator": ("Penyebut", "Denominator"),
    "numerator": ("Pembilang (di antara penyebut)", "Numerator (among the denominator)"),
    "service": ("Jenis pelayanan", "Service"),
    "monitoring": (
        "tidak ada — indikator pemantauan, bukan capaian SPM",
        "none — a monitoring indicator, not an SPM achievement",
    ),
    "outside": ("di luar SPM", "outside SPM"),
    "trigger": ("Pemicu dari catatan", "Trigger from the records"),
    "by_hand": ("diajukan kader secara manual", "raised by a kader by hand"),
    "route": ("Rujukan bawaan", "Default route"),
    "when": ("bila", "when"),
    "version": ("Versi", "Version"),
    "unconfirmed": ("BELUM TERKONFIRMASI", "UNCONFIRMED"),
    "description": ("Keterangan", "Description"),
}

_MARKUP = re.compile(r"([\\`*_\[\]<>|#])")


def _w(key: str, lang: Lang) -> str:
    pair = _WORDS[key]
    return pair[0] if lang == "id" else pair[1]


def _t(text: Text | None, lang: Lang) -> str:
    if text is None:
        return ""
    return _esc(text.id if lang == "id" else text.en)


def _esc(text: str) -> str:
    """Escape Markdown markup in plain text (field names hold underscores)."""
    return _MARKUP.sub(r"\\\1", text)


def _day(day: date | None) -> str:
    return "" if day is None else day.isoformat()


def _validity(validity: Validity, lang: Lang) -> str:
    if validity.start is None and validity.end is None:
        return _w("always", lang)
    parts = []
    if validity.start is not None:
        parts.append(f"{_w('from', lang)} {_day(validity.start)}")
    if validity.end is not None:
        parts.append(f"{_w('until', lang)} {_day(validity.end)}")
    return " ".join(parts)


def _legal(bases: Iterable[LegalBasis], lang: Lang) -> str:
    items = []
    for basis in bases:
        text = basis.regulation if basis.article is None else f"{basis.regulation} {basis.article}"
        item = _esc(text)
        if not basis.confirmed:
            item += f" (**{_w('unconfirmed', lang)}**)"
        if basis.note:
            item += f" — {_esc(basis.note)}"
        items.append(item)
    return "; ".join(items) if items else "—"


def _bullets(rows: Iterable[tuple[str, str]]) -> list[str]:
    return [f"- **{label}:** {value}" for label, value in rows if value]


@functools.cache
def _catalog() -> Catalog:
    return Catalog.build(make_plugin_manager())


def _versions(catalog: Catalog, kind: str, code: str) -> list[Definition]:
    found = list(catalog.versions(kind, code))
    return sorted(found, key=lambda d: d.validity.start or date.min)


def _version_block(definition: Definition, lang: Lang, rows: list[tuple[str, str]]) -> list[str]:
    rows = [
        *rows,
        (_w("legal", lang), _legal(definition.legal_basis, lang)),
        (_w("valid", lang), _validity(definition.validity, lang)),
    ]
    return _bullets(rows)


def _service_section(catalog: Catalog, service: ServiceType, lang: Lang) -> list[str]:
    lines = [f"#### {_t(service.title, lang)}", "", f"`{service.code}`", ""]
    versions = _versions(catalog, "service_type", service.code)
    for version in versions:
        assert isinstance(version, ServiceType)
        if len(versions) > 1:
            lines += [f"*{_w('version', lang)} {_validity(version.validity, lang)}*", ""]
        rows = [
            (_w("level", lang), _t(version.level.label, lang)),
            (_w("recipients", lang), _t(version.recipients, lang)),
            (_w("standard", lang), _t(version.description, lang)),
        ]
        lines += [*_version_block(version, lang, rows), ""]
    return lines


def _indicator_section(catalog: Catalog, indicator: Indicator, lang: Lang) -> list[str]:
    lines = [f"#### {_t(indicator.title, lang)}", "", f"`{indicator.code}`", ""]
    versions = _versions(catalog, "indicator", indicator.code)
    for version in versions:
        assert isinstance(version, Indicator)
        if len(versions) > 1:
            lines += [f"*{_w('version', lang)} {_validity(version.validity, lang)}*", ""]
        counted = "persons" if version.counts.value == "members" else "once"
        service = (
            f"`{version.service_type}`"
            if version.service_type is not None
            else _w("monitoring", lang)
        )
        rows = [
            (_w("description", lang), _t(version.description, lang)),
            (_w("service", lang), service),
            (_w("subject", lang), _t(version.subject.label, lang)),
            (_w("counts", lang), _w(counted, lang)),
            (_w("denominator", lang), _t(version.denominator.describe(), lang)),
            (_w("numerator", lang), _t(version.numerator.describe(), lang)),
        ]
        lines += [*_version_block(version, lang, rows), ""]
    return lines


def _route_text(rule: RoutingRule, roles: dict[str, AgencyRole], lang: Lang) -> str:
    names = ", ".join(
        f"{_t(roles[r].title, lang)} (`{r}`)" if r in roles else f"`{r}`" for r in rule.roles
    )
    if rule.when is not None:
        names += f" — {_w('when', lang)} {_t(rule.when.describe(), lang)}"
    return names


def _need_section(
    need: NeedType, rules: list[RoutingRule], roles: dict[str, AgencyRole], lang: Lang
) -> list[str]:
    lines = [f"#### {_t(need.title, lang)}", "", f"`{need.code}`", ""]
    trigger = _w("by_hand", lang) if need.trigger is None else _t(need.trigger.describe(), lang)
    service = f"`{need.service_type}`" if need.service_type else _w("outside", lang)
    routes = "; ".join(_route_text(r, roles, lang) for r in rules)
    rows = [
        (_w("description", lang), _t(need.description, lang)),
        (_w("service", lang), service),
        (_w("subject", lang), _t(need.subject.label, lang)),
        (_w("trigger", lang), trigger),
        (_w("route", lang), routes),
    ]
    return [*lines, *_version_block(need, lang, rows), ""]


def render_catalog(lang: Lang) -> str:
    """Return the Markdown of the whole catalog, field by field, in ``lang``."""
    catalog = _catalog()
    roles = {r.code: r for r in catalog.agency_roles}
    national = [r for r in catalog.routing_rules if r.area is None]
    lines: list[str] = []
    fields = {f.field: f for f in catalog.fields}
    for field in SpmField:
        definition: FieldDefinition | None = fields.get(field)
        if definition is None:
            continue
        lines += [f"## {_t(definition.title, lang)}", ""]
        lines += [_t(definition.description, lang), ""]
        lines += [f"{_w('legal', lang)}: {_legal(definition.legal_basis, lang)}", ""]
        lines += [f"### {_w('services', lang)}", ""]
        for service in catalog.service_types:
            if service.field is field:
                lines += _service_section(catalog, service, lang)
        lines += [f"### {_w('indicators', lang)}", ""]
        for indicator in catalog.indicators:
            if indicator.field is field:
                lines += _indicator_section(catalog, indicator, lang)
        lines += [f"### {_w('needs', lang)}", ""]
        for need in catalog.need_types:
            if need.field is field:
                rules = sorted(
                    (r for r in national if r.need_type == need.code),
                    key=lambda r: -r.priority,
                )
                lines += _need_section(need, rules, roles, lang)
        lines += [f"### {_w('roles', lang)}", ""]
        for role in catalog.agency_roles:
            if role.field is field:
                text = f"- **{_t(role.title, lang)}** (`{role.code}`)"
                if role.description is not None:
                    text += f": {_t(role.description, lang)}"
                lines.append(text)
        lines.append("")
    return "\n".join(lines)


def on_page_markdown(markdown: str, page: Any, **_kwargs: Any) -> str:
    """Replace the marker on each catalog page with the catalog in its language."""
    lang = PAGES.get(page.file.src_uri)
    if lang is None:
        return markdown
    if MARKER not in markdown:
        raise ValueError(f"{page.file.src_uri} lost its marker {MARKER!r}")
    return markdown.replace(MARKER, render_catalog(lang))
