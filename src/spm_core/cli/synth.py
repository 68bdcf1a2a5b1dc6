"""``spm synth``: a synthetic city by seed, loaded through the bulk path."""

from __future__ import annotations

import argparse

from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from spm_core.cli._common import Commands, db_url, plugin_manager, print_json, t
from spm_core.cli._output import Output, progress_console
from spm_core.cli.load import operator_for, show_report
from spm_core.domain.text import Text

__all__ = ["register"]

TEXTS = {
    "cmd_synth": Text(
        "buat kota sintetis (warga, rumah tangga, setahun catatan) dari benih acak",
        "make a synthetic city (residents, households, a year of records) from a seed",
    ),
    "residents": Text("jumlah warga", "number of residents"),
    "wilayah": Text(
        "kab/kota, kecamatan atau desa/kelurahan (kode Kemendagri, mis. 32.75)",
        "kab/kota, kecamatan or village (Kemendagri code, e.g. 32.75)",
    ),
    "seed": Text("benih: benih yang sama, data yang sama", "seed: same seed, same data"),
    "year": Text("tahun catatan (bawaan: tahun lalu)", "year of the records (default: last year)"),
    "progress": Text("Membuat kota sintetis", "Making the synthetic city"),
    "posyandu": Text(
        "{n} posyandu di {villages} desa/kelurahan", "{n} posyandu in {villages} villages"
    ),
}


def register(commands: Commands) -> None:
    """Add ``spm synth``."""
    lang = commands.lang
    sub = commands.with_format(commands.add("synth", TEXTS["cmd_synth"], _cmd_synth, database=True))
    sub.add_argument("--residents", type=int, required=True, help=t("residents", lang, TEXTS))
    sub.add_argument("--wilayah", default="32.75", help=t("wilayah", lang, TEXTS))
    sub.add_argument("--seed", type=int, default=0, help=t("seed", lang, TEXTS))
    sub.add_argument("--year", type=int, default=None, help=t("year", lang, TEXTS))


def _cmd_synth(args: argparse.Namespace) -> int:
    from spm_core.catalog import Catalog
    from spm_core.store import open_store
    from spm_core.synth import synthesize

    catalog = Catalog.build(plugin_manager(args))
    store = open_store(db_url(args))
    bars = progress_console()
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn(t("progress", args.lang, TEXTS) + " ({task.completed:,} rows)"),
            TimeElapsedColumn(),
            console=bars,
            transient=True,
            disable=args.format == "json" or not bars.is_terminal,
        ) as bar:
            task = bar.add_task("synth", total=None)
            city, people, records = synthesize(
                store, operator_for(args.wilayah), catalog, residents=args.residents,
                wilayah=args.wilayah, seed=args.seed, year=args.year,
                progress=lambda n: bar.update(task, completed=n),
            )  # fmt: skip
    finally:
        store.close()
    villages = len({p.village for p in city.posyandu})
    if args.format == "json":
        print_json({"posyandu": len(city.posyandu), "villages": villages, "seed": city.seed,
                    "year": city.year})  # fmt: skip
    else:
        Output().note(t("posyandu", args.lang, TEXTS, n=len(city.posyandu), villages=villages))
    worst = 0
    for report in (people, records):
        worst = max(worst, show_report(report, args.lang, args.format, None))
    return worst
