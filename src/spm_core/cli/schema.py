"""``spm schema``: the JSON Schema of an input model, or the list of their names."""

from __future__ import annotations

import argparse
import sys

from spm_core.catalog import Catalog
from spm_core.cli._common import Commands, UsageError, plugin_manager, t
from spm_core.cli._output import print_json
from spm_core.domain.text import Text

__all__ = ["register"]

TEXTS = {
    "cmd_schema": Text(
        "cetak JSON Schema sebuah model masukan", "print the JSON Schema of an input model"
    ),
    "schema_name": Text("nama skema (lihat --list)", "schema name (see --list)"),
    "schema_list": Text("tampilkan nama skema yang tersedia", "list the available schema names"),
    "schema_missing": Text(
        "sebutkan nama skema atau gunakan --list", "name a schema or use --list"
    ),
}


def register(commands: Commands) -> None:
    """Add ``spm schema``."""
    lang = commands.lang
    schema = commands.add("schema", TEXTS["cmd_schema"], _cmd_schema)
    schema.add_argument("name", nargs="?", metavar="NAME", help=t("schema_name", lang, TEXTS))
    schema.add_argument("--list", action="store_true", help=t("schema_list", lang, TEXTS))


def _cmd_schema(args: argparse.Namespace) -> int:
    if not args.list and not args.name:
        raise UsageError(t("schema_missing", args.lang, TEXTS), "spm schema [--list] [NAME]")
    from spm_core.schemas import json_schema, schema_names

    catalog = Catalog.build(plugin_manager(args))
    if args.list:
        for name in schema_names(catalog):
            sys.stdout.write(name + "\n")
        return 0
    print_json(json_schema(args.name, catalog))
    return 0
