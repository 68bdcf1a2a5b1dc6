"""``spm catalog``: every definition with its provenance and legal basis."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from spm_core.catalog import Catalog, CatalogView
from spm_core.cli import catalog_region
from spm_core.cli._common import Commands, console, plugin_manager, print_json, t
from spm_core.definitions import (
    DEFINITION_KINDS,
    Agency,
    Definition,
    LegalBasis,
    RoutingRule,
    Validator,
)
from spm_core.domain.enums import SpmField
from spm_core.domain.text import Text

__all__ = ["register"]

_KINDS = tuple(cls.kind for cls in DEFINITION_KINDS)
_KIND_LABELS = {cls.kind: cls.kind_label for cls in DEFINITION_KINDS}

TEXTS = {
    "cmd_catalog": Text(
        "tampilkan setiap definisi beserta asal dan dasar hukumnya",
        "list every definition with its provenance and legal basis",
    ),
    "kind": Text("hanya definisi jenis ini", "only definitions of this kind"),
    "field": Text("hanya definisi bidang SPM ini", "only definitions of this SPM field"),
    "catalog_title": Text("Katalog", "Catalog"),
    "no_definitions": Text("Tidak ada definisi yang cocok.", "No definition matches."),
    "overrides_title": Text("Definisi yang diganti", "Overridden definitions"),
    "adjustments_title": Text("Penyesuaian oleh plugin wilayah", "Adjustments by region plugins"),
    "unconfirmed": Text("(BELUM TERKONFIRMASI)", "(UNCONFIRMED)"),
    "unconfirmed_count": Text(
        "{n} definisi memuat dasar hukum yang belum terkonfirmasi pada teks resmi.",
        "{n} definition(s) cite a legal basis not confirmed against the official text.",
    ),
    "total": Text("{n} definisi.", "{n} definition(s)."),
    "col_kind": Text("jenis", "kind"),
    "col_code": Text("kode", "code"),
    "col_title": Text("judul", "title"),
    "col_field": Text("bidang", "field"),
    "col_provenance": Text("asal", "provenance"),
    "col_legal": Text("dasar hukum", "legal basis"),
    "col_winner": Text("pemenang", "winner"),
    "col_replaced": Text("diganti", "replaced"),
    "col_plugin": Text("plugin", "plugin"),
    "col_action": Text("tindakan", "action"),
    "col_detail": Text("rincian", "detail"),
}


def register(commands: Commands) -> None:
    """Add ``spm catalog``."""
    lang = commands.lang
    catalog = commands.with_format(commands.add("catalog", TEXTS["cmd_catalog"], _cmd_catalog))
    fields = [f.value for f in SpmField]
    catalog.add_argument(
        "--kind",
        choices=_KINDS,
        metavar="KIND",
        help=f"{t('kind', lang, TEXTS)}: {', '.join(_KINDS)}",
    )
    catalog.add_argument(
        "--field",
        choices=fields,
        metavar="FIELD",
        help=f"{t('field', lang, TEXTS)}: {', '.join(fields)}",
    )
    catalog_region.add_arguments(catalog, lang)


def _fields_of(definition: Definition, catalog: Catalog | CatalogView) -> set[str]:
    """Return the SPM field(s) a definition belongs to, following references if needed."""
    own = getattr(definition, "field", None)
    if isinstance(own, SpmField):
        return {own.value}
    if isinstance(definition, RoutingRule):
        return _fields_of(catalog.need_type(definition.need_type), catalog)
    if isinstance(definition, Validator):
        return _fields_of(catalog.record_type(definition.record_type), catalog)
    if isinstance(definition, Agency):
        found: set[str] = set()
        for role in definition.roles:
            found |= _fields_of(catalog.agency_role(role), catalog)
        return found
    return set()


def _cite(basis: LegalBasis, lang: str) -> str:
    text = basis.regulation if basis.article is None else f"{basis.regulation} {basis.article}"
    return text if basis.confirmed else f"{text} {t('unconfirmed', lang, TEXTS)}"


def _selected(catalog: Catalog, kind: str | None, field: str | None) -> list[Definition]:
    return [
        d
        for d in catalog
        if (kind is None or d.kind == kind) and (field is None or field in _fields_of(d, catalog))
    ]


def _cmd_catalog(args: argparse.Namespace) -> int:
    lang = args.lang
    catalog = Catalog.build(plugin_manager(args))
    if args.region is not None:
        field = args.field
        return catalog_region.show_region(
            args, catalog, lambda d, view: field is None or field in _fields_of(d, view)
        )
    chosen = _selected(catalog, args.kind, args.field)
    if args.format == "json":
        data = catalog.to_dict()
        if args.kind is not None or args.field is not None:
            keep = {(d.kind, d.code) for d in chosen}
            data["definitions"] = [d for d in data["definitions"] if (d["kind"], d["code"]) in keep]
        print_json(data)
        return 0
    out = console()
    if not chosen:
        out.print(t("no_definitions", lang, TEXTS))
    else:
        table = Table(title=t("catalog_title", lang, TEXTS))
        for key in ("kind", "code", "title", "field", "provenance", "legal"):
            table.add_column(t(f"col_{key}", lang, TEXTS), no_wrap=key == "code")
        for d in chosen:
            prov = d.provenance
            table.add_row(
                _KIND_LABELS[d.kind].get(lang),
                d.code,
                d.title.get(lang),
                ", ".join(sorted(_fields_of(d, catalog))),
                "" if prov is None else f"{prov.plugin} ({prov.level.label.get(lang)})",
                "; ".join(_cite(b, lang) for b in d.legal_basis),
                style=None if d.confirmed else "yellow",
            )
        out.print(table)
        out.print(t("total", lang, TEXTS, n=len(chosen)))
        unconfirmed = sum(1 for d in chosen if not d.confirmed)
        if unconfirmed:
            out.print(t("unconfirmed_count", lang, TEXTS, n=unconfirmed))
    _print_overrides(out, catalog, lang)
    return 0


def _print_overrides(out: Console, catalog: Catalog, lang: str) -> None:
    if catalog.overrides:
        table = Table(title=t("overrides_title", lang, TEXTS))
        for key in ("kind", "code", "winner", "replaced"):
            table.add_column(t(f"col_{key}", lang, TEXTS))
        for o in catalog.overrides:
            table.add_row(
                _KIND_LABELS[o.kind].get(lang) if o.kind in _KIND_LABELS else o.kind,
                o.code,
                f"{o.winner.plugin} ({o.winner.level.label.get(lang)})",
                f"{o.replaced.plugin} ({o.replaced.level.label.get(lang)})",
            )
        out.print(table)
    if catalog.adjustments:
        table = Table(title=t("adjustments_title", lang, TEXTS))
        for key in ("plugin", "action", "kind", "code", "detail"):
            table.add_column(t(f"col_{key}", lang, TEXTS))
        for a in catalog.adjustments:
            kind = _KIND_LABELS[a.kind].get(lang) if a.kind in _KIND_LABELS else a.kind
            table.add_row(a.plugin, a.action, kind, a.code, a.detail)
        out.print(table)
