"""``spm catalog``: the definitions, compact by default, in full with ``--wide`` or by code.

* ``spm catalog`` — one line per definition: kind, code, title (shortened to fit), and
  ``!`` when its legal basis is not confirmed;
* ``spm catalog --wide`` — field, provenance and legal basis as well, titles wrapped;
* ``spm catalog CODE`` — every attribute of the definition(s) with that code, in every
  scope and version (a region's agency or route included);
* ``--kind`` (``routing-rule`` or ``routing_rule``) and ``--field`` narrow every table,
  the overrides and adjustments included.
"""

from __future__ import annotations

import argparse
import difflib
import enum
import json
from collections.abc import Sequence
from typing import cast

import attrs
import pydantic

from spm_core.catalog import Catalog, CatalogView
from spm_core.cli import catalog_region
from spm_core.cli._common import Commands, plugin_manager, t
from spm_core.cli._output import Column, Output, print_json
from spm_core.definitions import (
    DEFINITION_KINDS,
    Agency,
    Definition,
    Expr,
    LegalBasis,
    Node,
    Provenance,
    RoutingRule,
    Validator,
    Validity,
    definition_to_dict,
    expr_to_dict,
)
from spm_core.domain.enums import SpmField
from spm_core.domain.text import Text
from spm_core.errors import UnknownCode

__all__ = ["register"]

_KINDS = tuple(cls.kind for cls in DEFINITION_KINDS)
_KIND_LABELS = {cls.kind: cls.kind_label for cls in DEFINITION_KINDS}

TEXTS = {
    "cmd_catalog": Text(
        "tampilkan definisi beserta asal dan dasar hukumnya",
        "list the definitions with their provenance and legal basis",
    ),
    "code": Text(
        "tampilkan lengkap definisi dengan kode ini", "show the definition with this code in full"
    ),
    "kind": Text("hanya definisi jenis ini", "only definitions of this kind"),
    "field": Text("hanya definisi bidang SPM ini", "only definitions of this SPM field"),
    "wide": Text(
        "tampilkan juga bidang, asal dan dasar hukum", "also show field, provenance and legal basis"
    ),
    "catalog_title": Text("Katalog", "Catalog"),
    "no_definitions": Text("Tidak ada definisi yang cocok.", "No definition matches."),
    "overrides_title": Text("Definisi yang diganti", "Overridden definitions"),
    "adjustments_title": Text("Penyesuaian oleh plugin wilayah", "Adjustments by region plugins"),
    "unconfirmed": Text("(BELUM TERKONFIRMASI)", "(UNCONFIRMED)"),
    "unconfirmed_count": Text(
        "{n} definisi bertanda ! memuat dasar hukum yang belum terkonfirmasi pada teks resmi.",
        "{n} definition(s) marked ! cite a legal basis not confirmed against the official text.",
    ),
    "total": Text("{n} definisi.", "{n} definition(s)."),
    "more": Text(
        "Rincian: spm catalog KODE, atau --wide.", "Details: spm catalog CODE, or --wide."
    ),
    "definition": Text("definisi", "definition"),
    "col_kind": Text("jenis", "kind"),
    "col_code": Text("kode", "code"),
    "col_title": Text("judul", "title"),
    "col_field": Text("bidang", "field"),
    "col_provenance": Text("asal", "provenance"),
    "col_legal": Text("dasar hukum", "legal basis"),
    "col_flag": Text("!", "!"),
    "col_winner": Text("pemenang", "winner"),
    "col_replaced": Text("diganti", "replaced"),
    "col_plugin": Text("plugin", "plugin"),
    "col_action": Text("tindakan", "action"),
    "col_detail": Text("rincian", "detail"),
    "col_change": Text("perubahan", "change"),
    "col_attribute": Text("atribut", "attribute"),
    "col_value": Text("nilai", "value"),
}

