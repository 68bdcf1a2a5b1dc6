"""``spm catalog --region CODE [--on DATE]``: the catalog as one region sees it on one day.

Lists each definition of the region's view with its status — national, replaced by a
local version, added by a local plugin, adjusted, disabled — and the plugin it came
from, local ones first; then the adjustments that apply in the region.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Callable
from datetime import date

from rich import box
from rich.table import Table
from rich.text import Text as RichText

from spm_core.catalog import KINDS, Catalog, CatalogView, Origin
from spm_core.cli._common import console, print_json, t
from spm_core.cli._output import Column, Output
from spm_core.definitions import DEFINITION_KINDS, Definition, scope_label
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel

__all__ = ["add_arguments", "show_region"]

_KIND_LABELS = {cls.kind: cls.kind_label for cls in DEFINITION_KINDS}
_ORDER = {"replaced": 0, "added": 1, "national": 2}

TEXTS = {
    "region": Text(
        "tampilkan katalog sebagaimana dilihat wilayah ini (kab/kota, provinsi, atau kode di "
        "dalamnya)",
        "show the catalog as this region sees it (a kab/kota, a province, or a code inside)",
    ),
    "on": Text(
        "tanggal tampilan, YYYY-MM-DD (bawaan: versi terbaru)",
        "day of the view, YYYY-MM-DD (default: the latest versions)",
    ),
    "bad_date": Text(
        "tanggal tidak valid: {value!r} (gunakan YYYY-MM-DD)",
        "invalid date: {value!r} (use YYYY-MM-DD)",
    ),
    "title": Text("Katalog {scope} pada {on}", "Catalog of {scope} on {on}"),
    "latest": Text("versi terbaru", "the latest versions"),
    "col_kind": Text("jenis", "kind"),
    "col_code": Text("kode", "code"),
    "col_status": Text("status", "status"),
    "col_plugin": Text("plugin", "plugin"),
    "col_action": Text("tindakan", "action"),
    "col_detail": Text("rincian", "detail"),
    "summary": Text(
        "{national} nasional, {replaced} diganti, {added} ditambah, {adjusted} disesuaikan, "
        "{disabled} dinonaktifkan.",
        "{national} national, {replaced} replaced, {added} added, {adjusted} adjusted, "
        "{disabled} disabled.",
    ),
    "adjustments": Text("Penyesuaian di wilayah ini", "Adjustments in this region"),
    "generic": Text(
        "Peran tanpa perangkat daerah terkonfigurasi di sini (kebutuhan dirujuk ke perangkat "
        "daerah generik): {roles}.",
        "Roles with no agency configured here (needs go to the generic agency): {roles}.",
    ),
    "none": Text("Tidak ada definisi yang cocok.", "No definition matches."),
}


def _day(lang: str) -> Callable[[str], date]:
    def parse(text: str) -> date:
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise argparse.ArgumentTypeError(t("bad_date", lang, TEXTS, value=text)) from None

    return parse


def add_arguments(parser: argparse.ArgumentParser, lang: str) -> None:
    """Add ``--region`` and ``--on`` to the ``spm catalog`` parser."""
    parser.add_argument("--region", metavar="CODE", help=t("region", lang, TEXTS))
    parser.add_argument("--on", metavar="DATE", type=_day(lang), help=t("on", lang, TEXTS))


def _plugins(origin: Origin) -> str:
    """Name the plugin of the version used, then every plugin that adjusted it."""
    names = [origin.provenance.plugin]
    names += [a.plugin for a in origin.adjustments if a.plugin not in names]
    return ", ".join(names)


def _generic_roles(view: CatalogView) -> list[str]:
    """Return the roles routing rules name that no agency of the view's kab/kota fills."""
    region = view.region
    if region is None or region.level != WilayahLevel.KABUPATEN_KOTA:
        return []
    used = {role for rule in view.routing_rules for role in rule.roles}
    filled = {
        role
        for agency in view.agencies
        if region.contains(agency.area) or agency.area.contains(region)
        for role in agency.roles
    }
    return sorted(used - filled)


