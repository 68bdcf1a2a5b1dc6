"""The SPM report as one self-contained HTML page: bands, charts, tables, referrals, law.

:func:`render_html` turns a computed :class:`~spm_core.indicators.report.Report` (and,
optionally, the same report rolled up to coarser levels, the referral figures per
agency and the service types of the catalog) into a single HTML file that opens
offline: the styles are inline, the charts are inline SVG, there is no script and no
font or image to fetch. The page holds both languages; a switch at its top (two radio
buttons and a few CSS rules, no JavaScript) shows one at a time, the ``lang`` argument
choosing which is shown first.

What it shows, top to bottom: the achievement index of the whole area per field with
its completion band, a bar chart per area, a table per kelurahan/desa (and the indicator
counts behind it), the referrals per agency with their deadline compliance, the legal
basis of each service type, then any :class:`Section` the caller adds. Cells withheld by
the report's small-cell suppression stay withheld: the page shows that a value was
suppressed, never the value.

Another part of an application extends the page with sections::

    section = Section("pembina", Text("Tim Pembina", "Tim Pembina"),
                      Text("<p>Rencana aksi …</p>", "<p>Action plan …</p>"))
    page = render_html(report, referrals, extra_sections=[section])
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from importlib.resources import files
from typing import Any

import attrs
import jinja2
from markupsafe import Markup

from spm_core.definitions import AchievementRule, LegalBasis, ServiceType
from spm_core.domain.enums import SpmField
from spm_core.domain.text import Text, format_number
from spm_core.domain.wilayah import KodeWilayah, lookup
from spm_core.errors import InvalidValue
from spm_core.indicators.capaian import DEFAULT_RULE, band_of
from spm_core.indicators.report import IndexRow, Report, ReportRow
from spm_core.referrals.monitoring import AgencyPerformance

__all__ = ["TEXTS", "Section", "render_html"]

_ANCHOR = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


@attrs.frozen
class Section:
    """A section added to the HTML report after the built-in ones.

    ``body`` holds an HTML fragment per language. It is inserted as it is: escape
    whatever data it interpolates (``markupsafe.escape``). ``anchor`` is the section's
    id in the page (lower-case letters, digits and hyphens).

    Example:
        >>> Section("catatan", Text("Catatan", "Notes"), Text("<p>Baik.</p>", "<p>Good.</p>"))
        Section(anchor='catatan', title=Text(id='Catatan', en='Notes'), body=Text(id='<p>Baik.</p>', en='<p>Good.</p>'))
    """  # noqa: E501

    anchor: str
    title: Text
    body: Text

    def __attrs_post_init__(self) -> None:
        if not _ANCHOR.match(self.anchor):
            raise InvalidValue(
                value=self.anchor,
                reason_id="jangkar bagian hanya huruf kecil, angka dan tanda hubung",
                reason_en="a section anchor is lower-case letters, digits and hyphens only",
            )


TEXTS: dict[str, Text] = {
    "title": Text("Laporan Capaian SPM", "SPM achievement report"),
    "switch": Text("Bahasa", "Language"),
    "period": Text("Periode", "Period"),
    "level": Text("Tingkat rincian", "Level of detail"),
    "summary": Text("Ringkasan capaian", "Achievement at a glance"),
    "summary_lead": Text(
        "Indeks capaian SPM per bidang: 80 % dari penerima yang terlayani sesuai standar, "
        "20 % dari mutu (barang/jasa dan SDM).",
        "SPM achievement index per field: 80 % from recipients served to standard, "
        "20 % from quality inputs (goods and services, personnel).",
    ),
    "no_index_yet": Text(
        "Belum ada indeks capaian: indeks membutuhkan input mutu (barang/jasa dan SDM) setiap "
        "jenis layanan untuk wilayah dan tahun ini (Store.set_quality_inputs) serta warga "
        "sasaran. Angka terlayani per indikator ada di bagian Indikator.",
        "No achievement index yet: it needs the quality inputs (goods and services, "
        "personnel) of each service type for this area and year (Store.set_quality_inputs) "
        "and people to serve. The figures served per indicator are under Indicators.",
    ),
    "overall": Text("Semua bidang", "All fields"),
    "bands": Text("Kategori capaian", "Completion bands"),
    "from": Text("mulai {n}", "from {n}"),
    "charts": Text("Capaian per wilayah", "Achievement by area"),
    "chart_title": Text(
        "Indeks capaian SPM per bidang — {area}", "SPM achievement index by field — {area}"
    ),
    "chart_desc": Text(
        "Diagram batang: satu batang per bidang, panjangnya indeks 0–100; garis putus-putus "
        "menandai batas kategori.",
        "Bar chart: one bar per field, its length the index from 0 to 100; dashed lines mark "
        "the band thresholds.",
    ),
    "no_index": Text("tidak ada indeks", "no index"),
    "areas": Text("Capaian per {level}", "Achievement by {level}"),
    "area": Text("Wilayah", "Area"),
    "indicators": Text("Indikator", "Indicators"),
    "indicators_lead": Text(
        "Jumlah terlayani dan sasaran tiap indikator; buka satu wilayah untuk rinciannya.",
        "Served and to-serve counts of every indicator; open an area for its details.",
    ),
    "indicator": Text("Indikator", "Indicator"),
    "served": Text("Terlayani", "Served"),
    "to_serve": Text("Sasaran", "To serve"),
    "share": Text("%", "%"),
    "target": Text("sasaran dari target", "target-based"),
    "suppressed": Text("disembunyikan", "suppressed"),
    "suppressed_note": Text(
        "Sel dengan jumlah di bawah {n}, dan sel yang dapat dipakai menghitung jumlah seperti "
        "itu, disembunyikan untuk pembaca ini (perlindungan data).",
        "Cells counting fewer than {n}, and cells from which such a count could be worked "
        "out, are withheld from this reader (data protection).",
    ),
    "referrals": Text("Rujukan per perangkat daerah", "Referrals per agency"),
    "referrals_lead": Text(
        "Kebutuhan yang ditemukan kader dan diteruskan ke perangkat daerah (OPD): yang masih "
        "terbuka, lewat batas waktu, dan yang diselesaikan tepat waktu.",
        "Needs found by kader and routed to the agencies (OPD): still open, past their "
        "deadline, and resolved on time.",
    ),
    "agency": Text("Perangkat daerah", "Agency"),
    "field": Text("Bidang", "Field"),
    "total": Text("Jumlah", "Total"),
    "open": Text("Terbuka", "Open"),
    "overdue": Text("Lewat batas", "Overdue"),
    "rejected": Text("Ditolak", "Rejected"),
    "resolved": Text("Selesai", "Resolved"),
    "on_time": Text("Selesai tepat waktu", "Resolved on time"),
    "median_days": Text("Median hari", "Median days"),
    "no_referrals": Text("Tidak ada rujukan pada periode ini.", "No referrals in this period."),
    "legal": Text("Dasar hukum layanan", "Legal basis of each service"),
    "legal_lead": Text(
        "Setiap jenis pelayanan dasar dengan peraturan yang mendasarinya. Yang bertanda "
        "“belum dikonfirmasi” belum diperiksa terhadap naskah aslinya.",
        "Every basic service type with the regulation it rests on. Those marked "
        "“unconfirmed” have not been checked against the primary text.",
    ),
    "service": Text("Jenis pelayanan dasar", "Basic service type"),
    "recipients": Text("Penerima", "Recipients"),
    "basis": Text("Dasar hukum", "Legal basis"),
    "unconfirmed": Text("belum dikonfirmasi", "unconfirmed"),
    "rule": Text("Aturan indeks", "Index rule"),
    "plugins": Text("Plugin", "Plugins"),
    "footer": Text(
        "Dibuat oleh spm-core {version}. Berkas ini berdiri sendiri dan dapat dibuka "
        "tanpa internet.",
        "Made by spm-core {version}. This file stands alone and opens without internet.",
    ),
    "contents": Text("Isi", "Contents"),
}
"""Every label the page shows, in Bahasa Indonesia and English."""

_LEVEL_LABELS = {
    "posyandu": Text("posyandu", "posyandu"),
    "desa_kelurahan": Text("kelurahan/desa", "village (kelurahan/desa)"),
    "kecamatan": Text("kecamatan", "district (kecamatan)"),
    "kabupaten_kota": Text("kabupaten/kota", "regency/city"),
    "provinsi": Text("provinsi", "province"),
}


def _both(text: Text, **values: object) -> Markup:
    """Both languages of ``text`` as two spans; the page's switch shows one."""
    return Markup('<span lang="id">{}</span><span lang="en">{}</span>').format(
        text.id.format(**values), text.en.format(**values)
    )


