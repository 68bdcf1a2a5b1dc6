"""Analyse: an SPM report as a pandas DataFrame, by sex and age group, drawn as bars.

Run it with ``python analyse.py [DATABASE_URL]``; without a URL it builds a synthetic
slice of Kota Bekasi (2,000 residents, seed 1, year 2025) in memory first. Needs the
``dataframes`` extra (pandas). The chart is text, so no plotting library is needed;
with matplotlib installed, ``table.plot.barh()`` draws the same table.
"""

from __future__ import annotations

import sys

import pandas as pd

from spm_core.access import Actor, AreaScope, Role
from spm_core.api import Registry
from spm_core.domain import KodeWilayah
from spm_core.synth import synthesize

AGE_ORDER = ["0-4", "5-6", "7-15", "16-18", "19-59", "60+"]


# --8<-- [start:frame]
def coverage_by_group(registry: Registry, period: str = "2025") -> pd.DataFrame:
    """Return, per indicator, sex and age group, who was served out of who counts."""
    operator = Actor("analyst", Role.OPERATOR, AreaScope(KodeWilayah.parse("32.75")))
    report = registry.compute_report(
        operator, period, "kabupaten_kota", disaggregate=("sex", "age_group")
    )
    frame = report.to_pandas()
    frame = frame[frame["denominator"] > 0]  # groups nobody belongs to say nothing
    grouped = frame.groupby(["indicator", "sex", "age_group"], as_index=False)[
        ["numerator", "denominator"]
    ].sum()
    grouped["percent"] = (100 * grouped["numerator"] / grouped["denominator"]).round(1)
    return grouped


# --8<-- [end:frame]


# --8<-- [start:chart]
def text_chart(frame: pd.DataFrame, indicator: str, width: int = 40) -> str:
    """Draw one indicator's coverage per sex and age group as a bar of ``#``."""
    rows = frame[frame["indicator"] == indicator].copy()
    rows["order"] = rows["age_group"].map(AGE_ORDER.index)
    lines = [f"{indicator}: % served, by sex and age group"]
    for _, row in rows.sort_values(["sex", "order"]).iterrows():
        bar = "#" * round(width * row["percent"] / 100)
        label = f"{row['sex']} {row['age_group']:>5}"
        counts = f"{row['numerator']:.0f}/{row['denominator']:.0f}"
        lines.append(f"  {label} {bar:<{width}} {row['percent']:5.1f}% ({counts})")
    return "\n".join(lines)


# --8<-- [end:chart]


def main(url: str | None = None) -> str:
    """Return the chart of the synthetic city (or of the database at ``url``)."""
    six = ("kesehatan", "pendidikan", "pupr", "perkim", "trantibum", "sosial")
    with Registry.open(url or "sqlite://", allow=six) as registry:
        if url is None:
            operator = Actor("op", Role.OPERATOR, AreaScope(KodeWilayah.parse("32.75")))
            synthesize(registry.store, operator, registry.catalog, residents=2000,
                       wilayah="32.75", seed=1, year=2025)  # fmt: skip
        frame = coverage_by_group(registry)
    return text_chart(frame, "kesehatan.usia-produktif")


if __name__ == "__main__":
    print(main(sys.argv[1] if len(sys.argv) > 1 else None))
