"""Build plugin managers: entry points, allow/deny lists, extra plugins, descriptions.

Nothing is loaded at import time: :func:`make_plugin_manager` returns a fresh manager
each call, so tests and applications can hold several side by side.
"""

from __future__ import annotations

import difflib
import importlib.metadata as md
import inspect
from collections.abc import Collection, Iterable, Mapping
from typing import Any

import attrs
import pluggy

from spm_core import hookspecs
from spm_core.definitions import PluginInfo, PluginLevel
from spm_core.domain.text import Text
from spm_core.errors import PluginLoadError, PluginSpecError

__all__ = [
    "ENTRY_POINT_GROUP",
    "PluginDescription",
    "SpmPluginManager",
    "call_each",
    "list_plugins",
    "make_plugin_manager",
    "plugin_infos",
]

ENTRY_POINT_GROUP = hookspecs.PROJECT_NAME
"""The entry-point group every plugin, the six field plugins included, registers in."""


class SpmPluginManager(pluggy.PluginManager):
    """A pluggy manager that remembers which distribution each plugin came from."""

    def __init__(self) -> None:
        super().__init__(hookspecs.PROJECT_NAME)
        self.distributions: dict[str, tuple[str, str]] = {}
        """Registration name → (distribution name, version) for entry-point plugins."""


@attrs.frozen
class PluginDescription:
    """One loaded plugin as ``spm plugins`` shows it."""

    name: str
    title: Text
    level: PluginLevel
    region: str | None
    distribution: str | None
    version: str | None
    hooks: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready mapping."""
        return {
            "name": self.name,
            "title": self.title.to_dict(),
            "level": self.level.name.lower(),
            "region": self.region,
            "distribution": self.distribution,
            "version": self.version,
            "hooks": list(self.hooks),
        }


def _entry_points() -> list[md.EntryPoint]:
    return sorted(md.entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name)


def _spec_names(pm: pluggy.PluginManager) -> list[str]:
    return sorted(
        name
        for name, caller in vars(pm.hook).items()
        if not name.startswith("_") and caller.has_spec()
    )


def _hook_errors(pm: pluggy.PluginManager, plugin: object, name: str) -> PluginSpecError:
    """Describe what is wrong with ``plugin``'s hooks, in both languages, with suggestions."""
    specs = _spec_names(pm)
    for attr in dir(plugin):
        if pm.parse_hookimpl_opts(plugin, attr) is None:
            continue
        if attr not in specs:
            close = difflib.get_close_matches(attr, specs, n=2, cutoff=0.75)
            return PluginSpecError.unknown_hook(plugin=name, hook=attr, suggestions=close)
        spec = getattr(pm.hook, attr).spec
        wanted = set(spec.argnames) if spec is not None else set()
        given = set(inspect.signature(getattr(plugin, attr)).parameters) - {"self"}
        extra = sorted(given - wanted)
        if extra:
            args = ", ".join(extra)
            allowed = ", ".join(sorted(wanted)) or "-"
            return PluginSpecError(
                plugin=name,
                value=attr,
                reason_id=f"argumen {args} tidak ada dalam spesifikasinya (yang ada: {allowed})",
                reason_en=f"its argument(s) {args} are not in the specification "
                f"(it has: {allowed})",
            )
    return PluginSpecError(
        plugin=name,
        value="?",
        reason_id="hook tidak sesuai spesifikasinya",
        reason_en="a hook does not match its specification",
    )


def _register(pm: SpmPluginManager, plugin: object, name: str) -> None:
    if pm.is_registered(plugin):
        # The same object twice — a test passing a plugin module that is also installed
        # (pip install -e) and loaded from its entry point. It is one plugin: keep one.
        return
    try:
        pm.register(plugin, name=name)
    except pluggy.PluginValidationError as exc:
        raise _hook_errors(pm, plugin, name) from exc
    except ValueError as exc:  # pluggy: the name is already taken by another plugin
        raise PluginLoadError(
            plugin=name,
            reason_id="nama itu sudah dipakai plugin lain yang terdaftar",
            reason_en="another registered plugin already has that name",
        ) from exc


def _check_names(kind: tuple[str, str], names: Collection[str], available: Collection[str]) -> None:
    """Reject an allow or deny list naming plugins that are not installed.

    ``kind`` is the list's name in Bahasa Indonesia and in English.
    """
    unknown = sorted(set(names) - set(available))
    if unknown:
        raise PluginLoadError(
            plugin=", ".join(unknown),
            reason_id=f"daftar {kind[0]} menyebut plugin yang tidak terpasang; tersedia: "
            + ", ".join(sorted(available)),
            reason_en=f"the {kind[1]} list names plugins that are not installed; available: "
            + ", ".join(sorted(available)),
        )


