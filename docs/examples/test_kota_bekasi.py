"""Tests a region plugin keeps beside its code, using the fixtures spm-core provides."""

from __future__ import annotations

import kota_bekasi  # the region plugin module under test

from spm_core.plugin_api import PluginLevel


def test_every_need_is_routable_in_kota_bekasi(spm_catalog_factory):
    """Build the catalog: that checks every need type has an agency in every kelurahan."""
    catalog = spm_catalog_factory(kota_bekasi)
    view = catalog.for_region("32.75")
    assert view.agency("kota-bekasi.dinsos").provenance.level is PluginLevel.REGION


def test_local_rule_and_deadline(spm_catalog_factory):
    """The local rule and deadline apply in Kota Bekasi; elsewhere the national ones."""
    catalog = spm_catalog_factory(kota_bekasi)
    view = catalog.for_region("32.75")
    assert view.routing_rule("kota-bekasi.rtlh").roles == ("dinas-perkim",)
    assert view.need_type("perkim.rtlh").sla_days == 60
    assert catalog.for_region("32.16").need_type("perkim.rtlh").sla_days is None
    assert {a.plugin for a in catalog.adjustments} == {"kota-bekasi"}
