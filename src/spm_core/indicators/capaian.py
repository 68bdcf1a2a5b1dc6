"""The SPM achievement index (capaian SPM): 80 % served to standard, 20 % quality inputs.

The national reporting format (domain reference §1.3) scores each service type (JPD):

* **A** — the share of recipients served to standard: Σ served ÷ Σ to be served × 100;
* **B** — the share of quality items (mutu) met: Σ items met ÷ Σ items required × 100,
  over both categories, goods and services (``barang_jasa``) and human resources
  (``sdm``);
* **capaian = 0.8 × A + 0.2 × B**, graded in completion bands.

The 80/20 weights are confirmed as the format reporting tools use. The bands (Tuntas
Paripurna 100, Utama ≥ 90, Madya ≥ 80, Pratama ≥ 70, Muda ≥ 60, Belum Tuntas < 60) come
from the Pendidikan index (Kepmendikbudristek 311/M/2022); that they apply to the other
five fields is **unconfirmed**. How service types roll up to a field and to the region is
**unconfirmed** too: the default is the simple mean over the service types that have an
index. A region plugin replaces the whole rule by contributing an
:class:`AchievementRule` with code ``capaian`` for its region.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spm_core.definitions import AchievementRule, Aggregation, LegalBasis
from spm_core.domain.text import Text

__all__ = ["DEFAULT_RULE", "band_of", "capaian", "roll_up"]


DEFAULT_RULE = AchievementRule(
    code="capaian",
    title=Text("Capaian SPM (format Kemendagri)", "SPM achievement (Kemendagri format)"),
    legal_basis=(
        LegalBasis(
            "Permendagri 59/2021",
            confirmed=False,
            note=(
                "80 % recipients served to standard, 20 % quality inputs (barang/jasa and "
                "SDM), as the Kemendagri report format used by SPM reporting tools; the "
                "lampiran was not available. The bands are those of the Pendidikan index "
                "(Kepmendikbudristek 311/M/2022); their use for the other fields and the "
                "simple mean over service types are unconfirmed."
            ),
        ),
    ),
)
"""The national rule: 80/20, the Pendidikan bands, the simple mean over service types."""


def band_of(index: float | None, rule: AchievementRule = DEFAULT_RULE) -> Text | None:
    """Return the completion band of ``index`` (``None`` for no index).

    Example:
        >>> band_of(100).id, band_of(89.99).id, band_of(59.9).en
        ('Tuntas Paripurna', 'Tuntas Madya', 'Not complete')
    """
    if index is None:
        return None
    for band in sorted(rule.bands, key=lambda b: -b.lowest):
        if index >= band.lowest:
            return band.label
    return rule.bands[-1].label


def capaian(
    served_share: float | None, quality_share: float | None, rule: AchievementRule = DEFAULT_RULE
) -> float | None:
    """Return the index of one service type from its two shares (each 0–100).

    ``None`` when either share is unknown: an index without its quality part would read
    as a score it is not.

    Example:
        >>> capaian(90.0, 50.0)
        82.0
    """
    if served_share is None or quality_share is None:
        return None
    return round(rule.served_weight * served_share + rule.quality_weight * quality_share, 6)


def roll_up(
    indexes: Iterable[tuple[float | None, float]], rule: AchievementRule = DEFAULT_RULE
) -> float | None:
    """Return the index of a field or region from ``(index, recipients)`` per service type."""
    known: Sequence[tuple[float, float]] = [(i, w) for i, w in indexes if i is not None]
    if not known:
        return None
    if rule.aggregation is Aggregation.WEIGHTED:
        total = sum(w for _, w in known)
        return None if total == 0 else round(sum(i * w for i, w in known) / total, 6)
    return round(sum(i for i, _ in known) / len(known), 6)