def make_plugin_manager(
    *,
    entry_points: bool = True,
    allow: Collection[str] | None = None,
    deny: Collection[str] = (),
    extra: Iterable[object] | Mapping[str, object] = (),
) -> SpmPluginManager:
    """Return a fresh plugin manager with the contract, entry-point plugins and extras.

    Args:
        entry_points: load plugins from the ``spm`` entry-point group (the six field
            plugins are registered there exactly like a third party's).
        allow: if given, load only entry-point plugins with these names.
        deny: never load entry-point plugins with these names.
        extra: more plugins to register (an app's own, a test's): objects (modules,
            classes, instances) with hook implementations, or a mapping name → object.

    Raises:
        PluginLoadError: an entry point fails to import, or ``allow``/``deny`` names a
            plugin that is not installed.
        PluginSpecError: a plugin implements a hook the contract does not define, or with
            arguments the specification does not have.

    Example:
        >>> pm = make_plugin_manager(allow=["sosial"])
        >>> sorted(name for name, _ in pm.list_name_plugin())
        ['sosial']
    """
    pm = SpmPluginManager()
    pm.add_hookspecs(hookspecs)
    if entry_points:
        eps = _entry_points()
        names = [ep.name for ep in eps]
        if allow is not None:
            _check_names(("izin", "allow"), allow, names)
        _check_names(("tolak", "deny"), deny, names)
        for ep in eps:
            if ep.name in deny or (allow is not None and ep.name not in allow):
                continue
            if pm.has_plugin(ep.name):
                first = pm.distributions.get(ep.name, ("?", "?"))[0]
                second = ep.dist.name if ep.dist else "?"
                raise PluginLoadError(
                    plugin=ep.name,
                    reason_id=f"dua distribusi memakai nama yang sama: {first} dan {second}",
                    reason_en=f"two distributions use the same name: {first} and {second}",
                )
            try:
                plugin = ep.load()
            except Exception as exc:
                raise PluginLoadError(
                    plugin=ep.name,
                    reason_id=f"{type(exc).__name__}: {exc}",
                    reason_en=f"{type(exc).__name__}: {exc}",
                ) from exc
            _register(pm, plugin, ep.name)
            if ep.dist is not None:
                pm.distributions[ep.name] = (ep.dist.name, ep.dist.version)
    items = extra.items() if isinstance(extra, Mapping) else ((None, p) for p in extra)
    for name, plugin in items:
        _register(pm, plugin, name or _default_name(pm, plugin))
    try:
        pm.check_pending()
    except pluggy.PluginValidationError as exc:
        offender = getattr(exc, "plugin", None)
        name = (offender is not None and pm.get_name(offender)) or "?"
        raise _hook_errors(pm, offender, name) from exc
    return pm


def _default_name(pm: pluggy.PluginManager, plugin: object) -> str:
    """Name an extra plugin after its module, class or type; number repeats (two instances)."""
    base = str(getattr(plugin, "__name__", None) or type(plugin).__name__)
    name, n = base, 1
    while pm.has_plugin(name):
        n += 1
        name = f"{base}-{n}"
    return name


def call_each(pm: pluggy.PluginManager, hook: str, **kwargs: Any) -> list[tuple[str, Any]]:
    """Call ``hook`` on every plugin separately; return ``(registration name, result)`` pairs.

    Calling per implementation is what lets the catalog record provenance; results are
    returned in registration-name order, never in pluggy's call order.
    """
    caller: pluggy.HookCaller = getattr(pm.hook, hook)
    out: list[tuple[str, Any]] = []
    for impl in caller.get_hookimpls():
        args = {name: kwargs[name] for name in impl.argnames}
        out.append((impl.plugin_name, impl.function(**args)))
    return sorted(out, key=lambda pair: pair[0])


def plugin_infos(pm: pluggy.PluginManager) -> dict[str, PluginInfo]:
    """Return registration name → :class:`PluginInfo` for every registered plugin.

    A plugin without ``spm_plugin_info`` is described as national, named after its
    registration name.

    Raises:
        PluginLoadError: a plugin returns something other than a ``PluginInfo``, or two
            plugins claim the same name.
    """
    declared = dict(call_each(pm, "spm_plugin_info"))
    infos: dict[str, PluginInfo] = {}
    claimed: dict[str, str] = {}
    for reg_name, _plugin in sorted(pm.list_name_plugin(), key=lambda p: str(p[0])):
        if reg_name is None or _plugin is None:
            continue
        info = declared.get(reg_name)
        if info is None:
            info = PluginInfo(name=_safe_code(reg_name), title=Text(reg_name, reg_name))
        elif not isinstance(info, PluginInfo):
            raise PluginLoadError(
                plugin=reg_name,
                reason_id="spm_plugin_info harus mengembalikan PluginInfo",
                reason_en="spm_plugin_info must return a PluginInfo",
            )
        if info.name in claimed:
            raise PluginLoadError(
                plugin=info.name,
                reason_id=f"nama dipakai oleh {claimed[info.name]!r} dan {reg_name!r}",
                reason_en=f"the name is claimed by both {claimed[info.name]!r} and {reg_name!r}",
            )
        claimed[info.name] = reg_name
        infos[reg_name] = info
    return infos


def _safe_code(name: str) -> str:
    cleaned = "".join(c if c.isalnum() or c in "._-" else "-" for c in name.lower())
    return cleaned.strip("-._")[:80] or "plugin"


def list_plugins(pm: SpmPluginManager) -> list[PluginDescription]:
    """Describe every registered plugin: name, title, level, region, version and hooks.

    Sorted by level, then name — the order in which precedence applies.
    """
    infos = plugin_infos(pm)
    out = []
    for reg_name, info in infos.items():
        plugin = pm.get_plugin(reg_name)
        hooks = tuple(sorted(caller.name for caller in pm.get_hookcallers(plugin) or ()))
        dist = pm.distributions.get(reg_name)
        out.append(
            PluginDescription(
                name=info.name,
                title=info.title,
                level=info.level,
                region=None if info.region is None else str(info.region),
                distribution=None if dist is None else dist[0],
                version=None if dist is None else dist[1],
                hooks=hooks,
            )
        )
    return sorted(out, key=lambda d: (d.level, d.name))
