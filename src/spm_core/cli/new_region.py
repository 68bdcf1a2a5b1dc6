"""``spm new-region NAME --wilayah CODE``: scaffold a region plugin that passes as generated.

The generated distribution holds the plugin module (one placeholder agency per agency
role of the installed field plugins, for the whole kab/kota, flagged
``confirmed=False``), worked routing cases (one per need type, in the region's first
kelurahan/desa, as routed today), a one-line compliance-suite test, a
``pyproject.toml`` registering it in the ``spm`` entry-point group, and a README. It
loads and passes spm-core's compliance suite unchanged; the region then replaces the
placeholders with its own OPD.
"""

from __future__ import annotations

import argparse
import importlib.resources
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from string import Template

from spm_core import __version__
from spm_core.catalog import Catalog
from spm_core.cli._common import Commands, console, plugin_manager, t
from spm_core.definitions import CODE_PATTERN, AgencyRole
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel, lookup
from spm_core.errors import InvalidValue, UnknownRegion
from spm_core.routing import RouteContext, route, villages_of

__all__ = ["register", "render_region", "write_region"]

TEXTS = {
    "cmd_new_region": Text(
        "buat kerangka plugin wilayah (kab/kota) yang langsung lolos uji kepatuhan",
        "scaffold a region (kab/kota) plugin that passes the compliance suite as generated",
    ),
    "arg_name": Text(
        "nama plugin, mis. kota-depok (juga nama entry point)",
        "plugin name, e.g. kota-depok (also its entry-point name)",
    ),
    "arg_wilayah": Text("kode kab/kota, mis. 32.71", "kab/kota code, e.g. 32.71"),
    "arg_dir": Text(
        "folder tujuan (bawaan: ./spm-NAMA); harus belum ada atau kosong",
        "destination folder (default: ./spm-NAME); must not exist or be empty",
    ),
    "written": Text(
        "Plugin {name} untuk {region} dibuat di {where} ({count} berkas).",
        "Plugin {name} for {region} written to {where} ({count} files).",
    ),
    "next": Text(
        "Berikutnya: ganti setiap perangkat daerah contoh (FILL IN) lalu jalankan "
        "`pytest` di folder itu.",
        "Next: replace every placeholder agency (FILL IN), then run `pytest` in that folder.",
    ),
}


def register(commands: Commands) -> None:
    """Add ``spm new-region``."""
    lang = commands.lang
    sub = commands.add("new-region", TEXTS["cmd_new_region"], _cmd_new_region)
    sub.add_argument("name", metavar="NAME", help=t("arg_name", lang, TEXTS))
    sub.add_argument("--wilayah", required=True, metavar="CODE", help=t("arg_wilayah", lang, TEXTS))
    sub.add_argument("--dir", default=None, metavar="PATH", help=t("arg_dir", lang, TEXTS))


def _cmd_new_region(args: argparse.Namespace) -> int:
    catalog = Catalog.build(plugin_manager(args))
    files = render_region(args.name, args.wilayah, catalog)
    dest = Path(args.dir) if args.dir else Path(f"spm-{args.name}")
    write_region(dest, files)
    region = KodeWilayah.parse(args.wilayah)
    info = lookup(region)
    out = console()
    shown = f"{info.name if info else region} ({region})"
    out.print(
        t("written", args.lang, TEXTS, name=args.name, region=shown, where=dest, count=len(files))
    )
    out.print(t("next", args.lang, TEXTS))
    return 0


def _check_name(name: str) -> None:
    if not CODE_PATTERN.match(name) or not name[0].isalpha() or "." in name or "_" in name:
        raise InvalidValue(
            value=name,
            reason_id="nama plugin wilayah hanya huruf kecil, angka dan '-', diawali huruf "
            "(mis. kota-depok)",
            reason_en="a region plugin name holds lower-case letters, digits and '-' only, "
            "starting with a letter (e.g. kota-depok)",
        )


def _region(code: str) -> tuple[KodeWilayah, str, str]:
    region = KodeWilayah.parse(code)
    if region.level != WilayahLevel.KABUPATEN_KOTA:
        raise InvalidValue(
            value=code,
            reason_id="plugin wilayah dibuat untuk satu kabupaten/kota (kode PP.KK)",
            reason_en="a region plugin is made for one kabupaten/kota (a PP.KK code)",
        )
    info = lookup(region)
    if info is None:
        from spm_core.domain import REGION_LIST_SOURCE

        raise UnknownRegion(value=code, source=REGION_LIST_SOURCE)
    return region, info.name, info.path


def _q(text: str) -> str:
    """Return ``text`` as a Python string literal with double quotes."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _provincial(role: AgencyRole) -> bool:
    """Whether ``role`` is filled by the province's office (``dinas-pendidikan-provinsi``)."""
    return "provinsi" in role.code.split("-")


