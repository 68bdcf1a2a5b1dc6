"""What a plugin declares about itself: its name, level of precedence and region."""

from __future__ import annotations

import attrs

from spm_core.definitions._base import check_code
from spm_core.definitions.legal import PluginLevel
from spm_core.domain.text import Text
from spm_core.domain.wilayah import KodeWilayah, WilayahLevel
from spm_core.errors import InvalidValue

__all__ = ["PluginInfo"]


@attrs.frozen(kw_only=True)
class PluginInfo:
    """A plugin's self-description, returned by the ``spm_plugin_info`` hook.

    ``level`` and ``region`` give the scope of the plugin's definitions (national <
    province < kab/kota, each in its own region). A province plugin names its province
    in ``region`` and a kab/kota plugin its kab/kota; a national plugin has no region.

    Example:
        >>> PluginInfo(name="kota-bekasi", title=Text("Kota Bekasi", "Bekasi City"),
        ...            level=PluginLevel.REGION, region=KodeWilayah.parse("32.75")).region
        KodeWilayah(value='32.75')
    """

    name: str = attrs.field(validator=check_code)
    title: Text
    level: PluginLevel = PluginLevel.NATIONAL
    region: KodeWilayah | None = None

    def __attrs_post_init__(self) -> None:
        expected = {
            PluginLevel.NATIONAL: None,
            PluginLevel.PROVINCE: WilayahLevel.PROVINSI,
            PluginLevel.REGION: WilayahLevel.KABUPATEN_KOTA,
        }[self.level]
        actual = None if self.region is None else self.region.level
        if actual != expected:
            raise InvalidValue(
                value=None if self.region is None else str(self.region),
                reason_id=(
                    f"plugin tingkat {self.level.label.id} harus "
                    + ("tanpa wilayah" if expected is None else f"menyebut {expected.label.id}")
                ),
                reason_en=(
                    f"a {self.level.label.en} plugin must "
                    + ("name no region" if expected is None else f"name a {expected.label.en}")
                ),
            )