def _plain(text: Text, sep: str = " / ", **values: object) -> str:
    """Both languages in one string (for attributes and SVG titles, which hold no markup)."""
    first, second = text.id.format(**values), text.en.format(**values)
    return first if first == second else f"{first}{sep}{second}"


@attrs.frozen
class _BandInfo:
    css: str
    label: Text
    lowest: float


def _bands(rule: AchievementRule) -> list[_BandInfo]:
    ordered = sorted(rule.bands, key=lambda b: -b.lowest)
    return [_BandInfo(f"b{min(i, 5)}", b.label, b.lowest) for i, b in enumerate(ordered)]


def _band_css(index: float | None, rule: AchievementRule, bands: Sequence[_BandInfo]) -> str:
    label = band_of(index, rule)
    for band in bands:
        if band.label == label:
            return band.css
    return "none"


_SHORT = {
    "kesehatan": Text("Kesehatan", "Health"),
    "pendidikan": Text("Pendidikan", "Education"),
    "pupr": Text("PUPR", "Public works"),
    "perkim": Text("Perkim", "Housing"),
    "trantibum": Text("Trantibum", "Public order"),
    "sosial": Text("Sosial", "Social"),
}


def _field_label(field: str | None) -> Text:
    if field is None:
        return TEXTS["overall"]
    try:
        return SpmField(field).label
    except ValueError:
        return Text(field, field)


