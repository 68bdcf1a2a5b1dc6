"""``spm plugins``: the plugins loaded, with their level, region and version.

``--wide`` adds the distribution each came from and the hooks it implements.
"""

from __future__ import annotations

import argparse

from spm_core.cli._common import Commands, plugin_manager, t
from spm_core.cli._output import Column, Output, cell, print_json
from spm_core.domain.text import Text
from spm_core.plugins import list_plugins

__all__ = ["register"]

TEXTS = {
    "cmd_plugins": Text("tampilkan plugin yang dimuat", "list the loaded plugins"),
    "plugins_title": Text("Plugin yang dimuat", "Loaded plugins"),
    "no_plugins": Text("Tidak ada plugin yang dimuat.", "No plugin is loaded."),
    "col_name": Text("nama", "name"),
    "col_title": Text("judul", "title"),
    "col_level": Text("tingkat", "level"),
    "col_region": Text("wilayah", "region"),
    "col_distribution": Text("distribusi", "distribution"),
    "col_version": Text("versi", "version"),
    "col_hooks": Text("hook", "hooks"),
    "col_attribute": Text("atribut", "attribute"),
    "wide": Text("tampilkan juga distribusi dan hook", "also show distribution and hooks"),
}


def register(commands: Commands) -> None:
    """Add ``spm plugins``."""
    sub = commands.with_format(commands.add("plugins", TEXTS["cmd_plugins"], _cmd_plugins))
    sub.add_argument("--wide", action="store_true", help=t("wide", commands.lang, TEXTS))


def _cmd_plugins(args: argparse.Namespace) -> int:
    lang = args.lang
    plugins = list_plugins(plugin_manager(args))
    if args.format == "json":
        print_json([p.to_dict() for p in plugins])
        return 0
    out = Output()
    if not plugins:
        out.note(t("no_plugins", lang, TEXTS))
        return 0
    keys = ["name", "title", "level", "region", "version"]
    if args.wide:
        keys += ["distribution", "hooks"]
    rows = []
    for p in plugins:
        values = {
            "name": p.name,
            "title": p.title.get(lang),
            "level": p.level.label.get(lang),
            "region": cell(p.region),
            "distribution": cell(p.distribution),
            "version": cell(p.version),
            "hooks": ", ".join(p.hooks),
        }
        rows.append([values[key] for key in keys])
    headers = [t(f"col_{key}", lang, TEXTS) for key in keys]
    if args.wide and out.terminal:
        # Seven columns do not fit 80: one small table per plugin, a row per attribute.
        for row in rows:
            out.table(
                row[0],
                [Column(t("col_attribute", lang, TEXTS), keep=True), Column("", wrap=True)],
                [
                    [h, v.replace(", ", "\n") if k == "hooks" else v]
                    for h, k, v in zip(headers, keys, row, strict=True)
                ][1:],
            )
        return 0
    columns = [
        Column(h, keep=key in {"name", "region", "version"}, wrap=True)
        for h, key in zip(headers, keys, strict=True)
    ]
    out.table(t("plugins_title", lang, TEXTS), columns, rows)
    return 0