def _agency_lines(name: str, catalog: Catalog, region: KodeWilayah, region_name: str) -> str:
    """Return one placeholder agency per role, named after the role and the region.

    A provincial role (SMA, SMK and SLB are the province's) is named after the province
    whose office, or branch office, serves the kab/kota — never "Provinsi Kota …".
    """
    view = catalog.for_region(region)
    province = lookup(region.parent) if region.parent is not None else None
    lines: list[str] = []
    for role in sorted(view.agency_roles, key=lambda r: r.code):
        if _provincial(role) and province is not None:
            title_id = f"{role.title.id} {province.name} (wilayah {region_name})"
            title_en = f"{role.title.en}, {province.name} (serving {region_name})"
            who = f"the office of {province.name} province, or its branch serving {region_name},"
        else:
            title_id = f"{role.title.id} {region_name}"
            title_en = f"{role.title.en}, {region_name}"
            who = f"the OPD of {region_name}"
        lines += [
            f"    # FILL IN: {who} that acts as {role.title.en}.",
            "    _opd(",
            f"        {_q(role.code)},",
            f"        ({_q(role.code)},),",
            f"        {_q(title_id)},",
            f"        {_q(title_en)},",
            f"        {_q(role.title.id)},",
            "        PLACEHOLDER,",
            "    ),",
        ]
    return "\n".join(lines) + "\n"


def _cases(name: str, catalog: Catalog, region: KodeWilayah, agencies: Mapping[str, str]) -> str:
    """Return worked routing cases: each need type in the region's first village."""
    day = date.today()
    village = villages_of(region)[0]
    info = lookup(village)
    place = info.name if info else str(village)
    view = catalog.for_region(region, on=day)
    out = [
        f"# Worked routing cases for {name}: a need raised in {place} ({village}) and the",
        "# agencies it must reach. Generated by spm new-region from the placeholder agencies:",
        "# update them with the agencies, and add the cases that show the region's own routes.",
        f"day: {day.isoformat()}",
        "cases:",
    ]
    for need in sorted(view.need_types, key=lambda n: n.code):
        decision = route(view, need.code, village, RouteContext(day))
        codes = [f"{name}.{t.role}" if t.role in agencies else f"generic:{t.role}"
                 for t in decision.targets]  # fmt: skip
        out += [
            f"  - name: {need.code.replace('.', '-')}",
            "    title:",
            f"      id: {_q(need.title.id + ' di ' + place)}",
            f"      en: {_q(need.title.en + ' in ' + place)}",
            f"    need_type: {need.code}",
            f'    village: "{village}"',
            f"    expect: {{agencies: [{', '.join(codes)}]}}",
            "",
        ]
    return "\n".join(out)


def render_region(name: str, wilayah: str, catalog: Catalog) -> dict[str, str]:
    """Return the files of a new region plugin (relative path → text).

    Args:
        name: the plugin's name, also its entry-point name (``kota-depok``); the package
            is ``spm_`` + the name with underscores (``spm_kota_depok``).
        wilayah: the kab/kota code (``32.71``), which must be in the Kepmendagri list.
        catalog: the catalog whose agency roles and need types the plugin fills and
            routes (the installed field plugins).

    Raises:
        InvalidValue: the name is not a plugin name, or the code is not a kab/kota.
        UnknownRegion: the code is not in the Kepmendagri list.
    """
    _check_name(name)
    region, region_name, region_path = _region(wilayah)
    package = "spm_" + name.replace("-", "_")
    roles = {r.code: r.code for r in catalog.for_region(region).agency_roles}
    values = {
        "name": name,
        "package": package,
        "distribution": f"spm-{name}",
        "region": str(region),
        "region_name": region_name,
        "region_path": region_path,
        "core_version": __version__,
        "agencies": _agency_lines(name, catalog, region, region_name),
    }
    folder = importlib.resources.files("spm_core.cli") / "templates" / "region"

    def fill(template: str) -> str:
        return Template((folder / template).read_text(encoding="utf-8")).substitute(values)

    return {
        "pyproject.toml": fill("pyproject.toml.tmpl"),
        "README.md": fill("README.md.tmpl"),
        f"{package}/__init__.py": fill("__init__.py.tmpl"),
        f"{package}/py.typed": "",
        f"{package}/cases/rujukan.yaml": _cases(name, catalog, region, roles),
        "tests/test_compliance.py": fill("test_compliance.py.tmpl"),
    }


def write_region(dest: Path, files: Mapping[str, str]) -> None:
    """Write ``files`` under ``dest``, which must not exist or be empty.

    Raises:
        InvalidValue: ``dest`` is a file, or a folder that is not empty (nothing is
            overwritten).
    """
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise InvalidValue(
            value=str(dest),
            reason_id="folder tujuan sudah ada dan tidak kosong; tidak ada yang ditimpa",
            reason_en="the destination exists and is not empty; nothing is overwritten",
        )
    for relative, text in files.items():
        path = dest / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