def _short_label(field: str | None) -> Text:
    if field is None:
        return TEXTS["overall"]
    return _SHORT.get(field) or _field_label(field)


def _parent(area: str) -> str | None:
    """The code one level up (a posyandu id has none)."""
    try:
        code = KodeWilayah.parse(area)
    except InvalidValue:
        return None
    value = code.value
    return value.rsplit(".", 1)[0] if "." in value else None


def _area_name(area: str, names: Mapping[str, str]) -> str:
    if area in names:
        return names[area]
    try:
        found = lookup(KodeWilayah.parse(area))
    except InvalidValue:
        return area
    return found.name if found is not None else area


@attrs.frozen
class _Cell:
    index: float | None
    band: Text | None
    css: str


def _cells(
    rows: Iterable[IndexRow], rule: AchievementRule, bands: Sequence[_BandInfo]
) -> dict[str, dict[str | None, _Cell]]:
    """Index cells by area, then field (``None`` for all fields)."""
    out: dict[str, dict[str | None, _Cell]] = defaultdict(dict)
    for row in rows:
        if row.service_type is not None:
            continue
        out[row.area][row.field] = _Cell(
            row.index, band_of(row.index, rule), _band_css(row.index, rule, bands)
        )
    return out


_CHART_ROW = 34
_CHART_LEFT = 130
_CHART_WIDTH = 300


def _chart(
    area: str, name: str, cells: Mapping[str | None, _Cell], fields: Sequence[str | None]
) -> dict[str, Any]:
    """The geometry of one bar chart (the template draws it once per language)."""
    bars = []
    for k, field in enumerate(fields):
        cell = cells.get(field)
        value = None if cell is None else cell.index
        width = 0.0 if value is None else max(0.0, min(100.0, value)) * _CHART_WIDTH / 100
        bars.append(
            {
                "label": _short_label(field),
                "y": 28 + k * _CHART_ROW,
                "width": round(width, 1),
                "value": value,
                "css": "none" if cell is None else cell.css,
                "overall": field is None,
            }
        )
    return {
        "id": re.sub(r"[^a-z0-9]+", "-", area.lower()),
        "area": area,
        "name": name,
        "bars": bars,
        "height": 28 + len(fields) * _CHART_ROW + 8,
        "left": _CHART_LEFT,
        "scale": _CHART_WIDTH,
        "ticks": [
            {"x": _CHART_LEFT + t * _CHART_WIDTH / 100, "value": t}
            for t in (0, 20, 40, 60, 80, 100)
        ],
    }


def _format_number(value: float | None, decimals: int | None = None) -> Markup | str:
    """A figure in both languages' notation: 1.200 and 62,0 in Indonesian, 1,200 and 62.0.

    ``decimals`` None writes a whole number without decimals and any other with one.
    The two spans follow the page's language switch; a figure written the same in both
    (``62``) is written once.
    """
    if value is None:
        return "—"
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    first, second = format_number(value, "id", decimals), format_number(value, "en", decimals)
    if first == second:
        return first
    return Markup('<span lang="id">{}</span><span lang="en">{}</span>').format(first, second)


def _format_in(value: float | None, lang: str, decimals: int = 1) -> str | None:
    """A figure in one language's notation (for SVG text, drawn once per language)."""
    return None if value is None else format_number(value, lang, decimals)


def _indicator_rows(rows: Iterable[ReportRow]) -> dict[str, list[ReportRow]]:
    out: dict[str, list[ReportRow]] = defaultdict(list)
    for row in rows:
        if row.sex is None and row.age_group is None:
            out[row.area].append(row)
    return out


def _legal(
    services: Iterable[ServiceType], fields: Sequence[str]
) -> list[tuple[Text, list[tuple[ServiceType, list[LegalBasis]]]]]:
    by_field: dict[str, list[ServiceType]] = defaultdict(list)
    for service in services:
        by_field[service.field.value].append(service)
    order = list(fields) + sorted(set(by_field) - set(fields))
    return [
        (
            _field_label(field),
            [(s, list(s.legal_basis)) for s in sorted(by_field[field], key=lambda s: s.code)],
        )
        for field in order
        if by_field.get(field)
    ]


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(_template_source),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        both=_both, plain=_plain, TEXTS=TEXTS, number=_format_number, number_in=_format_in
    )
    return env


