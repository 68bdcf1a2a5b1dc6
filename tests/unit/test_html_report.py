"""The HTML report: a worked example a domain expert can read, rendered and inspected.

Two kelurahan of Bekasi Timur, health and education only. Bekasijaya serves 90 of 100
toddlers to standard with 80 % of its quality items met: 0.8 × 90 + 0.2 × 80 = 88,
Tuntas Madya. Margahayu's toddler counts are below the suppression threshold of the
reader (a researcher): the page says they are withheld and never shows them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html.parser import HTMLParser

import pytest

from spm_core.definitions import BANDS, LegalBasis, ServiceType
from spm_core.domain import KodeWilayah, Period, SpmField, Text
from spm_core.errors import InvalidValue
from spm_core.indicators.report import IndexRow, Report, ReportRow
from spm_core.referrals.monitoring import AgencyPerformance
from spm_core.reporting import Section, render_html
from spm_core.store.aggregate import ReportLevel

PERIOD = Period.parse("2025")
KEC = "32.75.01"
BEKASIJAYA = "32.75.01.1001"
MARGAHAYU = "32.75.01.1002"


def _row(area: str, name: str, numerator: int | None, denominator: float | None) -> ReportRow:
    value = None if numerator is None or not denominator else 100 * numerator / denominator
    return ReportRow(
        indicator="kesehatan.balita",
        title_id="Balita dipantau sesuai standar",
        title_en="Under-fives monitored to standard",
        field="kesehatan",
        service_type="kesehatan.balita",
        area=area,
        area_name=name,
        sex=None,
        age_group=None,
        numerator=numerator,
        denominator=denominator,
        denominator_source="population",
        value=value,
        indicator_version="-",
        plugin="kesehatan",
        plugin_version="0.1.0",
    )


def _index(area: str, name: str, field: str | None, index: float | None, band: Text | None):
    return IndexRow(
        area=area,
        area_name=name,
        field=field,
        service_type=None,
        served_share=None,
        quality_share=None,
        recipients=100.0,
        index=index,
        band_id=None if band is None else band.id,
        band_en=None if band is None else band.en,
    )


MADYA = Text("Tuntas Madya", "Complete, middle (madya)")
MUDA = Text("Tuntas Muda", "Complete, young (muda)")


def _report(level: ReportLevel, rows: tuple[ReportRow, ...], index: tuple[IndexRow, ...]):
    return Report(PERIOD, level, rows, index, {"kesehatan": "0.1.0"}, "capaian", 11)


KELURAHAN = _report(
    ReportLevel.DESA_KELURAHAN,
    (_row(BEKASIJAYA, "Bekasijaya", 90, 100), _row(MARGAHAYU, "<b>Margahayu</b>", None, None)),
    (
        _index(BEKASIJAYA, "Bekasijaya", "kesehatan", 88.0, MADYA),
        _index(BEKASIJAYA, "Bekasijaya", "pendidikan", 61.5, MUDA),
        _index(BEKASIJAYA, "Bekasijaya", None, 74.75, Text("Tuntas Pratama", "first")),
        _index(MARGAHAYU, "<b>Margahayu</b>", "kesehatan", None, None),
    ),
)
KECAMATAN = _report(
    ReportLevel.KECAMATAN,
    (_row(KEC, "Bekasi Timur", 150, 200),),
    (_index(KEC, "Bekasi Timur", "kesehatan", 80.0, MADYA),),
)
REFERRALS = (
    AgencyPerformance(
        "kota-bekasi.dinsos", Text("Dinas Sosial Kota Bekasi", "Bekasi City Social Office"),
        SpmField.SOSIAL, KodeWilayah("32.75"), total=10, open=3, overdue=2, accepted=7,
        rejected=1, resolved=6, cancelled=0, escalated=1, median_days_to_resolve=6.5,
        resolved_on_time=0.75,
    ),
)  # fmt: skip
SERVICES = (
    ServiceType(
        code="kesehatan.balita",
        title=Text("Pelayanan kesehatan balita", "Health care for under-fives"),
        field=SpmField.KESEHATAN,
        recipients=Text("Balita 0–59 bulan", "Children aged 0–59 months"),
        legal_basis=(
            LegalBasis("Permenkes 6/2024", "Lampiran"),
            LegalBasis("PP 2/2018", "Ps. 6", confirmed=False),
        ),
    ),
)


class _Page(HTMLParser):
    """Collects tags, their attributes and the text of the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, Mapping[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parse(page: str) -> _Page:
    parser = _Page()
    parser.feed(page)
    return parser


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(
        KELURAHAN,
        REFERRALS,
        rollups=(KECAMATAN,),
        services=SERVICES,
        version="9.9",
        extra_sections=(
            Section("pembina", Text("Tim Pembina", "Tim Pembina"), Text("<p>A</p>", "<p>B</p>")),
        ),
    )


def test_the_worked_example_shows_each_index_with_its_band(page: str) -> None:
    text = " ".join(_parse(page).text)
    assert "88.0" in text
    assert "Tuntas Madya" in text
    assert "Complete, middle (madya)" in text  # the English is there for the switch
    assert "74.8" in text
    assert "Tuntas Pratama" in text


def test_every_field_and_every_band_is_named_in_both_languages(page: str) -> None:
    for field in (SpmField.KESEHATAN, SpmField.PENDIDIKAN):
        assert field.label.id in page
        assert field.label.en in page
    for band in BANDS:
        assert band.label.id in page
        assert band.label.en in page


def test_a_suppressed_cell_is_marked_and_its_value_never_shown(page: str) -> None:
    assert "disembunyikan" in page
    assert "suppressed" in page
    assert "fewer than 11" in page


def test_names_are_escaped(page: str) -> None:
    assert "<b>Margahayu</b>" not in page
    assert "&lt;b&gt;Margahayu&lt;/b&gt;" in page


def test_referrals_show_agency_and_deadline_compliance(page: str) -> None:
    assert "Dinas Sosial Kota Bekasi" in page
    assert re.search(r"75 %", page)


def test_the_legal_basis_of_each_service_and_its_confirmation(page: str) -> None:
    assert "Permenkes 6/2024 Lampiran" in page
    assert "PP 2/2018 Ps. 6" in page
    assert "belum dikonfirmasi" in page
    assert "unconfirmed" in page


def test_charts_are_inline_svg_with_titles(page: str) -> None:
    tags = _parse(page).tags
    charts = [a for t, a in tags if t == "svg"]
    assert len(charts) == 2  # one area (the kecamatan), drawn once per language
    assert all(a.get("role") == "img" and a.get("aria-labelledby") for a in charts)
    assert sum(1 for t, _ in tags if t == "title") == 1 + len(charts)  # page + charts
    assert sum(1 for t, _ in tags if t == "rect") == 2 * 3  # 2 fields + all, per language


def test_the_page_fetches_nothing(page: str) -> None:
    tags = _parse(page).tags
    assert not [t for t, _ in tags if t in ("script", "link", "img", "iframe", "object")]
    external = re.findall(r"""(?:src|href)=["'](?!#)[^"']+""", page)
    assert external == []
    assert "@import" not in page
    assert "url(" not in page


def test_tables_have_headers_with_scope(page: str) -> None:
    headers = [a for t, a in _parse(page).tags if t == "th"]
    assert headers
    assert all(a.get("scope") in ("col", "row", "rowgroup") for a in headers)


def test_the_language_switch_needs_no_script_and_follows_lang() -> None:
    english = render_html(KELURAHAN, lang="en")
    radios = {a["id"]: "checked" in a for t, a in _parse(english).tags if t == "input"}
    assert radios == {"lang-id": False, "lang-en": True}
    assert '<html lang="en">' in english


def test_added_sections_come_after_the_built_in_ones(page: str) -> None:
    assert page.index('id="dasar-hukum"') < page.index('id="pembina"')
    assert '<div lang="id"><p>A</p></div>' in page


def test_bad_arguments_are_refused() -> None:
    with pytest.raises(InvalidValue):
        render_html(KELURAHAN, lang="fr")
    with pytest.raises(InvalidValue):
        Section("Not An Anchor", Text("x", "x"), Text("x", "x"))
    twice = Section("a", Text("x", "x"), Text("x", "x"))
    with pytest.raises(InvalidValue):
        render_html(KELURAHAN, extra_sections=(twice, twice))


def test_figures_follow_the_language_shown(page: str) -> None:
    # 88,0 for a reader of Bahasa Indonesia, 88.0 in English: each in its language's span,
    # and each chart (drawn once per language) in its own notation.
    assert '<span lang="id">88,0</span><span lang="en">88.0</span>' in page
    assert '<span lang="id">74,8</span><span lang="en">74.8</span>' in page
    charts = re.findall(r'<svg[^>]*aria-labelledby="t-\S*-(id|en) [^>]*>(.*?)</svg>', page, re.S)
    assert {code for code, _ in charts} == {"id", "en"}
    for code, body in charts:
        values = re.findall(r'<text class="val"[^>]*>([^<]+)</text>', body)
        assert values
        for value in values:
            if any(c.isdigit() for c in value):
                assert ("," in value) is (code == "id"), (code, value)
                assert ("." in value) is (code == "en"), (code, value)


def test_a_page_without_any_index_says_what_the_index_needs(page: str) -> None:
    # A synthetic city without quality inputs: every tile read "no index" and nothing
    # said why. The page names what is missing, in both languages.
    bare = _report(
        ReportLevel.KECAMATAN,
        (_row(KEC, "Bekasi Timur", 150, 200),),
        (_index(KEC, "Bekasi Timur", "kesehatan", None, None),),
    )
    without = render_html(bare, REFERRALS, services=SERVICES, version="9.9")
    assert 'id="tanpa-indeks"' in without
    assert "Belum ada indeks capaian: indeks membutuhkan input mutu" in without
    assert "No achievement index yet: it needs the quality inputs" in without
    assert "Store.set_quality_inputs" in without
    assert 'id="tanpa-indeks"' not in page  # a page with an index has no such note