# The attributes of definitions, as a person reads them in `spm catalog CODE`.
ATTRIBUTE_LABELS: dict[str, Text] = {
    "kind": Text("jenis", "kind"),
    "code": Text("kode", "code"),
    "title": Text("judul", "title"),
    "legal_basis": Text("dasar hukum", "legal basis"),
    "validity": Text("masa berlaku", "validity"),
    "description": Text("uraian", "description"),
    "provenance": Text("asal", "provenance"),
    "field": Text("bidang", "field"),
    "level": Text("tingkat pemerintahan", "level of government"),
    "recipients": Text("penerima", "recipients"),
    "subject": Text("subjek", "subject"),
    "value_schema": Text("isian nilai", "value fields"),
    "specific": Text("khusus", "specific"),
    "service_type": Text("jenis pelayanan dasar", "service type"),
    "denominator": Text("penyebut", "denominator"),
    "numerator": Text("pembilang", "numerator"),
    "period_kind": Text("jenis periode", "period kind"),
    "sla_days": Text("batas waktu (hari)", "deadline (days)"),
    "roles": Text("peran", "roles"),
    "area": Text("wilayah", "area"),
    "short_name": Text("nama singkat", "short name"),
    "need_type": Text("jenis kebutuhan", "need type"),
    "role": Text("peran", "role"),
    "when": Text("syarat", "condition"),
    "priority": Text("prioritas", "priority"),
    "record_type": Text("jenis catatan", "record type"),
    "check": Text("pemeriksaan", "check"),
    "confirmed": Text("terkonfirmasi", "confirmed"),
}

_YES_NO = {True: Text("ya", "yes"), False: Text("tidak", "no")}


def _kind(value: str) -> str:
    """Accept a kind written with hyphens (``routing-rule``) as well as underscores."""
    return value.strip().lower().replace("-", "_")


