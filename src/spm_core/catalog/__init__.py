"""The catalog: every definition from every plugin, by scope and by date, validated.

``Catalog.build(pm)`` calls ``spm_definitions`` once per plugin and stamps each
definition with its provenance, whose region is the **scope** the definition applies
to (national, a province, a kab/kota). Several **versions** of one code may exist in
one scope when their validity dates do not overlap. The late hook
``spm_adjust_catalog`` records **overlays** scoped to the calling plugin's region. The
catalog is then validated for every configured region on every day some version starts
or ends — references resolve, routing conditions are ones routing can evaluate, every
need type reaches an agency in every kelurahan/desa — and frozen.

``catalog.for_region(region, on=day)`` gives the :class:`CatalogView` of one place on
one day, resolved kab/kota → province → national (as datasette resolves table →
database → root settings); the catalog's own lookups answer for the national view,
latest versions.
"""

from spm_core.catalog._catalog import Catalog, Override
from spm_core.catalog._collect import KINDS
from spm_core.catalog._view import CatalogView, Origin

__all__ = ["KINDS", "Catalog", "CatalogView", "Origin", "Override"]