def _template_source(name: str) -> str:
    return (files("spm_core.reporting") / "templates" / name).read_text(encoding="utf-8")


def render_html(
    report: Report,
    referrals: Sequence[AgencyPerformance] = (),
    *,
    lang: str = "id",
    rollups: Sequence[Report] = (),
    services: Iterable[ServiceType] = (),
    rule: AchievementRule = DEFAULT_RULE,
    title: Text | None = None,
    subtitle: Text | None = None,
    version: str = "",
    extra_sections: Sequence[Section] = (),
) -> str:
    """Return the report as one self-contained HTML page (no external file of any kind).

    Args:
        report: the report at the finest level shown (its table per area; kelurahan/desa
            for the usual page).
        referrals: the referral figures per agency
            (:func:`~spm_core.referrals.monitoring.agency_performance`); the section says
            so when there are none.
        lang: the language shown first, ``"id"`` or ``"en"``; the page holds both.
        rollups: the same report at coarser levels (kecamatan, kab/kota …): the
            summary reads the coarsest, and each of their areas gets a bar chart. Without
            them, ``report``'s own areas are charted.
        services: the service types whose legal basis the page lists (the catalog
            view's ``service_types``).
        rule: the achievement rule in force (its bands colour the page).
        title: the page title (default: "Laporan Capaian SPM").
        subtitle: a line under the title (the place, the data's origin …).
        version: the spm-core version named in the footer.
        extra_sections: more sections, appended in order (see :class:`Section`).

    Raises:
        InvalidValue: ``lang`` is not ``id`` or ``en``, or two sections share an anchor.
    """
    if lang not in ("id", "en"):
        raise InvalidValue(
            value=lang, reason_id="bahasa harus id atau en", reason_en="the language is id or en"
        )
    anchors = [s.anchor for s in extra_sections]
    if len(set(anchors)) != len(anchors):
        raise InvalidValue(
            value=", ".join(anchors),
            reason_id="dua bagian memakai jangkar yang sama",
            reason_en="two sections share an anchor",
        )
    bands = _bands(rule)
    fields = [f.value for f in SpmField]
    present = {r.field for r in report.index if r.field is not None}
    present |= {r.field for r in report.rows}
    fields = [f for f in fields if f in present] + sorted(present - set(fields))
    chart_fields: list[str | None] = [*fields, None]
    names = {r.area: r.area_name for rep in (report, *rollups) for r in rep.index}
    names |= {r.area: r.area_name for rep in (report, *rollups) for r in rep.rows}

    coarse = sorted(rollups, key=lambda r: list(_LEVEL_LABELS).index(r.level.value))
    top_report = coarse[-1] if coarse else report
    top_cells = _cells(top_report.index, rule, bands)
    summary_areas = sorted(top_cells)
    chart_reports = list(reversed(coarse)) if coarse else [report]
    charts = []
    for rep in chart_reports:
        cells = _cells(rep.index, rule, bands)
        for area in sorted(cells):
            charts.append(_chart(area, _area_name(area, names), cells[area], chart_fields))

    fine = _cells(report.index, rule, bands)
    groups: dict[str | None, list[str]] = defaultdict(list)
    for area in sorted(fine):
        groups[_parent(area)].append(area)
    indicator_rows = _indicator_rows(report.rows)
    top_rows = _indicator_rows(top_report.rows)

    page_title = title or TEXTS["title"]
    level = _LEVEL_LABELS.get(report.level.value, Text(report.level.value, report.level.value))
    areas_title = Text(
        TEXTS["areas"].id.format(level=level.id), TEXTS["areas"].en.format(level=level.en)
    )
    context = {
        "any_index": any(row.index is not None for row in top_report.index),
        "lang": lang,
        "title": page_title,
        "subtitle": subtitle,
        "period": str(report.period),
        "level": level,
        "areas_title": areas_title,
        "bands": bands,
        "fields": fields,
        "field_label": _field_label,
        "short_label": _short_label,
        "summary": [(area, _area_name(area, names), top_cells[area]) for area in summary_areas],
        "charts": charts,
        "groups": [
            (parent, None if parent is None else _area_name(parent, names), areas)
            for parent, areas in sorted(groups.items(), key=lambda kv: kv[0] or "")
        ],
        "fine": fine,
        "names": names,
        "area_name": _area_name,
        "indicator_rows": indicator_rows,
        "top_rows": top_rows,
        "suppressed_below": report.suppressed_below,
        "referrals": sorted(
            referrals,
            key=lambda r: (r.field.value, r.agency_name.id, r.area.value),
        ),
        "legal": _legal(services, fields),
        "rule": rule,
        "plugins": sorted(report.plugins.items()),
        "version": version,
        "sections": list(extra_sections),
    }
    return _environment().get_template("report.html.j2").render(context)
