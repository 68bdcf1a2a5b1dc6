"""Indonesia's three time zones and the zone of every province.

Indonesia keeps three zones without daylight saving: WIB (UTC+7), WITA (UTC+8) and WIT
(UTC+9). "Today" for a posyandu is the date on its own clock: a weighing recorded in
Papua at 08:00 WIT is still "yesterday" on a server running in UTC, and must not be
refused as a date in the future.

The table maps each province code (the first two digits of a Kemendagri code) to its
zone, after Keputusan Presiden 41/1987 on the division of Indonesia into three time
zones, extended to the provinces formed since (Kepulauan Riau, Kalimantan Utara,
Sulawesi Barat, Gorontalo, Maluku Utara, Papua Barat and the Papua provinces of 2022).

Example:
    >>> zone_of("91.71.01.1001").name, zone_of("32.75").name, zone_of("51").name
    ('WIT', 'WIB', 'WITA')
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import attrs

from spm_core.domain.wilayah import KodeWilayah

__all__ = ["PROVINCE_ZONES", "WIB", "WIT", "WITA", "TimeZone", "local_today", "zone_of"]


@attrs.frozen
class TimeZone:
    """One of Indonesia's time zones: its short name and its offset from UTC."""

    name: str
    hours: int

    @property
    def tzinfo(self) -> timezone:
        """The zone as a fixed-offset :class:`datetime.timezone`."""
        return timezone(timedelta(hours=self.hours), self.name)


WIB = TimeZone("WIB", 7)
"""Waktu Indonesia Barat, UTC+7."""
WITA = TimeZone("WITA", 8)
"""Waktu Indonesia Tengah, UTC+8."""
WIT = TimeZone("WIT", 9)
"""Waktu Indonesia Timur, UTC+9."""

_WIB = ("11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33")
_WIB_MORE = ("34", "35", "36", "61", "62")
_WITA = ("51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76")
_WIT = ("81", "82", "91", "92", "93", "94", "95", "96")

PROVINCE_ZONES: dict[str, TimeZone] = {
    **dict.fromkeys(_WIB + _WIB_MORE, WIB),
    **dict.fromkeys(_WITA, WITA),
    **dict.fromkeys(_WIT, WIT),
}
"""Province code → time zone (see the module's documentation for the source)."""


def zone_of(code: KodeWilayah | str) -> TimeZone:
    """Return the time zone of the province a region code lies in.

    An unknown province falls back to WIT, the latest clock: a date is then refused as
    "in the future" only if it is in the future everywhere in Indonesia.
    """
    province = str(code)[:2]
    return PROVINCE_ZONES.get(province, WIT)


def local_today(code: KodeWilayah | str, now: datetime | None = None) -> date:
    """Return today's date on the clock of the region ``code`` (``now``: default the present).

    Example:
        >>> early = datetime(2026, 1, 1, 23, 30, tzinfo=UTC)   # 08:30 WIT on 2 January
        >>> local_today("91.71", early), local_today("32.75", early)
        (datetime.date(2026, 1, 2), datetime.date(2026, 1, 2))
        >>> local_today("32.75", datetime(2026, 1, 1, 16, 0, tzinfo=UTC))
        datetime.date(2026, 1, 1)
    """
    instant = datetime.now(UTC) if now is None else now
    return instant.astimezone(zone_of(code).tzinfo).date()
