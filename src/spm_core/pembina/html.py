"""The Tim Pembina section as HTML: one self-contained page (or a fragment to embed).

Everything is escaped; the page carries its own small stylesheet and no script, so it
can be mailed or opened from a file. :func:`status_section` gives the ``<section>``
alone, for a larger report that embeds it.
"""

from __future__ import annotations

from html import escape

from spm_core.domain.text import Text
from spm_core.pembina.monitoring import STATUS_COLUMNS, PlanStatus, ScoreRow
from spm_core.pembina.rule import Status

__all__ = ["status_body", "status_page", "status_section"]

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; }
th { background: #f2f2f2; }
td.num { text-align: right; }
.met { background: #d7f0d7; } .on_track { background: #e8f4fc; }
.at_risk { background: #fff1c2; } .missed { background: #f8d0d0; }
.no_data { background: #eee; }
""".strip()

_TEXTS = {
    "title": Text(
        "Tim Pembina Posyandu — pemantauan rencana aksi",
        "Tim Pembina Posyandu — action plan monitoring",
    ),
    "as_of": Text("Keadaan pada {day}", "As of {day}"),
    "rule": Text("Aturan penilaian", "How status is judged"),
    "commitments": Text("Komitmen", "Commitments"),
    "by_agency": Text("Rekap per perangkat daerah", "Scorecard per agency"),
    "by_kecamatan": Text("Rekap per kecamatan", "Scorecard per kecamatan"),
    "group_agency": Text("perangkat daerah", "agency"),
    "group_kecamatan": Text("wilayah", "area"),
    "field": Text("bidang", "field"),
    "total": Text("jumlah", "total"),
}


def _t(key: str, lang: str, **values: object) -> str:
    return escape(_TEXTS[key].get(lang).format(**values))


def _cell(value: object) -> str:
    if value is None:
        return "<td></td>"
    if isinstance(value, float):
        return f'<td class="num">{value:.1f}</td>'
    return f"<td>{escape(str(value))}</td>"


def _scores(rows: tuple[ScoreRow, ...], group: str, lang: str) -> str:
    heads = [_t(group, lang), _t("field", lang), _t("total", lang)]
    heads += [escape(s.label.get(lang)) for s in Status]
    out = ["<table><thead><tr>", *(f"<th>{h}</th>" for h in heads), "</tr></thead><tbody>"]
    for r in rows:
        values = [r.group, r.field, r.total, r.met, r.on_track, r.at_risk, r.missed, r.no_data]
        out.append("<tr>" + "".join(_cell(v) for v in values) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def status_body(status: PlanStatus, lang: str = "id") -> str:
    """Return the content of the Tim Pembina section (no heading of its own) in ``lang``.

    What a larger report embeds under a heading of its own: the day judged, the rule,
    the commitments and the two scorecards.
    """
    parts = [
        f"<p>{_t('as_of', lang, day=status.as_of.isoformat())}</p>",
        f"<h3>{_t('rule', lang)}</h3><p>{escape(status.rule.get(lang))}</p>",
        f"<h3>{_t('commitments', lang)}</h3>",
        "<table><thead><tr>",
        *(f"<th>{escape(label.get(lang))}</th>" for _, label in STATUS_COLUMNS),
        "</tr></thead><tbody>",
    ]
    for item in status.commitments:
        data = item.to_dict(lang)
        parts.append(f'<tr class="{escape(item.status.value)}">')
        parts.extend(_cell(data[name]) for name, _ in STATUS_COLUMNS)
        parts.append("</tr>")
    parts.append("</tbody></table>")
    parts.append(f"<h3>{_t('by_agency', lang)}</h3>")
    parts.append(_scores(status.by_agency, "group_agency", lang))
    parts.append(f"<h3>{_t('by_kecamatan', lang)}</h3>")
    parts.append(_scores(status.by_kecamatan, "group_kecamatan", lang))
    return "\n".join(parts)


def status_section(status: PlanStatus, lang: str = "id") -> str:
    """Return the Tim Pembina section as one ``<section>`` element in ``lang``."""
    return (
        f'<section class="spm-pembina">\n<h2>{_t("title", lang)}</h2>\n'
        f"{status_body(status, lang)}\n</section>"
    )


def status_page(status: PlanStatus, lang: str = "id") -> str:
    """Return a whole HTML page holding :func:`status_section`, with its stylesheet."""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_t('title', lang)}</title>\n<style>\n{_STYLE}\n</style>\n</head>\n<body>\n"
        f"{status_section(status, lang)}\n</body>\n</html>\n"
    )
