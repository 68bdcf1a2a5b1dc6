"""``spm plugins``: the plugins loaded, with their level, region, distribution and hooks."""

from __future__ import annotations

import argparse

from rich.table import Table

from spm_core.cli._common import Commands, cell, console, plugin_manager, print_json, t
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
}


def register(commands: Commands) -> None:
    """Add ``spm plugins``."""
    commands.with_format(commands.add("plugins", TEXTS["cmd_plugins"], _cmd_plugins))


def _cmd_plugins(args: argparse.Namespace) -> int:
    lang = args.lang
    plugins = list_plugins(plugin_manager(args))
    if args.format == "json":
        print_json([p.to_dict() for p in plugins])
        return 0
    out = console()
    if not plugins:
        out.print(t("no_plugins", lang, TEXTS))
        return 0
    table = Table(title=t("plugins_title", lang, TEXTS))
    for key in ("name", "title", "level", "region", "distribution", "version", "hooks"):
        table.add_column(t(f"col_{key}", lang, TEXTS), no_wrap=key in {"name", "hooks"})
    for p in plugins:
        table.add_row(
            p.name,
            p.title.get(lang),
            p.level.label.get(lang),
            cell(p.region),
            cell(p.distribution),
            cell(p.version),
            "\n".join(p.hooks),
        )
    out.print(table)
    return 0