def show_region(
    args: argparse.Namespace,
    catalog: Catalog,
    keep: Callable[[Definition, CatalogView], bool],
) -> int:
    """Print the view of ``args.region`` on ``args.on``; ``keep`` applies ``--kind``/``--field``.

    Raises:
        InvalidRegionCode: ``args.region`` is not a region code.
    """
    lang = args.lang
    region = KodeWilayah.parse(args.region)
    view = catalog.for_region(region, on=args.on)
    origins = [
        o
        for o in view.origins()
        if o.disabled or keep(view.get(o.kind, o.code), view)
        if args.kind is None or o.kind == args.kind
    ]
    origins.sort(
        key=lambda o: (
            o.status == "national" and not o.adjustments,
            _ORDER[o.status],
            KINDS.index(o.kind),
            o.code,
        )
    )
    applied = {a for o in view.origins() for a in o.adjustments}
    scoped = [a for a in catalog.adjustments if a in applied]
    if args.format == "json":
        data = view.to_dict()
        shown = {(o.kind, o.code) for o in origins}
        data["definitions"] = [d for d in data["definitions"] if (d["kind"], d["code"]) in shown]
        data["adjustments"] = [a.to_dict() for a in scoped]
        print_json(data)
        return 0
    scope = scope_label(view.region).get(lang)
    on = t("latest", lang, TEXTS) if args.on is None else args.on.isoformat()
    title = t("title", lang, TEXTS, scope=scope, on=on)
    counts = Counter(o.status for o in origins)
    summary = t(
        "summary",
        lang,
        TEXTS,
        national=counts["national"],
        replaced=counts["replaced"],
        added=counts["added"],
        adjusted=sum(1 for o in origins if o.adjustments and not o.disabled),
        disabled=sum(1 for o in origins if o.disabled),
    )
    generic = _generic_roles(view)
    rows = Output()
    if not rows.terminal:
        # A pipe gets plain tab-separated rows like every other table, the kind's stable
        # name first (as `spm catalog` gives it); the summary and hints go to stderr.
        if not origins:
            rows.note(t("none", lang, TEXTS))
            return 0
        header = ("col_kind", "col_code", "col_status", "col_plugin")
        rows.table(
            title,
            [Column(t(h, lang, TEXTS)) for h in header],
            [[o.kind, o.code, o.status_label.get(lang), _plugins(o)] for o in origins],
        )
        rows.note(summary)
        if generic:
            rows.note(t("generic", lang, TEXTS, roles=", ".join(generic)))
        if scoped:
            rows.table(
                t("adjustments", lang, TEXTS),
                [
                    Column(t(f"col_{k}", lang, TEXTS))
                    for k in ("plugin", "action", "code", "detail")
                ],
                [[a.plugin, a.action, a.code, a.detail] for a in scoped],
            )
        return 0
    out = console()
    if not origins:
        out.print(t("none", lang, TEXTS))
        return 0
    table = Table(title=title, box=box.SIMPLE_HEAD)
    table.add_column(t("col_code", lang, TEXTS), no_wrap=True)
    table.add_column(t("col_status", lang, TEXTS), overflow="fold")
    table.add_column(t("col_plugin", lang, TEXTS), overflow="fold", min_width=16)
    group: tuple[bool, str] | None = None
    for origin in origins:
        local = origin.status != "national" or bool(origin.adjustments)
        if group != (local, origin.kind):
            if group is not None:
                table.add_section()
            group = (local, origin.kind)
            table.add_row(RichText(_KIND_LABELS[origin.kind].get(lang), style="italic"))
        table.add_row(
            "  " + origin.code,
            origin.status_label.get(lang),
            _plugins(origin),
            style="bold" if local else None,
        )
    out.print(table)
    out.print(summary)
    if generic:
        out.print(t("generic", lang, TEXTS, roles=", ".join(generic)))
    if scoped:
        adjustments = Table(title=t("adjustments", lang, TEXTS), box=box.SIMPLE_HEAD)
        for key in ("plugin", "action", "code", "detail"):
            adjustments.add_column(t(f"col_{key}", lang, TEXTS), overflow="fold")
        for a in scoped:
            adjustments.add_row(a.plugin, a.action, a.code, a.detail)
        out.print(adjustments)
    return 0