def register(commands: Commands) -> None:
    """Add ``spm catalog``."""
    lang = commands.lang
    catalog = commands.with_format(commands.add("catalog", TEXTS["cmd_catalog"], _cmd_catalog))
    fields = [f.value for f in SpmField]
    catalog.add_argument("code", nargs="?", metavar="CODE", help=t("code", lang, TEXTS))
    catalog.add_argument(
        "--kind",
        type=_kind,
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
    catalog.add_argument("--wide", action="store_true", help=t("wide", lang, TEXTS))
    catalog_region.add_arguments(catalog, lang)


def fields_of(definition: Definition, catalog: Catalog | CatalogView) -> set[str]:
    """Return the SPM field(s) a definition belongs to, following references if needed."""
    own = getattr(definition, "field", None)
    if isinstance(own, SpmField):
        return {own.value}
    if isinstance(definition, RoutingRule):
        return fields_of(catalog.need_type(definition.need_type), catalog)
    if isinstance(definition, Validator):
        return fields_of(catalog.record_type(definition.record_type), catalog)
    if isinstance(definition, Agency):
        found: set[str] = set()
        for role in definition.roles:
            found |= fields_of(catalog.agency_role(role), catalog)
        return found
    return set()


def _fields_of_code(catalog: Catalog, kind: str, code: str) -> set[str]:
    """Return the fields of the definition ``kind``/``code``, or none if it is gone."""
    try:
        return fields_of(catalog.get(kind, code), catalog)
    except (UnknownCode, KeyError):
        return set()


def _cite(basis: LegalBasis, lang: str) -> str:
    text = basis.regulation if basis.article is None else f"{basis.regulation} {basis.article}"
    return text if basis.confirmed else f"{text} {t('unconfirmed', lang, TEXTS)}"


def _kind_label(kind: str, lang: str) -> str:
    return _KIND_LABELS[kind].get(lang) if kind in _KIND_LABELS else kind


def _selected(catalog: Catalog, kind: str | None, field: str | None) -> list[Definition]:
    return [
        d
        for d in catalog
        if (kind is None or d.kind == kind) and (field is None or field in fields_of(d, catalog))
    ]


def _cmd_catalog(args: argparse.Namespace) -> int:
    catalog = Catalog.build(plugin_manager(args))
    if args.code is not None:
        return _show_code(catalog, args)
    if args.region is not None:
        field = args.field
        return catalog_region.show_region(
            args, catalog, lambda d, view: field is None or field in fields_of(d, view)
        )
    chosen = _selected(catalog, args.kind, args.field)
    if args.format == "json":
        data = catalog.to_dict()
        if args.kind is not None or args.field is not None:
            keep = {(d.kind, d.code) for d in chosen}
            data["definitions"] = [d for d in data["definitions"] if (d["kind"], d["code"]) in keep]
            data["overrides"] = [
                o for o in data["overrides"] if _wanted(catalog, args, o["kind"], o["code"])
            ]
            data["adjustments"] = [
                a for a in data["adjustments"] if _wanted(catalog, args, a["kind"], a["code"])
            ]
        print_json(data)
        return 0
    out = Output()
    lang = args.lang
    if not chosen:
        out.note(t("no_definitions", lang, TEXTS))
    else:
        _print_definitions(out, catalog, chosen, lang, wide=args.wide)
        out.note(t("total", lang, TEXTS, n=len(chosen)))
        unconfirmed = sum(1 for d in chosen if not d.confirmed)
        if unconfirmed:
            out.note(t("unconfirmed_count", lang, TEXTS, n=unconfirmed))
        if not args.wide and out.terminal:
            out.note(t("more", lang, TEXTS))
    _print_overrides(out, catalog, args)
    return 0


def _print_definitions(
    out: Output, catalog: Catalog, chosen: Sequence[Definition], lang: str, *, wide: bool
) -> None:
    """Print the definitions: one table per kind on a terminal, one list of rows in a pipe.

    In a pipe the first column is the kind's stable name (``routing_rule``), so the rows
    can be filtered with ``grep``/``cut`` whatever the language.
    """
    keys = ["code", "title", "flag"]
    if wide:
        keys = ["code", "title", "field", "provenance", "legal", "flag"]

    def row(d: Definition) -> list[str]:
        prov = d.provenance
        values = {
            "code": d.code,
            "title": d.title.get(lang),
            "flag": "" if d.confirmed else "!",
            "field": ", ".join(sorted(fields_of(d, catalog))),
            "provenance": "" if prov is None else f"{prov.plugin} ({prov.level.label.get(lang)})",
            "legal": "; ".join(_cite(b, lang) for b in d.legal_basis),
        }
        return [values[key] for key in keys]

    columns = [
        Column(t(f"col_{key}", lang, TEXTS), keep=key in {"code", "flag"}, wrap=wide)
        for key in keys
    ]
    if not out.terminal:
        out.table(
            t("catalog_title", lang, TEXTS),
            [Column(t("col_kind", lang, TEXTS)), *columns],
            [[d.kind, *row(d)] for d in chosen],
        )
        return
    for kind in _KINDS:
        group = [d for d in chosen if d.kind == kind]
        if group:
            out.table(
                f"{_kind_label(kind, lang)} ({len(group)})",
                columns,
                [row(d) for d in group],
                dim=[not d.confirmed for d in group],
            )


def _wanted(catalog: Catalog, args: argparse.Namespace, kind: str, code: str) -> bool:
    """Whether an override or adjustment of ``kind``/``code`` passes ``--kind``/``--field``."""
    if args.kind is not None and kind != args.kind:
        return False
    return args.field is None or args.field in _fields_of_code(catalog, kind, code)


def _print_overrides(out: Output, catalog: Catalog, args: argparse.Namespace) -> None:
    lang = args.lang
    overrides = [o for o in catalog.overrides if _wanted(catalog, args, o.kind, o.code)]
    if overrides:
        keys = ("kind", "code", "winner", "replaced")
        out.table(
            t("overrides_title", lang, TEXTS),
            [Column(t(f"col_{k}", lang, TEXTS), keep=k == "code") for k in keys],
            [
                [
                    _kind_label(o.kind, lang),
                    o.code,
                    f"{o.winner.plugin} ({o.winner.level.label.get(lang)})",
                    f"{o.replaced.plugin} ({o.replaced.level.label.get(lang)})",
                ]
                for o in overrides
            ],
        )
    adjustments = [a for a in catalog.adjustments if _wanted(catalog, args, a.kind, a.code)]
    if not adjustments:
        return
    title = t("adjustments_title", lang, TEXTS)
    if not out.terminal:
        columns = ("plugin", "action", "kind", "code", "detail")
        out.table(
            title,
            [Column(t(f"col_{k}", lang, TEXTS)) for k in columns],
            [[a.plugin, a.action, a.kind, a.code, a.detail] for a in adjustments],
        )
        return
    # Five columns do not fit 80: the code whole, then who changed what, wrapped.
    out.table(
        title,
        [
            Column(t("col_code", lang, TEXTS), keep=True),
            Column(t("col_change", lang, TEXTS), wrap=True),
        ],
        [
            [a.code, f"{a.plugin}: {a.action} ({_kind_label(a.kind, lang)}) {a.detail}"]
            for a in adjustments
        ],
    )


# ------------------------------------------------------------------------------ one code


def _show_code(catalog: Catalog, args: argparse.Namespace) -> int:
    # Every version in every scope: a region's agency or route is found too.
    everything = list(catalog.definitions())
    found = [
        d
        for d in everything
        if d.code == args.code
        and (args.kind is None or d.kind == args.kind)
        and (args.field is None or args.field in fields_of(d, catalog))
    ]
    if not found:
        codes = sorted({d.code for d in everything})
        raise UnknownCode(
            kind=TEXTS["definition"],
            value=args.code,
            suggestions=difflib.get_close_matches(args.code, codes, n=3),
        )
    if args.format == "json":
        print_json([definition_to_dict(d) for d in found])
        return 0
    out = Output()
    lang = args.lang
    for d in found:
        rows = [[_label(name, lang), text] for name, text in _attributes(d, lang)]
        out.table(
            f"{_kind_label(d.kind, lang)} {d.code}",
            [
                Column(t("col_attribute", lang, TEXTS), keep=True),
                Column(t("col_value", lang, TEXTS), wrap=True),
            ],
            rows,
        )
    return 0


def _label(name: str, lang: str) -> str:
    return ATTRIBUTE_LABELS[name].get(lang) if name in ATTRIBUTE_LABELS else name


def _attributes(definition: Definition, lang: str) -> list[tuple[str, str]]:
    """Return every attribute of ``definition`` that has a value, as readable text."""
    out = [("kind", _kind_label(definition.kind, lang))]
    for attribute in attrs.fields(type(definition)):
        value = getattr(definition, attribute.name)
        if value is None or value == () or value == Validity():
            continue
        out.append((attribute.name, _readable(value, lang)))
    out.append(("confirmed", _YES_NO[definition.confirmed].get(lang)))
    return out


def _readable(value: object, lang: str) -> str:
    """Return one attribute value as a person reads it, in ``lang`` only."""
    label = getattr(value, "label", None)
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, LegalBasis):
        return _cite(value, lang)
    if isinstance(value, Provenance):
        return f"{value.plugin} ({value.level.label.get(lang)})"
    if isinstance(value, Validity):
        start = "…" if value.start is None else value.start.isoformat()
        end = "…" if value.end is None else value.end.isoformat()
        return f"{start} – {end}"
    if isinstance(value, bool):
        return _YES_NO[value].get(lang)
    if isinstance(value, Expr):
        described = value.describe()
        shown = described.get(lang) if isinstance(described, Text) else str(described)
        tree = expr_to_dict(cast("Node", value))
        return f"{shown}\n{json.dumps(tree, ensure_ascii=False)}"
    if isinstance(label, Text):
        return label.get(lang)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, type) and issubclass(value, pydantic.BaseModel):
        return ", ".join(value.model_fields)
    if isinstance(value, tuple | list):
        return "\n".join(_readable(v, lang) for v in value)
    if callable(value):
        return str(getattr(value, "__qualname__", repr(value)))
    return str(value)
